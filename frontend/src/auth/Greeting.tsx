import { useState } from "react";

import { roleLabel, type User } from "./session";

interface GreetingProps {
  user: User;
  onLogout: () => Promise<void>;
}

export function Greeting({ user, onLogout }: GreetingProps) {
  const [leaving, setLeaving] = useState(false);

  async function handleLogout() {
    setLeaving(true);
    await onLogout();
  }

  return (
    <section className="card" aria-labelledby="greeting-title" data-testid="greeting">
      <h1 id="greeting-title" data-testid="welcome-heading">
        Olá, {user.name}
      </h1>
      <dl className="details">
        <dt>Perfil</dt>
        <dd data-testid="user-role" data-role={user.role}>
          {roleLabel(user.role)}
        </dd>
        <dt>E-mail</dt>
        <dd data-testid="user-email">{user.email}</dd>
      </dl>
      <button
        type="button"
        className="button"
        onClick={handleLogout}
        disabled={leaving}
        data-testid="logout-button"
      >
        Sair
      </button>
    </section>
  );
}
