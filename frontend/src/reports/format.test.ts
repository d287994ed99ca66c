import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { setLanguage } from "../i18n";
import {
  formatDay,
  formatGrowth,
  formatHours,
  formatInstantDay,
  formatInteger,
  formatMoney,
  formatMoneyShort,
  formatMonth,
  formatPercent,
} from "./format";

// Intl separates "R$" from the number with a no-break space; compare with plain spaces.
const plain = (text: string) => text.replace(/\s/g, " ");

beforeEach(async () => {
  await setLanguage("pt-BR");
});

describe("formatMoney", () => {
  it("writes reais with the Brazilian separators", () => {
    expect(plain(formatMoney(1098))).toBe("R$ 1.098,00");
    expect(plain(formatMoney(125750.5))).toBe("R$ 125.750,50");
    expect(plain(formatMoney(0))).toBe("R$ 0,00");
  });
});

describe("formatMoneyShort", () => {
  it("fits an axis: thousands as mil, no cents", () => {
    expect(plain(formatMoneyShort(45750.5))).toBe("R$ 45,8 mil");
    expect(plain(formatMoneyShort(1000))).toBe("R$ 1 mil");
    expect(plain(formatMoneyShort(250))).toBe("R$ 250");
  });
});

describe("formatInteger", () => {
  it("groups thousands with a dot", () => {
    expect(formatInteger(1234567)).toBe("1.234.567");
  });
});

describe("formatPercent", () => {
  it("reads the API's percentage (3.2 is 3,2%)", () => {
    expect(formatPercent(3.2)).toBe("3,2%");
    expect(formatPercent(10.53)).toBe("10,53%");
    expect(formatPercent(0)).toBe("0%");
  });

  it("shows a dash for a figure there was nothing to compute from", () => {
    expect(formatPercent(null)).toBe("—");
  });
});

describe("formatGrowth", () => {
  it("always shows the direction", () => {
    expect(formatGrowth(8.15)).toBe("+8,15%");
    expect(plain(formatGrowth(-12.5))).toMatch(/^[-−]12,5%$/);
    expect(formatGrowth(0)).toBe("0%");
    expect(formatGrowth(null)).toBe("—");
  });
});

describe("formatHours", () => {
  it("writes hours with one decimal at most", () => {
    expect(formatHours(60)).toBe("60 h");
    expect(formatHours(2.25)).toBe("2,3 h");
    expect(formatHours(null)).toBe("—");
  });
});

describe("formatMonth and formatDay", () => {
  it("write the API's months and days the Brazilian way", () => {
    expect(formatMonth("2026-09")).toBe("set/2026");
    expect(formatMonth("2026-13")).toBe("2026-13");
    expect(formatDay("2026-11-01")).toBe("01/11/2026");
    expect(formatDay("ontem")).toBe("ontem");
  });

  it("reads an instant as its day in Brasília", () => {
    expect(formatInstantDay("2026-10-02T13:00:00Z")).toBe("02/10/2026");
    expect(formatInstantDay("2026-10-02T01:00:00Z")).toBe("01/10/2026");
  });
});

describe("in English", () => {
  beforeEach(async () => {
    await setLanguage("en");
  });
  afterEach(async () => {
    await setLanguage("pt-BR");
  });

  it("follows the language switch at once", () => {
    expect(formatMoney(1098)).toBe("R$1,098.00");
    expect(formatMoneyShort(45750.5)).toBe("R$45.8K");
    expect(formatInteger(1234567)).toBe("1,234,567");
    expect(formatPercent(3.2)).toBe("3.2%");
    expect(formatGrowth(8.15)).toBe("+8.15%");
    expect(formatHours(2.25)).toBe("2.3 h");
    expect(formatMonth("2026-09")).toBe("Sep 2026");
    expect(formatDay("2026-11-01")).toBe("11/01/2026");
    expect(formatInstantDay("2026-10-02T01:00:00Z")).toBe("10/01/2026");
  });
});
