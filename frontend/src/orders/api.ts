/**
 * The order pages' calls to the API (through authorizedRequest/authorizedPage, paths under
 * /api/v1) and their TanStack Query keys. Every key starts with "orders", so that one
 * invalidation after a change refreshes every list, count and lookup that shows orders or
 * free stock.
 */
import type { QueryClient } from "@tanstack/react-query";

import type { Page } from "../api/client";
import { authorizedPage, authorizedRequest } from "../auth/authorized";
import { ordersListPath, type OrderListQuery } from "./filters";
import type {
  BulkStatusRequest,
  BulkStatusResult,
  Client,
  OrderCreate,
  OrderDetail,
  OrderItemCreate,
  OrderStatus,
  OrderSummary,
  OrderUpdate,
  Product,
  Supplier,
} from "./types";

export type LookupKind = "clients" | "products" | "suppliers";

export const orderKeys = {
  all: ["orders"] as const,
  list: (query: OrderListQuery) => ["orders", "list", ordersListPath(query)] as const,
  detail: (id: string) => ["orders", "detail", id] as const,
  /** Searches behind the pickers (clients, products with their free stock, suppliers). */
  search: (searchKey: string, text: string) => ["orders", "search", searchKey, text] as const,
  /** One client, product or supplier by id (the name of a chosen filter). */
  entity: (kind: LookupKind, id: string) => ["orders", "entity", kind, id] as const,
};

/** How many results a picker shows. */
export const SEARCH_PAGE_SIZE = 10;
/** How many products the new order's search lists. */
export const PRODUCT_PAGE_SIZE = 20;
/** How often an order awaiting the stock's answer is read again. */
export const AWAITING_POLL_MS = 1500;


const path = (id: string) => `/orders/${encodeURIComponent(id)}`;

export function listOrders(query: OrderListQuery, signal?: AbortSignal): Promise<Page<OrderSummary>> {
  return authorizedPage<OrderSummary>(ordersListPath(query), { signal });
}

export function getOrder(id: string, signal?: AbortSignal): Promise<OrderDetail> {
  return authorizedRequest<OrderDetail>(path(id), { signal });
}

/** POST /orders with the Idempotency-Key of this order being written (see idempotency.ts). */
export function placeOrder(body: OrderCreate, idempotencyKey: string): Promise<OrderDetail> {
  return authorizedRequest<OrderDetail>("/orders", {
    method: "POST",
    body,
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

/** PUT /orders/{id} with a status: a move the API listed in `allowed_transitions`. */
export function changeOrderStatus(
  id: string,
  status: OrderStatus,
  note = "",
  cancelReason = "",
): Promise<OrderDetail> {
  const body: OrderUpdate = { status };
  if (note.trim() !== "") {
    body.note = note.trim();
  }
  if (status === "cancelled" && cancelReason.trim() !== "") {
    body.cancel_reason = cancelReason.trim();
  }
  return authorizedRequest<OrderDetail>(path(id), { method: "PUT", body });
}

export function addOrderItem(id: string, item: OrderItemCreate): Promise<OrderDetail> {
  return authorizedRequest<OrderDetail>(`${path(id)}/items`, { method: "POST", body: item });
}

export function changeItemQuantity(id: string, itemId: string, quantity: number): Promise<OrderDetail> {
  return authorizedRequest<OrderDetail>(`${path(id)}/items/${encodeURIComponent(itemId)}`, {
    method: "PATCH",
    body: { quantity },
  });
}

export function removeOrderItem(id: string, itemId: string): Promise<OrderDetail> {
  return authorizedRequest<OrderDetail>(`${path(id)}/items/${encodeURIComponent(itemId)}`, {
    method: "DELETE",
  });
}

export function changeStatuses(body: BulkStatusRequest): Promise<BulkStatusResult> {
  return authorizedRequest<BulkStatusResult>("/orders/status", { method: "PUT", body });
}

function searchParams(name: string, text: string, pageSize: number, extra: Record<string, string> = {}) {
  const params = new URLSearchParams({ page_size: String(pageSize), ...extra });
  if (text.trim() !== "") {
    params.set(name, text.trim());
  }
  return params;
}

/** Clients whose name contains `text` (GET /clients filters by `name`). */
export async function searchClients(text: string, signal?: AbortSignal): Promise<Client[]> {
  const page = await authorizedPage<Client>(`/clients?${searchParams("name", text, SEARCH_PAGE_SIZE)}`, { signal });
  return page.items;
}

export async function searchSuppliers(text: string, signal?: AbortSignal): Promise<Supplier[]> {
  const page = await authorizedPage<Supplier>(`/suppliers?${searchParams("name", text, SEARCH_PAGE_SIZE)}`, {
    signal,
  });
  return page.items;
}

/**
 * Products by part of the name or the start of the barcode (`q`), with their free stock.
 * `activeOnly` for ordering; the list's filter also finds products no longer sold.
 */
export async function searchProducts(
  text: string,
  { activeOnly = false, pageSize = SEARCH_PAGE_SIZE, signal }: { activeOnly?: boolean; pageSize?: number; signal?: AbortSignal } = {},
): Promise<Product[]> {
  const params = searchParams("q", text, pageSize, activeOnly ? { active: "true" } : {});
  const page = await authorizedPage<Product>(`/products?${params}`, { signal });
  return page.items;
}

const ENTITY_PATHS: Record<LookupKind, string> = {
  clients: "/clients",
  products: "/products",
  suppliers: "/suppliers",
};

/** One client, product or supplier: its name for a filter or an order chosen by id. */
export function getEntity(kind: LookupKind, id: string, signal?: AbortSignal): Promise<{ id: string; name: string }> {
  return authorizedRequest<{ id: string; name: string }>(`${ENTITY_PATHS[kind]}/${encodeURIComponent(id)}`, {
    signal,
  });
}

/**
 * After an order changed: the answer (the order as it is now) goes into its cache entry, and
 * every other "orders" query (lists, dashboard counts, free stock in the searches) is read
 * again.
 */
export function afterOrderChanged(queryClient: QueryClient, order?: OrderDetail): Promise<void> {
  if (order) {
    queryClient.setQueryData(orderKeys.detail(order.id), order);
  }
  return queryClient.invalidateQueries({
    queryKey: orderKeys.all,
    predicate: (query) => !order || query.queryKey[1] !== "detail" || query.queryKey[2] !== order.id,
  });
}
