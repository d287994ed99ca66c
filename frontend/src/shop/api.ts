/** The shop's calls to the API and the TanStack Query keys they are cached under. */

import type { QueryClient } from "@tanstack/react-query";

import { API_PREFIX, ApiError, networkErrorMessage, api, type Page } from "../api/client";
import { authorizedPage, authorizedRequest } from "../auth/authorized";
import { restoreSession } from "../auth/session";
import { getAccessToken } from "../auth/tokens";
import type { User } from "../auth/session";
import { myOrdersPath, productsPath, type CatalogueFilters } from "./urls";
import type {
  OrderBody,
  OrderDetail,
  OrderStatus,
  OrderSummary,
  OrderUpdate,
  Product,
  ProductImage,
  Register,
} from "./types";

/** Every key starts with "shop"; the photos are cached apart from the data that changes. */
export const shopKeys = {
  all: ["shop"] as const,
  products: (filters: CatalogueFilters) => ["shop", "products", filters] as const,
  product: (id: string) => ["shop", "product", id] as const,
  image: (path: string) => ["shop", "image", path] as const,
  orders: (page: number) => ["shop", "orders", page] as const,
  order: (id: string) => ["shop", "order", id] as const,
};

/**
 * After an order is placed or changed: the shop's lists and free stock, and the orders
 * other pages show ("orders"), are read again. The photos stay.
 */
export function invalidateAfterOrderChange(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({
      queryKey: shopKeys.all,
      predicate: (query) => query.queryKey[1] !== "image",
    }),
    queryClient.invalidateQueries({ queryKey: ["orders"] }),
  ]);
}

const id = (value: string) => encodeURIComponent(value);

export function listProducts(filters: CatalogueFilters, signal?: AbortSignal): Promise<Page<Product>> {
  return authorizedPage<Product>(productsPath(filters), { signal });
}

export function getProduct(productId: string, signal?: AbortSignal): Promise<Product> {
  return authorizedRequest<Product>(`/products/${id(productId)}`, { signal });
}

/**
 * POST /orders with its Idempotency-Key: the same key for every retry of the same cart, so
 * a timeout followed by another click (or a reload) never makes a second order.
 */
export function placeOrder(body: OrderBody, idempotencyKey: string): Promise<OrderDetail> {
  return authorizedRequest<OrderDetail>("/orders", {
    method: "POST",
    body,
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

export function listMyOrders(page: number, signal?: AbortSignal): Promise<Page<OrderSummary>> {
  return authorizedPage<OrderSummary>(myOrdersPath(page), { signal });
}

export function getOrder(orderId: string, signal?: AbortSignal): Promise<OrderDetail> {
  return authorizedRequest<OrderDetail>(`/orders/${id(orderId)}`, { signal });
}

export function changeItemQuantity(
  orderId: string,
  itemId: string,
  quantity: number,
): Promise<OrderDetail> {
  return authorizedRequest<OrderDetail>(`/orders/${id(orderId)}/items/${id(itemId)}`, {
    method: "PATCH",
    body: { quantity },
  });
}

/** PUT /orders/{id} with a status from the order's `allowed_transitions`. */
export function moveOrder(
  orderId: string,
  status: OrderStatus,
  cancelReason?: string,
): Promise<OrderDetail> {
  const body: OrderUpdate = { status };
  if (status === "cancelled" && cancelReason && cancelReason.trim() !== "") {
    body.cancel_reason = cancelReason.trim();
  }
  return authorizedRequest<OrderDetail>(`/orders/${id(orderId)}`, { method: "PUT", body });
}

/** POST /auth/register: a `client` user and its client record; no tokens (log in next). */
export function register(body: Register): Promise<User> {
  return authorizedRequest<User>("/auth/register", { method: "POST", body });
}

/** The API path (under /api/v1) of a product's photo. */
export function imagePath(productId: string, image: ProductImage): string | null {
  if (typeof image.url === "string" && image.url.startsWith(`${API_PREFIX}/`)) {
    return image.url.slice(API_PREFIX.length);
  }
  return image.id ? `/products/${id(productId)}/images/${id(image.id)}` : null;
}

/**
 * A photo's file. The image route wants the same bearer token as every read, which an
 * `<img src>` cannot send: the file is fetched here (a 401 renews the token once, as
 * authorizedRequest does) and shown from a blob.
 */
export async function fetchImage(path: string, signal?: AbortSignal): Promise<Blob> {
  const send = async () => {
    const token = getAccessToken();
    try {
      return await fetch(api.url(path), {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new ApiError(networkErrorMessage(), { status: 0, code: "network_error" });
    }
  };
  let response = await send();
  if (response.status === 401 && (await restoreSession())) {
    response = await send();
  }
  const type = response.headers.get("Content-Type") ?? "";
  if (!response.ok || !type.startsWith("image/")) {
    throw new ApiError(`HTTP ${response.status}`, { status: response.status, code: "image_error" });
  }
  return response.blob();
}
