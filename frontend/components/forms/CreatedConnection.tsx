// The connect form's status: the row it made as it is now (a failed connect shows its errno in the error colour),
// not as the POST answered it (always `connecting`).
import { useCallback } from 'react';
import type { ConnectionRow } from '../../../shared';
import { useUi, type Store, type UiState } from '../../state/store';
import { createdStatus } from './created-connection';

function Status(props: { row: ConnectionRow }) {
  const { tone, text } = createdStatus(props.row);
  return (
    <span className={`ssf-done-${tone}`} data-tone={tone}>
      {text}
    </span>
  );
}

function Followed(props: { store: Store; created: ConnectionRow }) {
  const { created } = props;
  const select = useCallback((s: UiState) => s.table.connections.get(created.id), [created.id]);
  // A row cleared from the table keeps its last words: the reply's row is the fallback.
  const row = useUi(props.store, select) ?? created;
  return <Status row={row} />;
}

export function CreatedConnection(props: { store?: Store | undefined; created: ConnectionRow }) {
  return props.store ? <Followed store={props.store} created={props.created} /> : <Status row={props.created} />;
}
