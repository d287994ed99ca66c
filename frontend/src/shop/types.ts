/** The API's shapes the shop reads and sends, from the generated OpenAPI types. */

import type { components } from "../api/schema";
import type { OrderStatus } from "../orders/statuses";

type Schemas = components["schemas"];

export type Product = Schemas["Product"];
export type ProductImage = Schemas["Image"];
export type OrderSummary = Schemas["OrderSummary"];
export type OrderDetail = Schemas["OrderDetail"];
export type OrderItem = Schemas["OrderItem"];
export type StatusChange = Schemas["StatusChange"];
export type Shortage = Schemas["Shortage"];
export type Register = Schemas["Register"];
export type OrderUpdate = Schemas["OrderUpdate"];
export type OrderItemQuantity = Schemas["OrderItemQuantity"];
export type { OrderStatus };

/**
 * POST /orders as a client sends it: no `client_id` (the order service takes the caller's
 * own; another one would be a 403), no delivery date, notes only when written.
 */
export type OrderBody = Pick<Schemas["OrderCreate"], "items"> & { notes?: string };
