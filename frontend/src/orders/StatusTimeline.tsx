import { useId } from "react";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../i18n/format";
import { StatusBadge } from "./badges";
import type { StatusChange } from "./types";

/** The order's status history, oldest first: when, from what to what, by whom, with what note. */
export function StatusTimeline({ history, currentUserId }: { history: StatusChange[]; currentUserId: string }) {
  const { t } = useTranslation("orders");
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="status-history">
      <h2 id={`${id}-title`}>{t("history.title")}</h2>
      {history.length === 0 ? (
        <p className="muted">{t("history.empty")}</p>
      ) : (
        <ol className="orders-timeline">
          {history.map((change, index) => (
            <li key={`${change.at}-${index}`} data-testid="history-entry" data-to={change.to}>
              <time dateTime={change.at} className="small muted">
                {formatDateTime(change.at)}
              </time>
              <p className="orders-timeline-move">
                {change.from ? (
                  <>
                    <StatusBadge status={change.from} /> <span aria-hidden="true">→</span>
                    <span className="visually-hidden">{t("history.to")}</span> <StatusBadge status={change.to} />
                  </>
                ) : (
                  <>
                    {t("history.created")} <StatusBadge status={change.to} />
                  </>
                )}
              </p>
              <p className="small muted">
                {change.by && change.by === currentUserId
                  ? t("history.byYou", { role: t(`roles.${change.by_role}`, { defaultValue: change.by_role ?? "" }) })
                  : t("history.by", {
                      role: t(`roles.${change.by_role}`, { defaultValue: change.by_role ?? t("roles.unknown") }),
                    })}
              </p>
              {change.note && <p className="orders-timeline-note">{change.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
