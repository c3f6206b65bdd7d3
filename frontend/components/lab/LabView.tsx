// The Lab tab: the classic socket mistakes, listed on the left; the chosen one explained, runnable and copyable.
import { useState } from 'react';
import type { LabInfo } from '../../../shared';
import type { LabRun } from '../../state/lab-run';
import type { Store } from '../../state/store';
import { LabPanel } from './LabPanel';
import { useLabDetails, useLabList, useLabRuns } from './use-lab';
import './lab.css';

export function LabView(props: { store: Store; onShowSession?: (session: string) => void }) {
  const list = useLabList(props.store);
  const [chosen, setChosen] = useState<string | null>(null);
  const labs = list.value ?? [];
  const selected = chosen ?? labs[0]?.name ?? null;
  const details = useLabDetails(props.store, selected);
  const { runs, run } = useLabRuns(props.store);
  const info = labs.find((l) => l.name === selected);

  if (list.error)
    return (
      <p className="lab-message" role="alert">
        Could not load the labs: {list.error}
      </p>
    );
  if (!list.value) return <p className="lab-message">Loading the labs…</p>;
  return (
    <div className="lab">
      <nav className="lab-list" aria-label="Labs">
        <ol>
          {labs.map((lab) => (
            <LabItem
              key={lab.name}
              lab={lab}
              run={runs.get(lab.name)}
              current={lab.name === selected}
              onPick={setChosen}
            />
          ))}
        </ol>
      </nav>
      {info && (
        <LabPanel
          key={info.name}
          info={info}
          opened={details.get(info.name)}
          run={runs.get(info.name)}
          onRun={(keep) => run(info.name, keep)}
          onShowSession={props.onShowSession}
        />
      )}
    </div>
  );
}

const BADGE: Record<LabRun['status'], string> = {
  starting: 'running',
  running: 'running',
  passed: 'passed',
  failed: 'failed',
  error: 'error',
};

function LabItem(props: { lab: LabInfo; run: LabRun | undefined; current: boolean; onPick: (name: string) => void }) {
  const { lab, run } = props;
  return (
    <li>
      <button
        type="button"
        aria-current={props.current ? 'true' : undefined}
        onClick={() => props.onPick(lab.name)}
        title={lab.name}
      >
        <span className="lab-item-title">
          {lab.title}
          {run && <span className={`lab-badge lab-badge-${BADGE[run.status]}`}>{BADGE[run.status]}</span>}
        </span>
        <span className="lab-item-what">{lab.what}</span>
      </button>
    </li>
  );
}
