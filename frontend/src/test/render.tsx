/**
 * Rendering a component as the app does, for Testing Library: a QueryClient that does not
 * retry, a MemoryRouter at a given URL, and the SessionContext with a given user (or nobody).
 * Each test file calls `cleanup` after each test (vitest's globals are off, so Testing
 * Library cannot register it by itself).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, type RenderResult } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useLocation, type Location } from "react-router";

import { SessionContext } from "../auth/SessionContext";
import type { User } from "../auth/session";
import type { Session } from "../auth/useSession";

export const STAFF: User = { id: "u-staff", name: "Ana", email: "ana@x.com.br", role: "staff" };
export const ADMIN: User = { id: "u-admin", name: "Root", email: "root@x.com.br", role: "admin" };
export const CLIENT: User = {
  id: "u-client",
  name: "Escola Monteiro Lobato",
  email: "compras@escola.br",
  role: "client",
  client_id: "c-1",
};

export interface RenderOptions {
  /** The URL the router starts at ("/pedidos?sort=total"). */
  url?: string;
  /** The route pattern the element is mounted at ("/pedidos/:id"); by default any path. */
  path?: string;
  /** The signed-in user; null for nobody (the sign-up page). */
  user?: User | null;
  /** The session's login (the sign-up page signs in after registering). */
  login?: Session["login"];
}

export interface Rendered extends RenderResult {
  /** A userEvent instance bound to this document. */
  user: ReturnType<typeof userEvent.setup>;
  queryClient: QueryClient;
  /** Where the router is now: pathname + search. */
  location: () => string;
}

/** `element` inside the app's providers, at `url`. */
export function renderWithProviders(element: ReactElement, options: RenderOptions = {}): Rendered {
  const { url = "/", path = "*", user = STAFF, login = async () => {} } = options;
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const session: Session = {
    state: user ? { status: "authenticated", user } : { status: "anonymous" },
    login,
    logout: async () => {},
  };
  const where: { current: Location | null } = { current: null };
  function LocationProbe() {
    where.current = useLocation();
    return null;
  }
  const result = render(
    <QueryClientProvider client={queryClient}>
      <SessionContext.Provider value={session}>
        <MemoryRouter initialEntries={[url]}>
          <Routes>
            <Route path={path} element={element} />
            {path !== "*" && <Route path="*" element={<p>elsewhere</p>} />}
          </Routes>
          <LocationProbe />
        </MemoryRouter>
      </SessionContext.Provider>
    </QueryClientProvider>,
  );
  return {
    ...result,
    user: userEvent.setup(),
    queryClient,
    location: () => (where.current ? where.current.pathname + where.current.search : ""),
  };
}

/**
 * What is read with a field after its name: the texts its aria-describedby points to (its
 * hint and its error), as a screen reader announces them.
 */
export function descriptionOf(element: HTMLElement): string {
  return (element.getAttribute("aria-describedby") ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent?.trim() ?? "")
    .filter(Boolean)
    .join(" ");
}
