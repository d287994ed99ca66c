/** Requests on behalf of the logged-in user: the access token, renewed once when it expired. */

import {
  ApiError,
  api as defaultApi,
  type ApiClient,
  type Page,
  type RequestOptions,
} from "../api/client";
import { restoreSession } from "./session";
import { getAccessToken } from "./tokens";

/**
 * Run `send` with the current access token. Access tokens are short-lived: on a 401 the
 * refresh token is traded for a new pair (the same shared request a reload makes) and `send`
 * runs once more. A second 401 means the session is over and is thrown.
 */
async function withFreshToken<R>(
  api: ApiClient,
  send: (token: string | null) => Promise<R>,
): Promise<R> {
  try {
    return await send(getAccessToken());
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) {
      throw error;
    }
    const user = await restoreSession(api);
    if (!user) {
      throw error;
    }
    return send(getAccessToken());
  }
}

/** `path`'s `data`, on behalf of the logged-in user. */
export function authorizedRequest<T>(
  path: string,
  options: Omit<RequestOptions, "token"> = {},
  api: ApiClient = defaultApi,
): Promise<T> {
  return withFreshToken(api, (token) => api.request<T>(path, { ...options, token }));
}

/** One page of a list, on behalf of the logged-in user. */
export function authorizedPage<T>(
  path: string,
  options: Omit<RequestOptions, "token"> = {},
  api: ApiClient = defaultApi,
): Promise<Page<T>> {
  return withFreshToken(api, (token) => api.requestPage<T>(path, { ...options, token }));
}
