/** The order screens' calls to the API, and the names people read for statuses. */

import type { Page } from "../api/client";
import { authorizedPage, authorizedRequest } from "../auth/authorized";
import type { OrderRequest, ProductChoice } from "./cart";

export interface ClientChoice {
  id: string;
  name: string;
  document: string;
}

export interface OrderLine {
  id: string;
  product_id: string;
  product_name: string;
  unit: string;
  quantity: number;
  unit_price: number;
  line_total: number;
}

export interface StatusChange {
  from: string | null;
  to: string;
  at: string;
  by: string;
  by_role: string;
  note: string | null;
}

export interface Order {
  id: string;
  number: number;
  client_id: string | null;
  client_name?: string | null;
  supplier_id?: string | null;
  status: string;
  stock_status: string;
  total: number;
  item_count?: number;
  created_at: string;
  items?: OrderLine[];
  status_history?: StatusChange[];
  notes?: string | null;
  cancel_reason?: string | null;
  shortages?: { product_id: string; product_name?: string; requested: number; available: number }[];
}

interface ProductRow {
  id: string;
  name: string;
  unit: string;
  price: number;
  active: boolean;
  stock?: { available: number } | null;
}

const STATUS_LABELS: Record<string, string> = {
  pending: "Pendente",
  approved: "Aprovado",
  processing: "Em separação",
  shipped: "Enviado",
  delivered: "Entregue",
  cancelled: "Cancelado",
  returned: "Devolvido",
};

const STOCK_STATUS_LABELS: Record<string, string> = {
  awaiting: "Aguardando o estoque",
  reserved: "Estoque reservado",
  rejected: "Sem estoque",
  not_required: "Não se aplica",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

export function stockStatusLabel(stockStatus: string): string {
  return STOCK_STATUS_LABELS[stockStatus] ?? stockStatus;
}

/** The stock service's answer is final once the order is no longer awaiting it. */
export function stockDecided(order: Pick<Order, "stock_status">): boolean {
  return order.stock_status !== "awaiting";
}

export async function searchProducts(query: string, signal?: AbortSignal): Promise<ProductChoice[]> {
  const params = new URLSearchParams({ active: "true", page_size: "20" });
  if (query.trim() !== "") {
    params.set("q", query.trim());
  }
  const rows = await authorizedRequest<ProductRow[]>(`/products?${params}`, { signal });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    unit: row.unit,
    price: row.price,
    available: row.stock?.available ?? 0,
  }));
}

export function searchClients(name: string, signal?: AbortSignal): Promise<ClientChoice[]> {
  const params = new URLSearchParams({ page_size: "50" });
  if (name.trim() !== "") {
    params.set("name", name.trim());
  }
  return authorizedRequest<ClientChoice[]>(`/clients?${params}`, { signal });
}

/**
 * A fresh Idempotency-Key (a UUID v4). `crypto.randomUUID` exists only in secure contexts
 * (HTTPS, localhost); served over plain HTTP on a shop's network the page still works, with
 * the same 122 random bits from `crypto.getRandomValues`.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * POST /orders with an Idempotency-Key: the same key for every retry of one submission, so a
 * timeout followed by a second click never creates two orders.
 */
export function placeOrder(body: OrderRequest, idempotencyKey: string): Promise<Order> {
  return authorizedRequest<Order>("/orders", {
    method: "POST",
    body,
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

export function getOrder(id: string, signal?: AbortSignal): Promise<Order> {
  return authorizedRequest<Order>(`/orders/${encodeURIComponent(id)}`, { signal });
}

export const ORDER_STATUSES = Object.keys(STATUS_LABELS);
export const ORDERS_PER_PAGE = 10;

/** A page of the orders the user may see, newest first (a client sees only its own). */
export function listOrders(
  filters: { page: number; status: string },
  signal?: AbortSignal,
): Promise<Page<Order>> {
  const params = new URLSearchParams({
    page: String(filters.page),
    page_size: String(ORDERS_PER_PAGE),
    with_details: "true",
  });
  if (filters.status) {
    params.set("status", filters.status);
  }
  return authorizedPage<Order>(`/orders?${params}`, { signal });
}

export interface StatusAction {
  status: string;
  label: string;
}

const FORWARD: Record<string, StatusAction> = {
  pending: { status: "approved", label: "Aprovar" },
  approved: { status: "processing", label: "Separar" },
  processing: { status: "shipped", label: "Enviar" },
  shipped: { status: "delivered", label: "Entregue" },
};
const CANCEL: StatusAction = { status: "cancelled", label: "Cancelar" };
const RETURN: StatusAction = { status: "returned", label: "Devolvido" };

/**
 * The status changes `user` may ask for on `order` (SPEC §3, status lifecycle). The order
 * service decides; this only offers the buttons that can succeed: approving a sale needs its
 * stock reserved, a client may cancel its own pending order, a supplier moves the orders addressed
 * to it from approved to delivered.
 */
export function statusActions(
  order: Pick<Order, "status" | "stock_status" | "client_id"> & { supplier_id?: string | null },
  user: { role: string; client_id?: string | null; supplier_id?: string | null },
): StatusAction[] {
  const forward = FORWARD[order.status];
  if (user.role === "admin" || user.role === "staff") {
    const actions: StatusAction[] = [];
    // A sale is approved once its stock is reserved; a replenishment has nothing to reserve.
    const stockReady = order.stock_status === "reserved" || order.stock_status === "not_required";
    if (forward && (order.status !== "pending" || stockReady)) {
      actions.push(forward);
    }
    if (["pending", "approved", "processing"].includes(order.status)) {
      actions.push(CANCEL);
    }
    if (["shipped", "delivered"].includes(order.status)) {
      actions.push(RETURN);
    }
    return actions;
  }
  if (user.role === "client") {
    return order.status === "pending" && order.client_id === user.client_id ? [CANCEL] : [];
  }
  if (user.role === "supplier") {
    const addressed = Boolean(order.supplier_id) && order.supplier_id === user.supplier_id;
    return addressed && forward && order.status !== "pending" ? [forward] : [];
  }
  return [];
}

export function changeStatus(id: string, status: string): Promise<Order> {
  return authorizedRequest<Order>(`/orders/${encodeURIComponent(id)}`, {
    method: "PUT",
    body: { status },
  });
}
