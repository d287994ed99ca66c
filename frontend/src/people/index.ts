/**
 * Clients, users and the supplier desk, as the shell mounts them: who may open each page, and
 * the menu entries (labels in the "people" namespace).
 */
import { createElement } from "react";

import type { AppRoute } from "../routes";
import { ClientDetailPage } from "./ClientDetailPage";
import { ClientsPage } from "./ClientsPage";
import { SupplierDeskPage } from "./SupplierDeskPage";
import { SupplierOrderPage } from "./SupplierOrderPage";
import { UsersPage } from "./UsersPage";

export const peopleRoutes: AppRoute[] = [
  {
    path: "/clientes",
    element: createElement(ClientsPage),
    audience: ["admin", "staff"],
    nav: { label: "people:nav.clients", order: 30 },
  },
  { path: "/clientes/:id", element: createElement(ClientDetailPage), audience: ["admin", "staff"] },
  {
    path: "/usuarios",
    element: createElement(UsersPage),
    audience: ["admin"],
    nav: { label: "people:nav.users", order: 90 },
  },
  {
    path: "/fornecedor",
    element: createElement(SupplierDeskPage),
    audience: ["supplier"],
    nav: { label: "people:nav.supplierDesk", order: 10 },
  },
  { path: "/fornecedor/pedidos/:id", element: createElement(SupplierOrderPage), audience: ["supplier"] },
];
