// Issue 5's "done when" in Chromium: from the UI, a listener gets "4-byte big-endian length prefix" framing and a
// regex responder; a plain net client sends three framed PINGs in two writes split mid-header; the accepted
// connection's Messages tab shows 3 messages (the second spanning 2 reads) and the client gets three framed PONGs.
// REST is used only as an oracle and to wait for the first read to land, never to perform a step under test.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionRow, ListenerRow, RespondersReply } from '../../shared';
import { sendMessage as frame } from '../helpers/length-prefix';
import { acceptedOf, until, useE2e } from './fixture';

/** Resolves with the payloads of the first `n` 4-byte big-endian length-prefixed frames the socket receives. */
function receiveFrames(socket: Socket, n: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const out: string[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${out.length} of ${n} frames arrived`)), 10_000);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        const len = buf.readUInt32BE(0);
        out.push(buf.subarray(4, 4 + len).toString('utf8'));
        buf = buf.subarray(4 + len);
      }
      if (out.length >= n) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    socket.on('error', reject);
  });
}

describe('framing and responders', () => {
  const e2e = useE2e();
  let client: Socket | undefined;

  // Registered after useE2e's, so it runs first (hooks unwind as a stack): the client goes before the browser and app.
  afterEach(() => {
    client?.destroy();
    client = undefined;
  });

  it('frames a listener by 4-byte length from the UI, shows 3 messages from 2 reads, and answers each PING', async () => {
    const { app, errors, ui, goLive } = await e2e.start({ viewport: { width: 1400, height: 1000 } });
    await goLive();

    // 1. A listener, and its framing from the picker.
    const listener = await ui.listen(0);
    const detail = await ui.open(listener.id);
    const picker = detail.getByRole('form', { name: 'Framing rule' });
    await expect(picker.textContent()).resolves.toContain('inherited by connections accepted from now on');
    await picker.getByLabel('Framing', { exact: true }).selectOption({ label: '4-byte big-endian length prefix' });
    await picker.getByRole('button', { name: 'Apply framing' }).click();
    await picker.getByRole('status').filter({ hasText: 'Framing: 4-byte big-endian length prefix' }).waitFor();
    const lrow = (await app.api<ListenerRow>('GET', `/api/listeners/${listener.id}`)).json;
    expect(lrow.framing).toMatchObject({ kind: 'length', bytes: 4, endian: 'big' });

    // 2. A rule responder: ^PING (\w+) -> PONG $1.
    await detail
      .locator('summary')
      .filter({ hasText: /^Responders$/ })
      .click();
    const editor = detail.getByRole('form', { name: 'Responders' });
    await editor.getByLabel('Responder mode', { exact: true }).selectOption('rules');
    await editor.getByRole('button', { name: 'Add rule' }).click();
    await editor.getByLabel('Rule 1 match', { exact: true }).selectOption('regex');
    await editor.getByLabel('Rule 1 pattern', { exact: true }).fill('^PING (\\w+)');
    await editor.getByLabel('Rule 1 reply', { exact: true }).fill('PONG $1');
    await editor.getByRole('button', { name: 'Save responders' }).click();
    await editor.getByRole('status').filter({ hasText: 'Responders saved.' }).waitFor();
    const responders = (await app.api<RespondersReply>('GET', `/api/listeners/${listener.id}/responders`)).json;
    expect(responders.mode).toBe('rules');
    expect(responders.rules).toMatchObject([{ match: { regex: '^PING (\\w+)' }, reply: { data: 'PONG $1' } }]);

    // 3. A plain client: three framed PINGs in two writes, the cut inside the second frame's header.
    client = connect(listener.port, '127.0.0.1');
    const socket = client;
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const replies = receiveFrames(socket, 3);
    const stream = Buffer.concat([frame('PING a'), frame('PING b'), frame('PING c')]);
    const cut = frame('PING a').length + 2;
    const accepted = (await acceptedOf(app, listener.id)).id;
    socket.write(stream.subarray(0, cut));
    await until('the first read', async () => {
      const row = (await app.api<ConnectionRow>('GET', `/api/connections/${accepted}`)).json;
      return row.bytesIn === cut ? row : null;
    });
    socket.write(stream.subarray(cut));
    expect(await replies).toEqual(['PONG a', 'PONG b', 'PONG c']);
    const row = await until('the second read', async () => {
      const r = (await app.api<ConnectionRow>('GET', `/api/connections/${accepted}`)).json;
      return r.bytesIn === stream.length ? r : null;
    });
    expect(row.chunksIn).toBe(2);

    // 4. The accepted row's Messages tab: 3 messages, the second split across the 2 reads.
    await ui.expand(listener.id);
    const pane = await ui.open(accepted);
    await pane.getByRole('tab', { name: 'Messages', exact: true }).click();
    const incoming = pane.getByRole('region', { name: 'Messages in' });
    await incoming.locator('li.ms-msg').nth(2).waitFor();
    expect(await incoming.locator('li.ms-msg').count()).toBe(3);
    const second = incoming.locator('li.ms-msg[data-index="2"]');
    await expect(second.textContent()).resolves.toContain('split across 2 reads');
    await expect(second.locator('pre').textContent()).resolves.toBe('PING b');
    await expect(incoming.locator('li.ms-msg[data-index="1"] pre').textContent()).resolves.toBe('PING a');
    await expect(incoming.locator('[data-pending]').count()).resolves.toBe(0);
    const outgoing = pane.getByRole('region', { name: 'Messages out' });
    await outgoing.locator('li.ms-msg').nth(2).waitFor();

    // 5. The listener's rule counted 3 hits.
    const back = await ui.open(listener.id);
    await back
      .locator('summary')
      .filter({ hasText: /^Responders$/ })
      .click();
    await back
      .getByLabel('Rule 1 hits', { exact: true })
      .filter({ hasText: /^3 hits$/ })
      .waitFor();
    expect(errors).toEqual([]);
  });
});
