/**
 * The order pages' data, from the types generated out of the gateway's API document
 * (src/api/schema.d.ts). The generated response types mark every field optional (the API
 * document does not say which are always sent); `Known` marks the ones the order service
 * always writes, so that the pages need no `?? ""` for them.
 */
import type { components, paths } from "../api/schema";
import type { OrderStatus } from "./statuses";

type Schemas = components["schemas"];
type OrdersQuery = NonNullable<paths["/api/v1/orders"]["get"]["parameters"]["query"]>;

/** `T` with the keys `K` always present (and not undefined). */
type Known<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };

export type { OrderStatus };
export type StockStatus = NonNullable<OrdersQuery["stock_status"]>;
export type OrderSort = NonNullable<OrdersQuery["sort"]>;

export type OrderItem = Known<
  Schemas["OrderItem"],
  "id" | "product_id" | "quantity" | "unit_price" | "line_total"
>;

export type OrderSummary = Known<
  Omit<Schemas["OrderSummary"], "items">,
  "id" | "number" | "type" | "status" | "stock_status" | "total" | "item_count" | "created_at"
> & { items?: OrderItem[] };

export type Shortage = Known<Schemas["Shortage"], "product_id" | "requested" | "available">;
export type StatusChange = Known<Schemas["StatusChange"], "to" | "at">;
export type ClientBrief = Known<Schemas["ClientBrief"], "id" | "name">;

export type OrderDetail = Omit<OrderSummary, "items"> & {
  items: OrderItem[];
  client: ClientBrief | null;
  shortages: Shortage[];
  status_history: StatusChange[];
  /** The statuses the signed-in user may move the order to now: the API's word, never ours. */
  allowed_transitions: OrderStatus[];
};

export type Client = Known<Schemas["Client"], "id" | "name">;
export type Supplier = Known<Schemas["Supplier"], "id" | "name">;
export type Product = Known<Schemas["Product"], "id" | "name" | "price" | "unit">;

/** POST /orders: `client_id` and `items` always (staff order for a client), the rest optional. */
export type OrderCreate = Pick<Schemas["OrderCreate"], "items"> & {
  client_id: string;
  notes?: string;
  desired_delivery_date?: string;
};
export type OrderItemCreate = Schemas["OrderItemCreate"];
export type OrderItemQuantity = Schemas["OrderItemQuantity"];
export type OrderUpdate = Schemas["OrderUpdate"];

export type BulkStatusRequest = Schemas["BulkStatusRequest"];
export type BulkStatusResult = Schemas["BulkStatusResult"];
export type BulkMoved = Schemas["BulkMoved"];
export type BulkFailed = Schemas["BulkFailed"];
