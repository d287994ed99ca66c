import { Greeting } from "./auth/Greeting";
import { LoginForm } from "./auth/LoginForm";
import { useSession } from "./auth/useSession";
import { ServiceStatus } from "./health/ServiceStatus";

export function App() {
  const { state, login, logout } = useSession();

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
        {state.status === "authenticated" && <Greeting user={state.user} onLogout={logout} />}
        <ServiceStatus />
      </main>
    </div>
  );
}
