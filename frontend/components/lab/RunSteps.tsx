// A lab's steps: before a run what it will do, during it which step is running, after it each step ok or FAILED.
import { isActive, runSummary, type LabRun, type RunStep } from '../../state/lab-run';

const STATUS: Record<RunStep['status'], string> = {
  pending: '',
  running: '…',
  ok: 'ok',
  failed: 'FAILED',
  skipped: 'skipped',
};

const took = (ms: number | null) =>
  ms === null ? '' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;

export function RunSteps(props: {
  run: LabRun | undefined;
  labels: readonly string[];
  onShowSession: ((session: string) => void) | undefined;
}) {
  const { run } = props;
  const steps: RunStep[] =
    run?.steps ??
    props.labels.map((label, index) => ({ index, label, status: 'pending', elapsedMs: null, message: null }));
  const session = run && !isActive(run) ? run.session : null;
  return (
    <div className="lab-run-box">
      <p className={`lab-summary lab-summary-${run?.status ?? 'idle'}`} role="status" aria-live="polite">
        {run ? runSummary(run) : 'Steps'}
        {session && props.onShowSession && (
          <button type="button" className="link-button" onClick={() => props.onShowSession?.(session)}>
            Show its sockets
          </button>
        )}
      </p>
      <ol className="lab-steps" aria-label="Steps">
        {steps.map((s) => (
          <li key={s.index} data-status={s.status}>
            <span className="lab-step-status">{STATUS[s.status]}</span>
            <span className="lab-step-n">{s.index + 1}</span>
            <span className="lab-step-label mono">{s.label}</span>
            <span className="lab-step-time num">{took(s.elapsedMs)}</span>
            {s.message && <span className="lab-step-message mono">{s.message}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}
