import { useState } from "react";
import { useSearchParams } from "react-router";

import { PerformanceReportCard } from "./PerformanceReportCard";
import { PeriodReportCard } from "./PeriodReportCard";
import { businessToday, readMonths, readPeriod, withMonths, withPeriod } from "./reports";
import type { PeriodReportQuery } from "./types";

/**
 * Relatórios (admin and staff): the period report and the performance report. Their filters
 * are the page's query string (`?date_from=…&date_to=…&months=…`), so a report can be
 * bookmarked; without them, the last 30 days and the last 3 whole months.
 */
export function ReportsPage() {
  const [params, setParams] = useSearchParams();
  // The default window ends today on the business calendar, fixed while the page is open.
  const [today] = useState(() => businessToday());
  const period = readPeriod(params, today);
  const months = readMonths(params);

  return (
    <>
      <PeriodReportCard
        period={period}
        onPeriodChange={(next: PeriodReportQuery) => setParams((current) => withPeriod(current, next))}
      />
      <PerformanceReportCard
        months={months}
        onMonthsChange={(next) => setParams((current) => withMonths(current, next))}
      />
    </>
  );
}
