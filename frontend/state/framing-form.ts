// The framing picker's form state: presets and custom fields <-> a FramingRule (or null for none), checked here.
import { checkFramingRule, type FramingRule } from '../../shared';

export type FramingPreset =
  | 'none'
  | 'length-4-be'
  | 'length-2-be'
  | 'newline'
  | 'crlf'
  | 'nul'
  | 'fixed'
  | 'json-header'
  | 'length'
  | 'delimiter';

export const FRAMING_PRESETS: readonly { id: FramingPreset; label: string }[] = [
  { id: 'none', label: 'none' },
  { id: 'length-4-be', label: '4-byte big-endian length prefix' },
  { id: 'length-2-be', label: '2-byte BE length' },
  { id: 'newline', label: 'newline' },
  { id: 'crlf', label: 'CRLF' },
  { id: 'nul', label: 'NUL' },
  { id: 'fixed', label: 'fixed size' },
  { id: 'json-header', label: 'JSON header (Python tutorial)' },
  { id: 'length', label: 'custom length prefix' },
  { id: 'delimiter', label: 'custom delimiter' },
];

export interface FramingForm {
  preset: FramingPreset;
  bytes: 1 | 2 | 4 | 8;
  endian: 'big' | 'little';
  includesHeader: boolean;
  offset: string;
  delimiter: string;
  size: string;
}

export const EMPTY_FRAMING_FORM: FramingForm = {
  preset: 'none',
  bytes: 4,
  endian: 'big',
  includesHeader: false,
  offset: '0',
  delimiter: '\\n',
  size: '16',
};

export type FramingField = 'preset' | 'offset' | 'delimiter' | 'size';
export type FormRule = { ok: true; rule: FramingRule | null } | { ok: false; field: FramingField; message: string };

const FIXED_DELIMITERS: Partial<Record<FramingPreset, string>> = { newline: '\\n', crlf: '\\r\\n', nul: '\\0' };

/** Digits only (blanks around allowed) in [min, max], else null; the send options use it too. */
export function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** The rule the form describes, or the field that is wrong and why. */
export function formToRule(f: FramingForm): FormRule {
  let rule: FramingRule | null;
  switch (f.preset) {
    case 'none':
      return { ok: true, rule: null };
    case 'length-4-be':
      rule = { kind: 'length', bytes: 4, endian: 'big', includesHeader: false };
      break;
    case 'length-2-be':
      rule = { kind: 'length', bytes: 2, endian: 'big', includesHeader: false };
      break;
    case 'newline':
    case 'crlf':
    case 'nul':
      rule = { kind: 'delimiter', delimiter: FIXED_DELIMITERS[f.preset]! };
      break;
    case 'json-header':
      rule = { kind: 'json-header' };
      break;
    case 'fixed': {
      const size = wholeNumber(f.size, 1, 16 << 20);
      if (size === null) return { ok: false, field: 'size', message: 'size: a whole number of bytes, 1 to 16 MiB' };
      rule = { kind: 'fixed', size };
      break;
    }
    case 'length': {
      const offset = wholeNumber(f.offset, 0, 1024);
      if (offset === null) return { ok: false, field: 'offset', message: 'offset: a whole number of bytes, 0 to 1024' };
      rule = { kind: 'length', bytes: f.bytes, endian: f.endian, includesHeader: f.includesHeader };
      if (offset) rule.offset = offset;
      break;
    }
    case 'delimiter':
      if (f.delimiter === '') return { ok: false, field: 'delimiter', message: 'delimiter: give at least one byte' };
      if (f.delimiter.length > 256)
        return { ok: false, field: 'delimiter', message: 'delimiter: at most 256 characters' };
      rule = { kind: 'delimiter', delimiter: f.delimiter };
      break;
  }
  const problem = checkFramingRule(rule);
  if (problem) return { ok: false, field: 'delimiter', message: problem };
  return { ok: true, rule };
}

/** The form showing a rule: its preset when one matches, else the custom fields. */
export function ruleToForm(rule: FramingRule | null | undefined): FramingForm {
  const f = { ...EMPTY_FRAMING_FORM };
  if (!rule) return f;
  switch (rule.kind) {
    case 'length': {
      const endian = rule.endian ?? 'big';
      const plain = endian === 'big' && !rule.includesHeader && !rule.offset;
      if (plain && rule.bytes === 4) return { ...f, preset: 'length-4-be' };
      if (plain && rule.bytes === 2) return { ...f, preset: 'length-2-be', bytes: 2 };
      return {
        ...f,
        preset: 'length',
        bytes: rule.bytes,
        endian,
        includesHeader: rule.includesHeader ?? false,
        offset: String(rule.offset ?? 0),
      };
    }
    case 'delimiter': {
      const preset = (Object.keys(FIXED_DELIMITERS) as FramingPreset[]).find(
        (p) => FIXED_DELIMITERS[p] === rule.delimiter,
      );
      return { ...f, preset: preset ?? 'delimiter', delimiter: rule.delimiter };
    }
    case 'fixed':
      return { ...f, preset: 'fixed', size: String(rule.size) };
    case 'json-header':
      return { ...f, preset: 'json-header' };
  }
}
