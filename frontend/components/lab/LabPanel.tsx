// One lab: what happens, the Run button and its live steps, then why and the fix in Python and Node.
import { useId, useState } from 'react';
import type { LabInfo } from '../../../shared';
import { isActive, type LabRun } from '../../state/lab-run';
import { copyText } from '../detail/clipboard';
import { RunSteps } from './RunSteps';
import type { Loaded, OpenedLab } from './use-lab';
import { plural } from '../../format';

interface Props {
  info: LabInfo;
  opened: Loaded<OpenedLab> | undefined;
  run: LabRun | undefined;
  onRun: (keep: boolean) => void;
  onShowSession: ((session: string) => void) | undefined;
}

export function LabPanel(props: Props) {
  const { info, run, opened } = props;
  const heading = useId();
  const [keep, setKeep] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const source = opened?.value?.detail.source ?? null;
  const running = isActive(run);

  const copy = async () => {
    if (source === null) return;
    setCopied((await copyText(source)) ? 'yes' : 'no');
  };

  return (
    <section className="lab-panel" aria-labelledby={heading}>
      <header className="lab-head">
        <h2 id={heading}>{info.title}</h2>
        <code className="lab-name">sockscope lab {info.name}</code>
      </header>
      <p className="lab-what">{info.what}</p>

      <div className="lab-actions">
        <button type="button" className="lab-run" onClick={() => props.onRun(keep)} disabled={running}>
          {running ? 'Running…' : run ? 'Run again' : 'Run'}
        </button>
        <label className="lab-keep">
          <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} /> keep the sockets open
        </label>
        <button type="button" onClick={() => void copy()} disabled={source === null}>
          Copy scenario
        </button>
        {copied === 'yes' && (
          <span className="muted" role="status">
            Copied: run it with npx sockscope run FILE
          </span>
        )}
      </div>

      <RunSteps run={run} labels={opened?.value?.labels ?? []} onShowSession={props.onShowSession} />
      {opened?.error && <p role="alert">Could not load the scenario: {opened.error}</p>}

      <h3>Why</h3>
      <p className="lab-why">{info.why}</p>

      <h3>The fix</h3>
      <div className="lab-fixes">
        <Code title="Python" code={info.fix.python} />
        <Code title="Node" code={info.fix.node} />
      </div>

      <details className="lab-source" open={copied === 'no' ? true : undefined}>
        <summary>Scenario file ({plural(info.steps, 'step')})</summary>
        {copied === 'no' && <p role="alert">The browser refused the clipboard: copy the text below.</p>}
        <pre>{source ?? 'Loading…'}</pre>
      </details>
    </section>
  );
}

function Code(props: { title: string; code: string }) {
  return (
    <figure className="lab-code">
      <figcaption>{props.title}</figcaption>
      <pre>
        <code>{props.code}</code>
      </pre>
    </figure>
  );
}
