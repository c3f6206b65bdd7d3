// The framing rule's controls: a preset select labelled "Framing" and, for custom rules, their fields.
import { useId } from 'react';
import { FRAMING_PRESETS, type FramingField, type FramingForm, type FramingPreset } from '../../state/framing-form';

export function FramingFields(props: {
  form: FramingForm;
  onChange: (form: FramingForm) => void;
  /** The field the current problem is about, and its message id (aria-describedby). */
  problem?: { field: FramingField; id: string } | null;
  label?: string;
}) {
  const { form, onChange, problem } = props;
  const base = useId();
  const set = (patch: Partial<FramingForm>) => onChange({ ...form, ...patch });
  const described = (field: FramingField) =>
    problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': problem.id } : {};
  return (
    <div className="fr-fields">
      <select
        aria-label={props.label ?? 'Framing'}
        value={form.preset}
        onChange={(e) => set({ preset: e.target.value as FramingPreset })}
        {...described('preset')}
      >
        {FRAMING_PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      {form.preset === 'length' && (
        <>
          <label htmlFor={`${base}-bytes`}>header bytes</label>
          <select
            id={`${base}-bytes`}
            value={form.bytes}
            onChange={(e) => set({ bytes: Number(e.target.value) as FramingForm['bytes'] })}
          >
            {[1, 2, 4, 8].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <label htmlFor={`${base}-endian`}>endian</label>
          <select
            id={`${base}-endian`}
            value={form.endian}
            onChange={(e) => set({ endian: e.target.value as FramingForm['endian'] })}
          >
            <option value="big">big</option>
            <option value="little">little</option>
          </select>
          <label>
            <input
              type="checkbox"
              checked={form.includesHeader}
              onChange={(e) => set({ includesHeader: e.target.checked })}
            />{' '}
            length includes header
          </label>
          <label htmlFor={`${base}-offset`}>offset</label>
          <input
            id={`${base}-offset`}
            className="fr-num"
            inputMode="numeric"
            value={form.offset}
            onChange={(e) => set({ offset: e.target.value })}
            {...described('offset')}
          />
        </>
      )}
      {form.preset === 'delimiter' && (
        <>
          <label htmlFor={`${base}-delim`}>delimiter (escaped)</label>
          <input
            id={`${base}-delim`}
            className="mono"
            spellCheck={false}
            value={form.delimiter}
            onChange={(e) => set({ delimiter: e.target.value })}
            {...described('delimiter')}
          />
        </>
      )}
      {form.preset === 'fixed' && (
        <>
          <label htmlFor={`${base}-size`}>size (bytes)</label>
          <input
            id={`${base}-size`}
            className="fr-num"
            inputMode="numeric"
            value={form.size}
            onChange={(e) => set({ size: e.target.value })}
            {...described('size')}
          />
        </>
      )}
    </div>
  );
}
