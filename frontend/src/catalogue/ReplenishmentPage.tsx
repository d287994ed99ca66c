import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { ApiError } from "../api/client";
import { formatMoney, formatNumber } from "../i18n/format";
import { catalogueKeys } from "./api";
import {
  DEFAULT_THRESHOLD,
  MAX_THRESHOLD,
  MIN_THRESHOLD,
  differsFromPlan,
  lowStockRequest,
  runLowStock,
  summarise,
  supplierTotals,
  whyNothing,
  type ReplenishmentDraft,
} from "./replenishment";
import type { LowStockRequest, Replenishment } from "./types";
import { Field, FormError } from "./ui";
import "./catalogue.css";

/**
 * Reposição (/reposicao): products below a % of their ideal quantity become one replenishment
 * order per supplier. First a simulation (nothing is written) to review, then "Confirmar"
 * runs the same request for real and links the orders created.
 */
export function ReplenishmentPage() {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ReplenishmentDraft>({ threshold: String(DEFAULT_THRESHOLD), section: "" });
  const [problem, setProblem] = useState<string | null>(null);
  const simulation = useMutation({
    mutationFn: (body: LowStockRequest) => runLowStock(body),
  });
  const confirmation = useMutation({
    mutationFn: (body: LowStockRequest) => runLowStock(body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["orders"] });
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.allSupplierOrders() });
    },
  });

  function simulate(event: FormEvent) {
    event.preventDefault();
    const built = lowStockRequest(draft, true);
    if (!built.ok) {
      setProblem(t("replenishment.problem.threshold", { min: MIN_THRESHOLD, max: MAX_THRESHOLD }));
      return;
    }
    setProblem(null);
    confirmation.reset();
    simulation.mutate(built.body);
  }

  function change(next: Partial<ReplenishmentDraft>) {
    setDraft((current) => ({ ...current, ...next }));
    // A review belongs to the values it was made with: changing them asks for a new one.
    simulation.reset();
    confirmation.reset();
  }

  const plan = simulation.data;
  const planned = simulation.variables;
  const thresholdError = problem ?? (simulation.error instanceof ApiError
    ? (simulation.error.errors.find((error) => error.field === "threshold_percent")?.message ?? null)
    : null);
  const sectionError = simulation.error instanceof ApiError
    ? (simulation.error.errors.find((error) => error.field === "section")?.message ?? null)
    : null;

  return (
    <>
      <section className="card wide cat-page" aria-labelledby="replenishment-title" data-testid="replenishment-page">
        <h1 id="replenishment-title">{t("replenishment.title")}</h1>
        <p className="muted small">{t("replenishment.intro")}</p>
        <form className="cat-filters" onSubmit={simulate} noValidate data-testid="replenishment-form">
          <Field
            id={`${id}-threshold`}
            label={t("replenishment.threshold")}
            error={thresholdError}
            hint={t("replenishment.thresholdHint")}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                min={MIN_THRESHOLD}
                max={MAX_THRESHOLD}
                step={1}
                inputMode="numeric"
                value={draft.threshold}
                onChange={(event) => change({ threshold: event.target.value })}
              />
            )}
          </Field>
          <Field
            id={`${id}-section`}
            label={t("replenishment.section")}
            error={sectionError}
            hint={t("replenishment.sectionHint")}
            className="cat-grow"
          >
            {(control) => (
              <input
                {...control}
                value={draft.section}
                maxLength={100}
                onChange={(event) => change({ section: event.target.value })}
              />
            )}
          </Field>
          <div className="buttons cat-filter-buttons">
            <button type="submit" className="button primary" disabled={simulation.isPending} data-testid="replenishment-simulate">
              {simulation.isPending ? t("replenishment.simulating") : t("replenishment.simulate")}
            </button>
          </div>
        </form>
        <FormError error={simulation.error} fields={["threshold_percent", "section"]} testId="replenishment-error" />
        {simulation.isPending && (
          <p className="muted" role="status" aria-busy="true">
            {t("replenishment.simulating")}
          </p>
        )}
      </section>
      {plan && planned && !confirmation.data && (
        <PlanReview
          plan={plan}
          confirming={confirmation.isPending}
          error={confirmation.error}
          onConfirm={() => confirmation.mutate({ ...planned, simulate: false })}
        />
      )}
      {confirmation.data && plan && <Outcome result={confirmation.data} simulated={plan} />}
    </>
  );
}

function Figures({ figures }: { figures: { label: string; value: string }[] }) {
  return (
    <dl className="figures">
      {figures.map((figure) => (
        <div key={figure.label} className="figure">
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
    </dl>
  );
}

interface PlanReviewProps {
  plan: Replenishment;
  confirming: boolean;
  error: unknown;
  onConfirm: () => void;
}

function PlanReview({ plan, confirming, error, onConfirm }: PlanReviewProps) {
  const { t } = useTranslation("catalogue");
  const summary = summarise(plan);
  const nothing = whyNothing(plan);
  return (
    <section className="card wide cat-page" aria-labelledby="plan-title" data-testid="replenishment-plan">
      <h2 id="plan-title">{t("replenishment.planTitle", { threshold: plan.threshold_percent })}</h2>
      <p className="muted small">
        {plan.section ? t("replenishment.planSection", { section: plan.section }) : t("replenishment.planAllSections")}
      </p>
      <Figures
        figures={[
          { label: t("replenishment.analyzed"), value: formatNumber(plan.total_analyzed) },
          { label: t("replenishment.lowItems"), value: formatNumber(plan.low_stock_items) },
          { label: t("replenishment.ordersPlanned"), value: formatNumber(summary.orders) },
          { label: t("replenishment.units"), value: formatNumber(summary.units) },
          { label: t("replenishment.value"), value: formatMoney(plan.total_value) },
        ]}
      />
      {summary.unexpectedLines.length > 0 && (
        <p className="alert small">{t("replenishment.unexpected")}</p>
      )}
      {nothing && (
        <p className="cat-notice" role="status" data-testid="replenishment-nothing">
          {t(`replenishment.why.${nothing}`)}
        </p>
      )}
      {plan.details.map((order) => (
        <PlannedOrderTable key={order.supplier_id} order={order} />
      ))}
      <OpenAndRefused plan={plan} />
      {plan.details.length > 0 && (
        <div className="cat-confirm-bar">
          <FormError error={error} fields={[]} testId="replenishment-confirm-error" />
          <p className="small">
            {t("replenishment.confirmNote", { orders: summary.orders, value: formatMoney(plan.total_value) })}
          </p>
          <button
            type="button"
            className="button primary"
            onClick={onConfirm}
            disabled={confirming}
            data-testid="replenishment-confirm"
          >
            {confirming ? t("replenishment.confirming") : t("replenishment.confirm")}
          </button>
        </div>
      )}
    </section>
  );
}

function PlannedOrderTable({ order }: { order: Replenishment["details"][number] }) {
  const { t } = useTranslation("catalogue");
  const totals = supplierTotals(order);
  const id = useId();
  return (
    <div className="cat-planned" data-testid="planned-order" data-supplier={order.supplier_id}>
      <h3 id={id}>
        {order.order_id ? (
          <Link to={`/pedidos/${order.order_id}`}>
            {t("replenishment.orderFor", { number: order.number, supplier: order.supplier_name })}
          </Link>
        ) : (
          order.supplier_name
        )}
      </h3>
      <table className="cat-table" aria-labelledby={id}>
        <thead>
          <tr>
            <th scope="col">{t("replenishment.product")}</th>
            <th scope="col">{t("stock.available")}</th>
            <th scope="col">{t("stock.ideal")}</th>
            <th scope="col">{t("replenishment.quantity")}</th>
            <th scope="col">{t("replenishment.unitPrice")}</th>
            <th scope="col">{t("replenishment.lineTotal")}</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((line) => (
            <tr key={line.product_id} data-testid="planned-line">
              <td className="cat-name-cell">
                <Link to={`/produtos/${line.product_id}`}>{line.name}</Link>
              </td>
              <td data-label={t("stock.available")}>{formatNumber(line.available)}</td>
              <td data-label={t("stock.ideal")}>{formatNumber(line.ideal_quantity)}</td>
              <td data-label={t("replenishment.quantity")}>
                <strong>{formatNumber(line.quantity)}</strong>
              </td>
              <td data-label={t("replenishment.unitPrice")}>{formatMoney(line.unit_price)}</td>
              <td data-label={t("replenishment.lineTotal")}>{formatMoney(line.line_total)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3} className="cat-name-cell">
              {t("replenishment.supplierTotal")}
            </th>
            <td data-label={t("replenishment.quantity")}>{formatNumber(totals.units)}</td>
            <td className="cat-hide-narrow" />
            <td data-label={t("replenishment.lineTotal")}>
              <strong>{formatMoney(order.total)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function OpenAndRefused({ plan }: { plan: Replenishment }) {
  const { t } = useTranslation("catalogue");
  return (
    <>
      {plan.already_on_open_orders.length > 0 && (
        <div data-testid="replenishment-open">
          <h3>{t("replenishment.alreadyOpen")}</h3>
          <p className="muted small">{t("replenishment.alreadyOpenHint")}</p>
          <ul className="cat-list">
            {plan.already_on_open_orders.map((item) => (
              <li key={item.product_id}>
                <Link to={`/produtos/${item.product_id}`}>{item.name}</Link>
                {" — "}
                <Link to={`/pedidos/${item.order_id}`}>{t("supplierOrders.orderNumber", { number: item.number })}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {plan.not_processed.length > 0 && (
        <div data-testid="replenishment-not-processed">
          <h3>{t("replenishment.notProcessed")}</h3>
          <ul className="cat-list">
            {plan.not_processed.map((item) => (
              <li key={item.product_id}>
                <Link to={`/produtos/${item.product_id}`}>{item.name}</Link>: {item.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function Outcome({ result, simulated }: { result: Replenishment; simulated: Replenishment }) {
  const { t } = useTranslation("catalogue");
  const nothing = whyNothing(result);
  return (
    <section className="card wide cat-page" aria-labelledby="outcome-title" data-testid="replenishment-result">
      <h2 id="outcome-title">{t("replenishment.resultTitle")}</h2>
      <p role="status" className="cat-notice" data-testid="replenishment-created" data-created={result.orders_created}>
        {result.orders_created > 0
          ? t("replenishment.created", { count: result.orders_created, value: formatMoney(result.total_value) })
          : t("replenishment.createdNone")}
      </p>
      {nothing && <p>{t(`replenishment.why.${nothing}`)}</p>}
      {differsFromPlan(simulated, result) && <p className="alert small">{t("replenishment.changed")}</p>}
      {result.details.length > 0 && (
        <ul className="cat-list" data-testid="replenishment-orders">
          {result.details.map((order) => (
            <li key={order.order_id ?? order.supplier_id}>
              {order.order_id ? (
                <Link to={`/pedidos/${order.order_id}`}>
                  {t("replenishment.orderFor", { number: order.number, supplier: order.supplier_name })}
                </Link>
              ) : (
                order.supplier_name
              )}{" "}
              — {t("replenishment.orderSummary", { lines: order.items.length, value: formatMoney(order.total) })}
            </li>
          ))}
        </ul>
      )}
      <OpenAndRefused plan={result} />
    </section>
  );
}
