import { describe, expect, it } from "vitest";

import type { AppRoute } from "../routes";
import { allows, homeOf, menuFor } from "./navigation";

const page = <p />;
const routes: AppRoute[] = [
  { path: "/relatorios", element: page, audience: ["admin", "staff"], nav: { label: "shell:nav.reports", order: 50 } },
  { path: "/painel", element: page, audience: ["admin", "staff"], nav: { label: "shell:nav.dashboard", order: 1 } },
  { path: "/usuarios", element: page, audience: ["admin"], nav: { label: "people:nav.users", order: 90 } },
  { path: "/loja", element: page, audience: ["client"], nav: { label: "shop:nav.shop", order: 1 } },
  { path: "/cadastro", element: page, audience: "anonymous" },
];

describe("navigation", () => {
  it("lists a role's pages in their order, and only those", () => {
    expect(menuFor(routes, "staff").map((item) => item.path)).toEqual(["/painel", "/relatorios"]);
    expect(menuFor(routes, "admin").map((item) => item.path)).toEqual(["/painel", "/relatorios", "/usuarios"]);
    expect(menuFor(routes, "client").map((item) => item.path)).toEqual(["/loja"]);
  });

  it("keeps sign-up for visitors and staff pages for staff", () => {
    expect(allows("anonymous", null)).toBe(true);
    expect(allows("anonymous", "client")).toBe(false);
    expect(allows(["admin", "staff"], "client")).toBe(false);
    expect(allows(["admin", "staff"], null)).toBe(false);
  });

  it("sends each role home", () => {
    expect([homeOf("admin"), homeOf("staff"), homeOf("client"), homeOf("supplier")]).toEqual([
      "/painel",
      "/painel",
      "/loja",
      "/fornecedor",
    ]);
  });
});
