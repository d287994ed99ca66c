import { useCallback, useEffect, useState } from "react";

import { ApiError } from "../api/client";

export interface RemoteState<T> {
  value: T;
  loading: boolean;
  error: string | null;
}

/**
 * The result of `load`, fetched again whenever `load` or `reloadKey` changes, `delayMs` after
 * the last change (typing). An older request is aborted, so a slow answer never replaces a
 * newer one. With `enabled` false nothing is fetched (e.g. a list the role may not read).
 */
export function useRemote<T>(
  load: (signal: AbortSignal) => Promise<T>,
  initial: T,
  { reloadKey = 0, delayMs = 0, enabled = true } = {},
): RemoteState<T> {
  const [state, setState] = useState<RemoteState<T>>({
    value: initial,
    loading: enabled,
    error: null,
  });

  useEffect(() => {
    if (!enabled) {
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    const timer = window.setTimeout(() => {
      load(controller.signal).then(
        (value) => setState({ value, loading: false, error: null }),
        (error: unknown) => {
          if (controller.signal.aborted) {
            return;
          }
          const message =
            error instanceof ApiError ? error.message : "Não foi possível carregar os dados.";
          setState((previous) => ({ ...previous, loading: false, error: message }));
        },
      );
    }, delayMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [load, reloadKey, delayMs, enabled]);

  return state;
}

export interface SearchState<T> {
  results: T[];
  loading: boolean;
  error: string | null;
}

const NOTHING: never[] = [];

/** `search(query)` as the user types: 250 ms after the last keystroke (see useRemote). */
export function useSearch<T>(
  query: string,
  search: (query: string, signal: AbortSignal) => Promise<T[]>,
  reloadKey = 0,
  enabled = true,
): SearchState<T> {
  const load = useCallback((signal: AbortSignal) => search(query, signal), [search, query]);
  const { value, loading, error } = useRemote<T[]>(load, NOTHING, {
    reloadKey,
    delayMs: 250,
    enabled,
  });
  return { results: value, loading, error };
}
