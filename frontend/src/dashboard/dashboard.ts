import { authorizedPage } from "../auth/authorized";

export interface OrderCount {
  total: number;
  /** False past 1,000: the database's estimate (GET /orders' `meta.total_exact`). */
  exact: boolean;
}

/** How many live orders are in `status` now: one page of one row, its total. */
export async function countOrders(status: string, signal?: AbortSignal): Promise<OrderCount> {
  const page = await authorizedPage<unknown>(`/orders?status=${status}&page_size=1`, { signal });
  return { total: page.total, exact: page.totalExact };
}
