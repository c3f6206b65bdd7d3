// The send form's options (split, repeat, plan preview, inline errors) and file attachment in jsdom, REST stubbed.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, bytesToBase64, httpBounds, type InfoReply, type SendReply } from '../../shared';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import { conn } from '../frontend/detail-factories';
import { fakeApi, storeWith, withLayout, type Call } from './detail-fixtures';

withLayout();

const reply = (over: Partial<SendReply> = {}): SendReply => ({
  id: 'c-1',
  bytes: 10,
  bytesOut: 10,
  queuedBytes: 0,
  writes: 1,
  stopped: null,
  ...over,
});
const info = (maxSendBytes: number): InfoReply => ({
  version: '0.0.0-test',
  limits: { ...DEFAULT_LIMITS, maxSendBytes },
  httpPort: 7070,
  http: httpBounds({ maxSendBytes }),
  kernel: { available: true, reason: null },
  targets: [],
});

/** The fake API plus /api/info and a send reply. */
function setup(send: SendReply = reply(), maxSendBytes = 1 << 20) {
  const api = fakeApi({ events: [], chunks: [] }, (c) => {
    if (c.url === '/api/info') return { status: 200, body: info(maxSendBytes) };
    if (c.method === 'POST' && c.url.endsWith('/send')) return { status: 200, body: send };
    return undefined;
  });
  render(<DetailPane store={storeWith({ connections: [conn()] })} id="c-1" />);
  const form = screen.getByLabelText('Payload').closest('form')!;
  return { api, form: within(form) };
}

const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const openOptions = () => fireEvent.click(screen.getByText('Options', { selector: 'summary' }));
const plan = () => screen.getByRole('status', { name: 'Send plan' }).textContent;

describe('send options', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('previews the plan, sends split and repeat, and reports the writes made', async () => {
    const { api, form } = setup(reply({ bytes: 20, bytesOut: 20, writes: 6 }));
    type('Payload', 'abcdefghij');
    openOptions();
    expect(plan()).toBe('1 write of 10 bytes');
    type('Split', 'writes');
    type('Writes', '3');
    type('Delay (ms)', '100');
    expect(plan()).toBe('3 writes of 4, 3, 3 bytes, 100 ms apart');
    type('Repeat count', '2');
    type('Interval (ms)', '50');
    expect(plan()).toBe('3 writes of 4, 3, 3 bytes, 100 ms apart; repeated 2 times every 50 ms');
    fireEvent.click(form.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(form.getByRole('status', { name: '' }).textContent).toBe('Sent 20 B in 6 writes.'));
    expect(posts(api.calls)[0]!.body).toEqual({
      data: 'abcdefghij',
      encoding: 'utf8',
      split: { writes: 3, delayMs: 100 },
      repeat: { count: 2, intervalMs: 50 },
    });
  });

  it('previews the framed bytes in chunks of K bytes', () => {
    setup();
    type('Payload', 'hi');
    type('Send framing', 'other');
    openOptions();
    expect(plan()).toBe('1 write of 6 bytes');
    type('Split', 'chunk');
    type('Bytes per write', '4');
    expect(plan()).toBe('2 writes of 4, 2 bytes');
    type('Payload', 'x'.repeat(30));
    expect(plan()).toBe('9 writes of 4, 4, 4, 4, 4, ... 2 bytes');
  });

  it('puts a plan error next to its field and sends nothing', async () => {
    const { api, form } = setup();
    type('Payload', 'ab');
    openOptions();
    type('Split', 'writes');
    type('Writes', '5');
    const writes = screen.getByLabelText('Writes');
    expect(writes.getAttribute('aria-invalid')).toBe('true');
    const alert = document.getElementById(writes.getAttribute('aria-describedby')!)!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('cannot cut 2 bytes into 5 writes');
    expect(plan()).toBe('');
    fireEvent.click(form.getByRole('button', { name: 'Send' }));
    type('Writes', '2');
    type('Delay (ms)', 'soon');
    const delay = screen.getByLabelText('Delay (ms)');
    expect(document.getElementById(delay.getAttribute('aria-describedby')!)!.textContent).toContain(
      'delay: whole milliseconds',
    );
    expect(writes.getAttribute('aria-invalid')).toBeNull();
    type('Delay (ms)', '0');
    type('Repeat count', '10000');
    type('Interval (ms)', '10');
    const interval = screen.getByLabelText('Interval (ms)');
    expect(document.getElementById(interval.getAttribute('aria-describedby')!)!.textContent).toContain(
      'the writes would take 99990 ms',
    );
    fireEvent.click(form.getByRole('button', { name: 'Send' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(posts(api.calls)).toEqual([]);
  });

  it('says when the writes stopped early', async () => {
    const { form } = setup(reply({ bytes: 4, writes: 1, stopped: 'the connection closed' }));
    type('Payload', 'abcdefghij');
    openOptions();
    type('Split', 'writes');
    type('Writes', '3');
    fireEvent.click(form.getByRole('button', { name: 'Send' }));
    await waitFor(() =>
      expect(form.getByRole('status', { name: '' }).textContent).toBe(
        'Sent 4 B in 1 of 3 writes; stopped early: the connection closed.',
      ),
    );
  });

  it('shows the send as busy until the reply comes', async () => {
    setup();
    let answer: (r: Response) => void = () => {};
    const held = vi.fn(
      (url: string) => new Promise<Response>((resolve) => url.endsWith('/send') && (answer = resolve)),
    );
    vi.stubGlobal('fetch', held);
    type('Payload', 'slow');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const busy = await screen.findByRole('button', { name: 'Sending…' });
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    expect(busy.getAttribute('aria-busy')).toBe('true');
    answer(new Response(JSON.stringify(reply({ bytes: 4 })), { headers: { 'content-type': 'application/json' } }));
    await screen.findByText('Sent 4 B.');
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('copies split and repeat into the curl command', async () => {
    setup();
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    type('Payload', 'abc');
    openOptions();
    type('Split', 'chunk');
    type('Bytes per write', '1');
    type('Repeat count', '2');
    fireEvent.click(screen.getByRole('button', { name: 'Copy as curl' }));
    await waitFor(() => expect(writeText).toHaveBeenCalled());
    const cmd = (writeText.mock.calls[0] as unknown as [string])[0];
    expect(cmd).toContain(`'{"data":"abc","encoding":"utf8","split":{"chunkBytes":1},"repeat":{"count":2}}'`);
  });
});

describe('attaching a file', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  const bin = new Uint8Array([0, 1, 2, 0xfe, 0xff, 10]);

  it('sends the file as base64, framed and split, and gives the text box back on remove', async () => {
    const { api, form } = setup(reply({ bytes: 10, writes: 2 }));
    type('Payload', 'typed text');
    fireEvent.change(form.getByLabelText('Attach file…'), {
      target: { files: [new File([bin], 'data.bin', { type: 'application/octet-stream' })] },
    });
    const chip = await screen.findByRole('group', { name: 'Attached file' });
    expect(chip.textContent).toContain('data.bin · 6 B');
    expect(screen.queryByLabelText('Payload')).toBeNull();
    const encoding = screen.getByLabelText('Encoding') as HTMLSelectElement;
    expect([encoding.value, encoding.disabled]).toEqual(['base64', true]);
    type('Send framing', 'other');
    openOptions();
    type('Split', 'writes');
    type('Writes', '2');
    expect(plan()).toBe('2 writes of 5, 5 bytes');
    fireEvent.click(form.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(1));
    expect(posts(api.calls)[0]!.body).toEqual({
      data: bytesToBase64(bin),
      encoding: 'base64',
      framing: { kind: 'length', bytes: 4, endian: 'big', includesHeader: false },
      split: { writes: 2 },
    });
    await waitFor(() => expect(form.getByRole('status', { name: '' }).textContent).toBe('Sent 10 B in 2 writes.'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove data.bin' }));
    expect((screen.getByLabelText('Payload') as HTMLTextAreaElement).value).toBe('typed text');
    expect((screen.getByLabelText('Encoding') as HTMLSelectElement).value).toBe('utf8');
  });

  it("refuses a file larger than the server's maxSendBytes before reading or sending it", async () => {
    const { api, form } = setup(reply(), 4);
    const read = vi.spyOn(FileReader.prototype, 'readAsArrayBuffer');
    fireEvent.change(form.getByLabelText('Attach file…'), { target: { files: [new File([bin], 'big.bin')] } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      "FILE_TOO_LARGE big.bin is 6 B (6 bytes); one send takes at most 4 B (4 bytes, the server's maxSendBytes).",
    );
    expect(read).not.toHaveBeenCalled();
    expect(screen.queryByRole('group', { name: 'Attached file' })).toBeNull();
    expect(screen.getByLabelText('Payload')).toBeTruthy();
    expect(api.calls.map((c) => c.url)).toContain('/api/info');
    expect(posts(api.calls)).toEqual([]);
    read.mockRestore();
  });
});
