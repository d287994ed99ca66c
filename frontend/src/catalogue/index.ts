/**
 * The catalogue for the organisation's people (admin and staff): products with their photos
 * and stock, suppliers and their orders, and the automatic replenishment of low stock.
 */
import { createElement } from "react";

import type { AppRoute } from "../routes";
import { NewProductPage, ProductPage } from "./ProductPage";
import { ProductsPage } from "./ProductsPage";
import { ReplenishmentPage } from "./ReplenishmentPage";
import { SupplierPage } from "./SupplierPage";
import { SuppliersPage } from "./SuppliersPage";

const STAFF: AppRoute["audience"] = ["admin", "staff"];

export const catalogueRoutes: AppRoute[] = [
  {
    path: "/produtos",
    element: createElement(ProductsPage),
    audience: STAFF,
    nav: { label: "catalogue:nav.products", order: 40 },
  },
  { path: "/produtos/novo", element: createElement(NewProductPage), audience: STAFF },
  { path: "/produtos/:id", element: createElement(ProductPage), audience: STAFF },
  {
    path: "/fornecedores",
    element: createElement(SuppliersPage),
    audience: STAFF,
    nav: { label: "catalogue:nav.suppliers", order: 45 },
  },
  { path: "/fornecedores/:id", element: createElement(SupplierPage), audience: STAFF },
  {
    path: "/reposicao",
    element: createElement(ReplenishmentPage),
    audience: STAFF,
    nav: { label: "catalogue:nav.replenishment", order: 50 },
  },
];
