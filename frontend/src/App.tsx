import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { BrowserRouter, NavLink, Route, Routes } from "react-router";

import { Greeting } from "./auth/Greeting";
import { LoginForm } from "./auth/LoginForm";
import type { User } from "./auth/session";
import { useSession } from "./auth/useSession";
import { ServiceStatus } from "./health/ServiceStatus";
import { ImportPage } from "./imports/ImportPage";
import { NotificationsPage } from "./notifications/NotificationsPage";
import { NewOrder } from "./orders/NewOrder";
import { OrderTracker } from "./orders/OrderTracker";
import type { Order } from "./orders/orders";
import { OrderList } from "./orders/OrderList";
import { ReportsPage } from "./reports/ReportsPage";
import { StockLevels } from "./stock/StockLevels";

/** Who may place orders (SPEC §2): staff and admin for any client, a client for itself. */
const ORDERING_ROLES = new Set(["admin", "staff", "client"]);
/** The organisation's own people: stock by hand, imports, notifications. */
const STAFF_ROLES = new Set(["admin", "staff"]);

// One cache for the app's server data (TanStack Query); pages move onto it one by one.
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
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
  const { state, login, logout } = useSession();

  async function handleLogout() {
    queryClient.clear();
    await logout();
  }

  const user = state.status === "authenticated" ? state.user : null;
  const staff = user !== null && STAFF_ROLES.has(user.role);
  return (
    <div className="layout">
      <header className="topbar">
        <span className="brand">Pedidos</span>
        <span className="muted small">Gestão de pedidos, clientes e estoque</span>
        {staff && (
          <nav aria-label="Páginas" className="inline">
            <NavLink to="/" end>
              Início
            </NavLink>
            <NavLink to="/importacoes">Importar pedidos</NavLink>
            <NavLink to="/notificacoes">Notificações</NavLink>
            <NavLink to="/relatorios">Relatórios</NavLink>
          </nav>
        )}
      </header>
      <main className="content">
        {state.status === "restoring" && (
          <section className="card" aria-busy="true">
            <p className="muted" role="status">
              Carregando sua sessão…
            </p>
          </section>
        )}
        {state.status === "anonymous" && <LoginForm onLogin={login} />}
        {state.status === "authenticated" && (
          <Greeting user={state.user} onLogout={handleLogout} />
        )}
        <Routes>
          {staff && <Route path="/importacoes" element={<ImportPage />} />}
          {staff && <Route path="/notificacoes" element={<NotificationsPage />} />}
          {staff && <Route path="/relatorios" element={<ReportsPage />} />}
          {/* Everything else (and a page this role may not see) is the first page; keyed
              by the user, so a new sign-in never shows the previous user's tracker. */}
          <Route path="*" element={<Home key={user?.id ?? "anonymous"} user={user} />} />
        </Routes>
      </main>
    </div>
  );
}

/** The first page: a new order, the orders, the stock and (staff) the services' state. */
function Home({ user }: { user: User | null }) {
  const [placed, setPlaced] = useState<Order | null>(null);
  // Bumped when an order is placed, when the stock answers it and when stock is adjusted:
  // the lists showing orders and free stock reload.
  const [listVersion, setListVersion] = useState(0);
  const refreshList = useCallback(() => setListVersion((version) => version + 1), []);

  function handlePlaced(order: Order) {
    setPlaced(order);
    refreshList();
  }

  return (
    <>
      {/* The services' state is for the people who run them, not for customers. */}
      {user && STAFF_ROLES.has(user.role) && <ServiceStatus />}
      {user && (
        <>
          {placed && <OrderTracker placed={placed} onDecided={refreshList} />}
          {ORDERING_ROLES.has(user.role) && (
            <NewOrder user={user} onPlaced={handlePlaced} reloadKey={listVersion} />
          )}
          <OrderList user={user} reloadKey={listVersion} />
          {STAFF_ROLES.has(user.role) && (
            <StockLevels reloadKey={listVersion} onAdjusted={refreshList} />
          )}
        </>
      )}
    </>
  );
}
