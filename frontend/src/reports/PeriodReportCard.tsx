import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { sharePercent, statusChartData, topGroups } from "./chartData";
import { StatusChart } from "./Charts";
import { Figures } from "./Figures";
import { ReportResult } from "./ReportResult";
import { formatDay, formatInteger, formatMoney, formatPercent } from "./format";
import { MAX_PERIOD_DAYS, getPeriodReport, retryUnlessRefused } from "./reports";
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
    retry: retryUnlessRefused,
  });

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
        <h2 id="period-report-title">Vendas por período</h2>
        {/* Keyed by the URL's dates: going back in the history shows them in the fields too. */}
        <PeriodForm key={`${period.date_from}/${period.date_to}`} period={period} onSubmit={changePeriod} />
      </div>
      <p className="muted small">
        Dias do calendário de Brasília, os dois inclusos; no máximo {MAX_PERIOD_DAYS} dias. Pedidos cancelados e
        devolvidos ficam fora dos totais.
      </p>
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

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(draft);
  }

  return (
    <form className="inline wraps" onSubmit={submit} data-testid="period-form">
      <label className="inline">
        De
        <input
          type="date"
          required
          value={draft.date_from}
          onChange={(event) => setDraft({ ...draft, date_from: event.target.value })}
          data-testid="period-date-from"
        />
      </label>
      <label className="inline">
        Até
        <input
          type="date"
          required
          value={draft.date_to}
          onChange={(event) => setDraft({ ...draft, date_to: event.target.value })}
          data-testid="period-date-to"
        />
      </label>
      <button type="submit">Gerar</button>
    </form>
  );
}

function PeriodReportBody({ report }: { report: PeriodReport }) {
  const { overall } = report;
  const statuses = statusChartData(report.by_status);
  const clients = topGroups(report.by_client);
  return (
    <>
      <p className="small" role="status">
        De {formatDay(report.period.date_from)} a {formatDay(report.period.date_to)} ({report.period.days} dias).
      </p>
      <Figures
        testId="period-figures"
        figures={[
          { label: "Pedidos", value: formatInteger(overall.total_orders) },
          { label: "Valor total", value: formatMoney(overall.total_value) },
          { label: "Clientes atendidos", value: formatInteger(overall.clients_served) },
          { label: "Produtos distintos", value: formatInteger(overall.distinct_products) },
          {
            label: "Ticket médio",
            value: formatMoney(overall.average_ticket),
            note: `${formatInteger(overall.cancelled_orders)} cancelado(s), ${formatInteger(overall.returned_orders)} devolvido(s) fora dos totais`,
          },
        ]}
      />
      {statuses.length > 0 ? (
        <StatusChart data={statuses} />
      ) : (
        <p className="muted">Nenhuma venda no período.</p>
      )}
      <TopClients clients={clients} totalValue={overall.total_value} />
    </>
  );
}

function TopClients({ clients, totalValue }: { clients: ReportGroup[]; totalValue: number }) {
  if (clients.length === 0) {
    return null;
  }
  return (
    <table className="data-table report-table" data-testid="period-top-clients">
      <caption>Principais clientes</caption>
      <thead>
        <tr>
          <th scope="col">Cliente</th>
          <th scope="col">Pedidos</th>
          <th scope="col">Valor</th>
          <th scope="col">% do total</th>
          <th scope="col">Ticket médio</th>
        </tr>
      </thead>
      <tbody>
        {clients.map((client) => (
          <tr key={client.id ?? "none"}>
            <td data-label="Cliente">{client.name ?? client.id ?? "Sem nome"}</td>
            <td data-label="Pedidos">{formatInteger(client.orders)}</td>
            <td data-label="Valor">{formatMoney(client.value)}</td>
            <td data-label="% do total">{formatPercent(sharePercent(client.value, totalValue))}</td>
            <td data-label="Ticket médio">{formatMoney(client.average_ticket)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
