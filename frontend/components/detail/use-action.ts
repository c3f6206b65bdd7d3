// Runs one REST action at a time for a pane and keeps its error (code + message) or success note for inline display.
import { useCallback, useEffect, useRef, useState } from 'react';
import { SockscopeError } from '../../api/client';

export interface ActionError {
  code: string;
  message: string;
}

export const toActionError = (e: unknown): ActionError =>
  e instanceof SockscopeError
    ? { code: e.code, message: e.message }
    : { code: 'ERROR', message: e instanceof Error ? e.message : String(e) };

export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  const run = useCallback(async (name: string, fn: () => Promise<string | null | void>): Promise<boolean> => {
    setBusy(name);
    setError(null);
    setNote(null);
    try {
      const done = await fn();
      if (live.current) setNote(done ?? null);
      return true;
    } catch (e) {
      if (live.current) setError(toActionError(e));
      return false;
    } finally {
      if (live.current) setBusy(null);
    }
  }, []);
  return { busy, error, note, run, setError, setNote };
}
