import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";

/** One report's state, the same way for both: the API's refusal, loading, or the body
 * (dimmed while a new filter's answer is on its way). */
export function ReportResult<T>({
  report,
  errorTestId,
  children,
}: {
  report: UseQueryResult<T, unknown>;
  errorTestId: string;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      {report.error instanceof ApiError && <ErrorAlert error={report.error} testId={errorTestId} withFieldErrors />}
      {report.isPending && !report.isError && (
        <p className="muted" role="status">
          {t("common:loading")}
        </p>
      )}
      {report.data && !report.isError && (
        <div aria-busy={report.isPlaceholderData} className={report.isPlaceholderData ? "stale" : undefined}>
          {children(report.data)}
        </div>
      )}
    </>
  );
}
