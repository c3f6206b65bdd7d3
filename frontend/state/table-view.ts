// The table as shown: filter, sort and the listener -> accepted tree flattened into rows. Pure; memoise on table identity.
import { compareKeys, endpointKey, type Sort, type SortKey as Key } from './sort';
import type { ConnectionRow, ListenerRow } from '../../shared';
import { endpoint } from '../format';
import type { TableState } from './fold';
import { changedRows } from './row-map';

export const SORT_COLUMNS = [
  'id',
  'proto',
  'local',
  'remote',
  'state',
  'recvq',
  'sendq',
  'in',
  'out',
  'age',
  'role',
  'errno',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortSpec = Sort<SortColumn>;

export const STATE_FILTERS = [
  'all',
  'live',
  'listening',
  'connecting',
  'open',
  'half-closed',
  'closed',
  'failed',
  'errno',
] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface ViewOptions {
  readonly text: string;
  readonly state: StateFilter;
  /** null: creation order. */
  readonly sort: SortSpec | null;
  /** Listener ids whose accepted connections are hidden. */
  readonly collapsed: ReadonlySet<string>;
  /** Only this session's listeners, their accepted connections and its clients; null or absent: every row. */
  readonly session?: string | null;
}

export const defaultViewOptions: ViewOptions = { text: '', state: 'all', sort: null, collapsed: new Set() };

export type Row = ListenerRow | ConnectionRow;
export type Role = 'listener' | 'accepted' | 'client';

export type ViewItem =
  | {
      readonly type: 'listener';
      readonly row: ListenerRow;
      readonly depth: 0;
      /** Accepted connections of this listener in the table (filtered or not). */
      readonly children: number;
      readonly expanded: boolean;
      /** Shown only because some of its connections match the filter. */
      readonly context: boolean;
    }
  | {
      readonly type: 'connection';
      readonly row: ConnectionRow;
      readonly depth: 0 | 1;
      /** An accepted connection whose listener is no longer in the table. */
      readonly orphan: boolean;
    };

export interface TableView {
  readonly items: readonly ViewItem[];
  /** Listeners and connections in the table, before filtering. */
  readonly total: number;
  /** Rows that match the filter (context listeners not counted). */
  readonly matching: number;
  /** Row id -> index in items. */
  readonly index: ReadonlyMap<string, number>;
  /** Some rows changed sort values since the order was computed (see createViewMemo). */
  readonly staleOrder: boolean;
}

export const isListener = (r: Row): r is ListenerRow => !('kind' in r);
export const roleOf = (r: Row): Role => (isListener(r) ? 'listener' : r.kind);
export const protoOf = (r: Row): 'tcp' | 'tcp6' | null =>
  r.family === null ? null : r.family === 'IPv6' ? 'tcp6' : 'tcp';
const idNumber = (id: string): number => Number(id.slice(2));
const isTerminal = (r: Row): boolean => r.state === 'closed' || r.state === 'failed';

// ---- filtering ----

function matchesState(r: Row, f: StateFilter): boolean {
  switch (f) {
    case 'all':
      return true;
    case 'live':
      return !isTerminal(r);
    case 'half-closed':
      return r.state.startsWith('half-closed');
    case 'errno':
      return r.fault !== null;
    default:
      return r.state === f;
  }
}

const ports = (r: Row): number[] =>
  isListener(r) ? [r.local.port] : [r.local, r.remote, r.target].flatMap((e) => (e ? [e.port] : []));

// Rows are replaced, never mutated, so a row's search text can be cached on its identity.
const haystacks = new WeakMap<Row, string>();
function haystack(r: Row): string {
  let h = haystacks.get(r);
  if (h !== undefined) return h;
  const parts: (string | number | null)[] = [r.id, roleOf(r), r.state, r.tcpState, protoOf(r), endpoint(r.local)];
  if (isListener(r)) parts.push(r.local.address, r.accept);
  else parts.push(r.parent, r.local?.address ?? null, endpoint(r.remote), r.remote?.address ?? null);
  if (!isListener(r) && r.target) parts.push(`→${endpoint(r.target)}`, r.target.address);
  if (r.fault) parts.push(r.fault.code, r.fault.errno);
  h = parts
    .filter((p) => p !== null)
    .join(' ')
    .toLowerCase();
  haystacks.set(r, h);
  return h;
}

type Matcher = (r: Row) => boolean;

/** The session a row belongs to; an accepted connection without one takes its listener's. */
export function sessionOf(r: Row, listeners: ReadonlyMap<string, ListenerRow>): string | null {
  if (r.session) return r.session;
  if (isListener(r) || r.kind !== 'accepted' || r.parent === null) return null;
  return listeners.get(r.parent)?.session ?? null;
}

const sessionsSeen = new WeakMap<TableState, readonly string[]>();
let lastSessions: { table: TableState; ids: readonly string[] } | null = null;

/**
 * Session ids the rows carry, in id order (s-2 before s-10); cached per table, and carried over from the last table
 * when the rows changed since then bring no new session and take none away.
 */
export function sessionsInTable(table: TableState): readonly string[] {
  let ids = sessionsSeen.get(table);
  if (ids) return ids;
  const last = lastSessions;
  ids = last && sameSessions(last.table, table, last.ids) ? last.ids : scanSessions(table);
  sessionsSeen.set(table, ids);
  lastSessions = { table, ids };
  return ids;
}

function scanSessions(table: TableState): readonly string[] {
  const seen = new Set<string>();
  for (const l of table.listeners.values()) if (l.session) seen.add(l.session);
  for (const c of table.connections.values()) if (c.session) seen.add(c.session);
  return [...seen].sort((a, b) => idNumber(a) - idNumber(b));
}

function sameSessions(before: TableState, after: TableState, ids: readonly string[]): boolean {
  const same = <R extends Row>(b: ReadonlyMap<string, R>, a: ReadonlyMap<string, R>): boolean => {
    let added = 0;
    for (const c of changedRows(b, a)) {
      if (c.before) {
        if (c.before.session !== c.after.session) return false;
      } else {
        added++;
        if (c.after.session && !ids.includes(c.after.session)) return false;
      }
    }
    return a.size - added === b.size; // no row (and so no session) went away
  };
  return same(before.listeners, after.listeners) && same(before.connections, after.connections);
}

/** Space-separated terms, all required: substrings of id, addresses, state, role, errno; `port:N` matches a port exactly. */
export function textMatcher(text: string): Matcher {
  const terms = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return () => true;
  const tests = terms.map((t): Matcher => {
    const port = /^port:(\d+)$/.exec(t);
    if (port) return (r) => ports(r).includes(Number(port[1]));
    return (r) => haystack(r).includes(t);
  });
  return (r) => tests.every((test) => test(r));
}

// ---- sorting ----

const STATE_ORDER = ['listening', 'connecting', 'open', 'half-closed-local', 'half-closed-remote', 'closed', 'failed'];
const ROLE_ORDER: Record<Role, number> = { listener: 0, client: 1, accepted: 2 };

function sortKey(r: Row, column: SortColumn): Key {
  const c = isListener(r) ? null : r;
  switch (column) {
    case 'id':
      return (isListener(r) ? 0 : 1e9) + idNumber(r.id);
    case 'proto':
      return protoOf(r);
    case 'local':
      return endpointKey(r.local);
    case 'remote':
      return c ? endpointKey(c.remote ?? c.target) : null;
    case 'state':
      return `${STATE_ORDER.indexOf(r.state)} ${r.tcpState ?? ''}`;
    case 'recvq':
      return r.recvQ;
    case 'sendq':
      return r.sendQ;
    case 'in':
      return c ? c.bytesIn : null;
    case 'out':
      return c ? c.bytesOut : null;
    case 'age':
      return -r.createdAt; // youngest first when ascending
    case 'role':
      return ROLE_ORDER[roleOf(r)];
    case 'errno':
      return r.fault ? r.fault.code : null;
  }
}

/** Creation order: the tie-breaker of every sort, so sorting is stable and deterministic. */
function byCreation(a: Row, b: Row): number {
  return a.createdAt - b.createdAt || Number(isListener(b)) - Number(isListener(a)) || idNumber(a.id) - idNumber(b.id);
}

/** Sorts in place; each key is computed once, not once per comparison. */
function sortRows<R extends Row>(rows: R[], sort: SortSpec | null): R[] {
  if (!sort) return rows.sort(byCreation);
  const sign = sort.direction === 'asc' ? 1 : -1;
  const keyed = rows.map((r) => ({ r, k: sortKey(r, sort.column) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k, sign) || byCreation(a.r, b.r));
  for (let i = 0; i < keyed.length; i++) rows[i] = keyed[i]!.r;
  return rows;
}

// ---- the tree ----

const rowMatcher = (opts: ViewOptions, listeners: ReadonlyMap<string, ListenerRow>): Matcher => {
  const matchText = textMatcher(opts.text);
  const session = opts.session ?? null;
  return (r) =>
    (session === null || sessionOf(r, listeners) === session) && matchesState(r, opts.state) && matchText(r);
};

export function buildView(table: TableState, opts: ViewOptions): TableView {
  const matches = rowMatcher(opts, table.listeners);

  const childrenOf = new Map<string, ConnectionRow[]>();
  const top: Row[] = [];
  let matching = 0;
  const childCount = new Map<string, number>();
  for (const c of table.connections.values()) {
    const parent = c.kind === 'accepted' && c.parent !== null && table.listeners.has(c.parent) ? c.parent : null;
    if (parent !== null) childCount.set(parent, (childCount.get(parent) ?? 0) + 1);
    if (!matches(c)) continue;
    matching++;
    if (parent === null) top.push(c);
    else {
      const list = childrenOf.get(parent);
      if (list) list.push(c);
      else childrenOf.set(parent, [c]);
    }
  }
  const context = new Set<string>();
  for (const l of table.listeners.values()) {
    if (matches(l)) matching++;
    else if (childrenOf.has(l.id)) context.add(l.id);
    else continue;
    top.push(l);
  }

  sortRows(top, opts.sort);
  const items: ViewItem[] = [];
  for (const r of top) {
    if (!isListener(r)) {
      items.push({ type: 'connection', row: r, depth: 0, orphan: r.kind === 'accepted' });
      continue;
    }
    const expanded = !opts.collapsed.has(r.id);
    const children = childCount.get(r.id) ?? 0;
    items.push({ type: 'listener', row: r, depth: 0, children, expanded, context: context.has(r.id) });
    if (!expanded) continue;
    const kids = childrenOf.get(r.id);
    if (!kids) continue;
    sortRows(kids, opts.sort);
    for (const c of kids) items.push({ type: 'connection', row: c, depth: 1, orphan: false });
  }
  const index = new Map(items.map((it, i) => [it.row.id, i]));
  return { items, total: table.listeners.size + table.connections.size, matching, index, staleOrder: false };
}

// ---- incremental ----

interface Memo {
  table: TableState;
  opts: ViewOptions;
  epoch: number;
  matches: Matcher;
  view: TableView;
  /** When the order was last computed from scratch. */
  sortedAt: number;
}

export interface ViewMemoOptions {
  /** How long a live sort may lag behind changing values (bytes, queues) before rows are re-sorted. */
  resortMs?: number;
  now?: () => number;
}

/**
 * buildView with memory. For the same options, a table whose rows changed without changing whether they match
 * gets the previous order with the new rows in place: O(rows) identity checks instead of a filter and a sort.
 * When a changed value moves a row in the sort (bytes, queues), the order is redone at most every `resortMs`;
 * in between the view says `staleOrder` and the caller asks again later with a new `epoch`.
 */
export function createViewMemo(
  o: ViewMemoOptions = {},
): (table: TableState, opts: ViewOptions, epoch?: number) => TableView {
  const resortMs = o.resortMs ?? 250;
  const now = o.now ?? (() => performance.now());
  let memo: Memo | null = null;
  return (table, opts, epoch = 0) => {
    if (memo?.table === table && memo.opts === opts && memo.epoch === epoch) return memo.view;
    if (memo?.opts === opts && memo.epoch === epoch) {
      const patched = patchView(memo, table, now() - memo.sortedAt < resortMs);
      if (patched) {
        memo = { ...memo, table, view: patched };
        return patched;
      }
    }
    const view = buildView(table, opts);
    // patchView only reuses this matcher while table.listeners is the same map.
    memo = { table, opts, epoch, matches: rowMatcher(opts, table.listeners), view, sortedAt: now() };
    return view;
  };
}

function patchView(memo: Memo, table: TableState, mayLag: boolean): TableView | null {
  const before = memo.table;
  if (table.listeners !== before.listeners || table.connections.size !== before.connections.size) return null;
  const column = memo.opts.sort?.column;
  let items: ViewItem[] | null = null;
  let staleOrder = memo.view.staleOrder;
  for (const { before: old, after: row } of changedRows(before.connections, table.connections)) {
    if (!old || memo.matches(old) !== memo.matches(row)) return null;
    if (column !== undefined && sortKey(old, column) !== sortKey(row, column)) {
      if (!mayLag) return null;
      staleOrder = true;
    }
    const i = memo.view.index.get(row.id);
    if (i === undefined) continue; // filtered out or collapsed, and still so
    items ??= memo.view.items.slice();
    items[i] = { ...(items[i] as Extract<ViewItem, { type: 'connection' }>), row };
  }
  return items || staleOrder !== memo.view.staleOrder
    ? { ...memo.view, items: items ?? memo.view.items, staleOrder }
    : memo.view;
}
