import { describe, expect, it } from "vitest";

import {
  myOrdersPath,
  productsPath,
  readCatalogue,
  readPage,
  sectionsOf,
  withCatalogue,
  withPage,
} from "./urls";

const query = (path: string) => new URLSearchParams(path.slice(path.indexOf("?") + 1));

describe("the catalogue's URL", () => {
  it("reads search, section, availability and page", () => {
    expect(readCatalogue(new URLSearchParams("q=arroz&section=Mercearia&available=true&page=3"))).toEqual({
      q: "arroz",
      section: "Mercearia",
      available: true,
      page: 3,
    });
  });

  it("falls back to everything, page 1, for missing or malformed values", () => {
    expect(readCatalogue(new URLSearchParams())).toEqual({ q: "", section: "", available: false, page: 1 });
    expect(readCatalogue(new URLSearchParams("q=%20%20&available=sim&page=dois")).page).toBe(1);
    expect(readCatalogue(new URLSearchParams("q=%20%20&available=sim")).q).toBe("");
    expect(readCatalogue(new URLSearchParams("available=sim")).available).toBe(false);
  });

  it("cuts a search to what the API accepts", () => {
    expect(readCatalogue(new URLSearchParams({ q: "a".repeat(150) })).q).toHaveLength(100);
  });

  it("reads page numbers as whole numbers from 1", () => {
    expect(readPage(new URLSearchParams("page=2"))).toBe(2);
    expect(readPage(new URLSearchParams("page=0"))).toBe(1);
    expect(readPage(new URLSearchParams("page=-4"))).toBe(1);
    expect(readPage(new URLSearchParams("page=2.5"))).toBe(1);
    expect(readPage(new URLSearchParams("page="))).toBe(1);
  });

  it("writes filters, starting again from page 1 when one changes", () => {
    const start = new URLSearchParams("q=arroz&page=4&utm=x");
    const next = withCatalogue(start, { q: "feijão", section: " Mercearia " });
    expect(next.get("q")).toBe("feijão");
    expect(next.get("section")).toBe("Mercearia");
    expect(next.has("page")).toBe(false);
    expect(next.get("utm")).toBe("x");
    expect(start.get("page")).toBe("4"); // the given params are not changed
  });

  it("keeps the page when the same filters are sent again", () => {
    const start = new URLSearchParams("q=arroz&page=4");
    expect(withCatalogue(start, { q: "arroz", section: "", available: false }).get("page")).toBe("4");
  });

  it("drops empty filters and page 1 from the URL", () => {
    const start = new URLSearchParams("q=arroz&section=Mercearia&available=true&page=2");
    const next = withCatalogue(start, { q: "", section: "", available: false });
    expect(next.toString()).toBe("");
    expect(withCatalogue(new URLSearchParams(), { available: true }).toString()).toBe("available=true");
  });

  it("moves between pages keeping the filters", () => {
    const start = new URLSearchParams("q=arroz&page=2");
    expect(withPage(start, 3).toString()).toBe("q=arroz&page=3");
    expect(withPage(start, 1).toString()).toBe("q=arroz");
  });
});

describe("the API's paths", () => {
  it("asks for active products only, by name, one page at a time", () => {
    const path = productsPath({ q: "", section: "", available: false, page: 1 });
    expect(path.startsWith("/products?")).toBe(true);
    expect(Object.fromEntries(query(path))).toEqual({ active: "true", page: "1", page_size: "12", sort: "name" });
  });

  it("adds the search, the section and availability when chosen", () => {
    const params = query(productsPath({ q: "arroz integral", section: "Mercearia", available: true, page: 2 }, 24));
    expect(params.get("q")).toBe("arroz integral");
    expect(params.get("section")).toBe("Mercearia");
    expect(params.get("available")).toBe("true");
    expect(params.get("page")).toBe("2");
    expect(params.get("page_size")).toBe("24");
  });

  it("lists the client's orders newest first", () => {
    expect(Object.fromEntries(query(myOrdersPath(3)))).toEqual({ page: "3", page_size: "10", sort: "-created_at" });
    expect(myOrdersPath(1)).not.toContain("client_id");
  });
});

describe("section suggestions", () => {
  it("are the sections shown and the chosen one, once each without regard to case, sorted", () => {
    const products = [{ section: "Mercearia" }, { section: "Hortifrúti" }, { section: "mercearia" }, {}];
    expect(sectionsOf(products, "Bebidas")).toEqual(["Bebidas", "Hortifrúti", "Mercearia"]);
    expect(sectionsOf([])).toEqual([]);
  });
});
