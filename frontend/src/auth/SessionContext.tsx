import { createContext, useContext } from "react";

import type { Session } from "./useSession";
import type { User } from "./session";

/** The session of the app (provided once by the shell): pages read it, never fetch it. */
export const SessionContext = createContext<Session | null>(null);

export function useSessionContext(): Session {
  const session = useContext(SessionContext);
  if (!session) {
    throw new Error("useSessionContext fora do SessionContext.Provider");
  }
  return session;
}

/** The signed-in user; pages behind a role check are only rendered with one. */
export function useCurrentUser(): User {
  const { state } = useSessionContext();
  if (state.status !== "authenticated") {
    throw new Error("useCurrentUser sem usuário autenticado");
  }
  return state.user;
}
