import { describe, expect, it } from "vitest";

import { requestLanguage } from "../api/client";
import { formatDate, formatMoney } from "./format";
import i18next, { resourcesFrom, setLanguage } from "./index";

describe("languages", () => {
  it("loads every namespace file by its path", () => {
    const resources = resourcesFrom({
      "./locales/pt-BR/common.json": { save: "Salvar" },
      "./locales/en/shop.json": { cart: "Cart" },
    });

    expect(resources).toEqual({ "pt-BR": { common: { save: "Salvar" } }, en: { shop: { cart: "Cart" } } });
  });

  it("has the same keys in pt-BR and en for every namespace", () => {
    const bundles = i18next.options.resources ?? {};
    const keys = (texts: unknown, prefix = ""): string[] =>
      Object.entries(texts as Record<string, unknown>).flatMap(([key, value]) =>
        typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
      );
    for (const namespace of Object.keys(bundles["pt-BR"] ?? {})) {
      expect(keys(bundles.en?.[namespace] ?? {}).sort(), namespace).toEqual(
        keys(bundles["pt-BR"][namespace]).sort(),
      );
    }
  });

  it("switches the texts, the API's language and the formats together", async () => {
    await setLanguage("en");
    expect(i18next.t("save")).toBe("Save");
    expect(requestLanguage.current).toBe("en");
    expect(formatMoney(1098)).toBe("R$1,098.00");

    await setLanguage("pt-BR");
    expect(i18next.t("save")).toBe("Salvar");
    expect(requestLanguage.current).toBe("pt-BR");
    expect(formatMoney(1098).replace(/\s/g, " ")).toBe("R$ 1.098,00");
    expect(formatDate("2026-12-07")).toBe("07/12/2026");
  });
});
