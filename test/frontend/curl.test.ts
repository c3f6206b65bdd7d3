// "Copy as curl" builds a command a shell runs as is, with the token left to the shell.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curlForSend, curlForSendFile, shellQuote } from '../../frontend/state/curl';

// Two tests run `sh` (a process): more than vitest's default 5 s is possible on a busy machine.
describe('curlForSend', { timeout: 15_000 }, () => {
  it('names the origin, the id, the body and a token placeholder', () => {
    expect(curlForSend('http://127.0.0.1:7070', 'c-3', 'hello', 'utf8')).toBe(
      `curl -sS -H "Authorization: Bearer $SOCKSCOPE_TOKEN" -H 'Content-Type: application/json' ` +
        `-d '{"data":"hello","encoding":"utf8"}' 'http://127.0.0.1:7070/api/connections/c-3/send'`,
    );
  });

  it('quotes payloads with quotes, newlines and dollars so the shell passes them unchanged', () => {
    const payload = `it's "$HOME"\r\n\`x\``;
    const quoted = shellQuote(JSON.stringify({ data: payload, encoding: 'utf8' }));
    const out = execFileSync('sh', ['-c', `printf %s ${quoted}`], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ data: payload, encoding: 'utf8' });
    expect(curlForSend('http://h', 'c-1', payload, 'utf8')).toContain(`-d ${quoted} `);
  });

  it('adds framing, split and repeat to the body', () => {
    const cmd = curlForSend('http://h', 'c-1', 'abc', 'utf8', {
      framing: { kind: 'delimiter', delimiter: '\\n' },
      split: { writes: 3, delayMs: 100 },
      repeat: { count: 2 },
    });
    expect(cmd).toContain(
      `-d '{"data":"abc","encoding":"utf8","framing":{"kind":"delimiter","delimiter":"\\\\n"},"split":{"writes":3,"delayMs":100},"repeat":{"count":2}}' `,
    );
  });

  it('streams an attached file as base64 into the body, next to the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sockscope-curl-'));
    const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff, 10, 39]);
    writeFileSync(join(dir, "it's.bin"), Buffer.concat(Array.from({ length: 20_000 }, () => bytes)));
    const cmd = curlForSendFile('http://h', 'c-1', "it's.bin", { split: { chunkBytes: 1024 } });
    expect(cmd).toContain(`| curl -sS -H "Authorization: Bearer $SOCKSCOPE_TOKEN"`);
    expect(cmd).toMatch(/--data-binary @- 'http:\/\/h\/api\/connections\/c-1\/send'$/);
    // The part before the pipe, run in a shell, prints the JSON body.
    const out = execFileSync('sh', ['-c', cmd.slice(0, cmd.indexOf(' | curl '))], { cwd: dir, encoding: 'utf8' });
    const body = JSON.parse(out) as { data: string; encoding: string; split: unknown };
    expect(Buffer.from(body.data, 'base64').equals(readFileSync(join(dir, "it's.bin")))).toBe(true);
    expect([body.encoding, body.split]).toEqual(['base64', { chunkBytes: 1024 }]);
    rmSync(dir, { recursive: true });
  });
});
