import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { ServiceStatus } from "../health/ServiceStatus";
import { formatNumber } from "../i18n/format";
import { AlertList } from "../reports/AlertList";
import { getPerformanceReport } from "../reports/reports";
import { ORDER_STATUSES } from "../orders/statuses";
import { countOrders } from "./dashboard";
import "./dashboard.css";

/**
 * The staff's first page: how many orders are in each status now (each a link to the
 * filtered list), today's alerts from the performance report, and the services' state.
 */
export function DashboardPage() {
  const { t } = useTranslation("shell");
  const counts = useQueries({
    queries: ORDER_STATUSES.map((status) => ({
      queryKey: ["orders", "count", status],
      queryFn: ({ signal }: { signal: AbortSignal }) => countOrders(status, signal),
    })),
  });
  const countError = counts.find((count) => count.error)?.error;
  const performance = useQuery({
    queryKey: ["reports", "performance", 1],
    queryFn: ({ signal }) => getPerformanceReport(1, signal),
  });

  return (
    <>
      <h1>{t("dashboard.title")}</h1>
      <section className="card" aria-labelledby="by-status-title" data-testid="orders-by-status">
        <h2 id="by-status-title">{t("dashboard.byStatus")}</h2>
        <ul className="status-counts">
          {ORDER_STATUSES.map((status, index) => {
            const count = counts[index];
            return (
              <li key={status} data-testid={`count-${status}`} aria-busy={count.isPending}>
                <Link to={`/pedidos?status=${status}`}>
                  <span className="status-count">
                    {count.data === undefined
                      ? "…"
                      : count.data.exact
                        ? formatNumber(count.data.total)
                        : t("dashboard.moreThan", { count: count.data.total })}
                  </span>
                  <span className="small">{t(`common:status.${status}`)}</span>
                </Link>
              </li>
            );
          })}
        </ul>
        {countError instanceof ApiError && <ErrorAlert error={countError} testId="counts-error" />}
      </section>
      <section className="card" aria-labelledby="alerts-title" data-testid="dashboard-alerts">
        <h2 id="alerts-title">{t("dashboard.alerts")}</h2>
        {performance.isPending && (
          <p className="muted" aria-busy="true">
            {t("common:loading")}
          </p>
        )}
        {performance.error instanceof ApiError && (
          <ErrorAlert error={performance.error} testId="alerts-error" />
        )}
        {performance.data && <AlertList alerts={performance.data.alerts} />}
        <p className="small">
          <Link to="/relatorios">{t("dashboard.toReports")}</Link>
        </p>
      </section>
      <ServiceStatus />
    </>
  );
}
