import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { ErrorAlert } from "../api/ErrorAlert";
import { formatDateTime, formatMoney, formatNumber } from "../i18n/format";
import { listMyOrders, shopKeys } from "./api";
import { STOCK_POLL_MS, awaitingStock } from "./orders";
import { Pager, SHOP_PATH, StatusBadge, asApiError, orderPath } from "./ui";
import { readPage, withPage } from "./urls";

/**
 * Meus pedidos (`/meus-pedidos?page=N`): the client's orders, newest first (the API shows a
 * client only its own). Read again every 1.5 s while one of them awaits the stock.
 */
export function MyOrdersPage() {
  const { t } = useTranslation("shop");
  const id = useId();
  const [params] = useSearchParams();
  const page = readPage(params);
  const orders = useQuery({
    queryKey: shopKeys.orders(page),
    queryFn: ({ signal }) => listMyOrders(page, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((order) => awaitingStock(order)) ? STOCK_POLL_MS : false,
  });
  const items = orders.data?.items ?? [];
  const error = asApiError(orders.error, t("orders.loadError"));

  return (
    <section className="card wide shop" aria-labelledby={`${id}-title`} data-testid="shop-my-orders">
      <div className="card-header">
        <h1 id={`${id}-title`}>{t("orders.title")}</h1>
        <Link to={SHOP_PATH}>{t("orders.shop")}</Link>
      </div>
      {error && (
        <div className="shop-stack">
          <ErrorAlert error={error} testId="shop-orders-error" />
          <button type="button" className="button small" onClick={() => void orders.refetch()}>
            {t("common:retry")}
          </button>
        </div>
      )}
      {orders.isPending && (
        <div aria-busy="true">
          <p className="muted" role="status">
            {t("orders.loading")}
          </p>
          {Array.from({ length: 3 }, (_, index) => (
            <div key={index} className="shop-skeleton shop-skeleton-row" aria-hidden="true" />
          ))}
        </div>
      )}
      {orders.data && items.length === 0 && (
        <div data-testid="shop-orders-empty">
          <p className="muted">{page > 1 ? t("orders.emptyPage") : t("orders.empty")}</p>
          <p>
            {page > 1 ? (
              <Link to={{ search: withPage(params, 1).toString() }}>{t("orders.firstPage")}</Link>
            ) : (
              <Link to={SHOP_PATH} className="button primary">
                {t("orders.startShopping")}
              </Link>
            )}
          </p>
        </div>
      )}
      {items.length > 0 && (
        <table
          className={orders.isPlaceholderData ? "data-table shop-orders-table stale" : "data-table shop-orders-table"}
          aria-busy={orders.isFetching}
          data-testid="shop-orders-table"
        >
          <caption className="visually-hidden">{t("orders.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("orders.number")}</th>
              <th scope="col">{t("orders.date")}</th>
              <th scope="col">{t("orders.status")}</th>
              <th scope="col">{t("orders.stock")}</th>
              <th scope="col">{t("orders.items")}</th>
              <th scope="col">{t("orders.total")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((order) => (
              <tr key={order.id} data-testid="shop-order-row">
                <td data-label={t("orders.number")}>
                  {order.id ? (
                    <Link to={orderPath(order.id)}>{t("orders.numberLink", { number: order.number ?? "—" })}</Link>
                  ) : (
                    order.number
                  )}
                </td>
                <td data-label={t("orders.date")}>{order.created_at ? formatDateTime(order.created_at) : "—"}</td>
                <td data-label={t("orders.status")}>
                  <StatusBadge kind="status" value={order.status} />
                </td>
                <td data-label={t("orders.stock")}>
                  <StatusBadge kind="stockStatus" value={order.stock_status} />
                </td>
                <td data-label={t("orders.items")}>{formatNumber(order.item_count ?? order.items?.length ?? 0)}</td>
                <td data-label={t("orders.total")}>{formatMoney(order.total ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {orders.data && (
        <Pager
          page={orders.data.page}
          pages={orders.data.pages}
          label={t("orders.pages")}
          searchFor={(next) => withPage(params, next).toString()}
        />
      )}
    </section>
  );
}
