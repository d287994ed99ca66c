import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { setLanguage } from "../i18n";
import { alertLines, alertTitle, monthlyChartData, sharePercent, statusChartData, topGroups } from "./chartData";
import type { Alert, ReportGroup } from "./types";

const group = (id: string | null, value: number, orders = 1): ReportGroup => ({
  id,
  name: id,
  orders,
  quantity: orders * 10,
  value,
  average_ticket: value / orders,
});

beforeEach(async () => {
  await setLanguage("pt-BR");
});

describe("statusChartData", () => {
  it("puts the statuses in lifecycle order with their names (pt-BR)", () => {
    // The API sends the largest value first.
    const bars = statusChartData([group("delivered", 837, 2), group("cancelled", 261), group("pending", 30)]);
    expect(bars.map((bar) => bar.status)).toEqual(["pending", "delivered", "cancelled"]);
    expect(bars[1]).toEqual({ status: "delivered", label: "Entregue", orders: 2, value: 837 });
  });

  it("keeps a status it does not know, after the known ones", () => {
    expect(statusChartData([group("archived", 5), group("approved", 1)]).map((bar) => bar.label)).toEqual([
      "Aprovado",
      "archived",
    ]);
  });

  it("is empty without the grouping", () => {
    expect(statusChartData(undefined)).toEqual([]);
  });
});

describe("topGroups", () => {
  it("keeps the API's order and at most the limit", () => {
    const clients = Array.from({ length: 15 }, (_, index) => group(`c${index}`, 1000 - index));
    const top = topGroups(clients);
    expect(top).toHaveLength(10);
    expect(top[0].id).toBe("c0");
    expect(top[9].id).toBe("c9");
    expect(topGroups(clients, 3).map((client) => client.id)).toEqual(["c0", "c1", "c2"]);
    expect(topGroups(undefined)).toEqual([]);
  });
});

describe("sharePercent", () => {
  it("is the share of the total to 0.01, 0 without a total", () => {
    expect(sharePercent(837, 1098)).toBe(76.23);
    expect(sharePercent(5, 0)).toBe(0);
  });
});

describe("monthlyChartData", () => {
  it("draws the months oldest first with their labels and growth", () => {
    const points = monthlyChartData([
      { month: "2026-11", orders: 160, value: 45750.5, growth_percent: 8.93 },
      { month: "2026-09", orders: 140, value: 38000, growth_percent: null },
    ]);
    expect(points).toEqual([
      { month: "2026-09", label: "set/2026", value: 38000, orders: 140, growth: null },
      { month: "2026-11", label: "nov/2026", value: 45750.5, orders: 160, growth: 8.93 },
    ]);
  });
});

describe("alertLines", () => {
  const idle = (index: number) => ({
    id: `p${index}`,
    name: `Produto ${index}`,
    last_order_at: "2026-10-02T13:00:00Z",
    days_without_orders: 30 + index,
  });

  it("lists at most 10 items and counts the rest from the whole count", () => {
    const alert: Alert = {
      type: "products_without_orders",
      description: "150 produto(s) sem pedidos há 30 dias ou mais.",
      recommendation: "Revisar o cardápio ou a disponibilidade desses produtos.",
      count: 150, // the API sends at most 100 items
      items: Array.from({ length: 100 }, (_, index) => idle(index)),
    };
    const { lines, hidden } = alertLines(alert);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("Produto 0: 30 dias sem pedidos (último em 02/10/2026)");
    expect(hidden).toBe(140);
  });

  it("hides nothing when every item is listed", () => {
    const alert: Alert = {
      type: "suppliers_without_orders",
      description: "",
      recommendation: "",
      count: 2,
      items: [idle(1), idle(2)],
    };
    expect(alertLines(alert).hidden).toBe(0);
  });

  it("writes each kind of item with its own figures", () => {
    const stock: Alert = {
      type: "critical_stock",
      description: "",
      recommendation: "",
      count: 1,
      items: [{ product_id: "x", name: "Arroz", available: 3, ideal_quantity: 50, percent_of_ideal: 6 }],
    };
    expect(alertLines(stock).lines).toEqual(["Arroz: 3 disponível(is), ideal 50 (6% do ideal)"]);

    const price: Alert = {
      type: "price_outliers",
      description: "",
      recommendation: "",
      count: 1,
      items: [
        {
          order_id: "o",
          number: 1042,
          product_id: "x",
          name: "Feijão",
          unit_price: 24,
          usual_price: 8,
          deviation_percent: 200,
        },
      ],
    };
    expect(alertLines(price).lines[0].replace(/\s/g, " ")).toBe(
      "Pedido nº 1042, Feijão: R$ 24,00 (usual R$ 8,00, +200%)",
    );
  });

  it("has no items when the stock service did not answer", () => {
    const alert: Alert = {
      type: "critical_stock",
      description: "Não foi possível consultar o estoque agora; este alerta ficou de fora.",
      recommendation: "",
      count: 0,
      items: [],
      unavailable: true,
    };
    expect(alertLines(alert)).toEqual({ lines: [], hidden: 0 });
  });
});

describe("alertTitle", () => {
  it("names the known alerts and keeps an unknown type as it came", () => {
    expect(alertTitle("price_outliers")).toBe("Preços fora do usual");
    expect(alertTitle("new_kind")).toBe("new_kind");
  });
});

describe("cases not covered above", () => {
  it("names a status group by its name when its id is missing, and orders unknown statuses by name", () => {
    const unnamed: ReportGroup = { ...group(null, 1), name: "shipped" };
    const bars = statusChartData([group("zeta", 1), unnamed, group("alpha", 2), group("returned", 3)]);
    expect(bars.map((bar) => bar.status)).toEqual(["shipped", "returned", "alpha", "zeta"]);
    expect(bars[0].label).toBe("Enviado");
    expect(statusChartData([{ ...group(null, 1), name: null }])[0]).toMatchObject({ status: "", label: "" });
  });

  it("keeps the API's groups as they came (no sorting in place)", () => {
    const groups = [group("delivered", 2), group("pending", 1)];
    statusChartData(groups);
    expect(groups.map((item) => item.id)).toEqual(["delivered", "pending"]);
    const months = [
      { month: "2026-11", orders: 1, value: 1, growth_percent: null },
      { month: "2026-10", orders: 1, value: 1, growth_percent: null },
    ];
    monthlyChartData(months);
    expect(months.map((month) => month.month)).toEqual(["2026-11", "2026-10"]);
  });

  it("draws no months from an empty list, and a year's turn in order", () => {
    expect(monthlyChartData([])).toEqual([]);
    const points = monthlyChartData([
      { month: "2027-01", orders: 2, value: 20, growth_percent: 100 },
      { month: "2026-12", orders: 1, value: 10, growth_percent: -50.5 },
    ]);
    expect(points.map((point) => [point.label, point.growth])).toEqual([
      ["dez/2026", -50.5],
      ["jan/2027", 100],
    ]);
  });

  it("rounds a share to 0.01 either way, and is 0 for a negative total", () => {
    expect(sharePercent(1, 3)).toBe(33.33);
    expect(sharePercent(2, 3)).toBe(66.67);
    expect(sharePercent(10, 10)).toBe(100);
    expect(sharePercent(5, -10)).toBe(0);
  });

  it("lists fewer items with a smaller limit, and counts items beyond an understated count", () => {
    const alert: Alert = {
      type: "suppliers_without_orders",
      description: "",
      recommendation: "",
      count: 1, // fewer than the items sent: the items decide
      items: [1, 2, 3].map((index) => ({
        id: `s${index}`,
        name: `Fornecedor ${index}`,
        last_order_at: "2026-10-02T13:00:00Z",
        days_without_orders: 40,
      })),
    };
    const { lines, hidden } = alertLines(alert, 2);
    expect(lines).toEqual([
      "Fornecedor 1: 40 dias sem pedidos (último em 02/10/2026)",
      "Fornecedor 2: 40 dias sem pedidos (último em 02/10/2026)",
    ]);
    expect(hidden).toBe(1);
  });

  it("lists the items of an alert type it does not know by their names, or as they came", () => {
    const alert = {
      type: "late_deliveries",
      description: "",
      recommendation: "",
      count: 2,
      items: [{ name: "Pedido 1042" }, { order: 1043 }],
    } as unknown as Alert;
    expect(alertLines(alert)).toEqual({ lines: ["Pedido 1042", '{"order":1043}'], hidden: 0 });
  });
});

describe("in English", () => {
  beforeEach(async () => {
    await setLanguage("en");
  });
  afterEach(async () => {
    await setLanguage("pt-BR");
  });

  it("names the statuses, months and alerts in the language chosen", () => {
    expect(statusChartData([group("delivered", 837, 2)])[0].label).toBe("Delivered");
    expect(monthlyChartData([{ month: "2026-09", orders: 1, value: 1, growth_percent: null }])[0].label).toBe(
      "Sep 2026",
    );
    expect(alertTitle("price_outliers")).toBe("Unusual prices");
    expect(alertTitle("new_kind")).toBe("new_kind");
  });

  it("writes the alerts' items in English with English numbers", () => {
    const stock: Alert = {
      type: "critical_stock",
      description: "",
      recommendation: "",
      count: 2,
      items: [
        { product_id: "x", name: "Rice", available: 1200, ideal_quantity: 5000, percent_of_ideal: 24.5 },
        { product_id: "y", name: "Beans", available: 3, ideal_quantity: 50, percent_of_ideal: null },
      ],
    };
    expect(alertLines(stock).lines).toEqual([
      "Rice: 1,200 available, ideal 5,000 (24.5% of ideal)",
      "Beans: 3 available, ideal 50",
    ]);

    const idle: Alert = {
      type: "suppliers_without_orders",
      description: "",
      recommendation: "",
      count: 1,
      items: [{ id: "s", name: "Acme", last_order_at: "2026-10-02T13:00:00Z", days_without_orders: 45 }],
    };
    expect(alertLines(idle).lines).toEqual(["Acme: 45 days without orders (last on 10/02/2026)"]);

    const price: Alert = {
      type: "price_outliers",
      description: "",
      recommendation: "",
      count: 1,
      items: [
        {
          order_id: "o",
          number: 1042,
          product_id: "x",
          name: "Beans",
          unit_price: 1024,
          usual_price: 8,
          deviation_percent: 12700,
        },
      ],
    };
    expect(alertLines(price).lines).toEqual(["Order #1042, Beans: R$1,024.00 (usual R$8.00, +12,700%)"]);
  });
});
