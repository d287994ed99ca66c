/** Order imports (POST /orders/import, GET /orders/imports/{id}): docs/imports.md. */

import { authorizedPage, authorizedRequest } from "../auth/authorized";

export interface LineResult {
  line: number;
  status: "created" | "failed";
  order_ref: string | null;
  order_id: string | null;
  order_number: number | null;
  total: number | null;
  errors: { field: string; message: string }[];
}

export interface ImportJob {
  id: string;
  state: "queued" | "running" | "done" | "failed";
  file_name: string | null;
  total_lines: number;
  processed: number;
  created: number;
  failed: number;
  orders_created: number;
  total_value: number;
  error: string | null;
  links: { self: string; failed_lines: string };
  lines?: LineResult[];
}

/** Send a CSV file; small files come back with every line, large ones as a queued job. */
export function importCsv(file: File): Promise<ImportJob> {
  const csv = file.type === "text/csv" ? file : new Blob([file], { type: "text/csv" });
  return authorizedRequest<ImportJob>("/orders/import", { method: "POST", rawBody: csv });
}

/** The job and one page of its failed lines (the ones a user has to fix). */
export function getImport(id: string, page = 1) {
  return authorizedPage<LineResult>(`/orders/imports/${id}?status=failed&page=${page}`);
}

export function getImportJob(id: string): Promise<ImportJob> {
  return authorizedRequest<ImportJob>(`/orders/imports/${id}?page_size=1`);
}

export function progressPercent(job: Pick<ImportJob, "processed" | "total_lines">): number {
  return job.total_lines ? Math.round((100 * job.processed) / job.total_lines) : 0;
}
