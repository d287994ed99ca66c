import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { ApiError } from "../api/client";
import { useCurrentUser } from "../auth/SessionContext";
import { NO_FIGURE, formatDate, formatDateTime, formatMoney, formatNumber } from "../i18n/format";
import {
  changeOrderStatus,
  getOrder,
  peopleKeys,
  statusChangeBody,
  type OrderDetail,
  type OrderStatus,
} from "./api";
import { ConfirmDialog, Notice, QueryError, Skeleton } from "./ui";
import "./people.css";

/** Moves that undo an order: asked about first (a supplier is not offered them today). */
const UNDOING: ReadonlySet<string> = new Set(["cancelled", "returned"]);
const NOTE_MAX = 2000;

/**
 * One of the supplier's orders: its items, its history and, as buttons, exactly the moves the
 * API lists in `allowed_transitions` for the signed-in user (processing, shipped, delivered on a
 * replenishment order addressed to it). PUT /orders/{id} {status, note}.
 */
export function SupplierOrderPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("people");
  const queryClient = useQueryClient();
  const noteId = useId();
  const [note, setNote] = useState("");
  const [confirming, setConfirming] = useState<OrderStatus | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const order = useQuery({
    queryKey: peopleKeys.order(id),
    queryFn: ({ signal }) => getOrder(id, signal),
  });

  const move = useMutation({
    mutationFn: (status: OrderStatus) => changeOrderStatus(id, statusChangeBody(status, note)),
    onSuccess: (saved, status) => {
      setConfirming(null);
      setNote("");
      // The answer is the order as it is now: no need to read it again, only the lists.
      queryClient.setQueryData(peopleKeys.order(id), saved);
      void queryClient.invalidateQueries({ queryKey: peopleKeys.supplierOrderLists() });
      setNotice(t("supplier.moved", { status: t(`common:status.${saved.status ?? status}`) }));
    },
    onError: (error) => {
      setConfirming(null);
      // Someone moved the order meanwhile (409) or it left our hands (403/404): read it again.
      if (error instanceof ApiError && [403, 404, 409].includes(error.status)) {
        void queryClient.invalidateQueries({ queryKey: peopleKeys.order(id) });
        void queryClient.invalidateQueries({ queryKey: peopleKeys.supplierOrders() });
      }
    },
  });

  function ask(status: OrderStatus) {
    setNotice(null);
    if (UNDOING.has(status)) {
      move.reset();
      setConfirming(status);
    } else {
      move.mutate(status);
    }
  }

  const data = order.data;
  const transitions = data?.allowed_transitions ?? [];
  const statusName = (status: string | null | undefined) =>
    status ? t(`common:status.${status}`, { defaultValue: status }) : NO_FIGURE;

  return (
    <section className="card wide people-page" aria-labelledby="supplier-order-title" data-testid="supplier-order">
      <p className="small">
        <Link to="/fornecedor">← {t("supplier.back")}</Link>
      </p>
      <h1 id="supplier-order-title">
        {data ? t("orders.numbered", { number: data.number }) : t("supplier.orderTitle")}
      </h1>
      <Notice message={notice} onClose={() => setNotice(null)} />
      <QueryError error={order.error} testId="supplier-order-error" />
      {order.isPending && <Skeleton rows={6} />}
      {data && (
        <>
          <dl className="details people-details">
            <dt>{t("orders.status")}</dt>
            <dd>
              <span className={`people-status people-status-${data.status}`} data-testid="supplier-order-status">
                {statusName(data.status)}
              </span>
            </dd>
            <dt>{t("orders.type")}</dt>
            <dd>{t(`orders.types.${data.type}`, { defaultValue: data.type ?? NO_FIGURE })}</dd>
            <dt>{t("orders.createdAt")}</dt>
            <dd>{data.created_at ? formatDateTime(data.created_at) : NO_FIGURE}</dd>
            <dt>{t("orders.deliveryDate")}</dt>
            <dd>{data.desired_delivery_date ? formatDate(data.desired_delivery_date) : NO_FIGURE}</dd>
            {data.notes && (
              <>
                <dt>{t("orders.notes")}</dt>
                <dd className="people-break people-prewrap">{data.notes}</dd>
              </>
            )}
            {data.cancel_reason && (
              <>
                <dt>{t("orders.cancelReason")}</dt>
                <dd className="people-break">{data.cancel_reason}</dd>
              </>
            )}
          </dl>

          <Actions
            order={data}
            transitions={transitions}
            note={note}
            noteId={noteId}
            onNote={setNote}
            busy={move.isPending}
            busyStatus={move.isPending ? move.variables : undefined}
            onMove={ask}
          />
          <QueryError error={move.error} testId="supplier-move-error" />

          <OrderItems order={data} />
          <History order={data} />
        </>
      )}

      {confirming && (
        <ConfirmDialog
          title={t("supplier.confirmTitle", { status: statusName(confirming) })}
          confirmLabel={t("supplier.confirm")}
          busy={move.isPending}
          error={move.error}
          onConfirm={() => move.mutate(confirming)}
          onCancel={() => setConfirming(null)}
          testId="supplier-move-dialog"
        >
          <p>{t("supplier.confirmBody")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function Actions({
  order,
  transitions,
  note,
  noteId,
  onNote,
  busy,
  busyStatus,
  onMove,
}: {
  order: OrderDetail;
  transitions: OrderStatus[];
  note: string;
  noteId: string;
  onNote: (note: string) => void;
  busy: boolean;
  busyStatus: OrderStatus | undefined;
  onMove: (status: OrderStatus) => void;
}) {
  const { t } = useTranslation("people");
  if (transitions.length === 0) {
    return (
      <p className="muted people-no-moves" data-testid="supplier-no-moves">
        {order.type === "replenishment" ? t("supplier.noMoves") : t("supplier.notYours")}
      </p>
    );
  }
  return (
    <div className="panel people-moves" data-testid="supplier-moves">
      <h2>{t("supplier.nextStep")}</h2>
      <div className="field">
        <label htmlFor={noteId}>
          {t("supplier.note")} <span className="muted small">{t("optional")}</span>
        </label>
        <textarea
          id={noteId}
          value={note}
          maxLength={NOTE_MAX}
          onChange={(event) => onNote(event.target.value)}
          aria-describedby={`${noteId}-hint`}
        />
        <p id={`${noteId}-hint`} className="muted small people-hint">
          {t("supplier.noteHint")}
        </p>
      </div>
      <div className="buttons people-move-buttons">
        {transitions.map((status) => (
          <button
            key={status}
            type="button"
            className={UNDOING.has(status) ? "button people-danger" : "button primary"}
            disabled={busy}
            aria-busy={busyStatus === status || undefined}
            onClick={() => onMove(status)}
            data-testid={`supplier-move-${status}`}
          >
            {t(`supplier.moveTo.${status}`, {
              defaultValue: t("supplier.moveToOther", { status: t(`common:status.${status}`) }),
            })}
          </button>
        ))}
      </div>
    </div>
  );
}

function OrderItems({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("people");
  const items = order.items ?? [];
  return (
    <>
      <h2 className="people-section-title">{t("orders.itemsTitle")}</h2>
      {items.length === 0 ? (
        <p className="muted">{t("orders.noItems")}</p>
      ) : (
        <table className="data-table people-table" data-testid="supplier-order-items">
          <caption className="visually-hidden">{t("orders.itemsTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("orders.product")}</th>
              <th scope="col">{t("orders.quantity")}</th>
              <th scope="col">{t("orders.unitPrice")}</th>
              <th scope="col">{t("orders.lineTotal")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td data-label={t("orders.product")}>
                  <strong>{item.product_name}</strong>
                  {item.section && <div className="muted small">{item.section}</div>}
                </td>
                <td data-label={t("orders.quantity")}>
                  {formatNumber(item.quantity ?? 0)} {item.unit}
                </td>
                <td data-label={t("orders.unitPrice")}>{formatMoney(item.unit_price ?? 0)}</td>
                <td data-label={t("orders.lineTotal")}>{formatMoney(item.line_total ?? 0)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                {t("orders.total")}
              </th>
              <td data-label={t("orders.total")}>
                <strong>{formatMoney(order.total ?? 0)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      )}
    </>
  );
}

function History({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("people");
  const me = useCurrentUser();
  const history = order.status_history ?? [];
  const name = (status: string | null | undefined) =>
    status ? t(`common:status.${status}`, { defaultValue: status }) : NO_FIGURE;
  return (
    <>
      <h2 className="people-section-title">{t("orders.history")}</h2>
      {history.length === 0 ? (
        <p className="muted">{t("orders.noHistory")}</p>
      ) : (
        <ol className="people-history" data-testid="supplier-order-history">
          {history.map((change, index) => (
            <li key={`${change.at}-${index}`}>
              <div>
                <strong>{change.from ? t("orders.change", { from: name(change.from), to: name(change.to) }) : name(change.to)}</strong>
              </div>
              <div className="muted small">
                {change.at ? formatDateTime(change.at) : NO_FIGURE}
                {" · "}
                {change.by === me.id
                  ? t("orders.byYou")
                  : t(`roles.${change.by_role}`, { defaultValue: change.by_role ?? NO_FIGURE })}
              </div>
              {change.note && <p className="people-prewrap people-break">{change.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
