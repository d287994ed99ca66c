import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { ApiError } from "../api/client";
import { formatMoney } from "../i18n/format";
import { getImportJob, importCsv, progressPercent, type ImportJob, type LineResult } from "./imports";

/** Import orders from a CSV: the per-line report, or a job's progress for a large file. */
export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [rejected, setRejected] = useState<{ message: string; lines: LineResult[] } | null>(null);
  const upload = useMutation({
    mutationFn: importCsv,
    onMutate: () => setRejected(null),
    onError: (error) => {
      const data = error instanceof ApiError ? (error.data as { lines?: LineResult[] }) : null;
      setRejected({
        message: error instanceof Error ? error.message : "Não foi possível importar.",
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
      <h2 id="import-title">Importar pedidos</h2>
      <p className="muted small">
        Um CSV com cabeçalho <code>order_ref,client_id,product_id,quantity,desired_delivery_date,notes</code>,
        um item por linha; linhas seguidas com o mesmo <code>order_ref</code> formam um pedido.
      </p>
      <form onSubmit={submit} className="inline wraps">
        <label className="file-field">
          Arquivo CSV
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </label>
        <button type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? "Enviando…" : "Importar"}
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
              ? `Concluída: ${current.created} de ${current.total_lines} linhas viraram pedidos (${current.orders_created} pedido(s), ${formatMoney(current.total_value)}); ${current.failed} com erro.`
              : `Processando: ${current.processed} de ${current.total_lines} linhas.`}
          </p>
          <progress className="full" max={100} value={progressPercent(current)} aria-label="Progresso da importação" />
          {current.lines && <LineTable lines={current.lines.filter((l) => l.status === "failed")} />}
        </div>
      )}
    </section>
  );
}

function LineTable({ lines }: { lines: LineResult[] }) {
  if (lines.length === 0) {
    return null;
  }
  return (
    <table className="data-table" data-testid="import-lines">
      <caption>Linhas com erro</caption>
      <thead>
        <tr>
          <th scope="col">Linha</th>
          <th scope="col">Erro</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.line} data-testid={`import-line-${line.line}`}>
            <td>{line.line}</td>
            <td>{line.errors.map((error) => `${error.field}: ${error.message}`).join("; ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
