import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { ErrorAlert } from "../api/ErrorAlert";
import { useCurrentUser } from "../auth/SessionContext";
import { formatDate, formatDateTime, formatNumber } from "../i18n/format";
import { AWAITING_POLL_MS, getOrder, orderKeys } from "./api";
import { StatusBadge, StockBadge } from "./badges";
import { asApiError } from "./errors";
import { isUuid } from "./filters";
import { formatDocument, useEntityName } from "./lookups";
import { OrderItemsTable } from "./OrderItemsTable";
import { StatusActions } from "./StatusActions";
import { StatusTimeline } from "./StatusTimeline";
import type { OrderDetail } from "./types";
import "./orders.css";

/** Read again while the stock service has not answered; left alone once it has. */
export function pollWhileAwaiting(order: Pick<OrderDetail, "stock_status"> | undefined): number | false {
  return order?.stock_status === "awaiting" ? AWAITING_POLL_MS : false;
}

/**
 * One order (admin and staff): its client, lines (changed while pending), totals, stock,
 * status history and next steps. While the stock service is still deciding (`awaiting`) the
 * order is read again every 1.5 s until it has decided.
 */
export function OrderDetailPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("orders");
  const valid = isUuid(id);
  const order = useQuery({
    queryKey: orderKeys.detail(id),
    queryFn: ({ signal }) => getOrder(id, signal),
    enabled: valid,
    refetchInterval: (query) => pollWhileAwaiting(query.state.data),
  });
  const error = asApiError(order.error);

  if (!valid) {
    return (
      <div className="orders-page" data-testid="order-page">
        <h1>{t("detail.notFound")}</h1>
        <p>
          <Link to="/pedidos">{t("detail.backToList")}</Link>
        </p>
      </div>
    );
  }
  if (!order.data) {
    return (
      <div className="orders-page" data-testid="order-page" aria-busy={order.isPending}>
        <p>
          <Link to="/pedidos">{t("detail.backToList")}</Link>
        </p>
        {error ? (
          <ErrorAlert error={error} testId="order-error" />
        ) : (
          <section className="card" aria-busy="true">
            <p className="muted" role="status">
              {t("detail.loading")}
            </p>
            <span className="orders-skeleton wide" />
            <span className="orders-skeleton wide" />
          </section>
        )}
      </div>
    );
  }
  return <OrderView key={order.data.id} order={order.data} refreshError={error} refreshing={order.isFetching} />;
}

function OrderView({
  order,
  refreshError,
  refreshing,
}: {
  order: OrderDetail;
  refreshError: ReturnType<typeof asApiError>;
  refreshing: boolean;
}) {
  const { t } = useTranslation("orders");
  const user = useCurrentUser();
  const editable = order.status === "pending";
  return (
    <div className="orders-page" data-testid="order-page" data-status={order.status}>
      <p>
        <Link to="/pedidos">{t("detail.backToList")}</Link>
      </p>
      <div className="orders-heading">
        <h1>{t("detail.title", { number: order.number })}</h1>
        <span className="orders-badges">
          <StatusBadge status={order.status} />
          <StockBadge stockStatus={order.stock_status} />
        </span>
      </div>
      {refreshError && <ErrorAlert error={refreshError} testId="order-refresh-error" />}
      <div className="orders-detail-grid">
        <div className="orders-detail-main">
          <StockPanel order={order} refreshing={refreshing} />
          <OrderItemsTable order={order} editable={editable} />
          <StatusActions order={order} />
        </div>
        <div className="orders-detail-side">
          <PartyPanel order={order} />
          <SummaryPanel order={order} />
          <StatusTimeline history={order.status_history} currentUserId={user.id} />
        </div>
      </div>
    </div>
  );
}

/** The stock's answer: awaiting (with the page reading it again), reserved, or the shortages. */
function StockPanel({ order, refreshing }: { order: OrderDetail; refreshing: boolean }) {
  const { t } = useTranslation("orders");
  const id = useId();
  const awaiting = order.stock_status === "awaiting";
  return (
    <section
      className={`card orders-stock stock-${order.stock_status}`}
      aria-labelledby={`${id}-title`}
      aria-busy={awaiting}
      data-testid="order-stock"
    >
      <h2 id={`${id}-title`}>{t("stock.title")}</h2>
      <p aria-live="polite" data-testid="order-stock-status" data-stock-status={order.stock_status}>
        <StockBadge stockStatus={order.stock_status} />{" "}
        {t(`stock.explain.${order.stock_status}`, { defaultValue: "" })}
        {awaiting && refreshing && <span className="visually-hidden">{t("stock.checking")}</span>}
      </p>
      {awaiting && <span className="orders-progress" aria-hidden="true" />}
      {order.shortages.length > 0 && (
        <div className="orders-scroll">
          <table className="orders-table compact" data-testid="order-shortages">
            <caption>{t("stock.shortages")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("item.product")}</th>
                <th scope="col" className="orders-num">
                  {t("stock.requested")}
                </th>
                <th scope="col" className="orders-num">
                  {t("stock.available")}
                </th>
              </tr>
            </thead>
            <tbody>
              {order.shortages.map((shortage) => (
                <tr key={shortage.product_id}>
                  <td>
                    {shortage.product_name ??
                      order.items.find((item) => item.product_id === shortage.product_id)?.product_name ??
                      shortage.product_id}
                  </td>
                  <td className="orders-num">{formatNumber(shortage.requested)}</td>
                  <td className="orders-num">{formatNumber(shortage.available)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Who the order is for: the client (a sale) or the supplier (a replenishment). */
function PartyPanel({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("orders");
  const id = useId();
  const supplier = useEntityName("suppliers", order.client ? "" : (order.supplier_id ?? ""));
  const client = order.client;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="order-party">
      <h2 id={`${id}-title`}>{client || order.type !== "replenishment" ? t("detail.client") : t("detail.supplier")}</h2>
      {client ? (
        <dl className="orders-facts">
          <dt>{t("detail.name")}</dt>
          <dd data-testid="order-client-name">
            {client.name}
            {client.deleted && <span className="muted small"> ({t("detail.clientDeleted")})</span>}
          </dd>
          {client.document && (
            <>
              <dt>{t("detail.document")}</dt>
              <dd>{formatDocument(client.document)}</dd>
            </>
          )}
          {client.email && (
            <>
              <dt>{t("detail.email")}</dt>
              <dd>
                <a href={`mailto:${client.email}`}>{client.email}</a>
              </dd>
            </>
          )}
          {client.phone && (
            <>
              <dt>{t("detail.phone")}</dt>
              <dd>{client.phone}</dd>
            </>
          )}
          {client.address && (
            <>
              <dt>{t("detail.address")}</dt>
              <dd>{client.address}</dd>
            </>
          )}
        </dl>
      ) : order.supplier_id ? (
        <p>{supplier.name ?? (supplier.missing ? order.supplier_id : t("filters.loadingName"))}</p>
      ) : (
        <p className="muted">{t("detail.noClient")}</p>
      )}
    </section>
  );
}

/** The order's own facts: kind, dates, notes, why it was cancelled. */
function SummaryPanel({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("orders");
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="order-summary">
      <h2 id={`${id}-title`}>{t("detail.summary")}</h2>
      <dl className="orders-facts">
        <dt>{t("detail.type")}</dt>
        <dd>{t(`types.${order.type}`, { defaultValue: order.type })}</dd>
        <dt>{t("detail.createdAt")}</dt>
        <dd>{formatDateTime(order.created_at)}</dd>
        {order.approved_at && (
          <>
            <dt>{t("detail.approvedAt")}</dt>
            <dd>{formatDateTime(order.approved_at)}</dd>
          </>
        )}
        {order.desired_delivery_date && (
          <>
            <dt>{t("detail.deliveryDate")}</dt>
            <dd>{formatDate(order.desired_delivery_date)}</dd>
          </>
        )}
        {order.notes && (
          <>
            <dt>{t("detail.notes")}</dt>
            <dd className="orders-prewrap">{order.notes}</dd>
          </>
        )}
        {order.cancel_reason && (
          <>
            <dt>{t("detail.cancelReason")}</dt>
            <dd className="orders-prewrap">{order.cancel_reason}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
