/**
 * The lists' filters live in the page's URL (bookmarkable, back button): these functions turn
 * the query string into filters, filters back into a query string, and filters into the API's
 * paths. No React here. An empty filter is left out of both; page 1 is the default.
 */

import { isOrderStatus, type OrderStatus } from "../orders/statuses";

export const MAX_PAGE = 1_000_000;
export const PAGE_SIZE = 20;
export const RECENT_ORDERS_PAGE_SIZE = 10;
export const PICKER_PAGE_SIZE = 8;

export const ROLES = ["admin", "staff", "client", "supplier"] as const;
export type RoleName = (typeof ROLES)[number];

export function isRole(value: string | null | undefined): value is RoleName {
  return ROLES.includes(value as RoleName);
}

/** A page number from the URL: a whole number from 1 to 1,000,000; anything else is 1. */
export function readPage(params: URLSearchParams, name = "page"): number {
  const raw = params.get(name)?.trim() ?? "";
  if (!/^\d+$/.test(raw)) {
    return 1;
  }
  const page = Number(raw);
  return page >= 1 && page <= MAX_PAGE ? page : 1;
}

function text(params: URLSearchParams, name: string): string {
  return params.get(name)?.trim() ?? "";
}

/** `params` with these values: empty ones and page 1 removed, the other parameters kept. */
function withValues(params: URLSearchParams, values: Record<string, string | number>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(values)) {
    const written = String(value).trim();
    if (written === "" || (name === "page" && written === "1")) {
      next.delete(name);
    } else {
      next.set(name, written);
    }
  }
  return next;
}

function query(values: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && String(value) !== "") {
      search.set(name, String(value));
    }
  }
  return search.toString();
}

// -- clients (/clientes) ------------------------------------------------------------------

export interface ClientFilters {
  name: string;
  email: string;
  document: string;
  page: number;
}

export const NO_CLIENT_FILTERS: ClientFilters = { name: "", email: "", document: "", page: 1 };

export function readClientFilters(params: URLSearchParams): ClientFilters {
  return {
    name: text(params, "name"),
    email: text(params, "email"),
    document: text(params, "document"),
    page: readPage(params),
  };
}

export function withClientFilters(params: URLSearchParams, filters: ClientFilters): URLSearchParams {
  return withValues(params, { ...filters });
}

/** GET /clients: `name` and `email` are parts of the text; `document` its start (digits). */
export function clientsPath(filters: ClientFilters, pageSize = PAGE_SIZE): string {
  return `/clients?${query({
    name: filters.name || undefined,
    email: filters.email || undefined,
    document: filters.document || undefined,
    page: filters.page,
    page_size: pageSize,
  })}`;
}

// -- users (/usuarios) --------------------------------------------------------------------

export type ActiveFilter = "" | "true" | "false";

export interface UserFilters {
  q: string;
  role: RoleName | "";
  active: ActiveFilter;
  page: number;
}

export const NO_USER_FILTERS: UserFilters = { q: "", role: "", active: "", page: 1 };
/** The API's longest `q`. */
export const MAX_USER_QUERY = 200;

export function readUserFilters(params: URLSearchParams): UserFilters {
  const role = text(params, "role");
  const active = text(params, "active");
  return {
    q: Array.from(text(params, "q")).slice(0, MAX_USER_QUERY).join(""),
    role: isRole(role) ? role : "",
    active: active === "true" || active === "false" ? active : "",
    page: readPage(params),
  };
}

export function withUserFilters(params: URLSearchParams, filters: UserFilters): URLSearchParams {
  return withValues(params, { ...filters });
}

/** GET /auth/users: `q` part of the name or e-mail, `role` exact, `active` true/false. */
export function usersPath(filters: UserFilters, pageSize = PAGE_SIZE): string {
  return `/auth/users?${query({
    q: filters.q || undefined,
    role: filters.role || undefined,
    active: filters.active || undefined,
    page: filters.page,
    page_size: pageSize,
  })}`;
}

// -- the supplier desk (/fornecedor) --------------------------------------------------------

export interface SupplierOrderFilters {
  status: OrderStatus | "";
  page: number;
}

export const NO_SUPPLIER_ORDER_FILTERS: SupplierOrderFilters = { status: "", page: 1 };

export function readSupplierOrderFilters(params: URLSearchParams): SupplierOrderFilters {
  const status = text(params, "status");
  return { status: isOrderStatus(status) ? status : "", page: readPage(params) };
}

export function withSupplierOrderFilters(
  params: URLSearchParams,
  filters: SupplierOrderFilters,
): URLSearchParams {
  return withValues(params, { ...filters });
}

/** GET /orders: a supplier gets only its orders (the API scopes the list), newest first. */
export function supplierOrdersPath(filters: SupplierOrderFilters, pageSize = PAGE_SIZE): string {
  return `/orders?${query({
    status: filters.status || undefined,
    sort: "-created_at",
    page: filters.page,
    page_size: pageSize,
  })}`;
}

// -- one client's orders (/clientes/:id) ----------------------------------------------------

export function withPage(params: URLSearchParams, page: number): URLSearchParams {
  return withValues(params, { page });
}

/** GET /orders?client_id=…: the client's orders, newest first, a page at a time. */
export function clientOrdersPath(
  clientId: string,
  page: number,
  pageSize = RECENT_ORDERS_PAGE_SIZE,
): string {
  return `/orders?${query({
    client_id: clientId,
    sort: "-created_at",
    page,
    page_size: pageSize,
  })}`;
}

/** GET /clients/{id}/orders?summary=true: only the summary of all of the client's orders. */
export function clientSummaryPath(clientId: string): string {
  return `/clients/${encodeURIComponent(clientId)}/orders?summary=true`;
}

/** The pickers of the user form: a few clients or suppliers whose name has `name`. */
export function clientOptionsPath(name: string): string {
  return `/clients?${query({ name: name.trim() || undefined, page: 1, page_size: PICKER_PAGE_SIZE })}`;
}

export function supplierOptionsPath(name: string): string {
  return `/suppliers?${query({ name: name.trim() || undefined, page: 1, page_size: PICKER_PAGE_SIZE })}`;
}
