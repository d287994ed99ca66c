/**
 * The orders list's filters, sorting and page, kept in the page's query string
 * (`/pedidos?status=pending&client_id=…&sort=total&page=2`) so that a list can be bookmarked,
 * shared or reached from the dashboard; and the GET /orders path they ask for. No React.
 * The names are the API's (order_service OrderQuerySchema), so the URL reads like the request.
 */
import { ORDER_STATUSES } from "./statuses";
import type { OrderSort, OrderStatus, StockStatus } from "./types";

export const STOCK_STATUSES = [
  "awaiting",
  "reserved",
  "rejected",
  "not_required",
] as const satisfies readonly StockStatus[];

export const ORDER_SORTS = [
  "-created_at",
  "created_at",
  "-number",
  "number",
  "-total",
  "total",
] as const satisfies readonly OrderSort[];

/** The columns the API sorts by. */
export type SortColumn = "created_at" | "number" | "total";

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;
export const DEFAULT_SORT: OrderSort = "-created_at";

/** What the list shows: every filter of GET /orders, the sort and the page. */
export interface OrderListQuery {
  status: OrderStatus | "";
  stock_status: StockStatus | "";
  client_id: string;
  product_id: string;
  supplier_id: string;
  section: string;
  /** One order by its id (a UUID). */
  id: string;
  /** AAAA-MM-DD, day of creation on Brasília's calendar, both ends included. */
  date_from: string;
  date_to: string;
  sort: OrderSort;
  page: number;
  page_size: number;
}

export type OrderFilters = Omit<OrderListQuery, "sort" | "page" | "page_size">;

export const NO_FILTERS: OrderFilters = {
  status: "",
  stock_status: "",
  client_id: "",
  product_id: "",
  supplier_id: "",
  section: "",
  id: "",
  date_from: "",
  date_to: "",
};

export const DEFAULT_QUERY: OrderListQuery = {
  ...NO_FILTERS,
  sort: DEFAULT_SORT,
  page: 1,
  page_size: DEFAULT_PAGE_SIZE,
};

/** The filter names, in the order they are written to the URL and to the request. */
export const FILTER_NAMES = Object.keys(NO_FILTERS) as (keyof OrderFilters)[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value.trim());
}

export function isIsoDay(value: string): boolean {
  return ISO_DAY.test(value);
}

function oneOf<T extends string>(values: readonly T[], value: string | null): T | "" {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : "";
}

function uuidOrEmpty(value: string | null): string {
  return value !== null && isUuid(value) ? value.trim().toLowerCase() : "";
}

function dayOrEmpty(value: string | null): string {
  return value !== null && isIsoDay(value) ? value : "";
}

/**
 * The list the URL asks for. What is malformed (an unknown status, half an id, a page that is
 * not a whole number) is left out, as if it were not there. A reversed date window is kept:
 * the API refuses it with a message shown beside the date.
 */
export function readListQuery(params: URLSearchParams): OrderListQuery {
  const page = Number(params.get("page"));
  const pageSize = Number(params.get("page_size"));
  return {
    status: oneOf(ORDER_STATUSES, params.get("status")),
    stock_status: oneOf(STOCK_STATUSES, params.get("stock_status")),
    client_id: uuidOrEmpty(params.get("client_id")),
    product_id: uuidOrEmpty(params.get("product_id")),
    supplier_id: uuidOrEmpty(params.get("supplier_id")),
    section: (params.get("section") ?? "").trim(),
    id: uuidOrEmpty(params.get("id")),
    date_from: dayOrEmpty(params.get("date_from")),
    date_to: dayOrEmpty(params.get("date_to")),
    sort: oneOf(ORDER_SORTS, params.get("sort")) || DEFAULT_SORT,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    page_size: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The query string of a list: only what differs from the defaults, in a stable order. */
export function listQueryToParams(query: OrderListQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = query[name].trim();
    if (value !== "") {
      params.set(name, value);
    }
  }
  if (query.sort !== DEFAULT_SORT) {
    params.set("sort", query.sort);
  }
  if (query.page !== 1) {
    params.set("page", String(query.page));
  }
  if (query.page_size !== DEFAULT_PAGE_SIZE) {
    params.set("page_size", String(query.page_size));
  }
  return params;
}

/** GET /orders for this list: the filters, the sort, the page, and the names (with_details). */
export function ordersListPath(query: OrderListQuery): string {
  const params = listQueryToParams(query);
  params.set("sort", query.sort);
  params.set("page", String(query.page));
  params.set("page_size", String(query.page_size));
  params.set("with_details", "true");
  return `/orders?${params}`;
}

/** Just the filters of a list (for the filter form). */
export function filtersOf(query: OrderListQuery): OrderFilters {
  const filters = { ...NO_FILTERS };
  for (const name of FILTER_NAMES) {
    (filters as Record<string, string>)[name] = query[name];
  }
  return filters;
}

/** The list with other filters: back to the first page (the old page may not exist). */
export function withFilters(query: OrderListQuery, filters: OrderFilters): OrderListQuery {
  return { ...query, ...filters, page: 1 };
}

/** How many filters are in use. */
export function activeFilterCount(filters: OrderFilters): number {
  return FILTER_NAMES.filter((name) => filters[name].trim() !== "").length;
}

/**
 * What a selection of rows belongs to: the filters and the sort, not the page. Turning pages
 * keeps the rows chosen; asking for other orders starts a new selection.
 */
export function selectionScope(query: OrderListQuery): string {
  const params = listQueryToParams({ ...query, page: 1, page_size: DEFAULT_PAGE_SIZE });
  return params.toString();
}

/** A click on a column's header: its natural direction first (newest, highest), then the other. */
export function toggleSort(current: OrderSort, column: SortColumn): OrderSort {
  if (current === `-${column}`) {
    return column;
  }
  return `-${column}`;
}

/** `aria-sort` of a column's header. */
export function sortDirection(current: OrderSort, column: SortColumn): "ascending" | "descending" | "none" {
  if (current === column) {
    return "ascending";
  }
  if (current === `-${column}`) {
    return "descending";
  }
  return "none";
}

/** The list on another page, everything else kept. */
export function withPage(query: OrderListQuery, page: number): OrderListQuery {
  return { ...query, page: Math.max(1, Math.floor(page)) };
}

/** A problem the filter form can see before asking (the API says the rest). */
export function filterProblems(filters: OrderFilters): Partial<Record<keyof OrderFilters, "uuid">> {
  const problems: Partial<Record<keyof OrderFilters, "uuid">> = {};
  if (filters.id.trim() !== "" && !isUuid(filters.id)) {
    problems.id = "uuid";
  }
  return problems;
}
