import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";

import { ErrorAlert } from "../api/ErrorAlert";
import { afterOrderChanged, changeOrderStatus, orderKeys } from "./api";
import { needsConfirmation } from "./bulk";
import { asApiError, fieldMessage } from "./errors";
import type { OrderDetail, OrderStatus } from "./types";

/**
 * The order's next steps: one button per status in `allowed_transitions` (the API decides,
 * from the lifecycle, the role and the stock), with an optional note for the history.
 * Cancelling and returning ask for a confirmation first; cancelling may say why.
 */
export function StatusActions({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("orders");
  const id = useId();
  const queryClient = useQueryClient();
  const [note, setNote] = useState("");
  const [cancelReason, setCancelReason] = useState("");
  const [confirming, setConfirming] = useState<OrderStatus | null>(null);
  const move = useMutation({
    mutationFn: (status: OrderStatus) => changeOrderStatus(order.id, status, note, cancelReason),
    onSuccess: async (updated) => {
      setNote("");
      setCancelReason("");
      setConfirming(null);
      await afterOrderChanged(queryClient, updated);
    },
    // Refused (someone moved it meanwhile…): the order as it is now, with its moves now.
    onError: () => queryClient.invalidateQueries({ queryKey: orderKeys.detail(order.id) }),
  });
  const allowed = order.allowed_transitions;
  // A confirmation for a move the order no longer allows (it changed meanwhile) is dropped.
  const asking = confirming !== null && allowed.includes(confirming) ? confirming : null;
  const error = asApiError(move.error);
  const noteError = fieldMessage(move.error, "note");
  const reasonError = fieldMessage(move.error, "cancel_reason");

  function choose(status: OrderStatus) {
    move.reset();
    if (needsConfirmation(status)) {
      setConfirming(status);
    } else {
      move.mutate(status);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="status-actions">
      <h2 id={`${id}-title`}>{t("actions.title")}</h2>
      {allowed.length === 0 ? (
        <p className="muted" data-testid="no-actions">
          {order.stock_status === "awaiting" ? t("actions.noneAwaiting") : t("actions.none")}
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-note`}>{t("actions.note")}</label>
            <textarea
              id={`${id}-note`}
              value={note}
              maxLength={2000}
              rows={2}
              onChange={(event) => setNote(event.target.value)}
              aria-invalid={noteError ? true : undefined}
              aria-describedby={noteError ? `${id}-note-error` : `${id}-note-hint`}
              data-testid="status-note"
            />
            <p className="muted small orders-hint" id={`${id}-note-hint`}>
              {t("actions.noteHint")}
            </p>
            {noteError && (
              <p className="field-error" id={`${id}-note-error`}>
                {noteError}
              </p>
            )}
          </div>
          <div className="orders-buttons wraps" role="group" aria-label={t("actions.title")}>
            {allowed.map((status) => (
              <button
                key={status}
                type="button"
                className={needsConfirmation(status) ? "button danger-outline" : "button primary"}
                disabled={move.isPending}
                aria-pressed={asking === status ? true : undefined}
                onClick={() => choose(status)}
                data-testid={`action-${status}`}
              >
                {move.isPending && move.variables === status
                  ? t("actions.moving")
                  : t(`actions.to.${status}`, { defaultValue: t(`common:status.${status}`) })}
              </button>
            ))}
          </div>
          {order.stock_status === "awaiting" && <p className="muted small">{t("actions.mayChange")}</p>}
        </>
      )}
      {asking && (
        <div className="orders-confirm" role="alertdialog" aria-labelledby={`${id}-confirm`} data-testid="status-confirm">
          <p id={`${id}-confirm`}>
            <strong>{t(`actions.confirm.${asking}`, { number: order.number })}</strong>
          </p>
          {asking === "cancelled" && (
            <div className="field">
              <label htmlFor={`${id}-reason`}>{t("actions.cancelReason")}</label>
              <input
                id={`${id}-reason`}
                type="text"
                maxLength={2000}
                value={cancelReason}
                onChange={(event) => setCancelReason(event.target.value)}
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={reasonError ? `${id}-reason-error` : undefined}
                data-testid="status-cancel-reason"
              />
              {reasonError && (
                <p className="field-error" id={`${id}-reason-error`}>
                  {reasonError}
                </p>
              )}
            </div>
          )}
          <div className="orders-buttons">
            <button
              type="button"
              className="button danger"
              disabled={move.isPending}
              onClick={() => move.mutate(asking)}
              data-testid="status-confirm-yes"
            >
              {t(`actions.to.${asking}`)}
            </button>
            <button type="button" className="button" autoFocus onClick={() => setConfirming(null)}>
              {t("actions.back")}
            </button>
          </div>
        </div>
      )}
      {error && <ErrorAlert error={error} testId="status-error" />}
    </section>
  );
}
