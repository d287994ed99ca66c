import type { Role } from "../auth/session";
import type { AppRoute, Audience } from "../routes";

/** May a user with `role` (null: not signed in) open a page meant for `audience`? */
export function allows(audience: Audience, role: Role | string | null): boolean {
  if (audience === "anonymous") {
    return role === null;
  }
  return role !== null && (audience as string[]).includes(role);
}

export interface MenuItem {
  path: string;
  label: string;
}

/** The menu of a role: the pages it may open that ask to be in the menu, in their order. */
export function menuFor(routes: AppRoute[], role: Role | string | null): MenuItem[] {
  return routes
    .filter((route) => route.nav && allows(route.audience, role))
    .sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0))
    .map((route) => ({ path: route.path, label: route.nav?.label ?? route.path }));
}

/** Where a role lands on "/": its main page. */
export function homeOf(role: Role | string): string {
  switch (role) {
    case "client":
      return "/loja";
    case "supplier":
      return "/fornecedor";
    default:
      return "/painel";
  }
}
