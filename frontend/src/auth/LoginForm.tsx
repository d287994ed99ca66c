import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, type FieldError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";

interface LoginFormProps {
  onLogin: (email: string, password: string) => Promise<void>;
}

function fieldMessage(errors: FieldError[], field: string): string | undefined {
  return errors.find((error) => error.field === field)?.message || undefined;
}

export function LoginForm({ onLogin }: LoginFormProps) {
  const { t } = useTranslation("auth");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const id = useId();

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      await onLogin(email.trim(), password);
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? caught
          : new ApiError(t("login.failed"), {
              status: 0,
              code: "unknown_error",
            }),
      );
      setPassword("");
      setSubmitting(false);
    }
  }

  const emailError = error ? fieldMessage(error.errors, "email") : undefined;
  const passwordError = error ? fieldMessage(error.errors, "password") : undefined;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t("login.title")}</h1>
      <p className="muted">{t("login.intro")}</p>
      <form
        className="form"
        onSubmit={handleSubmit}
        noValidate
        aria-busy={submitting}
        data-testid="login-form"
      >
        <div className="field">
          <label htmlFor={`${id}-email`}>{t("login.email")}</label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? `${id}-email-error` : undefined}
            data-testid="login-email"
          />
          {emailError && (
            <p id={`${id}-email-error`} className="field-error">
              {emailError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t("login.password")}</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={passwordError ? true : undefined}
            aria-describedby={passwordError ? `${id}-password-error` : undefined}
            data-testid="login-password"
          />
          {passwordError && (
            <p id={`${id}-password-error`} className="field-error">
              {passwordError}
            </p>
          )}
        </div>
        {error && <ErrorAlert error={error} testId="login-error" />}
        <button type="submit" className="button primary" disabled={submitting} data-testid="login-submit">
          {t("login.submit")}
        </button>
      </form>
    </section>
  );
}
