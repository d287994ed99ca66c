/**
 * The catalogue's shapes, from the API's generated document (src/api/schema.d.ts). The
 * generator marks every response field optional; the services always send them, so the
 * response types here are `Required<…>` of the generated ones, with the few fields the
 * generator could not type (`supplier_name`, `url`, `available_after`) written out.
 */
import type { components } from "../api/schema";

type Schemas = components["schemas"];

export type Unit = Schemas["ProductCreate"]["unit"];
export const UNITS: readonly Unit[] = ["un", "kg", "g", "l", "ml", "cx", "pct"];

export type StockFigures = Required<Schemas["Stock"]>;

export type ProductImage = Required<Omit<Schemas["Image"], "url">> & {
  /** The authenticated GET of the file, with the API prefix (`/api/v1/products/…`). */
  url: string;
};

export type Product = Required<Omit<Schemas["Product"], "supplier_name" | "stock" | "images">> & {
  supplier_name: string | null;
  stock: StockFigures;
  images: ProductImage[];
};

/** POST /products. */
export type ProductCreate = Schemas["ProductCreate"];
/** PUT /products/{id}: only what changes (stock is never changed here). */
export type ProductChanges = Partial<Omit<ProductCreate, "initial_stock">>;

export type Supplier = Required<Schemas["Supplier"]>;
export type SupplierCreate = Schemas["SupplierCreate"];
export type SupplierChanges = Partial<SupplierCreate>;

export type SupplierOrderSummary = Required<Omit<Schemas["OrderSummary"], "items">>;
export interface SupplierOrders {
  supplier: { id: string; name: string | null };
  period: { date_from: string | null; date_to: string | null };
  orders: SupplierOrderSummary[];
  summary: Required<Schemas["SupplierSummary"]>;
}

export type LowStockRequest = Schemas["LowStockRequest"];
export type PlannedLine = Required<Schemas["PlannedLine"]>;
export type PlannedOrder = Required<Omit<Schemas["PlannedOrder"], "items">> & { items: PlannedLine[] };
export type OpenProduct = Required<Schemas["OpenProduct"]>;
export type NotProcessed = Required<Schemas["NotProcessed"]>;
export type Replenishment = Required<
  Omit<Schemas["Replenishment"], "details" | "already_on_open_orders" | "not_processed">
> & {
  details: PlannedOrder[];
  already_on_open_orders: OpenProduct[];
  not_processed: NotProcessed[];
};
