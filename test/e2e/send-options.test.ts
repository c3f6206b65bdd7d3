// Send options and file attach in Chromium: from the client's send form, "abcdefghij" as N writes = 3 with 100 ms
// between them arrives at the accepted side as 3 reads of 4, 3 and 3 bytes; then a small binary file attached with
// the file input arrives byte for byte. REST is used only as an oracle, never to perform a step under test.
import { describe, expect, it } from 'vitest';
import type { ChunksReply } from '../../shared';
import { acceptedOf, until, useE2e } from './fixture';

describe('send options', () => {
  const e2e = useE2e();

  it('splits a send into 3 timed writes the peer reads as 4, 3, 3 bytes, and sends an attached file', async () => {
    const { app, errors, ui, goLive } = await e2e.start({ viewport: { width: 1400, height: 1000 } });
    await goLive();

    // 1. A listener and a client to it, from the forms.
    const listener = await ui.listen(0);
    const client = await ui.connect(listener.port);
    await ui.row(client, 'open').waitFor();
    const accepted = (await acceptedOf(app, listener.id)).id;
    const chunksIn = async () =>
      (await app.api<ChunksReply>('GET', `/api/connections/${accepted}/chunks?direction=in`)).json.chunks;

    // 2. The client's send form: "abcdefghij", options N writes = 3, 100 ms apart; the preview says so.
    const detail = await ui.open(client);
    const form = detail.locator('form.dt-send');
    await form.getByLabel('Payload', { exact: true }).fill('abcdefghij');
    await form
      .locator('summary')
      .filter({ hasText: /^Options/ })
      .click();
    await form.getByLabel('Split', { exact: true }).selectOption({ label: 'N writes' });
    await form.getByLabel('Writes', { exact: true }).fill('3');
    await form.getByLabel('Delay (ms)', { exact: true }).fill('100');
    await form
      .getByRole('status', { name: 'Send plan' })
      .filter({ hasText: '3 writes of 4, 3, 3 bytes, 100 ms apart' })
      .waitFor();
    const sentAt = Date.now();
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    await form
      .getByRole('status')
      .filter({ hasText: /^Sent 10 B in 3 writes\.$/ })
      .waitFor();
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(200); // the reply waits for the last write

    // 3. The accepted side's Reads view: 3 reads of 4, 3 and 3 bytes.
    await until('3 reads', async () => ((await chunksIn()).length === 3 ? true : null));
    expect((await chunksIn()).map((c) => c.length)).toEqual([4, 3, 3]);
    await ui.expand(listener.id);
    const pane = await ui.open(accepted);
    await ui.tab('Reads');
    const reads = pane.getByRole('list', { name: 'Reads' });
    await reads.locator('[data-direction="in"]').nth(2).waitFor();
    const rows = reads.locator('[data-direction="in"]');
    expect(await rows.locator('.dr-len').allTextContents()).toEqual(['4 B', '3 B', '3 B']);
    expect(await rows.locator('.dr-preview').allTextContents()).toEqual(['abcd', 'efg', 'hij']);

    // 4. Back on the client (a fresh form: one write): attach a small binary file and send it as it is.
    const file = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x0d, 0x0a, 0x41]);
    await ui.open(client);
    await form.getByLabel('Attach file…', { exact: true }).setInputFiles({
      name: 'probe.bin',
      mimeType: 'application/octet-stream',
      buffer: file,
    });
    await form.getByRole('group', { name: 'Attached file' }).filter({ hasText: 'probe.bin · 9 B' }).waitFor();
    expect(await form.getByLabel('Payload', { exact: true }).count()).toBe(0);
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    await form
      .getByRole('status')
      .filter({ hasText: /^Sent 9 B\.$/ })
      .waitFor();
    const all = await until('the file bytes', async () => {
      const chunks = await chunksIn();
      return chunks.reduce((n, c) => n + c.length, 0) === 10 + file.length ? chunks : null;
    });
    const received = Buffer.concat(all.map((c) => Buffer.from(c.data, 'base64')));
    expect(received.subarray(10).equals(file)).toBe(true);
    await ui.open(accepted);
    await rows.nth(3).locator('.dr-len').filter({ hasText: '9 B' }).waitFor();
    expect(errors).toEqual([]);
  });
});
