import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { formatMoney, formatNumber } from "../i18n/format";
import { getImportJob, importCsv, progressPercent, type ImportJob, type LineResult } from "./imports";

/** Import orders from a CSV: the per-line report, or a job's progress for a large file. */
export function ImportPage() {
  const { t } = useTranslation("imports");
  const [file, setFile] = useState<File | null>(null);
  const [rejected, setRejected] = useState<{ message: string; lines: LineResult[] } | null>(null);
  const upload = useMutation({
    mutationFn: importCsv,
    onMutate: () => setRejected(null),
    onError: (error) => {
      const data = error instanceof ApiError ? (error.data as { lines?: LineResult[] }) : null;
      setRejected({
        message: error instanceof Error ? error.message : t("failed"),
        lines: data?.lines ?? [],
      });
    },
  });
  const started = upload.data;
  // A large file is a job: its progress, every second until it is over.
  const job = useQuery({
    queryKey: ["import", started?.id],
    queryFn: () => getImportJob(started!.id),
    enabled: started !== undefined && started.state !== "done",
    refetchInterval: (query) =>
      query.state.data && ["done", "failed"].includes(query.state.data.state) ? false : 1000,
  });
  const current: ImportJob | undefined = job.data ?? started;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (file) {
      upload.mutate(file);
    }
  }

  return (
    <section className="card wide" aria-labelledby="import-title" data-testid="import-page">
      <h2 id="import-title">{t("title")}</h2>
      <p className="muted small">
        <Trans t={t} i18nKey="hint" components={{ code: <code /> }} />
      </p>
      <form onSubmit={submit} className="inline wraps">
        <label className="file-field">
          {t("file")}
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </label>
        <button type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? t("sending") : t("submit")}
        </button>
      </form>
      {rejected && (
        <div role="alert" className="error" data-testid="import-error">
          {rejected.message}
          <LineTable lines={rejected.lines} />
        </div>
      )}
      {current && (
        <div data-testid="import-result" data-state={current.state}>
          <p role="status">
            {current.state === "done"
              ? t("done", {
                  created: formatNumber(current.created),
                  total: formatNumber(current.total_lines),
                  orders: formatNumber(current.orders_created),
                  value: formatMoney(current.total_value),
                  failed: formatNumber(current.failed),
                })
              : t("processing", {
                  processed: formatNumber(current.processed),
                  total: formatNumber(current.total_lines),
                })}
          </p>
          <progress className="full" max={100} value={progressPercent(current)} aria-label={t("progress")} />
          {current.lines && <LineTable lines={current.lines.filter((l) => l.status === "failed")} />}
        </div>
      )}
    </section>
  );
}

function LineTable({ lines }: { lines: LineResult[] }) {
  const { t } = useTranslation("imports");
  if (lines.length === 0) {
    return null;
  }
  return (
    <table className="data-table" data-testid="import-lines">
      <caption>{t("lines.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("lines.line")}</th>
          <th scope="col">{t("lines.error")}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.line} data-testid={`import-line-${line.line}`}>
            <td>{formatNumber(line.line)}</td>
            <td>{line.errors.map((error) => `${error.field}: ${error.message}`).join("; ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
