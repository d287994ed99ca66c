import type { ReactElement } from "react";

import type { Role } from "./auth/session";

/** Who may open a page: roles, or "anonymous" for pages before sign-in (sign-up). */
export type Audience = Role[] | "anonymous";

/** A page of the app, as each area declares it; the shell builds the router and the menu. */
export interface AppRoute {
  path: string;
  element: ReactElement;
  audience: Audience;
  /** In the menu, under this i18n key of the area's namespace ("<ns>:<key>"), by `order`. */
  nav?: { label: string; order: number };
}
