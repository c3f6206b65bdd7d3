// Form state shared by both forms: the draft as typed, client and server problems per field, submit, focus.
import { useCallback, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { placeServerError, type FieldMap, type FieldProblem } from './server-errors';

export type Draft = Record<string, string | boolean>;
export type Checked<B> = { ok: true; body: B } | { ok: false; errors: Record<string, string> };

export interface FormSpec<D extends Draft, B, R> {
  initial: D;
  /** Field keys in the order they appear: the first invalid one gets the focus. */
  order: readonly (keyof D & string)[];
  check(draft: D): Checked<B>;
  submit(body: B): Promise<R>;
  /** API field names to field keys, for errors the server places. */
  serverFields: FieldMap;
  /** Called before focusing a field, so a closed section can open. */
  reveal?(key: string): void;
  onCreated?(row: R): void;
  describe(row: R): string;
}

export interface FormApi<D extends Draft> {
  draft: D;
  set<K extends keyof D & string>(key: K, value: D[K]): void;
  problems: Readonly<Record<string, FieldProblem>>;
  formProblem: FieldProblem | null;
  pending: boolean;
  done: string | null;
  onSubmit(e: FormEvent<HTMLFormElement>): void;
  /** ref callback for a field's control, so it can be focused. */
  register(key: keyof D & string): (el: HTMLElement | null) => void;
}

export function useForm<D extends Draft, B, R>(spec: FormSpec<D, B, R>): FormApi<D> {
  const [draft, setDraft] = useState(spec.initial);
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [formProblem, setFormProblem] = useState<FieldProblem | null>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [focusKey, setFocusKey] = useState<{ key: string } | null>(null);
  const controls = useRef(new Map<string, HTMLElement>());
  const specRef = useRef(spec);
  specRef.current = spec;

  // A layout effect: the focus moves in the same commit that shows the problem (and opens its section).
  useLayoutEffect(() => {
    if (focusKey) controls.current.get(focusKey.key)?.focus();
  }, [focusKey]);

  const focus = (key: string) => {
    specRef.current.reveal?.(key);
    setFocusKey({ key });
  };

  const set = <K extends keyof D & string>(key: K, value: D[K]) => {
    const next = { ...draft, [key]: value };
    setDraft(next);
    setFormProblem(null);
    setDone(null);
    if (!(key in problems)) return;
    // Once a field shows a problem, it is checked again as the user types, so the message goes when it is fixed.
    const checked = spec.check(next);
    const again = checked.ok ? undefined : checked.errors[key];
    setProblems(({ [key]: _old, ...rest }) => (again ? { ...rest, [key]: { message: again } } : rest));
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    const checked = spec.check(draft);
    setFormProblem(null);
    setDone(null);
    if (!checked.ok) {
      setProblems(Object.fromEntries(Object.entries(checked.errors).map(([k, message]) => [k, { message }])));
      const first = spec.order.find((k) => k in checked.errors);
      if (first) focus(first);
      return;
    }
    setProblems({});
    setPending(true);
    spec.submit(checked.body).then(
      (row) => {
        setPending(false);
        setDone(specRef.current.describe(row));
        specRef.current.onCreated?.(row);
      },
      (err: unknown) => {
        setPending(false);
        const placed = placeServerError(err, specRef.current.serverFields);
        if (placed.field === null) return setFormProblem(placed.problem);
        setProblems({ [placed.field]: placed.problem });
        focus(placed.field);
      },
    );
  };

  // One stable callback per key, so React does not detach and re-attach every ref on each render.
  const refs = useRef(new Map<string, (el: HTMLElement | null) => void>());
  const register = useCallback((key: string) => {
    let ref = refs.current.get(key);
    if (!ref) {
      ref = (el) => {
        if (el) controls.current.set(key, el);
        else controls.current.delete(key);
      };
      refs.current.set(key, ref);
    }
    return ref;
  }, []);

  return { draft, set, problems, formProblem, pending, done, onSubmit, register };
}
