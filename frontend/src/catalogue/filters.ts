/**
 * The catalogue lists' filters live in the page's URL (bookmarkable, the back button works):
 * these functions read them from the query string, write them back, and turn them into the
 * API's paths. The URL uses the API's own names (`/produtos?section=Mercearia&sort=-price`).
 * Anything missing or malformed falls back to its default; defaults are left out of the URL.
 */
import { parseDecimal } from "./decimal";

export const PAGE_SIZE = 20;
export const MAX_PAGE = 1_000_000;

export const PRODUCT_SORTS = [
  "name",
  "-name",
  "price",
  "-price",
  "available",
  "-available",
  "created_at",
  "-created_at",
] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const DEFAULT_SORT: ProductSort = "name";

/** "" (any), "true" or "false": a yes/no filter as the URL and the API write it. */
export type Tristate = "" | "true" | "false";

export interface ProductFilters {
  q: string;
  section: string;
  category: string;
  active: Tristate;
  available: Tristate;
  supplier_id: string;
  /** A price as the API reads it ("10.5"), or "". */
  min_price: string;
  max_price: string;
  sort: ProductSort;
  page: number;
}

export const NO_PRODUCT_FILTERS: ProductFilters = {
  q: "",
  section: "",
  category: "",
  active: "",
  available: "",
  supplier_id: "",
  min_price: "",
  max_price: "",
  sort: DEFAULT_SORT,
  page: 1,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A page number: a whole number from 1 to 1,000,000; anything else is 1. */
export function readPage(raw: string | null): number {
  const written = raw?.trim() ?? "";
  if (!/^\d+$/.test(written)) {
    return 1;
  }
  const page = Number(written);
  return page >= 1 && page <= MAX_PAGE ? page : 1;
}

function text(params: URLSearchParams, name: string, max = 100): string {
  return (params.get(name)?.trim() ?? "").slice(0, max);
}

function tristate(raw: string | null): Tristate {
  return raw === "true" || raw === "false" ? raw : "";
}

/** A price from the URL or a filter field ("10,50" or "10.50") as the API writes it, or "". */
export function normalisePrice(raw: string | null | undefined): string {
  const value = parseDecimal(raw ?? "");
  return value === null || value < 0 ? "" : String(value);
}

export function isProductSort(value: string | null): value is ProductSort {
  return PRODUCT_SORTS.includes(value as ProductSort);
}

export function readProductFilters(params: URLSearchParams): ProductFilters {
  const supplier = text(params, "supplier_id", 36);
  const sort = params.get("sort");
  return {
    q: text(params, "q"),
    section: text(params, "section"),
    category: text(params, "category"),
    active: tristate(params.get("active")),
    available: tristate(params.get("available")),
    supplier_id: isUuid(supplier) ? supplier.toLowerCase() : "",
    min_price: normalisePrice(params.get("min_price")),
    max_price: normalisePrice(params.get("max_price")),
    sort: isProductSort(sort) ? sort : DEFAULT_SORT,
    page: readPage(params.get("page")),
  };
}

/** The query string for these filters: empty values, the default sort and page 1 left out. */
export function productFiltersToParams(filters: ProductFilters): URLSearchParams {
  const params = new URLSearchParams();
  const values: [string, string][] = [
    ["q", filters.q.trim()],
    ["section", filters.section.trim()],
    ["category", filters.category.trim()],
    ["active", filters.active],
    ["available", filters.available],
    ["supplier_id", filters.supplier_id],
    ["min_price", normalisePrice(filters.min_price)],
    ["max_price", normalisePrice(filters.max_price)],
    ["sort", filters.sort === DEFAULT_SORT ? "" : filters.sort],
    ["page", filters.page > 1 ? String(filters.page) : ""],
  ];
  for (const [name, value] of values) {
    if (value !== "") {
      params.set(name, value);
    }
  }
  return params;
}

/** GET /products with these filters, `page_size` and the sort always sent. */
export function productsPath(filters: ProductFilters, pageSize = PAGE_SIZE): string {
  const params = productFiltersToParams(filters);
  params.set("page", String(filters.page));
  params.set("page_size", String(pageSize));
  params.set("sort", filters.sort);
  return `/products?${params}`;
}

/** The sort a click on a column asks for: that column ascending, or reversed when it already is. */
export function toggleSort(current: ProductSort, column: "name" | "price" | "available"): ProductSort {
  return current === column ? (`-${column}` as ProductSort) : column;
}

/** How a column is sorted now, for `aria-sort`. */
export function sortDirection(
  current: ProductSort,
  column: "name" | "price" | "available",
): "ascending" | "descending" | "none" {
  if (current === column) {
    return "ascending";
  }
  return current === `-${column}` ? "descending" : "none";
}

// -- suppliers (/fornecedores) ------------------------------------------------------------

export interface SupplierFilters {
  /** Part of the name (the API's `name`). */
  q: string;
  page: number;
}

export function readSupplierFilters(params: URLSearchParams): SupplierFilters {
  return { q: text(params, "q"), page: readPage(params.get("page")) };
}

export function supplierFiltersToParams(filters: SupplierFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim() !== "") {
    params.set("q", filters.q.trim());
  }
  if (filters.page > 1) {
    params.set("page", String(filters.page));
  }
  return params;
}

export function suppliersPath(filters: SupplierFilters, pageSize = PAGE_SIZE): string {
  const params = new URLSearchParams({ page: String(filters.page), page_size: String(pageSize) });
  if (filters.q.trim() !== "") {
    params.set("name", filters.q.trim());
  }
  return `/suppliers?${params}`;
}

// -- a supplier's orders (/fornecedores/:id) ----------------------------------------------

export interface SupplierOrderFilters {
  status: string;
  page: number;
}

export function supplierOrdersPath(supplierId: string, filters: SupplierOrderFilters, pageSize = PAGE_SIZE): string {
  const params = new URLSearchParams({ page: String(filters.page), page_size: String(pageSize) });
  if (filters.status !== "") {
    params.set("status", filters.status);
  }
  return `/suppliers/${encodeURIComponent(supplierId)}/orders?${params}`;
}

/**
 * The pages of a supplier's orders. Its `data` is an object (the orders and a summary), so
 * the page count comes from `summary.total_orders`, which counts every order of the filter.
 */
export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
