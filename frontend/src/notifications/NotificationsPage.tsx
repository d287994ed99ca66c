import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { formatDateTime, formatNumber } from "../i18n/format";
import { InlineDateInput } from "../ui/InlineDateInput";
import {
  NOTIFICATION_STATUSES,
  listNotifications,
  retryNotification,
  statusLabel,
  type Notification,
  type NotificationFilters,
} from "./notifications";

/** What was (or was not) sent to whom on WhatsApp, newest first; a failed one can be retried. */
export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  const [filters, setFilters] = useState<NotificationFilters>({ status: "", dateFrom: "", dateTo: "" });
  const [page, setPage] = useState(1);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ["notifications", filters, page],
    queryFn: () => listNotifications(filters, page),
  });
  const filterBy = (change: Partial<NotificationFilters>) => {
    setFilters({ ...filters, ...change });
    setPage(1);
  };
  const retry = useMutation({
    mutationFn: retryNotification,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["notifications"] }),
  });
  const items: Notification[] = list.data?.items ?? [];

  return (
    <section className="card wide" aria-labelledby="notifications-title" data-testid="notifications-page">
      <div className="card-header">
        <h2 id="notifications-title">{t("title")}</h2>
        <div className="inline wraps">
          <label className="inline">
            {t("status")}
            <select value={filters.status} onChange={(event) => filterBy({ status: event.target.value })}>
              <option value="">{t("all")}</option>
              {NOTIFICATION_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {statusLabel(value)}
                </option>
              ))}
            </select>
          </label>
          <InlineDateInput
            label={t("dateFrom")}
            value={filters.dateFrom}
            onChange={(value) => filterBy({ dateFrom: value })}
            testId="notifications-date-from"
          />
          <InlineDateInput
            label={t("dateTo")}
            value={filters.dateTo}
            onChange={(value) => filterBy({ dateTo: value })}
            testId="notifications-date-to"
          />
        </div>
      </div>
      {list.error instanceof ApiError && <ErrorAlert error={list.error} testId="notifications-error" />}
      {retry.error instanceof ApiError && <ErrorAlert error={retry.error} testId="notifications-retry-error" />}
      {list.isPending && <p className="muted" role="status">{t("common:loading")}</p>}
      {!list.isPending && items.length === 0 && <p className="muted">{t("empty")}</p>}
      {items.length > 0 && (
        <table className="data-table" data-testid="notifications-table">
          <thead>
            <tr>
              <th scope="col">{t("when")}</th>
              <th scope="col">{t("to")}</th>
              <th scope="col">{t("message")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="notification-row" data-status={item.status}>
                <td className="muted small">{formatDateTime(item.created_at)}</td>
                <td>{item.recipient ?? t("noNumber")}</td>
                <td>
                  {item.message}
                  {item.order_id && (
                    <div className="small">
                      <Link to={`/pedidos/${item.order_id}`}>{t("openOrder")}</Link>
                    </div>
                  )}
                </td>
                <td title={item.reason ?? undefined}>
                  {statusLabel(item.status)}
                  {item.reason && <div className="muted small">{item.reason}</div>}
                </td>
                <td>
                  {item.status === "failed" && (
                    <button type="button" onClick={() => retry.mutate(item.id)} disabled={retry.isPending}>
                      {t("retry")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.pages > 1 && (
        <div className="inline">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t("common:previous")}
          </button>
          <span>
            {t("common:page", { page: formatNumber(list.data.page), pages: formatNumber(list.data.pages) })}
          </span>
          <button type="button" disabled={page >= list.data.pages} onClick={() => setPage(page + 1)}>
            {t("common:next")}
          </button>
        </div>
      )}
    </section>
  );
}
