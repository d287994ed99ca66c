/** Log in, log out and restore a session after a reload, through the gateway's auth routes. */

import { ApiError, api as defaultApi, type ApiClient } from "../api/client";
import i18next from "../i18n";
import { clearTokens, getAccessToken, getRefreshToken, saveTokens } from "./tokens";

export type Role = "admin" | "staff" | "client" | "supplier";

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role | string;
  client_id?: string | null;
  supplier_id?: string | null;
}

interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  user?: User;
}

export const ROLES: readonly Role[] = ["admin", "staff", "client", "supplier"];

/** The role's name in the current language (auth:roles.*); an unknown role as it came. */
export function roleLabel(role: string): string {
  return (ROLES as readonly string[]).includes(role) ? i18next.t(`auth:roles.${role}`) : role;
}

function keep(pair: TokenPair): void {
  saveTokens({ accessToken: pair.access_token, refreshToken: pair.refresh_token });
}

export async function login(
  email: string,
  password: string,
  api: ApiClient = defaultApi,
): Promise<User> {
  const pair = await api.request<TokenPair>("/auth/login", {
    method: "POST",
    body: { email, password },
  });
  keep(pair);
  return pair.user ?? (await api.request<User>("/auth/me", { token: pair.access_token }));
}

/** Revoke the refresh token on the server; the local tokens are cleared whatever happens. */
export async function logout(api: ApiClient = defaultApi): Promise<void> {
  const refreshToken = getRefreshToken();
  const accessToken = getAccessToken();
  try {
    if (refreshToken) {
      await api.request("/auth/logout", {
        method: "POST",
        body: { refresh_token: refreshToken },
        token: accessToken,
      });
    }
  } finally {
    clearTokens();
  }
}

let restoring: Promise<User | null> | null = null;

/**
 * After a reload: trade the stored refresh token for a new pair and load the user.
 * Refresh tokens rotate and a reused one revokes the whole family, so concurrent callers
 * (React's StrictMode runs effects twice) share one request instead of racing.
 */
export function restoreSession(api: ApiClient = defaultApi): Promise<User | null> {
  restoring ??= (async () => {
    const refreshToken = getRefreshToken();
    if (!refreshToken) {
      return null;
    }
    try {
      const pair = await api.request<TokenPair>("/auth/refresh-token", {
        method: "POST",
        body: { refresh_token: refreshToken },
      });
      keep(pair);
      return pair.user ?? (await api.request<User>("/auth/me", { token: pair.access_token }));
    } catch (error) {
      // A refused token is dropped; a server that is down may accept it on the next reload.
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        clearTokens();
      }
      return null;
    }
  })().finally(() => {
    restoring = null;
  });
  return restoring;
}
