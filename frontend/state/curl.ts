// "Copy as curl": the REST call the send form would make, runnable in a shell. The page cannot read its HttpOnly
// cookie, so the token is left as $SOCKSCOPE_TOKEN for the shell to expand.
import type { FramingRule, PayloadEncoding, SendRepeat, SendSplit } from '../../shared';

/** Single-quoted for POSIX shells: nothing inside is expanded. */
export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** What the send form adds to data and encoding; each left out of the body when unset. */
export interface SendExtras {
  framing?: FramingRule;
  split?: SendSplit;
  repeat?: SendRepeat;
}

const curl = (origin: string, id: string, data: string): string =>
  [
    'curl -sS',
    '-H "Authorization: Bearer $SOCKSCOPE_TOKEN"',
    `-H ${shellQuote('Content-Type: application/json')}`,
    data,
    shellQuote(`${origin}/api/connections/${encodeURIComponent(id)}/send`),
  ].join(' ');

const body = (data: string, encoding: PayloadEncoding, x: SendExtras): string =>
  JSON.stringify({ data, encoding, framing: x.framing, split: x.split, repeat: x.repeat });

export function curlForSend(
  origin: string,
  id: string,
  data: string,
  encoding: PayloadEncoding,
  extras: SendExtras = {},
): string {
  return curl(origin, id, `-d ${shellQuote(body(data, encoding, extras))}`);
}

/**
 * The same call for an attached file, run next to the file: the shell base64-encodes it into the body on stdin,
 * since a megabyte of base64 in one argument passes Linux's 128 KiB limit per argument.
 */
export function curlForSendFile(origin: string, id: string, fileName: string, extras: SendExtras = {}): string {
  const json = body('', 'base64', extras);
  const head = '{"data":"';
  const tail = json.slice(head.length);
  const stream = `{ printf %s ${shellQuote(head)}; base64 < ${shellQuote(fileName)} | tr -d '\\n'; printf %s ${shellQuote(tail)}; }`;
  return `${stream} | ${curl(origin, id, '--data-binary @-')}`;
}
