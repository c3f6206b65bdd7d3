// listen, connect and send steps: they open sockets and write, and each may be told to fail with an errno code.
import { endpointText, interpolateNumber, type ConnectionRow, type StepParams } from '../../shared';
import { InspectorError } from '../inspector/errors';
import { connectWaitMs } from '../inspector/retry';
import type { RunContext } from './run-context';
import { StepFailure, faultCodeOf } from './step-failure';
import { waitFor } from './waiting';
import { framingOf } from '../framing/framing-api';
import { respondersOf } from '../responders/responders-api';

/** How long a `send ... fails: EPIPE` waits for the fault after the write was taken. */
export const SEND_FAULT_WAIT_MS = 1000;

/** Drops undefined fields: the inspector's bodies are checked as sent. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export async function listenStep(ctx: RunContext, raw: StepParams<'listen'>): Promise<string | null> {
  const p = ctx.interpolate(raw);
  const vars = ctx.vars();
  const port = interpolateNumber(p.port, vars);
  const body = defined({
    host: p.host,
    port,
    backlog: p.backlog === undefined ? undefined : interpolateNumber(p.backlog, vars),
    accept: p.accept,
    session: ctx.session,
  });
  let row;
  try {
    row = await ctx.inspector.listen(body);
  } catch (e) {
    if (p.fails !== undefined && faultCodeOf(e) === p.fails) return null;
    throw e;
  }
  if (p.fails !== undefined)
    throw new StepFailure(
      `expected the listen to fail with ${p.fails}, but ${row.id} is listening on ${endpointText(row.local)}`,
    );
  ctx.bind(p.name, 'listener', row.id);
  if (p.framing) framingOf(ctx.inspector).setListenerFraming(row.id, p.framing);
  if (p.responders) respondersOf(ctx.inspector).setListenerResponders(row.id, p.responders);
  // The address is news for port 0 (or a host name); the label already shows `on 127.0.0.1:8080`.
  const bound = endpointText(row.local);
  return bound === `${p.host ?? '127.0.0.1'}:${port}` ? null : bound;
}

export async function connectStep(ctx: RunContext, raw: StepParams<'connect'>): Promise<string | null> {
  const p = ctx.interpolate(raw);
  const vars = ctx.vars();
  const target =
    p.to !== undefined
      ? ctx.listenerAddress(p.to)
      : { host: p.host ?? '127.0.0.1', port: interpolateNumber(p.port ?? 0, vars) };
  const timeoutMs = p.timeoutMs === undefined ? undefined : interpolateNumber(p.timeoutMs, vars);
  const body = defined({ ...target, timeoutMs, retry: p.retry, session: ctx.session });
  const opened = ctx.inspector.openConnection(body);
  ctx.bind(p.name, 'connection', opened.id);
  if (p.wait === false) return `${opened.id} connecting`;
  const budget = connectWaitMs(body);
  const row = await ctx.inspector.waitSettled(opened.id, budget);
  if (p.fails !== undefined) {
    if (row.state === 'failed' && row.fault?.code === p.fails) return null;
    throw new StepFailure(`expected ${p.fails}, but ${outcome(row, budget)}`);
  }
  if (row.state !== 'open') throw new StepFailure(outcome(row, budget));
  return null;
}

function outcome(row: ConnectionRow, waitedMs: number): string {
  switch (row.state) {
    case 'open':
      return `${row.id} connected (${endpointText(row.local)} -> ${endpointText(row.remote)})`;
    case 'failed':
      return `${row.id} failed with ${row.fault?.code ?? 'an error'}: ${row.fault?.message ?? ''}`.trimEnd();
    case 'connecting':
      return `${row.id} was still connecting after ${waitedMs} ms`;
    default:
      return `${row.id} is ${row.state}`;
  }
}

export async function sendStep(ctx: RunContext, raw: StepParams<'send'>): Promise<string | null> {
  const p = ctx.interpolate(raw);
  const target = await ctx.target(p.on);
  let reply;
  try {
    if (target.kind === 'listener') ctx.inspector.sendOnListener(target.id);
    const body = defined({ data: p.data, encoding: p.encoding, framing: p.framing, split: p.split, repeat: p.repeat });
    reply = await ctx.inspector.send(target.id, body);
  } catch (e) {
    if (p.fails !== undefined && refusedWith(e, p.fails)) return `refused: ${(e as Error).message}`;
    throw e;
  }
  if (p.fails === undefined) {
    if (reply.stopped !== null) throw new StepFailure(`the writes stopped after ${reply.writes}: ${reply.stopped}`);
    return null;
  }
  const code = p.fails;
  const faulted = await waitFor(
    ctx.inspector,
    () => (ctx.inspector.getConnection(target.id).fault?.code === code ? true : undefined),
    SEND_FAULT_WAIT_MS,
    ctx.signal,
    (e) => e.type === 'socket/fault' && e.id === target.id,
  );
  if (faulted) return `${target.id} faulted with ${code}`;
  const fault = ctx.inspector.getConnection(target.id).fault;
  throw new StepFailure(
    `expected ${code}, but ${target.id} took ${reply.bytes} bytes and ${fault ? `faulted with ${fault.code}` : `no ${code} followed within ${SEND_FAULT_WAIT_MS} ms`}`,
  );
}

/** The write was refused the way `fails` says: the fault itself, or the refusal that stands for it. */
function refusedWith(e: unknown, code: string): boolean {
  if (faultCodeOf(e) === code) return true;
  if (!(e instanceof InspectorError)) return false;
  return (code === 'EPIPE' && e.code === 'NOT_WRITABLE') || (code === 'ENOTCONN' && e.code === 'NOT_CONNECTED');
}
