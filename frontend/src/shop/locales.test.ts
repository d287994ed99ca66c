import { describe, expect, it } from "vitest";

const locales = import.meta.glob<Record<string, unknown>>("../i18n/locales/*/{shop,common}.json", {
  eager: true,
  import: "default",
});
const sources = import.meta.glob<string>("./*.tsx", { eager: true, query: "?raw", import: "default" });

function flatKeys(texts: unknown, prefix = ""): string[] {
  return Object.entries(texts as Record<string, unknown>).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? flatKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const bundle = (language: string, namespace: string) =>
  flatKeys(locales[`../i18n/locales/${language}/${namespace}.json`] ?? {});

describe("the shop's texts", () => {
  it("have the same keys in pt-BR and en", () => {
    expect(bundle("pt-BR", "shop").length).toBeGreaterThan(0);
    expect(bundle("en", "shop").sort()).toEqual(bundle("pt-BR", "shop").sort());
  });

  it("exist for every key the pages ask for", () => {
    const shop = new Set(bundle("pt-BR", "shop"));
    const common = new Set(bundle("pt-BR", "common"));
    const used = Object.values(sources).flatMap((source) =>
      [...source.matchAll(/\bt\("([^"]+)"/g)].map((match) => match[1]),
    );
    expect(used.length).toBeGreaterThan(0);
    const missing = used.filter((key) =>
      key.startsWith("common:") ? !common.has(key.slice("common:".length)) : !shop.has(key),
    );
    expect(missing).toEqual([]);
  });

  it("name every problem the sign-up can find", () => {
    const shop = new Set(bundle("pt-BR", "shop"));
    const problems = [
      "required",
      "tooLong",
      "emailInvalid",
      "passwordShort",
      "passwordLong",
      "passwordDigits",
      "passwordMismatch",
      "documentLength",
      "cpfInvalid",
      "cnpjInvalid",
      "phoneInvalid",
    ];
    expect(problems.filter((problem) => !shop.has(`signUp.errors.${problem}`))).toEqual([]);
    for (const field of ["name", "email", "password", "passwordConfirmation", "document", "phone"]) {
      expect(shop.has(`signUp.fields.${field}`), field).toBe(true);
    }
  });
});
