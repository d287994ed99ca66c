import { describe, expect, it } from "vitest";

import {
  NO_CLIENT_FILTERS,
  clientOptionsPath,
  clientOrdersPath,
  clientsPath,
  clientSummaryPath,
  readClientFilters,
  readPage,
  readSupplierOrderFilters,
  readUserFilters,
  supplierOptionsPath,
  supplierOrdersPath,
  usersPath,
  withClientFilters,
  withPage,
  withSupplierOrderFilters,
  withUserFilters,
} from "./filters";

const params = (query: string) => new URLSearchParams(query);

describe("readPage", () => {
  it("is a whole number from 1 to 1,000,000; anything else is page 1", () => {
    expect(readPage(params("page=3"))).toBe(3);
    expect(readPage(params("page= 7 "))).toBe(7);
    expect(readPage(params(""))).toBe(1);
    expect(readPage(params("page=0"))).toBe(1);
    expect(readPage(params("page=-2"))).toBe(1);
    expect(readPage(params("page=2.5"))).toBe(1);
    expect(readPage(params("page=dois"))).toBe(1);
    expect(readPage(params("page=1000001"))).toBe(1);
    expect(readPage(params("page=1000000"))).toBe(1_000_000);
  });
});

describe("client filters", () => {
  it("come from the URL, trimmed, with the page", () => {
    expect(readClientFilters(params("name=%20Escola%20&document=529.982&page=2"))).toEqual({
      name: "Escola",
      email: "",
      document: "529.982",
      page: 2,
    });
    expect(readClientFilters(params(""))).toEqual(NO_CLIENT_FILTERS);
  });

  it("go back to the URL without empty filters nor page 1, other parameters kept", () => {
    const next = withClientFilters(params("tab=x&name=old&page=4"), {
      name: "Maria",
      email: "",
      document: "",
      page: 1,
    });
    expect(next.toString()).toBe("tab=x&name=Maria");
    expect(withClientFilters(params(""), { ...NO_CLIENT_FILTERS, email: "@escola", page: 3 }).toString()).toBe(
      "email=%40escola&page=3",
    );
  });

  it("survive the round trip", () => {
    const filters = { name: "Cozinha Central", email: "compras@", document: "11222", page: 5 };
    expect(readClientFilters(withClientFilters(params(""), filters))).toEqual(filters);
  });

  it("become GET /clients with only the filters given", () => {
    expect(clientsPath(NO_CLIENT_FILTERS)).toBe("/clients?page=1&page_size=20");
    const path = clientsPath({ name: "Maria & Filhos", email: "", document: "529", page: 2 });
    const [route, query] = path.split("?");
    expect(route).toBe("/clients");
    expect(Object.fromEntries(params(query))).toEqual({
      name: "Maria & Filhos",
      document: "529",
      page: "2",
      page_size: "20",
    });
  });
});

describe("user filters", () => {
  it("keep only a known role and true/false for the state", () => {
    expect(readUserFilters(params("q=ana&role=supplier&active=false&page=2"))).toEqual({
      q: "ana",
      role: "supplier",
      active: "false",
      page: 2,
    });
    expect(readUserFilters(params("role=root&active=sim"))).toEqual({ q: "", role: "", active: "", page: 1 });
  });

  it("cut a search longer than the API's 200 characters", () => {
    expect(readUserFilters(params(`q=${"a".repeat(250)}`)).q).toHaveLength(200);
  });

  it("survive the round trip and become GET /auth/users", () => {
    const filters = { q: "maria", role: "client" as const, active: "true" as const, page: 3 };
    const query = withUserFilters(params(""), filters);
    expect(query.toString()).toBe("q=maria&role=client&active=true&page=3");
    expect(readUserFilters(query)).toEqual(filters);
    expect(usersPath(filters)).toBe("/auth/users?q=maria&role=client&active=true&page=3&page_size=20");
    expect(usersPath({ q: "", role: "", active: "", page: 1 })).toBe("/auth/users?page=1&page_size=20");
  });
});

describe("supplier desk filters", () => {
  it("keep only a status of the lifecycle", () => {
    expect(readSupplierOrderFilters(params("status=shipped&page=2"))).toEqual({ status: "shipped", page: 2 });
    expect(readSupplierOrderFilters(params("status=lost"))).toEqual({ status: "", page: 1 });
  });

  it("go back to the URL and become GET /orders, newest first", () => {
    expect(withSupplierOrderFilters(params("status=shipped&page=3"), { status: "", page: 1 }).toString()).toBe("");
    expect(withSupplierOrderFilters(params(""), { status: "processing", page: 1 }).toString()).toBe(
      "status=processing",
    );
    expect(supplierOrdersPath({ status: "processing", page: 2 })).toBe(
      "/orders?status=processing&sort=-created_at&page=2&page_size=20",
    );
    expect(supplierOrdersPath({ status: "", page: 1 })).toBe("/orders?sort=-created_at&page=1&page_size=20");
  });
});

describe("one client's paths", () => {
  it("ask for the summary alone, and the orders a page at a time", () => {
    expect(clientSummaryPath("c-1")).toBe("/clients/c-1/orders?summary=true");
    expect(clientOrdersPath("c-1", 2)).toBe("/orders?client_id=c-1&sort=-created_at&page=2&page_size=10");
    expect(withPage(params("page=2&x=1"), 1).toString()).toBe("x=1");
    expect(withPage(params(""), 4).toString()).toBe("page=4");
  });

  it("search the pickers' options by name", () => {
    expect(clientOptionsPath("  Escola ")).toBe("/clients?name=Escola&page=1&page_size=8");
    expect(supplierOptionsPath("")).toBe("/suppliers?page=1&page_size=8");
  });
});
