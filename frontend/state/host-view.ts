// The host's TCP table as shown: filter (text, state, port), sort, stable row keys. Pure; memoise on reply identity.
import { compareKeys, endpointKey, nextSort, type Sort, type SortKey as Key } from './sort';
import { TCP_STATES, type HostSocket, type HostSocketsQuery, type TcpState } from '../../shared';
import { endpoint } from '../format';

export const HOST_SORT_COLUMNS = [
  'proto',
  'state',
  'recvq',
  'sendq',
  'local',
  'remote',
  'uid',
  'inode',
  'process',
  'owner',
] as const;
export type HostSortColumn = (typeof HOST_SORT_COLUMNS)[number];
export type HostSortSpec = Sort<HostSortColumn>;

/** 'all', 'own' (sockscope's sockets only) or one kernel state. */
export type HostStateFilter = 'all' | 'own' | TcpState;
export const HOST_STATE_FILTERS: readonly HostStateFilter[] = ['all', 'own', ...TCP_STATES];
export const isHostStateFilter = (v: string): v is HostStateFilter =>
  (HOST_STATE_FILTERS as readonly string[]).includes(v);

export interface HostViewOptions {
  readonly text: string;
  readonly state: HostStateFilter;
  /** Local or remote port; null: any. */
  readonly port: number | null;
  /** null: the kernel's order (as /proc lists them). */
  readonly sort: HostSortSpec | null;
}

export const defaultHostOptions: HostViewOptions = { text: '', state: 'all', port: null, sort: null };

export interface HostItem {
  /** Stable across polls while the socket exists: proto, both ends, inode (TIME_WAIT sockets have inode 0). */
  readonly key: string;
  readonly socket: HostSocket;
}

export interface HostView {
  readonly items: readonly HostItem[];
  readonly total: number;
  /** Of which sockscope's own. */
  readonly own: number;
}

/** What the server can filter itself (less JSON on a busy host); the same filters are applied here too. */
export function hostQuery(opts: HostViewOptions): HostSocketsQuery {
  const q: HostSocketsQuery = {};
  if (opts.state !== 'all' && opts.state !== 'own') q.state = opts.state;
  if (opts.port !== null) q.port = opts.port;
  return q;
}

/** A port typed by a person: a whole number 0-65535, or null for empty/invalid. */
export function parsePort(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const n = Number(t);
  return n <= 65535 ? n : null;
}

const haystacks = new WeakMap<HostSocket, string>();
function haystack(s: HostSocket): string {
  let h = haystacks.get(s);
  if (h !== undefined) return h;
  const parts = [s.proto, s.state, endpoint(s.local), endpoint(s.remote), `uid:${s.uid}`, `inode:${s.inode}`];
  if (s.pid !== null) parts.push(`pid:${s.pid}`, String(s.pid));
  if (s.process !== null) parts.push(s.process);
  if (s.ownerId !== null) parts.push(s.ownerId, 'sockscope');
  h = parts.join(' ').toLowerCase();
  haystacks.set(s, h);
  return h;
}

/** Space-separated terms, all required; `port:N` matches a local or remote port exactly, anything else a substring. */
export function hostMatcher(text: string): (s: HostSocket) => boolean {
  const tests = text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((t): ((s: HostSocket) => boolean) => {
      const port = /^port:(\d+)$/.exec(t);
      if (port) return (s) => s.local.port === Number(port[1]) || s.remote.port === Number(port[1]);
      return (s) => haystack(s).includes(t);
    });
  return (s) => tests.every((test) => test(s));
}

function matchesOptions(opts: HostViewOptions): (s: HostSocket) => boolean {
  const text = hostMatcher(opts.text);
  return (s) =>
    (opts.state === 'all' || (opts.state === 'own' ? s.ownerId !== null : s.state === opts.state)) &&
    (opts.port === null || s.local.port === opts.port || s.remote.port === opts.port) &&
    text(s);
}

// Owned sockets' ids sort by number (c-2 before c-10).
const ownerKey = (id: string | null): Key => (id === null ? null : `${id[0]} ${id.slice(2).padStart(9, '0')}`);

function sortKey(s: HostSocket, column: HostSortColumn): Key {
  switch (column) {
    case 'proto':
      return s.proto;
    case 'state':
      return TCP_STATES.indexOf(s.state);
    case 'recvq':
      return s.recvQ;
    case 'sendq':
      return s.sendQ;
    case 'local':
      return endpointKey(s.local);
    case 'remote':
      return endpointKey(s.remote);
    case 'uid':
      return s.uid;
    case 'inode':
      return s.inode;
    case 'process':
      return s.process === null ? null : `${s.process} ${String(s.pid ?? 0).padStart(9, '0')}`;
    case 'owner':
      return ownerKey(s.ownerId);
  }
}

const baseKey = (s: HostSocket) => `${s.proto} ${endpoint(s.local)} ${endpoint(s.remote)} ${s.inode}`;

export function buildHostView(sockets: readonly HostSocket[], opts: HostViewOptions): HostView {
  const matches = matchesOptions(opts);
  const seen = new Map<string, number>();
  let own = 0;
  const rows: { item: HostItem; order: number; k: Key }[] = [];
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i]!;
    if (s.ownerId !== null) own++;
    const base = baseKey(s);
    const n = seen.get(base) ?? 0; // the kernel may list a 4-tuple twice for an instant (e.g. TIME_WAIT and a new one)
    seen.set(base, n + 1);
    if (!matches(s)) continue;
    const item = { key: n ? `${base} #${n}` : base, socket: s };
    rows.push({ item, order: i, k: opts.sort ? sortKey(s, opts.sort.column) : null });
  }
  if (opts.sort) {
    const sign = opts.sort.direction === 'asc' ? 1 : -1;
    rows.sort((a, b) => compareKeys(a.k, b.k, sign) || a.order - b.order);
  }
  return { items: rows.map((r) => r.item), total: sockets.length, own };
}

/** asc, desc, then back to the kernel's order. */
export const nextHostSort: (sort: HostSortSpec | null, column: HostSortColumn) => HostSortSpec | null = nextSort;
