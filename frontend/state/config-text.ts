// Words for a row's settings (framing, responders, socket options, capture head), shared by the detail panes and the
// timeline.
import { describeFramingRule, type EventOf, type FramingRule, type RespondersSummary } from '../../shared';
import { bytes, plural } from '../format';

export const framingText = (rule: FramingRule | null | undefined): string =>
  rule ? describeFramingRule(rule) : 'none';

export function respondersText(r: RespondersSummary | undefined): string {
  if (!r || r.mode === 'off') return 'off';
  return r.mode === 'echo' ? 'echo' : plural(r.rules, 'rule');
}

const onOff = (b: boolean) => (b ? 'on' : 'off');

/** The capture head a row keeps per direction: `256 KiB`; a listener's null: the captureHeadBytes limit's. */
export const captureHeadText = (head: number | null | undefined): string =>
  head === null || head === undefined ? 'default' : bytes(head);

/** The timeline's line for a config event: what the REST call changed, as it now is. */
export function configNote(e: EventOf<'socket/config'> | EventOf<'listener/config'>): string {
  const listener = e.type === 'listener/config';
  switch (e.changed) {
    case 'framing':
      return listener
        ? `framing for connections accepted from now on: ${framingText(e.framing)}`
        : `framing set: ${framingText(e.framing)} (messages decoded afresh)`;
    case 'responders':
      return `responders: ${respondersText(e.responders)}${listener ? ' (for connections accepted from now on)' : ''}`;
    case 'options':
      return e.type === 'socket/config'
        ? `options: noDelay ${onOff(e.noDelay)}, keepAlive ${onOff(e.keepAlive)}, capture head ${captureHeadText(e.captureHeadBytes)}`
        : `options for connections accepted from now on: capture head ${captureHeadText(e.captureHeadBytes)}`;
  }
}
