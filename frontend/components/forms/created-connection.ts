// What became of the connection the form made, from its live row: the form's status line follows it.
import { endpointText, type ConnectionRow } from '../../../shared';
import { errnoLabel } from '../../format';

export type CreatedTone = 'pending' | 'ok' | 'bad' | 'done';

export function createdStatus(row: ConnectionRow): { tone: CreatedTone; text: string } {
  const target = endpointText(row.target);
  const id = `(${row.id})`;
  const fault = row.fault;
  switch (row.state) {
    case 'connecting': {
      const attempt = row.attempts > 1 ? `, attempt ${row.attempt} of ${row.attempts}` : '';
      const last = fault ? `; last: ${errnoLabel(fault)}` : '';
      return { tone: 'pending', text: `Connecting to ${target} ${id}${attempt}${last}` };
    }
    case 'failed': {
      const what = fault ? `${errnoLabel(fault)}${fault.explanation ? ` (${fault.explanation.title})` : ''}` : 'failed';
      return { tone: 'bad', text: `${what} connecting to ${target} ${id}` };
    }
    case 'closed':
      return row.remote
        ? { tone: 'done', text: `Closed ${id}` }
        : { tone: 'done', text: `Closed before it connected to ${target} ${id}` };
    default:
      return { tone: 'ok', text: `Connected to ${endpointText(row.remote ?? row.target)} ${id}` };
  }
}
