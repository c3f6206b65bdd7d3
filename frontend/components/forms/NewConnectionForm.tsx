// The toolbar form that dials: host, port, timeout, a retry policy and the advanced socket options.
import { useState, type ReactNode } from 'react';
import type { ConnectionRow, OpenConnectionBody } from '../../../shared';
import { api } from '../../api/client';
import type { Store } from '../../state/store';
import {
  ADVANCED_KEYS,
  CONNECTION_DEFAULTS,
  CONNECTION_ORDER,
  CONNECTION_SERVER_FIELDS,
  RETRY_KEYS,
  checkConnection,
  type Backoff,
  type ConnectionDraft,
} from './connection-draft';
import { CreatedConnection } from './CreatedConnection';
import { createdStatus } from './created-connection';
import { Field, FormActions } from './Field';
import { useForm, type FormApi } from './use-form';
import './forms.css';

type TextKey = Exclude<keyof ConnectionDraft, 'backoff' | 'noDelay' | 'keepAlive'>;

function textInput(form: FormApi<ConnectionDraft>, key: TextKey, numeric: boolean) {
  return function TextControl(a11y: object): ReactNode {
    return (
      <input
        {...a11y}
        ref={form.register(key)}
        type="text"
        inputMode={numeric ? 'numeric' : 'text'}
        autoComplete="off"
        spellCheck={false}
        value={form.draft[key] as string}
        onChange={(e) => form.set(key, e.target.value)}
      />
    );
  };
}

function checkbox(form: FormApi<ConnectionDraft>, key: 'noDelay' | 'keepAlive') {
  return function CheckControl(a11y: object): ReactNode {
    return (
      <input
        {...a11y}
        ref={form.register(key)}
        type="checkbox"
        checked={form.draft[key]}
        onChange={(e) => form.set(key, e.target.checked)}
      />
    );
  };
}

function retrySummary(d: ConnectionDraft): string {
  const n = Number(d.attempts.trim());
  return Number.isInteger(n) && n > 1 ? `Retry: ${n} attempts, ${d.backoff}` : 'Retry: off';
}

/** `store`: the status line follows the row made (connecting, then open or the errno); without it, the reply's row. */
export function NewConnectionForm({ onCreated, store }: { onCreated?: (row: ConnectionRow) => void; store?: Store }) {
  const [retryOpen, setRetryOpen] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [created, setCreated] = useState<ConnectionRow | null>(null);
  const form = useForm<ConnectionDraft, OpenConnectionBody, ConnectionRow>({
    initial: CONNECTION_DEFAULTS,
    order: CONNECTION_ORDER,
    check: checkConnection,
    submit: (body) => api.connect(body),
    serverFields: CONNECTION_SERVER_FIELDS,
    reveal: (key) => {
      if ((RETRY_KEYS as readonly string[]).includes(key)) setRetryOpen(true);
      if ((ADVANCED_KEYS as readonly string[]).includes(key)) setAdvancedOpen(true);
    },
    describe: (row) => createdStatus(row).text,
    onCreated: (row) => {
      setCreated(row);
      onCreated?.(row);
    },
  });
  const { draft, problems: p } = form;

  return (
    <form className="ssf-form" aria-label="New connection" noValidate onSubmit={form.onSubmit}>
      <div className="ssf-row">
        <Field label="Host" className="ssf-host" problem={p['host']} control={textInput(form, 'host', false)} />
        <Field label="Port" className="ssf-port" problem={p['port']} control={textInput(form, 'port', true)} />
        <Field
          label="Timeout (ms)"
          className="ssf-num"
          hint="per attempt"
          problem={p['timeoutMs']}
          control={textInput(form, 'timeoutMs', true)}
        />
      </div>
      <details className="ssf-section" open={retryOpen} onToggle={(e) => setRetryOpen(e.currentTarget.open)}>
        <summary>{retrySummary(draft)}</summary>
        <fieldset className="ssf-row">
          <legend>Retry</legend>
          <Field
            label="Attempts"
            className="ssf-num"
            hint="1 = no retry"
            problem={p['attempts']}
            control={textInput(form, 'attempts', true)}
          />
          <Field
            label="Backoff"
            problem={p['backoff']}
            control={(a11y) => (
              <select
                {...a11y}
                ref={form.register('backoff')}
                value={draft.backoff}
                onChange={(e) => form.set('backoff', e.target.value as Backoff)}
              >
                <option value="exponential">exponential</option>
                <option value="fixed">fixed</option>
              </select>
            )}
          />
          <Field
            label="Initial delay (ms)"
            className="ssf-num"
            problem={p['initialDelayMs']}
            control={textInput(form, 'initialDelayMs', true)}
          />
          <Field
            label="Max delay (ms)"
            className="ssf-num"
            problem={p['maxDelayMs']}
            control={textInput(form, 'maxDelayMs', true)}
          />
          <Field
            label="Jitter"
            className="ssf-num"
            hint="0 to 1: 0.2 = ±20%"
            problem={p['jitter']}
            control={textInput(form, 'jitter', true)}
          />
        </fieldset>
      </details>
      <details className="ssf-section" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
        <summary>Advanced</summary>
        <fieldset className="ssf-row">
          <legend>Socket options</legend>
          <Field
            label="Local address"
            className="ssf-host"
            hint="bind before connect"
            problem={p['localAddress']}
            control={textInput(form, 'localAddress', false)}
          />
          <Field
            label="Local port"
            className="ssf-port"
            problem={p['localPort']}
            control={textInput(form, 'localPort', true)}
          />
          <Field inline label="No delay (TCP_NODELAY)" problem={p['noDelay']} control={checkbox(form, 'noDelay')} />
          <Field
            inline
            label="Keep-alive (SO_KEEPALIVE)"
            problem={p['keepAlive']}
            control={checkbox(form, 'keepAlive')}
          />
        </fieldset>
      </details>
      <FormActions
        label="Connect"
        pending={form.pending}
        problem={form.formProblem}
        done={form.done !== null && created ? <CreatedConnection store={store} created={created} /> : null}
      />
    </form>
  );
}
