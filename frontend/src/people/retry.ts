import { ApiError } from "../api/client";

/**
 * TanStack Query's `retry` for the people pages: once more after a network error or a 5xx,
 * never after a refusal (a 403 or 404 asked again only delays its message).
 */
export function retryUnlessRefused(failures: number, error: unknown): boolean {
  const refused = error instanceof ApiError && error.status >= 400 && error.status < 500;
  return !refused && failures < 1;
}
