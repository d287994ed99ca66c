import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { ErrorAlert } from "../api/ErrorAlert";
import { formatMoney, formatNumber } from "../i18n/format";
import { afterOrderChanged, changeStatuses } from "./api";
import { StatusBadge } from "./badges";
import {
  MAX_BULK_ORDERS,
  bulkProblem,
  bulkStatusRequest,
  needsConfirmation,
  selectionAfterBulk,
  summarizeBulk,
  type BulkSummary,
  type Selection,
} from "./bulk";
import { formatCents } from "../money/cents";
import { asApiError, fieldMessage } from "./errors";
import { ORDER_STATUSES } from "./statuses";
import type { BulkStatusRequest, OrderStatus } from "./types";

interface BulkStatusBarProps {
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
}

/**
 * The chosen orders' new status, at most 1,000 at a time (PUT /orders/status): each order goes
 * through the same rules as one by one, and the answer says what happened to each.
 */
export function BulkStatusBar({ selection, onSelectionChange }: BulkStatusBarProps) {
  const { t } = useTranslation("orders");
  const id = useId();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<OrderStatus | "">("");
  const [note, setNote] = useState("");
  const [cancelReason, setCancelReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const change = useMutation({
    mutationFn: (body: BulkStatusRequest) => changeStatuses(body),
    onSuccess: async (result) => {
      const summary = summarizeBulk(result);
      onSelectionChange(selectionAfterBulk(selection, summary));
      setConfirming(false);
      setNote("");
      setCancelReason("");
      await afterOrderChanged(queryClient);
    },
  });
  const count = new Set(selection).size;
  const problem = bulkProblem(selection, status);

  function send() {
    if (status === "" || problem) {
      return;
    }
    change.mutate(bulkStatusRequest(selection, status, note, cancelReason));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (problem || status === "") {
      return;
    }
    if (needsConfirmation(status) && !confirming) {
      setConfirming(true);
      return;
    }
    send();
  }

  const error = asApiError(change.error);
  const summary = change.data ? summarizeBulk(change.data) : null;
  return (
    <div className="orders-bulk" data-testid="bulk-bar">
      {count > 0 && (
        <form className="orders-bulk-form" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
          <p id={`${id}-title`} className="orders-bulk-count" role="status">
            <strong>{t("bulk.selected", { count, formatted: formatNumber(count) })}</strong>{" "}
            <button type="button" className="link" onClick={() => onSelectionChange([])} data-testid="bulk-clear">
              {t("bulk.clearSelection")}
            </button>
          </p>
          {problem === "tooMany" && (
            <p className="field-error" role="alert">
              {t("bulk.tooMany", { max: formatNumber(MAX_BULK_ORDERS) })}
            </p>
          )}
          <div className="field">
            <label htmlFor={`${id}-status`}>{t("bulk.newStatus")}</label>
            <select
              id={`${id}-status`}
              value={status}
              onChange={(event) => {
                setStatus(event.target.value as OrderStatus | "");
                setConfirming(false);
              }}
              aria-invalid={fieldMessage(error, "new_status") ? true : undefined}
              data-testid="bulk-status"
            >
              <option value="">{t("bulk.chooseStatus")}</option>
              {ORDER_STATUSES.map((name) => (
                <option key={name} value={name}>
                  {t(`common:status.${name}`)}
                </option>
              ))}
            </select>
            <FieldError message={fieldMessage(error, "new_status")} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-note`}>{t("bulk.note")}</label>
            <input
              id={`${id}-note`}
              type="text"
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
              aria-invalid={fieldMessage(error, "note") ? true : undefined}
              data-testid="bulk-note"
            />
            <FieldError message={fieldMessage(error, "note")} />
          </div>
          {status === "cancelled" && (
            <div className="field">
              <label htmlFor={`${id}-reason`}>{t("actions.cancelReason")}</label>
              <input
                id={`${id}-reason`}
                type="text"
                maxLength={2000}
                value={cancelReason}
                onChange={(event) => setCancelReason(event.target.value)}
                data-testid="bulk-cancel-reason"
              />
              <FieldError message={fieldMessage(error, "cancel_reason")} />
            </div>
          )}
          <FieldError message={fieldMessage(error, "order_ids")} />
          {confirming && status !== "" ? (
            <div className="orders-confirm" role="alertdialog" aria-labelledby={`${id}-confirm`}>
              <p id={`${id}-confirm`}>
                {t(`bulk.confirm.${status}`, { count, formatted: formatNumber(count) })}
              </p>
              <div className="orders-buttons">
                <button
                  type="submit"
                  className="button danger"
                  disabled={change.isPending}
                  data-testid="bulk-confirm"
                >
                  {t("bulk.confirmYes")}
                </button>
                <button type="button" className="button" autoFocus onClick={() => setConfirming(false)}>
                  {t("actions.back")}
                </button>
              </div>
            </div>
          ) : (
            <div className="orders-buttons">
              <button
                type="submit"
                className="button primary"
                disabled={problem !== null || change.isPending}
                aria-busy={change.isPending}
                data-testid="bulk-apply"
              >
                {change.isPending ? t("bulk.applying") : t("bulk.apply", { count, formatted: formatNumber(count) })}
              </button>
            </div>
          )}
        </form>
      )}
      {count === 0 && !summary && <p className="muted small">{t("bulk.hint")}</p>}
      {error && <ErrorAlert error={error} testId="bulk-error" />}
      {summary && <BulkResultView summary={summary} onClose={() => change.reset()} />}
    </div>
  );
}

function FieldError({ message }: { message: string | null }) {
  return message ? <p className="field-error">{message}</p> : null;
}

/** What PUT /orders/status did: how many changed, each change, each refusal, the unknown ids. */
export function BulkResultView({ summary, onClose }: { summary: BulkSummary; onClose: () => void }) {
  const { t } = useTranslation("orders");
  const id = useId();
  return (
    <section
      className={`orders-bulk-result outcome-${summary.outcome}`}
      aria-labelledby={`${id}-title`}
      data-testid="bulk-result"
    >
      <div className="orders-heading">
        <h3 id={`${id}-title`} role="status">
          {t("bulk.result.updated", {
            count: summary.asked,
            updated: formatNumber(summary.updated),
            asked: formatNumber(summary.asked),
          })}
        </h3>
        <button type="button" className="button small" onClick={onClose}>
          {t("common:close")}
        </button>
      </div>
      {summary.approvedCents > 0 && (
        <p data-testid="bulk-approved-value">
          {t("bulk.result.approvedValue")} <strong>{formatCents(summary.approvedCents)}</strong>
        </p>
      )}
      {summary.moved.length > 0 && (
        <div className="orders-scroll">
          <table className="orders-table compact" data-testid="bulk-moved">
            <caption>{t("bulk.result.moved")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("list.number")}</th>
                <th scope="col">{t("bulk.result.from")}</th>
                <th scope="col">{t("bulk.result.to")}</th>
                <th scope="col" className="orders-num">
                  {t("list.total")}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.moved.map((moved) => (
                <tr key={moved.order_id}>
                  <td>
                    <Link to={`/pedidos/${moved.order_id}`}>{t("list.numberValue", { number: moved.number })}</Link>
                  </td>
                  <td>{moved.previous_status && <StatusBadge status={moved.previous_status} />}</td>
                  <td>{moved.new_status && <StatusBadge status={moved.new_status} />}</td>
                  <td className="orders-num">{moved.total === undefined ? "—" : formatMoney(moved.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {summary.failed.length > 0 && (
        <div data-testid="bulk-failed">
          <h4>{t("bulk.result.failed", { count: summary.failed.length })}</h4>
          <ul className="orders-failures">
            {summary.failed.map((failure) => (
              <li key={failure.order_id}>
                <Link to={`/pedidos/${failure.order_id}`}>{t("list.numberValue", { number: failure.number })}</Link>{" "}
                {failure.status && <StatusBadge status={failure.status} />} <span>{failure.reason}</span>
              </li>
            ))}
          </ul>
          <p className="muted small">{t("bulk.result.failedKept")}</p>
        </div>
      )}
      {summary.notFound.length > 0 && (
        <div data-testid="bulk-not-found">
          <h4>{t("bulk.result.notFound", { count: summary.notFound.length })}</h4>
          <ul className="orders-failures">
            {summary.notFound.map((orderId) => (
              <li key={orderId}>
                <code>{orderId}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
