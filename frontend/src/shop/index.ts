/**
 * The client shop: the catalogue, the cart, the client's own orders and the sign-up. The
 * shell builds the router and the menu from these routes.
 */

import { createElement } from "react";

import type { AppRoute } from "../routes";
import { CartPage } from "./CartPage";
import { CataloguePage } from "./CataloguePage";
import { MyOrderPage } from "./MyOrderPage";
import { MyOrdersPage } from "./MyOrdersPage";
import { SignUpPage } from "./SignUpPage";
import { CART_PATH, MY_ORDERS_PATH, SHOP_PATH } from "./ui";

const CLIENT: AppRoute["audience"] = ["client"];

export const shopRoutes: AppRoute[] = [
  {
    path: SHOP_PATH,
    element: createElement(CataloguePage),
    audience: CLIENT,
    nav: { label: "shop:nav.shop", order: 10 },
  },
  {
    path: CART_PATH,
    element: createElement(CartPage),
    audience: CLIENT,
    nav: { label: "shop:nav.cart", order: 20 },
  },
  {
    path: MY_ORDERS_PATH,
    element: createElement(MyOrdersPage),
    audience: CLIENT,
    nav: { label: "shop:nav.orders", order: 30 },
  },
  {
    path: `${MY_ORDERS_PATH}/:id`,
    element: createElement(MyOrderPage),
    audience: CLIENT,
  },
  {
    path: "/cadastro",
    element: createElement(SignUpPage),
    audience: "anonymous",
  },
];

/** The client's cart link with its item count, for a top bar that wants it. */
export { ShopCartBadge } from "./ui";
