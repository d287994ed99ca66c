import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Suspense, type ReactElement } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";

import { retryUnlessRefused } from "./api/client";
import { appRoutes } from "./appRoutes";
import { SessionContext } from "./auth/SessionContext";
import { useSession } from "./auth/useSession";
import { AppShell } from "./shell/AppShell";
import { allows, homeOf } from "./shell/navigation";
import { LoginPage, NotAllowedPage, NotFoundPage } from "./shell/Pages";
import type { Audience } from "./routes";

// One cache for the app's server data (TanStack Query).
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: retryUnlessRefused,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Shell />
      </BrowserRouter>
    </QueryClientProvider>
  );
}

function Shell() {
  const session = useSession();
  const { t } = useTranslation("shell");
  const { state } = session;

  async function handleLogout() {
    queryClient.clear(); // nothing of this user stays for the next one
    await session.logout();
  }

  if (state.status === "restoring") {
    return (
      <p className="muted" role="status" aria-busy="true">
        {t("restoring")}
      </p>
    );
  }
  const user = state.status === "authenticated" ? state.user : null;
  const role = user?.role ?? null;
  const login = <LoginPage onLogin={session.login} />;

  function pageFor(audience: Audience, element: ReactElement) {
    if (allows(audience, role)) {
      return element;
    }
    if (user === null) {
      return login; // the URL stays: after signing in, this page opens
    }
    return audience === "anonymous" ? <Navigate to="/" replace /> : <NotAllowedPage role={user.role} />;
  }

  return (
    <SessionContext.Provider value={session}>
      <AppShell user={user} routes={appRoutes} onLogout={handleLogout}>
        <Suspense
          fallback={
            <p className="muted" role="status" aria-busy="true">
              {t("common:loading")}
            </p>
          }
        >
        <Routes key={user?.id ?? "anonymous"}>
          <Route path="/" element={user ? <Navigate to={homeOf(user.role)} replace /> : login} />
          {appRoutes.map((route) => (
            <Route key={route.path} path={route.path} element={pageFor(route.audience, route.element)} />
          ))}
          <Route path="*" element={user ? <NotFoundPage /> : login} />
        </Routes>
        </Suspense>
      </AppShell>
    </SessionContext.Provider>
  );
}
