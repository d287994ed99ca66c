/**
 * The shop's query strings, both ways: the page's URL (`/loja?q=arroz&section=Mercearia&page=2`,
 * `/meus-pedidos?page=3`), so a search can be bookmarked and the back button undoes it, and
 * the API's paths built from it. No React.
 */

import type { Product } from "./types";

export const CATALOGUE_PAGE_SIZE = 12;
export const ORDERS_PAGE_SIZE = 10;
/** The API refuses a longer `q`. */
export const MAX_SEARCH = 100;
export const MAX_SECTION = 100;

export interface CatalogueFilters {
  /** Part of the name or the start of the barcode; "" for all. */
  q: string;
  /** A section, exact but without regard to case; "" for all. */
  section: string;
  /** Only products with free stock. */
  available: boolean;
  page: number;
}

/** `name`'s page number: a whole number from 1; anything else is 1. */
export function readPage(params: URLSearchParams, name = "page"): number {
  const raw = params.get(name);
  if (raw === null || !/^\d{1,9}$/.test(raw.trim())) {
    return 1;
  }
  return Math.max(1, Number(raw.trim()));
}

function readText(params: URLSearchParams, name: string, max: number): string {
  return (params.get(name) ?? "").trim().slice(0, max);
}

export function readCatalogue(params: URLSearchParams): CatalogueFilters {
  return {
    q: readText(params, "q", MAX_SEARCH),
    section: readText(params, "section", MAX_SECTION),
    available: params.get("available") === "true",
    page: readPage(params),
  };
}

function setOrDelete(params: URLSearchParams, name: string, value: string): void {
  if (value === "") {
    params.delete(name);
  } else {
    params.set(name, value);
  }
}

/**
 * The page's query string with `changes`, the rest kept. A new search, section or
 * availability starts again from page 1; page 1 is left out of the URL.
 */
export function withCatalogue(
  params: URLSearchParams,
  changes: Partial<CatalogueFilters>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  const current = readCatalogue(params);
  let page = changes.page ?? current.page;
  if (changes.q !== undefined) {
    const q = changes.q.trim().slice(0, MAX_SEARCH);
    if (q !== current.q) page = changes.page ?? 1;
    setOrDelete(next, "q", q);
  }
  if (changes.section !== undefined) {
    const section = changes.section.trim().slice(0, MAX_SECTION);
    if (section !== current.section) page = changes.page ?? 1;
    setOrDelete(next, "section", section);
  }
  if (changes.available !== undefined) {
    if (changes.available !== current.available) page = changes.page ?? 1;
    setOrDelete(next, "available", changes.available ? "true" : "");
  }
  setOrDelete(next, "page", page > 1 ? String(Math.floor(page)) : "");
  return next;
}

/** GET /products for the shop window: active products only, by name. */
export function productsPath(filters: CatalogueFilters, pageSize = CATALOGUE_PAGE_SIZE): string {
  const query = new URLSearchParams({
    active: "true",
    page: String(filters.page),
    page_size: String(pageSize),
    sort: "name",
  });
  if (filters.q !== "") query.set("q", filters.q);
  if (filters.section !== "") query.set("section", filters.section);
  if (filters.available) query.set("available", "true");
  return `/products?${query}`;
}

/** The query string with page `page` (1 is left out), the rest kept. */
export function withPage(params: URLSearchParams, page: number): URLSearchParams {
  const next = new URLSearchParams(params);
  setOrDelete(next, "page", page > 1 ? String(Math.floor(page)) : "");
  return next;
}

/** GET /orders for "Meus pedidos": newest first (the API shows a client only its own). */
export function myOrdersPath(page: number, pageSize = ORDERS_PAGE_SIZE): string {
  const query = new URLSearchParams({
    page: String(page),
    page_size: String(pageSize),
    sort: "-created_at",
  });
  return `/orders?${query}`;
}

/** The sections to suggest: those of the products shown and the one chosen, once each, sorted. */
export function sectionsOf(products: readonly Product[], current = ""): string[] {
  const byKey = new Map<string, string>();
  for (const name of [current, ...products.map((product) => product.section ?? "")]) {
    const trimmed = name.trim();
    if (trimmed !== "" && !byKey.has(trimmed.toLocaleLowerCase("pt-BR"))) {
      byKey.set(trimmed.toLocaleLowerCase("pt-BR"), trimmed);
    }
  }
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, "pt-BR"));
}
