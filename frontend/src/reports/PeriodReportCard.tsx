import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { InlineDateInput } from "../ui/InlineDateInput";

import { sharePercent, statusChartData, topGroups } from "./chartData";
import { StatusChart } from "./Charts";
import { Figures } from "./Figures";
import { ReportResult } from "./ReportResult";
import { formatDay, formatInteger, formatMoney, formatPercent } from "./format";
import { MAX_PERIOD_DAYS, getPeriodReport } from "./reports";
import type { PeriodReport, PeriodReportQuery, ReportGroup } from "./types";

interface PeriodReportCardProps {
  period: PeriodReportQuery;
  onPeriodChange: (period: PeriodReportQuery) => void;
}

/** Sales of a window of days: the overall figures, orders and value by status, top clients. */
export function PeriodReportCard({ period, onPeriodChange }: PeriodReportCardProps) {
  const report = useQuery({
    queryKey: ["reports", "period", period.date_from, period.date_to],
    queryFn: ({ signal }) => getPeriodReport(period, signal),
    placeholderData: keepPreviousData,
  });
  const { t } = useTranslation("reports");

  function changePeriod(next: PeriodReportQuery) {
    if (next.date_from === period.date_from && next.date_to === period.date_to) {
      void report.refetch(); // "Gerar" again: the figures as they are now
    } else {
      onPeriodChange(next);
    }
  }

  return (
    <section className="card wide" aria-labelledby="period-report-title" data-testid="period-report">
      <div className="card-header">
        <h2 id="period-report-title">{t("period.title")}</h2>
        {/* Keyed by the URL's dates: going back in the history shows them in the fields too. */}
        <PeriodForm key={`${period.date_from}/${period.date_to}`} period={period} onSubmit={changePeriod} />
      </div>
      <p className="muted small">{t("period.hint", { max: formatInteger(MAX_PERIOD_DAYS) })}</p>
      <ReportResult report={report} errorTestId="period-report-error">
        {(data) => <PeriodReportBody report={data} />}
      </ReportResult>
    </section>
  );
}

function PeriodForm({
  period,
  onSubmit,
}: {
  period: PeriodReportQuery;
  onSubmit: (period: PeriodReportQuery) => void;
}) {
  const [draft, setDraft] = useState(period);
  const { t } = useTranslation("reports");

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(draft);
  }

  return (
    <form className="inline wraps" onSubmit={submit} data-testid="period-form">
      <InlineDateInput
        label={t("period.from")}
        required
        value={draft.date_from}
        onChange={(value) => setDraft({ ...draft, date_from: value })}
        testId="period-date-from"
      />
      <InlineDateInput
        label={t("period.to")}
        required
        value={draft.date_to}
        onChange={(value) => setDraft({ ...draft, date_to: value })}
        testId="period-date-to"
      />
      <button type="submit">{t("period.generate")}</button>
    </form>
  );
}

function PeriodReportBody({ report }: { report: PeriodReport }) {
  const { t } = useTranslation("reports");
  const { overall } = report;
  const statuses = statusChartData(report.by_status);
  const clients = topGroups(report.by_client);
  return (
    <>
      <p className="small" role="status">
        {t("period.range", {
          from: formatDay(report.period.date_from),
          to: formatDay(report.period.date_to),
          days: formatInteger(report.period.days),
          count: report.period.days,
        })}
      </p>
      <Figures
        testId="period-figures"
        figures={[
          { label: t("period.figures.orders"), value: formatInteger(overall.total_orders) },
          { label: t("period.figures.totalValue"), value: formatMoney(overall.total_value) },
          { label: t("period.figures.clientsServed"), value: formatInteger(overall.clients_served) },
          { label: t("period.figures.distinctProducts"), value: formatInteger(overall.distinct_products) },
          {
            label: t("period.figures.averageTicket"),
            value: formatMoney(overall.average_ticket),
            note: t("period.figures.excluded", {
              cancelled: formatInteger(overall.cancelled_orders),
              returned: formatInteger(overall.returned_orders),
            }),
          },
        ]}
      />
      {statuses.length > 0 ? (
        <StatusChart data={statuses} />
      ) : (
        <p className="muted">{t("period.noSales")}</p>
      )}
      <TopClients clients={clients} totalValue={overall.total_value} />
    </>
  );
}

function TopClients({ clients, totalValue }: { clients: ReportGroup[]; totalValue: number }) {
  const { t } = useTranslation("reports");
  if (clients.length === 0) {
    return null;
  }
  return (
    <table className="data-table report-table" data-testid="period-top-clients">
      <caption>{t("period.topClients.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("period.topClients.client")}</th>
          <th scope="col">{t("period.topClients.orders")}</th>
          <th scope="col">{t("period.topClients.value")}</th>
          <th scope="col">{t("period.topClients.share")}</th>
          <th scope="col">{t("period.topClients.averageTicket")}</th>
        </tr>
      </thead>
      <tbody>
        {clients.map((client) => (
          <tr key={client.id ?? "none"}>
            <td data-label={t("period.topClients.client")}>{client.name ?? client.id ?? t("noName")}</td>
            <td data-label={t("period.topClients.orders")}>{formatInteger(client.orders)}</td>
            <td data-label={t("period.topClients.value")}>{formatMoney(client.value)}</td>
            <td data-label={t("period.topClients.share")}>
              {formatPercent(sharePercent(client.value, totalValue))}
            </td>
            <td data-label={t("period.topClients.averageTicket")}>{formatMoney(client.average_ticket)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
