/**
 * Where the tokens live: the access token only in memory (gone on reload, never readable by
 * another tab), the refresh token in sessionStorage (this tab only, gone when it closes), so a
 * reload can get a new access token without asking for the password again.
 */

const REFRESH_TOKEN_KEY = "pedidos.refresh_token";

let accessToken: string | null = null;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled by the browser: the session lasts until reload
  }
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getRefreshToken(): string | null {
  try {
    return storage()?.getItem(REFRESH_TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

export function saveTokens(tokens: { accessToken: string; refreshToken: string }): void {
  accessToken = tokens.accessToken;
  try {
    storage()?.setItem(REFRESH_TOKEN_KEY, tokens.refreshToken);
  } catch {
    // quota or privacy mode: keep the access token, lose only the reload convenience
  }
}

export function clearTokens(): void {
  accessToken = null;
  try {
    storage()?.removeItem(REFRESH_TOKEN_KEY);
  } catch {
    // nothing stored, nothing to clear
  }
}
