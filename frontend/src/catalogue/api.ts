/**
 * The catalogue's calls to the API (products, their images, suppliers and a supplier's
 * orders) and the TanStack Query keys they are cached under: everything under
 * ["catalogue", …], so that a change invalidates exactly the lists it touches.
 */
import type { Page } from "../api/client";
import { authorizedPage, authorizedRequest } from "../auth/authorized";
import {
  PAGE_SIZE,
  productsPath,
  supplierOrdersPath,
  suppliersPath,
  type ProductFilters,
  type SupplierFilters,
  type SupplierOrderFilters,
} from "./filters";
import { imageClient, imagePath, multipartFile } from "./images";
import type {
  Product,
  ProductChanges,
  ProductCreate,
  ProductImage,
  Supplier,
  SupplierChanges,
  SupplierCreate,
  SupplierOrders,
} from "./types";

export const catalogueKeys = {
  all: ["catalogue"] as const,
  products: () => ["catalogue", "products"] as const,
  productList: (filters: ProductFilters) => ["catalogue", "products", filters] as const,
  product: (id: string) => ["catalogue", "product", id] as const,
  image: (url: string) => ["catalogue", "image", url] as const,
  suppliers: () => ["catalogue", "suppliers"] as const,
  supplierList: (filters: SupplierFilters) => ["catalogue", "suppliers", filters] as const,
  supplierOptions: (search: string) => ["catalogue", "suppliers", "options", search] as const,
  supplier: (id: string) => ["catalogue", "supplier", id] as const,
  allSupplierOrders: () => ["catalogue", "supplier-orders"] as const,
  supplierOrders: (id: string) => ["catalogue", "supplier-orders", id] as const,
  supplierOrderPage: (id: string, filters: SupplierOrderFilters) =>
    ["catalogue", "supplier-orders", id, filters] as const,
};


const productPath = (id: string) => `/products/${encodeURIComponent(id)}`;
const supplierPath = (id: string) => `/suppliers/${encodeURIComponent(id)}`;

// -- products -----------------------------------------------------------------------------

export function listProducts(filters: ProductFilters, signal?: AbortSignal): Promise<Page<Product>> {
  return authorizedPage<Product>(productsPath(filters), { signal });
}

export function getProduct(id: string, signal?: AbortSignal): Promise<Product> {
  return authorizedRequest<Product>(productPath(id), { signal });
}

export function createProduct(body: ProductCreate): Promise<Product> {
  return authorizedRequest<Product>("/products", { method: "POST", body });
}

export function updateProduct(id: string, changes: ProductChanges): Promise<Product> {
  return authorizedRequest<Product>(productPath(id), { method: "PUT", body: changes });
}

export function deleteProduct(id: string): Promise<unknown> {
  return authorizedRequest(productPath(id), { method: "DELETE" });
}

/** POST multipart/form-data with the file in the field `file` (products.py). */
export function uploadProductImage(productId: string, file: File): Promise<ProductImage> {
  return authorizedRequest<ProductImage>(`${productPath(productId)}/images`, {
    method: "POST",
    rawBody: multipartFile(file),
  });
}

export function deleteProductImage(productId: string, imageId: string): Promise<unknown> {
  return authorizedRequest(`${productPath(productId)}/images/${encodeURIComponent(imageId)}`, {
    method: "DELETE",
  });
}

/** An image's file (an authenticated GET), as a data: URL an <img> can show. */
export function getImageDataUrl(url: string, signal?: AbortSignal): Promise<string> {
  return authorizedRequest<string>(imagePath(url), { signal }, imageClient);
}

// -- suppliers ----------------------------------------------------------------------------

export function listSuppliers(filters: SupplierFilters, signal?: AbortSignal): Promise<Page<Supplier>> {
  return authorizedPage<Supplier>(suppliersPath(filters), { signal });
}

/** The first suppliers whose name has `search`, for a picker. */
export function supplierOptions(search: string, signal?: AbortSignal): Promise<Page<Supplier>> {
  return authorizedPage<Supplier>(suppliersPath({ q: search, page: 1 }, PAGE_SIZE), { signal });
}

export function getSupplier(id: string, signal?: AbortSignal): Promise<Supplier> {
  return authorizedRequest<Supplier>(supplierPath(id), { signal });
}

export function createSupplier(body: SupplierCreate): Promise<Supplier> {
  return authorizedRequest<Supplier>("/suppliers", { method: "POST", body });
}

export function updateSupplier(id: string, changes: SupplierChanges): Promise<Supplier> {
  return authorizedRequest<Supplier>(supplierPath(id), { method: "PUT", body: changes });
}

export function deleteSupplier(id: string): Promise<unknown> {
  return authorizedRequest(supplierPath(id), { method: "DELETE" });
}

/** The supplier's orders (order service): one page of them and the summary of all. */
export function getSupplierOrders(
  id: string,
  filters: SupplierOrderFilters,
  signal?: AbortSignal,
): Promise<SupplierOrders> {
  return authorizedRequest<SupplierOrders>(supplierOrdersPath(id, filters), { signal });
}
