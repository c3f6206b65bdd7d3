// The row's story: state transitions, connect attempts, errno cards, reads and writes summarised, kernel state changes.
import { memo, useCallback } from 'react';
import { microsToIso } from '../../../shared';
import { bytes, endpoint, errnoLabel } from '../../format';
import type { DetailModel } from '../../state/detail-model';
import type { TimelineEntry } from '../../state/timeline-log';
import { sinceStart, wallClock } from './detail-format';
import { VirtualList } from './VirtualList';

export function Time(props: { at: number; start: number }) {
  return (
    <time className="dt-time" dateTime={microsToIso(props.at)} title={wallClock(props.at)}>
      {sinceStart(props.at, props.start)}
    </time>
  );
}

function Explanation(props: { cause: string; fix: string }) {
  return (
    <dl className="dt-fault-body">
      <dt>Cause</dt>
      <dd>{props.cause}</dd>
      <dt>Fix</dt>
      <dd>{props.fix}</dd>
    </dl>
  );
}

/** An errno as a card; the cause and fix are spelled out the first time a code appears, folded after that. */
function FaultCard({ entry }: { entry: Extract<TimelineEntry, { kind: 'fault' }> }) {
  const { fault } = entry;
  const where = [
    fault.syscall && `${fault.syscall}()`,
    fault.address && `${fault.address}${fault.port !== null ? `:${fault.port}` : ''}`,
  ]
    .filter(Boolean)
    .join(' to ');
  return (
    <div className="dt-fault" data-code={fault.code}>
      <div className="dt-fault-head">
        <strong className="dt-errno">{errnoLabel(fault)}</strong>
        {fault.explanation && <span className="dt-fault-title">{fault.explanation.title}</span>}
        {where && <span className="mono">{where}</span>}
        <span className="muted">in state {fault.state}</span>
        {entry.attempt > 0 && entry.attempts > 1 && (
          <span>
            attempt {entry.attempt}/{entry.attempts}
          </span>
        )}
        {entry.retryInMs !== null && <span className="dt-retry">retry in {entry.retryInMs} ms</span>}
      </div>
      {fault.explanation &&
        (entry.firstOfCode ? (
          <Explanation cause={fault.explanation.cause} fix={fault.explanation.fix} />
        ) : (
          <details>
            <summary>Cause and fix</summary>
            <Explanation cause={fault.explanation.cause} fix={fault.explanation.fix} />
          </details>
        ))}
      <div className="dt-fault-msg mono">{fault.message}</div>
    </div>
  );
}

function EntryBody({ entry }: { entry: TimelineEntry }) {
  switch (entry.kind) {
    case 'opened':
      return <span>{entry.text}</span>;
    case 'state':
      return (
        <span>
          <span className="dt-state">{entry.from}</span> → <span className="dt-state">{entry.to}</span>
          {entry.cause && <span className="muted"> ({entry.cause})</span>}
          {entry.local && entry.remote && (
            <span className="mono muted">
              {' '}
              {endpoint(entry.local)} ⇄ {endpoint(entry.remote)}
            </span>
          )}
        </span>
      );
    case 'attempt':
      return (
        <span>
          {entry.attempts > 1 ? `attempt ${entry.attempt}/${entry.attempts}` : 'connect()'}{' '}
          <span className="mono muted">→ {entry.target}</span>
        </span>
      );
    case 'fault':
      return <FaultCard entry={entry} />;
    case 'data': {
      const arrow = entry.direction === 'in' ? '←' : '→';
      return (
        <span className={`dir-${entry.direction} mono`}>
          {arrow}{' '}
          {entry.count === 1
            ? bytes(entry.bytes)
            : `${entry.count} ${entry.direction === 'in' ? 'reads' : 'writes'}, ${bytes(entry.bytes)}`}
          <span className="muted">
            {' '}
            #{entry.firstIndex}
            {entry.lastIndex !== entry.firstIndex && `–#${entry.lastIndex}`}
          </span>
        </span>
      );
    }
    case 'note':
      return <span className="muted">{entry.text}</span>;
    case 'kernel':
      return (
        <span className="muted">
          kernel:{' '}
          {entry.tcpState === null ? (
            'socket no longer in /proc/net/tcp'
          ) : (
            <>
              <span className="dt-state">{entry.tcpState}</span>{' '}
              {entry.tcpState === 'LISTEN'
                ? `accept queue ${entry.recvQ ?? '–'} of backlog ${entry.sendQ ?? '–'}`
                : `Recv-Q ${entry.recvQ ?? '–'} Send-Q ${entry.sendQ ?? '–'}`}
            </>
          )}
        </span>
      );
  }
}

const Entry = memo(function Entry({ entry, start }: { entry: TimelineEntry; start: number }) {
  return (
    <div className={`dt-entry dt-k-${entry.kind}`} data-kind={entry.kind}>
      <Time at={entry.at} start={start} />
      <div className="dt-body">
        <EntryBody entry={entry} />
      </div>
    </div>
  );
});

export function TimelineView(props: { model: DetailModel; version: number; start: number }) {
  const { timeline } = props.model;
  // A new key function when entries shift (oldest dropped) makes the virtualiser re-key its rows.
  const dropped = timeline.dropped;
  const getKey = useCallback((i: number) => timeline.at(i)?.seq ?? i - dropped, [timeline, dropped]);
  return (
    <div className="dt-panel-body">
      {timeline.dropped > 0 && (
        <p className="dt-note">
          {timeline.dropped} older entries not shown: this pane keeps the last {timeline.maxEntries}.
        </p>
      )}
      {props.model.historyGap && (
        <p className="dt-note">The server's event log no longer had the beginning of this row's history.</p>
      )}
      <VirtualList
        label="Timeline"
        count={timeline.size}
        rowHeight={24}
        measure
        getKey={getKey}
        renderRow={(i) => <Entry entry={timeline.at(i)!} start={props.start} />}
      />
    </div>
  );
}
