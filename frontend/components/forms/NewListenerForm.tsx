// The toolbar form that opens a listener: host, port (0 = any free port), backlog, accept mode, close on peer FIN.
import type { AcceptMode, ListenerRow, OpenListenerBody } from '../../../shared';
import { api } from '../../api/client';
import { Field, FormActions } from './Field';
import {
  ACCEPT_HINTS,
  CLOSE_ON_FIN_HINT,
  LISTENER_DEFAULTS,
  LISTENER_ORDER,
  LISTENER_SERVER_FIELDS,
  checkListener,
  type ListenerDraft,
} from './listener-draft';
import { useForm } from './use-form';
import { exposure } from './validate';
import './forms.css';

const endpoint = (row: ListenerRow) =>
  row.local.address.includes(':')
    ? `[${row.local.address}]:${row.local.port}`
    : `${row.local.address}:${row.local.port}`;

function exposureWarning(host: string): string | undefined {
  switch (exposure(host)) {
    case 'wildcard':
      return 'Every interface: reachable from other hosts';
    case 'other':
      return 'Not loopback: reachable from other hosts on that network';
    case 'loopback':
      return undefined;
  }
}

export function NewListenerForm({ onCreated }: { onCreated?: (row: ListenerRow) => void }) {
  const form = useForm<ListenerDraft, OpenListenerBody, ListenerRow>({
    initial: LISTENER_DEFAULTS,
    order: LISTENER_ORDER,
    check: checkListener,
    submit: (body) => api.listen(body),
    serverFields: LISTENER_SERVER_FIELDS,
    describe: (row) => `Listening on ${endpoint(row)} (${row.id})`,
    ...(onCreated ? { onCreated } : {}),
  });
  const { draft, problems } = form;
  const text = (key: 'host' | 'port' | 'backlog', numeric: boolean) => (a11y: object) => (
    <input
      {...a11y}
      ref={form.register(key)}
      type="text"
      inputMode={numeric ? 'numeric' : 'text'}
      autoComplete="off"
      spellCheck={false}
      value={draft[key]}
      onChange={(e) => form.set(key, e.target.value)}
    />
  );

  return (
    <form className="ssf-form" aria-label="New listener" noValidate onSubmit={form.onSubmit}>
      <div className="ssf-row">
        <Field
          label="Host"
          className="ssf-host"
          problem={problems['host']}
          warning={exposureWarning(draft.host)}
          control={text('host', false)}
        />
        <Field
          label="Port"
          className="ssf-port"
          hint="0 = any free port"
          problem={problems['port']}
          control={text('port', true)}
        />
        <Field label="Backlog" className="ssf-num" problem={problems['backlog']} control={text('backlog', true)} />
        <Field
          label="Accept mode"
          hint={ACCEPT_HINTS[draft.accept]}
          problem={problems['accept']}
          control={(a11y) => (
            <select
              {...a11y}
              ref={form.register('accept')}
              value={draft.accept}
              onChange={(e) => form.set('accept', e.target.value as AcceptMode)}
            >
              {(Object.keys(ACCEPT_HINTS) as AcceptMode[]).map((mode) => (
                <option key={mode} value={mode} title={ACCEPT_HINTS[mode]}>
                  {mode}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          inline
          label="Close on peer FIN"
          hint={CLOSE_ON_FIN_HINT}
          problem={problems['closeOnPeerFin']}
          control={(a11y) => (
            <input
              {...a11y}
              ref={form.register('closeOnPeerFin')}
              type="checkbox"
              checked={draft.closeOnPeerFin}
              onChange={(e) => form.set('closeOnPeerFin', e.target.checked)}
            />
          )}
        />
      </div>
      <FormActions label="Listen" pending={form.pending} problem={form.formProblem} done={form.done} />
    </form>
  );
}
