// "Copy as curl": the REST call the send form would make, runnable in a shell. The page cannot read its HttpOnly
// cookie, so the token is left as $SOCKSCOPE_TOKEN for the shell to expand.
import type { FramingRule, PayloadEncoding } from '../../shared';

/** Single-quoted for POSIX shells: nothing inside is expanded. */
export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export function curlForSend(
  origin: string,
  id: string,
  data: string,
  encoding: PayloadEncoding,
  framing?: FramingRule,
): string {
  const body = JSON.stringify(framing ? { data, encoding, framing } : { data, encoding });
  return [
    'curl -sS',
    '-H "Authorization: Bearer $SOCKSCOPE_TOKEN"',
    `-H ${shellQuote('Content-Type: application/json')}`,
    `-d ${shellQuote(body)}`,
    shellQuote(`${origin}/api/connections/${encodeURIComponent(id)}/send`),
  ].join(' ');
}
