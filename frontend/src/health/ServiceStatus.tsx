import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../i18n/format";
import { fetchHealth } from "./health";

const REFRESH_EVERY_MS = 30_000;

/** The services' state and backlog warnings, for the people who run them (staff, admin). */
export function ServiceStatus() {
  const { t } = useTranslation("shell");
  const health = useQuery({
    queryKey: ["health"],
    queryFn: ({ signal }) => fetchHealth(undefined, signal),
    refetchInterval: REFRESH_EVERY_MS,
  });
  const report = health.data;

  return (
    <section className="card" aria-labelledby="status-title" data-testid="service-status">
      <div className="card-header">
        <h2 id="status-title">{t("status.title")}</h2>
        <button
          type="button"
          className="button small"
          onClick={() => void health.refetch()}
          disabled={health.isFetching}
          data-testid="status-refresh"
        >
          {t("status.refresh")}
        </button>
      </div>
      {report?.error && (
        <p className="alert" role="status" data-testid="status-error">
          {report.error}
        </p>
      )}
      {report === undefined ? (
        <p className="muted" role="status" aria-busy="true">
          {t("status.checking")}
        </p>
      ) : (
        <>
          <ul className="services" aria-label={t("status.services")} data-testid="service-list">
            {report.services.map((service) => (
              <li
                key={service.name}
                className="service"
                data-testid={`service-${service.name}`}
                data-state={service.state}
              >
                <span className="service-name">{service.label}</span>
                <span className={`badge ${service.state}`}>{t(`status.${service.state}`)}</span>
              </li>
            ))}
          </ul>
          {report.warnings.map((warning) => (
            <p key={warning} className="alert small" role="status" data-testid="status-warning">
              {warning}
            </p>
          ))}
          <p className="muted small" aria-live="polite">
            {t("status.checkedAt", { time: formatDateTime(report.checkedAt.toISOString()) })}
          </p>
        </>
      )}
    </section>
  );
}
