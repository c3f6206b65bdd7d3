// The send options form -> split/repeat for the body, the plan preview on framed bytes, and the success note.
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../shared';
import { bytes } from '../../frontend/format';
import {
  EMPTY_SEND_OPTIONS,
  fieldOfPlan,
  formToOptions,
  previewPlan,
  sentNote,
  wireBytes,
} from '../../frontend/state/send-options';

const form = (over: Partial<typeof EMPTY_SEND_OPTIONS>) => ({ ...EMPTY_SEND_OPTIONS, ...over });

describe('formToOptions', () => {
  it('leaves split and repeat out when they change nothing', () => {
    expect(formToOptions(EMPTY_SEND_OPTIONS)).toEqual({ ok: true });
    expect(formToOptions(form({ repeat: '1', intervalMs: '500' }))).toEqual({ ok: true });
  });

  it('builds N writes or K-byte chunks with their delay, and repeat with its interval', () => {
    expect(formToOptions(form({ mode: 'writes', size: '3', delayMs: '100' }))).toEqual({
      ok: true,
      split: { writes: 3, delayMs: 100 },
    });
    expect(formToOptions(form({ mode: 'chunk', size: '512', repeat: '4', intervalMs: '0' }))).toEqual({
      ok: true,
      split: { chunkBytes: 512 },
      repeat: { count: 4 },
    });
    expect(formToOptions(form({ repeat: '2', intervalMs: '250' }))).toEqual({
      ok: true,
      repeat: { count: 2, intervalMs: 250 },
    });
  });

  it('names the field that is out of the schema bounds', () => {
    expect(formToOptions(form({ mode: 'writes', size: '0' }))).toMatchObject({ ok: false, field: 'size' });
    expect(formToOptions(form({ mode: 'writes', size: '10001' }))).toMatchObject({ ok: false, field: 'size' });
    expect(formToOptions(form({ mode: 'chunk', size: '1.5' }))).toMatchObject({ ok: false, field: 'size' });
    expect(formToOptions(form({ mode: 'writes', delayMs: '10001' }))).toMatchObject({ ok: false, field: 'delayMs' });
    expect(formToOptions(form({ repeat: '' }))).toMatchObject({ ok: false, field: 'repeat' });
    expect(formToOptions(form({ intervalMs: '-1' }))).toMatchObject({ ok: false, field: 'intervalMs' });
    // One write: the delay field is not used, so not checked.
    expect(formToOptions(form({ delayMs: 'x' }))).toEqual({ ok: true });
  });
});

describe('previewPlan', () => {
  const ten = encodeUtf8('abcdefghij');

  it('describes the plan on the bytes as framed', () => {
    const wire = wireBytes(ten, { kind: 'delimiter', delimiter: '\\n' });
    expect(wire).toHaveLength(11);
    const opts = formToOptions(form({ mode: 'writes', size: '3', delayMs: '100' }));
    expect(previewPlan(ten, opts)).toEqual({ ok: true, text: '3 writes of 4, 3, 3 bytes, 100 ms apart', writes: 3 });
    expect(previewPlan(wire, opts)).toMatchObject({ text: '3 writes of 4, 4, 3 bytes, 100 ms apart' });
  });

  it('maps planSend errors to the form field, and says nothing without bytes', () => {
    expect(previewPlan(encodeUtf8('ab'), formToOptions(form({ mode: 'writes', size: '3' })))).toEqual({
      ok: false,
      field: 'size',
      message: 'cannot cut 2 bytes into 3 writes',
    });
    expect(wireBytes(ten, { kind: 'fixed', size: 4 })).toBeNull();
    expect(previewPlan(null, formToOptions(EMPTY_SEND_OPTIONS))).toBeNull();
    expect(previewPlan(null, formToOptions(form({ repeat: 'x' })))).toMatchObject({ ok: false, field: 'repeat' });
    expect(['split.writes', 'split', 'split.delayMs', 'repeat.count', 'repeat.intervalMs'].map(fieldOfPlan)).toEqual([
      'size',
      'size',
      'delayMs',
      'repeat',
      'intervalMs',
    ]);
  });
});

describe('sentNote', () => {
  const reply = { id: 'c-1', bytes: 10, bytesOut: 10, queuedBytes: 0, writes: 3, stopped: null };
  it('counts writes, and says why the plan stopped early', () => {
    expect(sentNote(reply, bytes, 3)).toBe('Sent 10 B in 3 writes.');
    expect(sentNote({ ...reply, writes: 1 }, bytes, 1)).toBe('Sent 10 B.');
    expect(sentNote({ ...reply, bytes: 4, writes: 1, stopped: 'connection closed' }, bytes, 3)).toBe(
      'Sent 4 B in 1 of 3 writes; stopped early: connection closed.',
    );
    expect(sentNote({ ...reply, writes: 1, queuedBytes: 20_000 }, bytes)).toBe(
      'Sent 10 B; 19.5 KiB still queued in sockscope.',
    );
  });
});
