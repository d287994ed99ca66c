import { useCallback, useState } from "react";

import { Greeting } from "./auth/Greeting";
import { LoginForm } from "./auth/LoginForm";
import { useSession } from "./auth/useSession";
import { ServiceStatus } from "./health/ServiceStatus";
import { NewOrder } from "./orders/NewOrder";
import { OrderTracker } from "./orders/OrderTracker";
import type { Order } from "./orders/orders";
import { OrderList } from "./orders/OrderList";
import { StockLevels } from "./stock/StockLevels";

/** Who may place orders (SPEC §2): staff and admin for any client, a client for itself. */
const ORDERING_ROLES = new Set(["admin", "staff", "client"]);
/** Who manages the stock by hand (adjustments): the organisation's own people. */
const STOCK_ROLES = new Set(["admin", "staff"]);

export function App() {
  const { state, login, logout } = useSession();
  const [placed, setPlaced] = useState<Order | null>(null);
  // Bumped when an order is placed, when the stock answers it and when stock is adjusted:
  // the lists showing orders and free stock reload.
  const [listVersion, setListVersion] = useState(0);
  const refreshList = useCallback(() => setListVersion((version) => version + 1), []);

  function handlePlaced(order: Order) {
    setPlaced(order);
    refreshList();
  }

  async function handleLogout() {
    setPlaced(null);
    await logout();
  }

  return (
    <div className="layout">
      <header className="topbar">
        <span className="brand">Pedidos</span>
        <span className="muted small">Gestão de pedidos, clientes e estoque</span>
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
        <ServiceStatus />
        {state.status === "authenticated" && (
          <>
            {placed && <OrderTracker placed={placed} onDecided={refreshList} />}
            {ORDERING_ROLES.has(state.user.role) && (
              <NewOrder user={state.user} onPlaced={handlePlaced} reloadKey={listVersion} />
            )}
            <OrderList user={state.user} reloadKey={listVersion} />
            {STOCK_ROLES.has(state.user.role) && (
              <StockLevels reloadKey={listVersion} onAdjusted={refreshList} />
            )}
          </>
        )}
      </main>
    </div>
  );
}
