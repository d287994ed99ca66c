/** Small pieces the shop's pages share: the cart link with its badge, pages, field messages. */

import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { ApiError } from "../api/client";
import { useCurrentUser } from "../auth/SessionContext";
import { itemCount } from "./cart";
import { useCart } from "./useCart";
import "./shop.css";

export const CART_PATH = "/loja/carrinho";
export const SHOP_PATH = "/loja";
export const MY_ORDERS_PATH = "/meus-pedidos";

export function orderPath(orderId: string): string {
  return `${MY_ORDERS_PATH}/${encodeURIComponent(orderId)}`;
}

/** An ApiError to show, whatever was thrown. */
export function asApiError(error: unknown, fallback: string): ApiError | null {
  if (error === null || error === undefined) {
    return null;
  }
  if (error instanceof ApiError) {
    return error;
  }
  return new ApiError(fallback, { status: 0, code: "unknown_error" });
}

/** "Carrinho" with the number of products in it (read out as a sentence). */
export function CartLink({ count }: { count: number }) {
  const { t } = useTranslation("shop");
  return (
    <Link to={CART_PATH} className="button shop-cart-link" data-testid="shop-cart-link">
      <span aria-hidden="true">{t("cart.link")}</span>
      <span className="shop-badge" aria-hidden="true" data-testid="shop-cart-count">
        {count}
      </span>
      <span className="visually-hidden">{t("cart.linkLabel", { items: count })}</span>
    </Link>
  );
}

/** The signed-in client's cart link (for the shop's pages, or the shell's top bar). */
export function ShopCartBadge() {
  const user = useCurrentUser();
  const { cart } = useCart(user.id);
  return <CartLink count={itemCount(cart.lines)} />;
}

/** Previous / "Página 2 de 5" / next, as links (the page is the URL's). */
export function Pager({
  page,
  pages,
  searchFor,
  label,
}: {
  page: number;
  pages: number;
  searchFor: (page: number) => string;
  label: string;
}) {
  const { t } = useTranslation("shop");
  if (pages <= 1 && page <= 1) {
    return null;
  }
  return (
    <nav className="pager shop-pager" aria-label={label}>
      {page > 1 ? (
        <Link to={{ search: searchFor(Math.min(page - 1, Math.max(pages, 1))) }} rel="prev" data-testid="pager-previous">
          ← {t("common:previous")}
        </Link>
      ) : (
        <span />
      )}
      <span className="small">{t("common:page", { page, pages: Math.max(pages, 1) })}</span>
      {page < pages ? (
        <Link to={{ search: searchFor(page + 1) }} rel="next" data-testid="pager-next">
          {t("common:next")} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** The messages of one field, under it (referenced by the input's aria-describedby). */
export function FieldMessages({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) {
    return null;
  }
  return (
    <div id={id} className="shop-field-messages">
      {messages.map((message) => (
        <p key={message} className="field-error">
          {message}
        </p>
      ))}
    </div>
  );
}

/** A status or stock status with its colour; the text is common:status.* / stockStatus.*. */
export function StatusBadge({
  kind,
  value,
  testId,
}: {
  kind: "status" | "stockStatus";
  value: string | undefined;
  testId?: string;
}) {
  const { t } = useTranslation("shop");
  const known = value ? t(`common:${kind}.${value}`, { defaultValue: value }) : "—";
  return (
    <span className={`badge shop-status shop-${kind}-${value ?? "none"}`} data-testid={testId} data-value={value}>
      {known}
    </span>
  );
}
