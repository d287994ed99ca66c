import { useTranslation } from "react-i18next";

import { alertLines, alertTitle } from "./chartData";
import { formatInteger } from "./format";
import type { Alert } from "./types";

/** Today's alerts: what was found, what to do about it, and the first items. */
export function AlertList({ alerts }: { alerts: Alert[] }) {
  const { t } = useTranslation("reports");
  if (alerts.length === 0) {
    return <p className="muted">{t("alerts.none")}</p>;
  }
  return (
    <ul className="report-alerts" data-testid="performance-alerts">
      {alerts.map((alert) => (
        <AlertItem key={alert.type} alert={alert} />
      ))}
    </ul>
  );
}

// The description and the recommendation are the API's words, already in the language asked for.
function AlertItem({ alert }: { alert: Alert }) {
  const { t } = useTranslation("reports");
  const { lines, hidden } = alertLines(alert);
  return (
    <li className="report-alert" data-testid="performance-alert" data-type={alert.type}>
      <h4>
        {alertTitle(alert.type)}{" "}
        {!alert.unavailable && <span className="badge unavailable">{formatInteger(alert.count)}</span>}
      </h4>
      <p>{alert.description}</p>
      <p className="small">
        <strong>{t("alerts.recommendation")}</strong> {alert.recommendation}
      </p>
      {lines.length > 0 && (
        <ul className="small">
          {lines.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
      )}
      {hidden > 0 && (
        <p className="muted small">
          {t("alerts.showing", { shown: formatInteger(lines.length), total: formatInteger(alert.count) })}
        </p>
      )}
    </li>
  );
}
