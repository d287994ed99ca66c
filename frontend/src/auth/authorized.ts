/** Requests on behalf of the logged-in user: the access token, renewed once when it expired. */

import { ApiError, api as defaultApi, type ApiClient, type RequestOptions } from "../api/client";
import { restoreSession } from "./session";
import { getAccessToken } from "./tokens";

/**
 * Send `path` with the current access token. Access tokens are short-lived: on a 401 the
 * refresh token is traded for a new pair (the same shared request a reload makes) and the
 * request is sent once more. A second 401 means the session is over and is thrown.
 */
export async function authorizedRequest<T>(
  path: string,
  options: Omit<RequestOptions, "token"> = {},
  api: ApiClient = defaultApi,
): Promise<T> {
  try {
    return await api.request<T>(path, { ...options, token: getAccessToken() });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) {
      throw error;
    }
    const user = await restoreSession(api);
    if (!user) {
      throw error;
    }
    return api.request<T>(path, { ...options, token: getAccessToken() });
  }
}
