/**
 * The report charts drawn once in jsdom: their caption, their legend and their axis labels,
 * in pt-BR. jsdom does no layout, so the charts' box is given a size (ResizeObserver stubbed,
 * clientWidth/clientHeight read as 640 × 280).
 */
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { setLanguage } from "../i18n";
import { monthlyChartData, statusChartData } from "./chartData";
import { MonthlyChart, StatusChart } from "./Charts";
import type { ReportGroup } from "./types";

const group = (status: string, orders: number, value: number): ReportGroup => ({
  id: status,
  name: status,
  orders,
  quantity: orders * 10,
  value,
  average_ticket: value / orders,
});

beforeAll(async () => {
  await setLanguage("pt-BR");
});

beforeEach(() => {
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(640);
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(280);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const legend = (figure: HTMLElement) =>
  within(figure)
    .getAllByRole("listitem")
    .map((item) => item.textContent);

describe("StatusChart", () => {
  it("has its caption, a legend for orders and value, and the statuses in lifecycle order", () => {
    // The API sends the largest value first.
    const data = statusChartData([group("delivered", 2, 837), group("cancelled", 1, 261), group("pending", 4, 30)]);
    render(<StatusChart data={data} />);

    const figure = screen.getByRole("figure");
    expect(within(figure).getByText("Pedidos e valor por status").tagName).toBe("FIGCAPTION");
    expect(legend(figure)).toEqual(["Pedidos", "Valor"]);
    expect(
      within(figure)
        .getAllByText(/^(Pendente|Entregue|Cancelado)$/)
        .map((label) => label.textContent),
    ).toEqual(["Pendente", "Entregue", "Cancelado"]);
    // The value axis is in reais, written the Brazilian way.
    expect(within(figure).getAllByText(/^R\$\s0$/).length).toBeGreaterThan(0);
  });
});

describe("MonthlyChart", () => {
  it("has its caption, a legend for value and growth, and the months oldest first", () => {
    const data = monthlyChartData([
      { month: "2026-11", orders: 160, value: 45750.5, growth_percent: 8.93 },
      { month: "2026-10", orders: 150, value: 42000, growth_percent: 10.53 },
      { month: "2026-09", orders: 140, value: 38000, growth_percent: null },
    ]);
    render(<MonthlyChart data={data} />);

    const figure = screen.getByRole("figure");
    expect(within(figure).getByText("Valor por mês e crescimento sobre o mês anterior").tagName).toBe("FIGCAPTION");
    // Recharts orders the legend by kind of series (the line first): both are there.
    expect(legend(figure).sort()).toEqual(["Crescimento", "Valor"]);
    expect(
      within(figure)
        .getAllByText(/^[a-z]{3}\/2026$/)
        .map((label) => label.textContent),
    ).toEqual(["set/2026", "out/2026", "nov/2026"]);
  });
});
