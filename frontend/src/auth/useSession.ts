import { useCallback, useEffect, useState } from "react";

import { login as loginRequest, logout as logoutRequest, restoreSession, type User } from "./session";

export type SessionState =
  | { status: "restoring" }
  | { status: "anonymous" }
  | { status: "authenticated"; user: User };

export interface Session {
  state: SessionState;
  /** Throws ApiError (wrong password, rate limited, ...) for the form to show. */
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

export function useSession(): Session {
  const [state, setState] = useState<SessionState>({ status: "restoring" });

  useEffect(() => {
    let active = true;
    void restoreSession().then((user) => {
      if (active) {
        setState(user ? { status: "authenticated", user } : { status: "anonymous" });
      }
    });
    return () => {
      active = false;
    };
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const user = await loginRequest(email, password);
    setState({ status: "authenticated", user });
  }, []);

  const logout = useCallback(async () => {
    try {
      await logoutRequest();
    } catch {
      // The local tokens are already gone: the user is logged out here either way.
    }
    setState({ status: "anonymous" });
  }, []);

  return { state, login, logout };
}
