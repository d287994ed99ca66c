import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { AlertList } from "./AlertList";
import { monthlyChartData } from "./chartData";
import { MonthlyChart } from "./Charts";
import { Figures } from "./Figures";
import { ReportResult } from "./ReportResult";
import { formatDay, formatGrowth, formatHours, formatInteger, formatMoney, formatPercent } from "./format";
import { MAX_MONTHS, MIN_MONTHS, getPerformanceReport } from "./reports";
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
  });
  const { t } = useTranslation("reports");

  return (
    <section className="card wide" aria-labelledby="performance-report-title" data-testid="performance-report">
      <div className="card-header">
        <h2 id="performance-report-title">{t("performance.title")}</h2>
        <label className="inline">
          {t("performance.months")}
          <select
            value={months}
            onChange={(event) => onMonthsChange(Number(event.target.value))}
            data-testid="performance-months"
          >
            {MONTH_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {t("performance.lastMonths", { count: choice, months: formatInteger(choice) })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">{t("performance.hint")}</p>
      <ReportResult report={report} errorTestId="performance-report-error">
        {(data) => <PerformanceReportBody report={data} />}
      </ReportResult>
    </section>
  );
}

function PerformanceReportBody({ report }: { report: PerformanceReport }) {
  const { t } = useTranslation("reports");
  const { overall, trends } = report;
  return (
    <>
      <p className="small" role="status">
        {t("performance.range", {
          from: formatDay(report.period.date_from),
          to: formatDay(report.period.date_to),
          months: formatInteger(report.period.months),
          count: report.period.months,
        })}
      </p>
      <Figures
        testId="performance-figures"
        figures={[
          { label: t("performance.figures.orders"), value: formatInteger(overall.total_orders) },
          { label: t("performance.figures.totalValue"), value: formatMoney(overall.total_value) },
          {
            label: t("performance.figures.monthlyGrowth"),
            value: formatGrowth(overall.monthly_growth),
            note: overall.monthly_growth === null ? t("performance.figures.noPreviousMonth") : undefined,
          },
          {
            label: t("performance.figures.approvalTime"),
            value: formatHours(overall.avg_approval_hours),
            note: overall.avg_approval_hours === null ? t("performance.figures.noApproval") : undefined,
          },
          {
            label: t("performance.figures.cancellationRate"),
            value: formatPercent(overall.cancellation_rate),
            note: t("performance.figures.ofPeriodSales"),
          },
        ]}
      />
      {overall.monthly.length > 0 && <MonthlyChart data={monthlyChartData(overall.monthly)} />}
      <TrendingProducts products={trends.trending_products} />
      <ActiveClients clients={trends.most_active_clients} />
      <h3>{t("performance.alerts")}</h3>
      <AlertList alerts={report.alerts} />
    </>
  );
}

function TrendingProducts({ products }: { products: TrendingProduct[] }) {
  const { t } = useTranslation("reports");
  if (products.length === 0) {
    return <p className="muted">{t("performance.trending.none")}</p>;
  }
  return (
    <table className="data-table report-table" data-testid="performance-trending-products">
      <caption>{t("performance.trending.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("performance.trending.product")}</th>
          <th scope="col">{t("performance.trending.firstHalf")}</th>
          <th scope="col">{t("performance.trending.secondHalf")}</th>
          <th scope="col">{t("performance.trending.growth")}</th>
          <th scope="col">{t("performance.trending.orders")}</th>
        </tr>
      </thead>
      <tbody>
        {products.map((product) => (
          <tr key={product.product_id}>
            <td data-label={t("performance.trending.product")}>{product.name}</td>
            <td data-label={t("performance.trending.firstHalf")}>{formatInteger(product.first_half_quantity)}</td>
            <td data-label={t("performance.trending.secondHalf")}>{formatInteger(product.second_half_quantity)}</td>
            <td data-label={t("performance.trending.growth")}>{formatGrowth(product.growth_percent)}</td>
            <td data-label={t("performance.trending.orders")}>{formatInteger(product.orders)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ActiveClients({ clients }: { clients: ClientActivity[] }) {
  const { t } = useTranslation("reports");
  if (clients.length === 0) {
    return <p className="muted">{t("performance.clients.none")}</p>;
  }
  return (
    <table className="data-table report-table" data-testid="performance-active-clients">
      <caption>{t("performance.clients.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("performance.clients.client")}</th>
          <th scope="col">{t("performance.clients.orders")}</th>
          <th scope="col">{t("performance.clients.value")}</th>
          <th scope="col">{t("performance.clients.averageTicket")}</th>
          <th scope="col">{t("performance.clients.cancelled")}</th>
        </tr>
      </thead>
      <tbody>
        {clients.map((client) => (
          <tr key={client.client_id}>
            <td data-label={t("performance.clients.client")}>{client.name}</td>
            <td data-label={t("performance.clients.orders")}>{formatInteger(client.orders)}</td>
            <td data-label={t("performance.clients.value")}>{formatMoney(client.value)}</td>
            <td data-label={t("performance.clients.averageTicket")}>{formatMoney(client.average_ticket)}</td>
            <td data-label={t("performance.clients.cancelled")}>{formatInteger(client.cancelled_orders)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
