// "Copy as curl" builds a command a shell runs as is, with the token left to the shell.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlForSend, shellQuote } from '../../frontend/state/curl';

describe('curlForSend', () => {
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
});
