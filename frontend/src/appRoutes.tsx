import { lazy } from "react";

import { catalogueRoutes } from "./catalogue";
import { DashboardPage } from "./dashboard/DashboardPage";
import { ImportPage } from "./imports/ImportPage";
import { NotificationsPage } from "./notifications/NotificationsPage";
import { ordersRoutes } from "./orders";
import { peopleRoutes } from "./people";
import { shopRoutes } from "./shop";
import type { AppRoute } from "./routes";

// The reports' charts (recharts) are most of the bundle: loaded with their page only.
const ReportsPage = lazy(() =>
  import("./reports/ReportsPage").then((module) => ({ default: module.ReportsPage })),
);

const STAFF: AppRoute["audience"] = ["admin", "staff"];

/** The shell's own pages and those of the areas that have no folder index of their own. */
const staffPages: AppRoute[] = [
  { path: "/painel", element: <DashboardPage />, audience: STAFF, nav: { label: "shell:nav.dashboard", order: 1 } },
  { path: "/relatorios", element: <ReportsPage />, audience: STAFF, nav: { label: "shell:nav.reports", order: 60 } },
  { path: "/importacoes", element: <ImportPage />, audience: STAFF, nav: { label: "shell:nav.imports", order: 70 } },
  {
    path: "/notificacoes",
    element: <NotificationsPage />,
    audience: STAFF,
    nav: { label: "shell:nav.notifications", order: 80 },
  },
];

/** Every page of the app, from every area. */
export const appRoutes: AppRoute[] = [
  ...staffPages,
  ...ordersRoutes,
  ...catalogueRoutes,
  ...shopRoutes,
  ...peopleRoutes,
];
