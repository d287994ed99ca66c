import { useEffect, useState } from "react";

import { ApiError } from "../api/client";

export interface SearchState<T> {
  results: T[];
  loading: boolean;
  error: string | null;
}

/**
 * Results of `search(query)`, fetched 250 ms after the user stops typing; an older request
 * is aborted so a slow answer never replaces a newer one. `reloadKey` forces a new fetch;
 * with `enabled` false nothing is fetched (e.g. a list the user's role may not read).
 */
export function useSearch<T>(
  query: string,
  search: (query: string, signal: AbortSignal) => Promise<T[]>,
  reloadKey = 0,
  enabled = true,
): SearchState<T> {
  const [state, setState] = useState<SearchState<T>>({
    results: [],
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
      search(query, controller.signal).then(
        (results) => setState({ results, loading: false, error: null }),
        (error: unknown) => {
          if (controller.signal.aborted) {
            return;
          }
          const message =
            error instanceof ApiError ? error.message : "Não foi possível carregar a lista.";
          setState({ results: [], loading: false, error: message });
        },
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query, search, reloadKey, enabled]);

  return state;
}
