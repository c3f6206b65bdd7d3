// The connection's actions: half-close, close, reset, pause/resume reading, copy the capture as hex.
// Each is enabled only in the states where the API would accept it; a refusal still shows inline.
import { CONNECTION_ACTIONS, isTerminal, isWritable, type ConnectionAction, type ConnectionRow } from '../../../shared';
import { api } from '../../api/client';
import type { DetailModel } from '../../state/detail-model';
import { hexDumpText } from '../../state/hexdump';
import { copyText } from './clipboard';
import { Feedback } from './Feedback';
import { useAction } from './use-action';
import { plural } from '../../format';

interface Button {
  label: string;
  title: string;
  enabled: (row: ConnectionRow) => boolean;
}

const live = (r: ConnectionRow) => !isTerminal(r.state);

// One button per action of the shared list, in its order; pause and resume share a place (only one shows).
const BUTTONS: Readonly<Record<ConnectionAction, Button>> = {
  shutdown: {
    label: 'Half-close',
    title: 'shutdown(SHUT_WR): send our FIN, keep reading what the peer sends',
    enabled: (r) => isWritable(r.state),
  },
  close: {
    label: 'Close',
    title: 'close(): flush what is queued, send FIN, release the socket',
    enabled: live,
  },
  reset: {
    label: 'Reset',
    title: 'Abort with an RST (SO_LINGER 0): the peer sees ECONNRESET. Not possible once our FIN was sent.',
    enabled: (r) => live(r) && r.state !== 'half-closed-local',
  },
  pause: {
    label: 'Pause reading',
    title: 'Stop reading: the kernel Recv-Q fills, then the peer’s writes stall (flow control made visible)',
    enabled: live,
  },
  resume: { label: 'Resume reading', title: 'Read again: what waited in Recv-Q arrives', enabled: live },
};

export function ConnectionActions(props: { row: ConnectionRow; model: DetailModel | null }) {
  const { row, model } = props;
  const action = useAction();
  const run = (a: ConnectionAction) => void action.run(a, () => api.action(row.id, a).then(() => null));
  const hidden: ConnectionAction = row.paused ? 'pause' : 'resume';
  const shown = CONNECTION_ACTIONS.filter((a) => a !== hidden);
  const copyHex = () =>
    void action.run('copy', async () => {
      if (!model) return null;
      const text = hexDumpText(model.capture);
      if (!(await copyText(text))) throw new Error('the browser refused clipboard access');
      return `Copied ${plural(model.capture.size, 'chunk')} as a hex dump.`;
    });
  return (
    <div className="dt-actions">
      <div className="dt-buttons">
        {shown.map((a) => (
          <button
            key={a}
            type="button"
            data-action={a}
            title={BUTTONS[a].title}
            disabled={!BUTTONS[a].enabled(row) || action.busy !== null}
            onClick={() => run(a)}
          >
            {BUTTONS[a].label}
          </button>
        ))}
        <button type="button" onClick={copyHex} disabled={!model || model.capture.size === 0}>
          Copy as hex
        </button>
      </div>
      <Feedback error={action.error} note={action.note} />
    </div>
  );
}
