import { useTranslation } from "react-i18next";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import type { MonthPoint, StatusBar } from "./chartData";
import { formatGrowth, formatInteger, formatMoney, formatMoneyShort } from "./format";

// The app's blue (--primary) and a lighter one; SVG attributes take plain colours.
const PRIMARY = "#1f5fbf";
const SECONDARY = "#8fb3e8";
const ACCENT = "#c0561b";
const CHART_STYLE = { width: "100%", height: 280 };

function asNumber(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

/** Orders (left axis) and value (right axis) of each status in the period. */
// No animation: figures people compare should be where they belong at once (and a
// screenshot or a test never catches a bar half-way).
export function StatusChart({ data }: { data: StatusBar[] }) {
  const { t } = useTranslation("reports");
  return (
    <figure className="chart" data-testid="period-status-chart">
      <figcaption>{t("charts.statusCaption")}</figcaption>
      <BarChart responsive style={CHART_STYLE} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" />
        <YAxis yAxisId="orders" allowDecimals={false} tickFormatter={(value) => formatInteger(asNumber(value))} />
        <YAxis
          yAxisId="value"
          orientation="right"
          width={80}
          tickFormatter={(value) => formatMoneyShort(asNumber(value))}
        />
        <Tooltip
          formatter={(value, _name, item) =>
            item.dataKey === "value" ? formatMoney(asNumber(value)) : formatInteger(asNumber(value))
          }
        />
        <Legend />
        <Bar yAxisId="orders" dataKey="orders" name={t("charts.orders")} fill={PRIMARY} isAnimationActive={false} />
        <Bar yAxisId="value" dataKey="value" name={t("charts.value")} fill={SECONDARY} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}

/** Value per month (bars) and its growth on the month before (line, right axis). */
export function MonthlyChart({ data }: { data: MonthPoint[] }) {
  const { t } = useTranslation("reports");
  return (
    <figure className="chart" data-testid="performance-monthly-chart">
      <figcaption>{t("charts.monthlyCaption")}</figcaption>
      <ComposedChart responsive style={CHART_STYLE} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" />
        <YAxis yAxisId="value" width={80} tickFormatter={(value) => formatMoneyShort(asNumber(value))} />
        <YAxis
          yAxisId="growth"
          orientation="right"
          tickFormatter={(value) => formatGrowth(asNumber(value))}
        />
        <Tooltip
          formatter={(value, _name, item) =>
            item.dataKey === "growth"
              ? formatGrowth(value === null || value === undefined ? null : asNumber(value))
              : formatMoney(asNumber(value))
          }
        />
        <Legend />
        <Bar yAxisId="value" dataKey="value" name={t("charts.value")} fill={PRIMARY} isAnimationActive={false} />
        <Line yAxisId="growth" dataKey="growth" name={t("charts.growth")} stroke={ACCENT} strokeWidth={2} isAnimationActive={false} />
      </ComposedChart>
    </figure>
  );
}
