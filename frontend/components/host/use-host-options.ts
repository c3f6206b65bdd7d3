// The host view's filter, sort and pause, held by the App so they outlive switching tabs.
import { useDeferredValue, useMemo, useState } from 'react';
import { parsePort, type HostSortSpec, type HostStateFilter, type HostViewOptions } from '../../state/host-view';

export interface HostOptions {
  text: string;
  setText: (text: string) => void;
  state: HostStateFilter;
  setState: (state: HostStateFilter) => void;
  /** The port field as typed; `options.port` is its parsed value (null when empty or not a port). */
  portText: string;
  setPortText: (text: string) => void;
  sort: HostSortSpec | null;
  setSort: (update: (sort: HostSortSpec | null) => HostSortSpec | null) => void;
  paused: boolean;
  setPaused: (paused: boolean) => void;
  options: HostViewOptions;
}

export function useHostOptions(): HostOptions {
  const [text, setText] = useState('');
  const [state, setState] = useState<HostStateFilter>('all');
  const [portText, setPortText] = useState('');
  const [sort, setSort] = useState<HostSortSpec | null>(null);
  const [paused, setPaused] = useState(false);
  const deferredText = useDeferredValue(text);
  const port = parsePort(portText);
  const options = useMemo<HostViewOptions>(
    () => ({ text: deferredText, state, port, sort }),
    [deferredText, state, port, sort],
  );
  return { text, setText, state, setState, portText, setPortText, sort, setSort, paused, setPaused, options };
}
