// Loads data for a view, optionally polling, keeping what it had while it refreshes so the screen never blinks
// back to a spinner. A rejected admin key signs the user out.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError } from '../api/client.ts';
import { useApp } from './context.ts';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

export function useResource<T>(load: () => Promise<T>, deps: DependencyList, options: { pollMs?: number; enabled?: boolean } = {}): Resource<T> {
  const { signOut } = useApp();
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const enabled = options.enabled ?? true;

  const run = useCallback(
    (keepData: boolean) => {
      const mine = ++generation.current;
      setState((s) => ({ data: keepData ? s.data : undefined, error: keepData ? s.error : undefined, loading: true }));
      loadRef.current().then(
        (data) => {
          if (mine === generation.current) setState({ data, error: undefined, loading: false });
        },
        (error: unknown) => {
          if (mine !== generation.current) return;
          if (error instanceof ApiError && error.status === 401) {
            signOut('The admin key was rejected. Sign in again.');
            return;
          }
          setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
        },
      );
    },
    [signOut],
  );

  useEffect(() => {
    if (!enabled) return;
    run(false);
  }, [...deps, enabled]);

  useEffect(() => {
    if (!enabled || !options.pollMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') run(true);
    }, options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, enabled, run]);

  useEffect(() => () => void generation.current++, []);

  return { ...state, reload: () => run(true) };
}
