/**
 * The people area's calls to the API (every one through authorizedRequest/authorizedPage) and
 * its TanStack Query keys: everything cached here lives under ["people", …], so a change
 * invalidates exactly what it may have changed.
 */
import type { components } from "../api/schema";
import { authorizedPage, authorizedRequest } from "../auth/authorized";
import {
  clientOptionsPath,
  clientOrdersPath,
  clientsPath,
  clientSummaryPath,
  supplierOptionsPath,
  supplierOrdersPath,
  usersPath,
  type ClientFilters,
  type SupplierOrderFilters,
  type UserFilters,
} from "./filters";
import type { OrderStatus } from "../orders/statuses";

type Schemas = components["schemas"];
export type Client = Schemas["Client"];
export type ClientCreate = Schemas["ClientCreate"];
export type ClientUpdate = Schemas["ClientUpdate"];
export type ClientOrders = Schemas["ClientOrders"];
export type ClientSummary = Schemas["ClientSummary"];
export type TopProduct = Schemas["TopProduct"];
export type User = Schemas["User"];
export type UserCreate = Schemas["UserCreate"];
export type UserUpdate = Schemas["UserUpdate"];
export type Supplier = Schemas["Supplier"];
export type OrderSummary = Schemas["OrderSummary"];
export type OrderDetail = Schemas["OrderDetail"];
export type OrderItem = Schemas["OrderItem"];
export type StatusChange = Schemas["StatusChange"];
export type OrderUpdate = Schemas["OrderUpdate"];
export type { OrderStatus };

export const peopleKeys = {
  all: ["people"] as const,
  clients: () => ["people", "clients"] as const,
  clientList: (filters: ClientFilters) => ["people", "clients", "list", filters] as const,
  client: (id: string) => ["people", "clients", "one", id] as const,
  clientSummary: (id: string) => ["people", "clients", "one", id, "summary"] as const,
  clientOrders: (id: string, page: number) => ["people", "clients", "one", id, "orders", page] as const,
  clientOptions: (name: string) => ["people", "clients", "options", name] as const,
  users: () => ["people", "users"] as const,
  userList: (filters: UserFilters) => ["people", "users", "list", filters] as const,
  /** The name of the record a user is bound to ("clients" keys go with the clients'). */
  boundName: (kind: "client" | "supplier", id: string) =>
    [...(kind === "client" ? ["people", "clients"] : ["people", "suppliers"]), "name", id] as const,
  supplierOptions: (name: string) => ["people", "suppliers", "options", name] as const,
  supplierOrders: () => ["people", "supplier-orders"] as const,
  supplierOrderLists: () => ["people", "supplier-orders", "list"] as const,
  supplierOrderList: (filters: SupplierOrderFilters) =>
    ["people", "supplier-orders", "list", filters] as const,
  order: (id: string) => ["people", "supplier-orders", "one", id] as const,
};

const id = (value: string) => encodeURIComponent(value);

// -- clients ------------------------------------------------------------------------------

export function listClients(filters: ClientFilters, signal?: AbortSignal) {
  return authorizedPage<Client>(clientsPath(filters), { signal });
}

export function getClient(clientId: string, signal?: AbortSignal) {
  return authorizedRequest<Client>(`/clients/${id(clientId)}`, { signal });
}

export function createClient(body: ClientCreateBody) {
  return authorizedRequest<Client>("/clients", { method: "POST", body });
}

export function updateClient(clientId: string, body: ClientUpdate) {
  return authorizedRequest<Client>(`/clients/${id(clientId)}`, { method: "PUT", body });
}

export function deleteClient(clientId: string) {
  return authorizedRequest<Client>(`/clients/${id(clientId)}`, { method: "DELETE" });
}

export function getClientSummary(clientId: string, signal?: AbortSignal) {
  return authorizedRequest<ClientOrders>(clientSummaryPath(clientId), { signal });
}

export function listClientOrders(clientId: string, page: number, signal?: AbortSignal) {
  return authorizedPage<OrderSummary>(clientOrdersPath(clientId, page), { signal });
}

export function listClientOptions(name: string, signal?: AbortSignal) {
  return authorizedPage<Client>(clientOptionsPath(name), { signal });
}

/** What the form sends: user_id is the auth service's alone, never sent from here. */
export type ClientCreateBody = Omit<ClientCreate, "user_id">;

// -- users ----------------------------------------------------------------------------------

export function listUsers(filters: UserFilters, signal?: AbortSignal) {
  return authorizedPage<User>(usersPath(filters), { signal });
}

export function createUser(body: UserCreate) {
  return authorizedRequest<User>("/auth/users", { method: "POST", body });
}

export function updateUser(userId: string, body: UserUpdate) {
  return authorizedRequest<User>(`/auth/users/${id(userId)}`, { method: "PATCH", body });
}

/** DELETE deactivates (the user is kept for the history; PATCH active: true brings it back). */
export function deleteUser(userId: string) {
  return authorizedRequest<User>(`/auth/users/${id(userId)}`, { method: "DELETE" });
}

// -- suppliers (for the user form's binding) ---------------------------------------------------

export function getSupplier(supplierId: string, signal?: AbortSignal) {
  return authorizedRequest<Supplier>(`/suppliers/${id(supplierId)}`, { signal });
}

export function listSupplierOptions(name: string, signal?: AbortSignal) {
  return authorizedPage<Supplier>(supplierOptionsPath(name), { signal });
}

// -- the supplier desk -------------------------------------------------------------------------

export function listSupplierOrders(filters: SupplierOrderFilters, signal?: AbortSignal) {
  return authorizedPage<OrderSummary>(supplierOrdersPath(filters), { signal });
}

export function getOrder(orderId: string, signal?: AbortSignal) {
  return authorizedRequest<OrderDetail>(`/orders/${id(orderId)}`, { signal });
}

export interface StatusChangeBody {
  status: OrderStatus;
  note?: string;
}

export function changeOrderStatus(orderId: string, body: StatusChangeBody) {
  return authorizedRequest<OrderDetail>(`/orders/${id(orderId)}`, { method: "PUT", body });
}

/** { status, note } for PUT /orders/{id}: a blank note is left out. */
export function statusChangeBody(status: OrderStatus, note: string): StatusChangeBody {
  const trimmed = note.trim();
  return trimmed ? { status, note: trimmed } : { status };
}
