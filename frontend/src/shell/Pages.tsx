import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { LoginForm } from "../auth/LoginForm";
import { roleLabel } from "../auth/session";

/** Sign-in, in place of the page asked for: once signed in, that same page (URL) opens. */
export function LoginPage({ onLogin }: { onLogin: (email: string, password: string) => Promise<void> }) {
  const { t } = useTranslation("shell");
  return (
    <>
      <LoginForm onLogin={onLogin} />
      <p className="small">
        <Link to="/cadastro" data-testid="sign-up-link">
          {t("login.signUp")}
        </Link>
      </p>
    </>
  );
}

export function NotAllowedPage({ role }: { role: string }) {
  const { t } = useTranslation("shell");
  return (
    <section className="card" data-testid="not-allowed">
      <h1>{t("notAllowed.title")}</h1>
      <p>{t("notAllowed.text", { role: roleLabel(role) })}</p>
      <Link to="/">{t("notAllowed.home")}</Link>
    </section>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation("shell");
  return (
    <section className="card" data-testid="not-found">
      <h1>{t("notFound.title")}</h1>
      <Link to="/">{t("notFound.home")}</Link>
    </section>
  );
}
