import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { formatDateTime, formatMoney, formatNumber } from "../i18n/format";
import { StatusBadge, StockBadge } from "./badges";
import { pageSelectionState, type Selection } from "./bulk";
import { sortDirection, type SortColumn } from "./filters";
import type { OrderSort, OrderSummary } from "./types";

interface OrdersTableProps {
  orders: OrderSummary[];
  sort: OrderSort;
  onSort: (column: SortColumn) => void;
  selection: Selection;
  onToggle: (id: string) => void;
  onTogglePage: (checked: boolean) => void;
  /** First load: skeleton rows. */
  loading: boolean;
  /** A new page or filter on its way: the old rows, dimmed. */
  stale: boolean;
  /** What an empty list says (and offers). */
  empty: ReactNode;
}

const SKELETON_ROWS = 5;
const COLUMNS = 8;

/** Who an order is for: its client, or, for a replenishment, its supplier. */
export function orderParty(order: OrderSummary): string | null {
  if (order.client_name) {
    return order.client_name;
  }
  return order.items?.find((item) => item.supplier_name)?.supplier_name ?? null;
}

/** The orders of one page: choose rows, sort by number, date or total, open one. */
export function OrdersTable({
  orders,
  sort,
  onSort,
  selection,
  onToggle,
  onTogglePage,
  loading,
  stale,
  empty,
}: OrdersTableProps) {
  const { t } = useTranslation("orders");
  const pageIds = orders.map((order) => order.id);
  const pageState = pageSelectionState(selection, pageIds);

  function sortHeader(column: SortColumn, label: string, className?: string) {
    const direction = sortDirection(sort, column);
    return (
      <th scope="col" aria-sort={direction} className={className}>
        <button
          type="button"
          className="orders-sort"
          onClick={() => onSort(column)}
          data-testid={`sort-${column}`}
          title={t("list.sortBy", { column: label })}
        >
          {label}
          <span aria-hidden="true" className="orders-sort-mark">
            {direction === "ascending" ? "▲" : direction === "descending" ? "▼" : "↕"}
          </span>
        </button>
      </th>
    );
  }

  return (
    <div className="orders-scroll" role="region" aria-label={t("list.tableLabel")} tabIndex={0}>
      <table
        className={stale ? "orders-table stale" : "orders-table"}
        aria-busy={loading || stale}
        data-testid="orders-table"
      >
        <thead>
          <tr>
            <th scope="col" className="orders-check">
              <input
                type="checkbox"
                aria-label={t("list.selectPage")}
                checked={pageState === "all"}
                ref={(element) => {
                  if (element) {
                    element.indeterminate = pageState === "some";
                  }
                }}
                disabled={orders.length === 0}
                onChange={(event) => onTogglePage(event.target.checked)}
                data-testid="select-page"
              />
            </th>
            {sortHeader("number", t("list.number"))}
            {sortHeader("created_at", t("list.createdAt"))}
            <th scope="col">{t("list.party")}</th>
            <th scope="col">{t("list.status")}</th>
            <th scope="col">{t("list.stock")}</th>
            <th scope="col" className="orders-num">
              {t("list.items")}
            </th>
            {sortHeader("total", t("list.total"), "orders-num")}
          </tr>
        </thead>
        <tbody>
          {loading &&
            Array.from({ length: SKELETON_ROWS }, (_, index) => (
              <tr key={index} className="orders-skeleton-row" aria-hidden="true">
                {Array.from({ length: COLUMNS }, (__, cell) => (
                  <td key={cell}>
                    <span className="orders-skeleton" />
                  </td>
                ))}
              </tr>
            ))}
          {!loading && orders.length === 0 && (
            <tr>
              <td colSpan={COLUMNS} className="orders-empty" data-testid="orders-empty">
                {empty}
              </td>
            </tr>
          )}
          {orders.map((order) => {
            const chosen = selection.includes(order.id);
            const party = orderParty(order);
            return (
              <tr
                key={order.id}
                className={chosen ? "selected" : undefined}
                data-testid="order-row"
                data-number={order.number}
                data-status={order.status}
              >
                <td className="orders-check">
                  <input
                    type="checkbox"
                    checked={chosen}
                    onChange={() => onToggle(order.id)}
                    aria-label={t("list.selectOrder", { number: order.number })}
                    data-testid="select-order"
                  />
                </td>
                <td className="orders-nowrap">
                  <Link to={`/pedidos/${order.id}`} data-testid="order-link">
                    {t("list.numberValue", { number: order.number })}
                  </Link>
                </td>
                <td className="orders-nowrap">{formatDateTime(order.created_at)}</td>
                <td>
                  {party ?? <span className="muted">—</span>}
                  {order.type === "replenishment" && (
                    <span className="muted small orders-block">{t("list.replenishment")}</span>
                  )}
                </td>
                <td>
                  <StatusBadge status={order.status} />
                </td>
                <td>
                  <StockBadge stockStatus={order.stock_status} />
                </td>
                <td className="orders-num">{formatNumber(order.item_count)}</td>
                <td className="orders-num orders-nowrap">{formatMoney(order.total)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
