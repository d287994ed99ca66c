import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "react-router";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { formatDateTime, formatMoney, formatNumber } from "../i18n/format";
import { changeItemQuantity, getOrder, invalidateAfterOrderChange, moveOrder, shopKeys } from "./api";
import { MAX_NOTES, MAX_QUANTITY } from "./cart";
import {
  awaitingStock,
  itemsEditable,
  rejectedShortages,
  stockPollInterval,
  timeline,
  transitionsOf,
} from "./orders";
import { shortageFor, shortagesOf, splitFieldErrors, type LineShortage } from "./shortages";
import type { OrderDetail, OrderItem, OrderStatus } from "./types";
import { FieldMessages, MY_ORDERS_PATH, StatusBadge, asApiError } from "./ui";

function refusedOnce(failures: number, error: unknown): boolean {
  const refused = error instanceof ApiError && error.status >= 400 && error.status < 500;
  return !refused && failures < 1;
}

/**
 * One of the client's orders (`/meus-pedidos/:id`): lines, total, status history and stock
 * status — read again every 1.5 s while the stock is deciding. Quantities change while the
 * order is pending; the actions are the order's `allowed_transitions`.
 */
export function MyOrderPage() {
  const { t } = useTranslation("shop");
  const id = useId();
  const { id: orderId = "" } = useParams();
  const location = useLocation();
  const placed = (location.state as { placed?: boolean } | null)?.placed === true;
  const order = useQuery({
    queryKey: shopKeys.order(orderId),
    queryFn: ({ signal }) => getOrder(orderId, signal),
    refetchInterval: (query) => stockPollInterval(query.state.data),
    retry: refusedOnce,
  });
  const error = asApiError(order.error, t("order.loadError"));
  const data = order.data;

  return (
    <section className="card wide shop" aria-labelledby={`${id}-title`} data-testid="shop-order">
      <div className="card-header">
        <h1 id={`${id}-title`}>
          {data?.number !== undefined ? t("order.title", { number: data.number }) : t("order.titleLoading")}
        </h1>
        <Link to={MY_ORDERS_PATH}>{t("order.back")}</Link>
      </div>
      {placed && data && (
        <p className="shop-success" role="status" data-testid="shop-order-placed">
          {t("order.placed")}
        </p>
      )}
      {error && !data && (
        <div className="shop-stack">
          <ErrorAlert error={error} testId="shop-order-load-error" />
          {error.status !== 404 && error.status !== 403 && (
            <button type="button" className="button small" onClick={() => void order.refetch()}>
              {t("common:retry")}
            </button>
          )}
        </div>
      )}
      {order.isPending && (
        <div aria-busy="true">
          <p className="muted" role="status">
            {t("order.loading")}
          </p>
          <div className="shop-skeleton shop-skeleton-row" aria-hidden="true" />
          <div className="shop-skeleton shop-skeleton-row" aria-hidden="true" />
        </div>
      )}
      {data && <OrderBody order={data} />}
    </section>
  );
}

function OrderBody({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("shop");
  const awaiting = awaitingStock(order);
  const rejected = rejectedShortages(order);
  const editable = itemsEditable(order);
  const history = timeline(order);

  return (
    <>
      <dl className="details shop-order-summary">
        <dt>{t("order.createdAt")}</dt>
        <dd>{order.created_at ? formatDateTime(order.created_at) : "—"}</dd>
        <dt>{t("order.status")}</dt>
        <dd>
          <StatusBadge kind="status" value={order.status} testId="shop-order-status" />
        </dd>
        <dt>{t("order.stock")}</dt>
        <dd aria-live="polite" aria-busy={awaiting}>
          <StatusBadge kind="stockStatus" value={order.stock_status} testId="shop-order-stock-status" />
          {awaiting && <span className="shop-spinner" aria-hidden="true" />}
        </dd>
        <dt>{t("order.total")}</dt>
        <dd data-testid="shop-order-total">{formatMoney(order.total ?? 0)}</dd>
        {order.desired_delivery_date && (
          <>
            <dt>{t("order.deliveryDate")}</dt>
            <dd>{order.desired_delivery_date}</dd>
          </>
        )}
        {order.notes && (
          <>
            <dt>{t("order.notes")}</dt>
            <dd className="shop-prewrap">{order.notes}</dd>
          </>
        )}
        {order.cancel_reason && (
          <>
            <dt>{t("order.cancelReason")}</dt>
            <dd className="shop-prewrap">{order.cancel_reason}</dd>
          </>
        )}
      </dl>

      {rejected.length > 0 && (
        <p className="alert" role="alert" data-testid="shop-order-rejected">
          {editable ? t("order.rejectedEditable") : t("order.rejected")}
        </p>
      )}

      <h2 className="shop-subtitle">{t("order.items")}</h2>
      <ul className="shop-order-lines" data-testid="shop-order-lines">
        {(order.items ?? []).map((item) => (
          <OrderLineRow
            key={`${item.id}:${item.quantity}`}
            order={order}
            item={item}
            editable={editable && Boolean(item.id)}
            rejected={item.product_id ? shortageFor(rejected, item.product_id) : undefined}
          />
        ))}
      </ul>
      {editable && <p className="muted small">{t("order.editHint")}</p>}

      <OrderActions order={order} />

      <h2 className="shop-subtitle">{t("order.history")}</h2>
      {history.length === 0 ? (
        <p className="muted">{t("order.noHistory")}</p>
      ) : (
        <ol className="shop-timeline" data-testid="shop-order-history">
          {history.map((entry, index) => (
            <li key={`${entry.at ?? ""}-${entry.to ?? ""}-${index}`}>
              <StatusBadge kind="status" value={entry.to} />
              <span className="small">
                {entry.at ? formatDateTime(entry.at) : "—"}
                {entry.by_role ? ` · ${t(`roles.${entry.by_role}`, { defaultValue: entry.by_role })}` : ""}
              </span>
              {entry.note && <span className="muted small shop-prewrap">{entry.note}</span>}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function OrderLineRow({
  order,
  item,
  editable,
  rejected,
}: {
  order: OrderDetail;
  item: OrderItem;
  editable: boolean;
  rejected: LineShortage | undefined;
}) {
  const { t } = useTranslation("shop");
  const id = useId();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(String(item.quantity ?? 1));
  const change = useMutation({
    mutationFn: (quantity: number) => changeItemQuantity(order.id ?? "", item.id ?? "", quantity),
    onSuccess: (updated) => {
      if (order.id) {
        queryClient.setQueryData(shopKeys.order(order.id), updated);
      }
      void invalidateAfterOrderChange(queryClient);
    },
  });
  const error = asApiError(change.error, t("order.changeError"));
  const refused = shortagesOf(change.error);
  const shortage = (item.product_id ? shortageFor(refused, item.product_id) : undefined) ?? refused[0];
  const { byField, others } = splitFieldErrors(error?.errors ?? [], ["quantity"]);
  const number = Number(draft);
  const valid = draft.trim() !== "" && Number.isInteger(number) && number >= 1 && number <= MAX_QUANTITY;
  const unit = item.unit ?? "";
  const messagesId = `${id}-messages`;
  const messages: string[] = [];
  if (!valid) messages.push(t("order.quantityInvalid"));
  if (shortage) {
    messages.push(
      t("cart.shortage", {
        requested: formatNumber(shortage.requested),
        available: formatNumber(shortage.available),
        unit,
      }),
    );
  } else if (error) {
    messages.push(...(byField.quantity ?? []), ...(byField.quantity ? [] : [error.message]), ...others);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (valid && number !== item.quantity && !change.isPending) {
      change.mutate(number);
    }
  }

  return (
    <li className={messages.length > 0 || rejected ? "shop-order-line short" : "shop-order-line"} data-testid="shop-order-line">
      <div className="shop-cart-line-name">
        <strong>{item.product_name}</strong>
        <span className="muted small">
          {formatMoney(item.unit_price ?? 0)} {t("product.perUnit", { unit })}
        </span>
      </div>
      {editable ? (
        <form className="shop-qty" onSubmit={submit} aria-busy={change.isPending}>
          <label htmlFor={`${id}-quantity`} className="visually-hidden">
            {t("cart.quantityOf", { name: item.product_name ?? "" })}
          </label>
          <input
            id={`${id}-quantity`}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_QUANTITY}
            step={1}
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              change.reset();
            }}
            aria-invalid={messages.length > 0 || undefined}
            aria-describedby={messages.length > 0 ? messagesId : undefined}
            data-testid="shop-order-quantity"
          />
          <button
            type="submit"
            className="button small"
            disabled={!valid || number === item.quantity || change.isPending}
            data-testid="shop-order-change"
          >
            {change.isPending ? t("order.changing") : t("order.change")}
          </button>
        </form>
      ) : (
        <span className="shop-qty-readonly">
          {t("order.quantity", { quantity: formatNumber(item.quantity ?? 0), unit })}
        </span>
      )}
      <div className="shop-cart-line-total">
        <span className="visually-hidden">{t("cart.lineTotal")}: </span>
        {formatMoney(item.line_total ?? 0)}
      </div>
      {(messages.length > 0 || rejected) && (
        <div id={messagesId} className="shop-cart-line-messages" role={shortage ? "alert" : undefined}>
          {messages.map((message) => (
            <p key={message} className="field-error" data-testid={shortage ? "shop-order-line-shortage" : undefined}>
              {message}
            </p>
          ))}
          {shortage && shortage.available >= 1 && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                setDraft(String(shortage.available));
                change.mutate(shortage.available);
              }}
              data-testid="shop-order-adjust"
            >
              {t("order.useAvailable", { available: formatNumber(shortage.available) })}
            </button>
          )}
          {rejected && !shortage && (
            <p className="field-error">
              {t("order.rejectedLine", {
                requested: formatNumber(rejected.requested),
                available: formatNumber(rejected.available),
                unit,
              })}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

/** The moves the API allows now, each confirmed first; "cancelled" may say why. */
function OrderActions({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("shop");
  const id = useId();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<OrderStatus | null>(null);
  const [reason, setReason] = useState("");
  const move = useMutation({
    mutationFn: ({ status, why }: { status: OrderStatus; why: string }) =>
      moveOrder(order.id ?? "", status, why),
    onSuccess: (updated) => {
      if (order.id) {
        queryClient.setQueryData(shopKeys.order(order.id), updated);
      }
      setConfirming(null);
      setReason("");
      void invalidateAfterOrderChange(queryClient);
    },
  });
  const moves = transitionsOf(order);
  const error = asApiError(move.error, t("order.moveError"));
  const { byField } = splitFieldErrors(error?.errors ?? [], ["cancel_reason"]);

  if (moves.length === 0 && !error) {
    return null;
  }

  const label = (status: OrderStatus) =>
    status === "cancelled"
      ? t("order.cancel")
      : t("order.moveTo", { status: t(`common:status.${status}`, { defaultValue: status }) });

  function confirm(event: FormEvent) {
    event.preventDefault();
    if (confirming && !move.isPending) {
      move.mutate({ status: confirming, why: reason });
    }
  }

  return (
    <div className="shop-actions" data-testid="shop-order-actions">
      {confirming === null ? (
        <div className="buttons">
          {moves.map((status) => (
            <button
              key={status}
              type="button"
              className={status === "cancelled" ? "button shop-danger" : "button"}
              onClick={() => {
                move.reset();
                setConfirming(status);
              }}
              data-testid={`shop-order-move-${status}`}
            >
              {label(status)}
            </button>
          ))}
        </div>
      ) : (
        <form className="panel shop-confirm" onSubmit={confirm} aria-labelledby={`${id}-confirm`} aria-busy={move.isPending}>
          <h3 id={`${id}-confirm`}>
            {confirming === "cancelled"
              ? t("order.confirmCancel", { number: order.number })
              : t("order.confirmMove", {
                  number: order.number,
                  status: t(`common:status.${confirming}`, { defaultValue: confirming }),
                })}
          </h3>
          {confirming === "cancelled" && (
            <div className="field">
              <label htmlFor={`${id}-reason`}>{t("order.cancelReasonLabel")}</label>
              <textarea
                id={`${id}-reason`}
                value={reason}
                maxLength={MAX_NOTES}
                onChange={(event) => setReason(event.target.value)}
                aria-invalid={byField.cancel_reason ? true : undefined}
                aria-describedby={byField.cancel_reason ? `${id}-reason-errors` : undefined}
                data-testid="shop-cancel-reason"
              />
              <FieldMessages id={`${id}-reason-errors`} messages={byField.cancel_reason ?? []} />
            </div>
          )}
          <div className="buttons">
            <button
              type="submit"
              className={confirming === "cancelled" ? "button shop-danger" : "button primary"}
              disabled={move.isPending}
              data-testid="shop-order-confirm"
            >
              {confirming === "cancelled" ? t("order.confirmCancelYes") : t("common:confirm")}
            </button>
            <button
              type="button"
              className="button"
              autoFocus
              onClick={() => {
                setConfirming(null);
                move.reset();
              }}
            >
              {t("order.keep")}
            </button>
          </div>
        </form>
      )}
      {error && <ErrorAlert error={error} testId="shop-order-move-error" />}
    </div>
  );
}
