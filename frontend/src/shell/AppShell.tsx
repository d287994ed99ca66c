import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";

import { roleLabel, type User } from "../auth/session";
import { LanguageSwitcher } from "../i18n/LanguageSwitcher";
import type { AppRoute } from "../routes";
import { menuFor } from "./navigation";
import "./shell.css";

interface AppShellProps {
  user: User | null;
  routes: AppRoute[];
  onLogout: () => Promise<void>;
  children: ReactNode;
}

/**
 * The frame of every page: the role's menu (a sidebar on wide screens, a button that opens
 * it on narrow ones), the language, who is signed in, and the page.
 */
export function AppShell({ user, routes, onLogout, children }: AppShellProps) {
  const { t } = useTranslation("shell");
  const [menuOpen, setMenuOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const location = useLocation();
  const [menuAt, setMenuAt] = useState(location.pathname);
  if (menuAt !== location.pathname) {
    // A page was chosen: the narrow-screen menu closes (state adjusted during render).
    setMenuAt(location.pathname);
    setMenuOpen(false);
  }
  const items = menuFor(routes, user?.role ?? null);

  async function logout() {
    setLeaving(true);
    try {
      await onLogout();
    } finally {
      setLeaving(false);
    }
  }

  return (
    <div className="shell">
      <header className="shell-top">
        {user && (
          <button
            type="button"
            className="button small shell-menu-button"
            aria-expanded={menuOpen}
            aria-controls="shell-menu"
            onClick={() => setMenuOpen((open) => !open)}
            data-testid="menu-button"
          >
            {t("common:menu")}
          </button>
        )}
        <span className="brand">Pedidos</span>
        <span className="muted small shell-tagline">{t("tagline")}</span>
        <LanguageSwitcher />
      </header>
      <div className="shell-body">
        {user && (
          <nav
            id="shell-menu"
            className={menuOpen ? "shell-menu open" : "shell-menu"}
            aria-label={t("nav.label")}
            data-testid="menu"
          >
            <ul>
              {items.map((item) => (
                <li key={item.path}>
                  <NavLink end to={item.path} data-testid={`menu-${item.path.slice(1).replace(/\//g, "-") || "home"}`}>
                    {t(item.label)}
                  </NavLink>
                </li>
              ))}
            </ul>
            <div className="shell-user" data-testid="greeting">
              <strong className="shell-user-name" data-testid="welcome-heading">
                {user.name}
              </strong>
              <span className="small" data-testid="user-role" data-role={user.role}>
                {roleLabel(user.role)}
              </span>
              <span className="small muted shell-user-email" data-testid="user-email">
                {user.email}
              </span>
              <button
                type="button"
                className="button small"
                onClick={() => void logout()}
                disabled={leaving}
                data-testid="logout-button"
              >
                {t("common:logout")}
              </button>
            </div>
          </nav>
        )}
        <main className="shell-page">{children}</main>
      </div>
    </div>
  );
}
