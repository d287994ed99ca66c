/**
 * The staff's order pages (admin and staff): the list with filters and bulk status changes,
 * a new order, and one order. The shell builds the router and the menu from these.
 */
import { createElement } from "react";

import type { AppRoute } from "../routes";
import { NewOrderPage } from "./NewOrderPage";
import { OrderDetailPage } from "./OrderDetailPage";
import { OrdersPage } from "./OrdersPage";

const STAFF: AppRoute["audience"] = ["admin", "staff"];

export const ordersRoutes: AppRoute[] = [
  { path: "/pedidos", element: createElement(OrdersPage), audience: STAFF, nav: { label: "orders:nav.list", order: 10 } },
  {
    path: "/pedidos/novo",
    element: createElement(NewOrderPage),
    audience: STAFF,
    nav: { label: "orders:nav.new", order: 11 },
  },
  { path: "/pedidos/:id", element: createElement(OrderDetailPage), audience: STAFF },
];

export type { OrderDetail, OrderSummary, OrderStatus, StockStatus } from "./types";
