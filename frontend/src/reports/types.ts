/**
 * The two report endpoints' answers (the envelope's `data`), written by hand from the order
 * service's examples and schemas (order_service/order_service/api/report_schemas.py,
 * docs/reports.md) until there is a generated client. Money is a JSON number with two
 * decimals; dates are AAAA-MM-DD on the business calendar (Brasília).
 */

/** `group_by` values of the period report. */
export type Grouping = "client" | "product" | "supplier" | "status";

// -- GET /orders/reports/period -----------------------------------------------------------

export interface PeriodReportQuery {
  /** AAAA-MM-DD, first day, included. */
  date_from: string;
  /** AAAA-MM-DD, last day, included. */
  date_to: string;
}

export interface ReportPeriod {
  date_from: string;
  date_to: string;
  days: number;
  timezone: string;
}

/** Sales only; cancelled and returned orders are out of every figure but their own counts. */
export interface PeriodOverall {
  total_orders: number;
  total_value: number;
  clients_served: number;
  distinct_products: number;
  average_ticket: number;
  cancelled_orders: number;
  returned_orders: number;
}

/** One group of a grouping: a client, product, supplier (id null: "Sem fornecedor") or status. */
export interface ReportGroup {
  /** The client's, product's or supplier's id, or the status itself in `by_status`. */
  id: string | null;
  name: string | null;
  orders: number;
  quantity: number;
  value: number;
  average_ticket: number;
}

/** `by_*` are present only for the groupings asked for, largest value first. */
export interface PeriodReport {
  period: ReportPeriod;
  overall: PeriodOverall;
  by_client?: ReportGroup[];
  by_product?: ReportGroup[];
  by_supplier?: ReportGroup[];
  by_status?: ReportGroup[];
}

// -- GET /orders/reports/performance ------------------------------------------------------

export interface PerformancePeriod {
  months: number;
  date_from: string;
  date_to: string;
  timezone: string;
}

export interface MonthFigures {
  /** AAAA-MM */
  month: string;
  orders: number;
  value: number;
  /** Value against the month before, in %; null when that month's value was 0. */
  growth_percent: number | null;
}

export interface PerformanceOverall {
  total_orders: number;
  total_value: number;
  average_ticket: number;
  monthly: MonthFigures[];
  /** Mean of the months' non-null growth_percent; null when none. */
  monthly_growth: number | null;
  /** Mean hours from creation to approval; null when no sale of the window was approved. */
  avg_approval_hours: number | null;
  /** Cancelled ÷ every live sale of the window × 100. */
  cancellation_rate: number;
}

export interface TrendingProduct {
  product_id: string;
  name: string;
  first_half_quantity: number;
  second_half_quantity: number;
  growth_percent: number;
  orders: number;
}

export interface ClientActivity {
  client_id: string;
  name: string;
  orders: number;
  value: number;
  average_ticket: number;
  cancelled_orders: number;
}

export interface CriticalStockItem {
  product_id: string;
  name: string;
  available: number;
  ideal_quantity: number;
  percent_of_ideal: number | null;
}

/** A product or supplier with no order line for a while. */
export interface IdleItem {
  id: string;
  name: string;
  /** ISO 8601 UTC instant. */
  last_order_at: string;
  days_without_orders: number;
}

export interface PriceOutlierItem {
  order_id: string;
  number: number;
  product_id: string;
  name: string;
  unit_price: number;
  usual_price: number;
  deviation_percent: number;
}

interface AlertBase {
  description: string;
  recommendation: string;
  /** Every item found; `items` holds at most 100 of them. */
  count: number;
  /** true: the stock service did not answer (critical_stock only; no items then). */
  unavailable?: boolean;
}

export type Alert =
  | (AlertBase & { type: "critical_stock"; items: CriticalStockItem[] })
  | (AlertBase & { type: "products_without_orders"; items: IdleItem[] })
  | (AlertBase & { type: "suppliers_without_orders"; items: IdleItem[] })
  | (AlertBase & { type: "price_outliers"; items: PriceOutlierItem[] });

export type AlertType = Alert["type"];

export interface PerformanceReport {
  period: PerformancePeriod;
  overall: PerformanceOverall;
  trends: {
    trending_products: TrendingProduct[];
    most_active_clients: ClientActivity[];
  };
  /** As of today; only the alerts that have items (or could not be checked). */
  alerts: Alert[];
  /** Only with include_details=true. */
  by_client?: ClientActivity[];
}
