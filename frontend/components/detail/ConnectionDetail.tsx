// A connection's pane: header, actions, send form, then the timeline and the three views of its bytes.
import { isWritable, type ConnectionRow } from '../../../shared';
import type { DetailModel } from '../../state/detail-model';
import type { Store } from '../../state/store';
import { CaptureNotes } from './CaptureNotes';
import { ConnectionActions } from './ConnectionActions';
import { ConnectionHeader } from './ConnectionHeader';
import { FramingPicker } from './FramingPicker';
import { HexView } from './HexView';
import { LoadStatus } from './LoadStatus';
import { MessagesView } from './MessagesView';
import { QueueChart } from './QueueChart';
import { ReadsView } from './ReadsView';
import { RespondersEditor } from './RespondersEditor';
import { SendForm } from './SendForm';
import { Tabs } from './Tabs';
import { TextView } from './TextView';
import { TimelineView } from './TimelineView';
import { useAppliedFraming } from './use-applied-framing';

export type DetailTab = 'timeline' | 'reads' | 'messages' | 'hex' | 'text';

const TABS: readonly { id: DetailTab; label: string }[] = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'reads', label: 'Reads' },
  { id: 'messages', label: 'Messages' },
  { id: 'hex', label: 'Hex' },
  { id: 'text', label: 'Text' },
];

function Panel(props: { tab: DetailTab; model: DetailModel; version: number; start: number }) {
  const { tab, model, version, start } = props;
  if (tab === 'timeline') return <TimelineView model={model} version={version} start={start} />;
  return (
    <div className="dt-panel-body">
      <CaptureNotes model={model} version={version} />
      {tab === 'reads' ? (
        <ReadsView model={model} version={version} start={start} />
      ) : tab === 'hex' ? (
        <HexView model={model} version={version} />
      ) : (
        <TextView model={model} version={version} />
      )}
    </div>
  );
}

export function ConnectionDetail(props: {
  row: ConnectionRow;
  store: Store;
  model: DetailModel | null;
  version: number;
  tab: DetailTab;
  onTab: (tab: DetailTab) => void;
}) {
  const { row, model } = props;
  const { framing, key: framingKey, onApplied } = useAppliedFraming(row.id, row.framing);
  const writable = isWritable(row.state);
  return (
    <div className="detail-pane dt-connection" data-id={row.id}>
      <div className="dp-grid">
        <div className="dp-side">
          <ConnectionHeader row={row} store={props.store} />
          <ConnectionActions row={row} model={model} />
          <QueueChart store={props.store} row={row} />
          <SendForm
            key={row.id}
            id={row.id}
            writable={writable}
            why={`Sending needs an open connection (or one the peer half-closed); ${row.id} is ${row.state}.`}
            framing={framing}
          />
          <FramingPicker
            key={`framing-${row.id}`}
            kind="connections"
            id={row.id}
            current={framing}
            onApplied={onApplied}
          />
          <RespondersEditor
            key={`responders-${row.id}`}
            kind="connections"
            id={row.id}
            summary={row.responders}
            framing={framing}
          />
          {model && <LoadStatus model={model} />}
        </div>
        <Tabs label={`${row.id} views`} tabs={TABS} current={props.tab} onChange={props.onTab}>
          {props.tab === 'messages' ? (
            <MessagesView row={row} refresh={framingKey} />
          ) : (
            model && <Panel tab={props.tab} model={model} version={props.version} start={row.createdAt} />
          )}
        </Tabs>
      </div>
    </div>
  );
}
