import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { AlertList } from "./AlertList";
import { monthlyChartData } from "./chartData";
import { MonthlyChart } from "./Charts";
import { Figures } from "./Figures";
import { ReportResult } from "./ReportResult";
import { formatDay, formatGrowth, formatHours, formatInteger, formatMoney, formatPercent } from "./format";
import { MAX_MONTHS, MIN_MONTHS, getPerformanceReport, retryUnlessRefused } from "./reports";
import type { ClientActivity, PerformanceReport, TrendingProduct } from "./types";

const MONTH_CHOICES = Array.from({ length: MAX_MONTHS - MIN_MONTHS + 1 }, (_, index) => MIN_MONTHS + index);

interface PerformanceReportCardProps {
  months: number;
  onMonthsChange: (months: number) => void;
}

/** The last whole months: growth, approval time, cancellations, trends and today's alerts. */
export function PerformanceReportCard({ months, onMonthsChange }: PerformanceReportCardProps) {
  const report = useQuery({
    queryKey: ["reports", "performance", months],
    queryFn: ({ signal }) => getPerformanceReport(months, signal),
    placeholderData: keepPreviousData,
    retry: retryUnlessRefused,
  });

  return (
    <section className="card wide" aria-labelledby="performance-report-title" data-testid="performance-report">
      <div className="card-header">
        <h2 id="performance-report-title">Desempenho</h2>
        <label className="inline">
          Meses
          <select
            value={months}
            onChange={(event) => onMonthsChange(Number(event.target.value))}
            data-testid="performance-months"
          >
            {MONTH_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 1 ? "último mês" : `últimos ${choice} meses`}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">Meses inteiros até o mês passado (um mês entra quando termina).</p>
      <ReportResult report={report} errorTestId="performance-report-error">
        {(data) => <PerformanceReportBody report={data} />}
      </ReportResult>
    </section>
  );
}

function PerformanceReportBody({ report }: { report: PerformanceReport }) {
  const { overall, trends } = report;
  return (
    <>
      <p className="small" role="status">
        De {formatDay(report.period.date_from)} a {formatDay(report.period.date_to)} ({report.period.months}{" "}
        {report.period.months === 1 ? "mês" : "meses"}).
      </p>
      <Figures
        testId="performance-figures"
        figures={[
          { label: "Pedidos", value: formatInteger(overall.total_orders) },
          { label: "Valor total", value: formatMoney(overall.total_value) },
          {
            label: "Crescimento médio mensal",
            value: formatGrowth(overall.monthly_growth),
            note: overall.monthly_growth === null ? "sem mês anterior com vendas" : undefined,
          },
          {
            label: "Tempo médio até a aprovação",
            value: formatHours(overall.avg_approval_hours),
            note: overall.avg_approval_hours === null ? "nenhuma venda aprovada" : undefined,
          },
          {
            label: "Taxa de cancelamento",
            value: formatPercent(overall.cancellation_rate),
            note: "das vendas do período",
          },
        ]}
      />
      {overall.monthly.length > 0 && <MonthlyChart data={monthlyChartData(overall.monthly)} />}
      <TrendingProducts products={trends.trending_products} />
      <ActiveClients clients={trends.most_active_clients} />
      <h3>Alertas de hoje</h3>
      <AlertList alerts={report.alerts} />
    </>
  );
}

function TrendingProducts({ products }: { products: TrendingProduct[] }) {
  if (products.length === 0) {
    return <p className="muted">Nenhum produto em alta no período.</p>;
  }
  return (
    <table className="data-table report-table" data-testid="performance-trending-products">
      <caption>Produtos em alta (quantidade da 1ª para a 2ª metade do período)</caption>
      <thead>
        <tr>
          <th scope="col">Produto</th>
          <th scope="col">1ª metade</th>
          <th scope="col">2ª metade</th>
          <th scope="col">Crescimento</th>
          <th scope="col">Pedidos</th>
        </tr>
      </thead>
      <tbody>
        {products.map((product) => (
          <tr key={product.product_id}>
            <td data-label="Produto">{product.name}</td>
            <td data-label="1ª metade">{formatInteger(product.first_half_quantity)}</td>
            <td data-label="2ª metade">{formatInteger(product.second_half_quantity)}</td>
            <td data-label="Crescimento">{formatGrowth(product.growth_percent)}</td>
            <td data-label="Pedidos">{formatInteger(product.orders)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ActiveClients({ clients }: { clients: ClientActivity[] }) {
  if (clients.length === 0) {
    return <p className="muted">Nenhum cliente com pedidos no período.</p>;
  }
  return (
    <table className="data-table report-table" data-testid="performance-active-clients">
      <caption>Clientes mais ativos</caption>
      <thead>
        <tr>
          <th scope="col">Cliente</th>
          <th scope="col">Pedidos</th>
          <th scope="col">Valor</th>
          <th scope="col">Ticket médio</th>
          <th scope="col">Cancelados</th>
        </tr>
      </thead>
      <tbody>
        {clients.map((client) => (
          <tr key={client.client_id}>
            <td data-label="Cliente">{client.name}</td>
            <td data-label="Pedidos">{formatInteger(client.orders)}</td>
            <td data-label="Valor">{formatMoney(client.value)}</td>
            <td data-label="Ticket médio">{formatMoney(client.average_ticket)}</td>
            <td data-label="Cancelados">{formatInteger(client.cancelled_orders)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
