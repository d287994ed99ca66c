import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type HTMLInputTypeAttribute } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import { ErrorAlert } from "../api/ErrorAlert";
import { useSessionContext } from "../auth/SessionContext";
import { register } from "./api";
import { formatDocument } from "../documents/documents";
import {
  MAX_PASSWORD,
  MIN_PASSWORD,
  SIGN_UP_FIELDS,
  registerBody,
  signUpProblems,
  type SignUpField,
  type SignUpForm,
} from "./signUp";
import { splitFieldErrors } from "./shortages";
import { FieldMessages, SHOP_PATH, asApiError } from "./ui";

const EMPTY_FORM: SignUpForm = {
  name: "",
  email: "",
  password: "",
  passwordConfirmation: "",
  document: "",
  phone: "",
};

const API_FIELDS: readonly SignUpField[] = ["name", "email", "password", "document", "phone"];

interface FieldSpec {
  field: SignUpField;
  type: HTMLInputTypeAttribute;
  autoComplete: string;
  inputMode?: "numeric" | "tel" | "email" | "text";
  maxLength?: number;
}

const FIELD_SPECS: readonly FieldSpec[] = [
  { field: "name", type: "text", autoComplete: "name", maxLength: 200 },
  { field: "email", type: "email", autoComplete: "email", inputMode: "email", maxLength: 320 },
  { field: "document", type: "text", autoComplete: "off", inputMode: "numeric", maxLength: 18 },
  { field: "phone", type: "tel", autoComplete: "tel", inputMode: "tel", maxLength: 20 },
  { field: "password", type: "password", autoComplete: "new-password", maxLength: MAX_PASSWORD },
  { field: "passwordConfirmation", type: "password", autoComplete: "new-password", maxLength: MAX_PASSWORD },
];

/**
 * Cadastro (`/cadastro`, before signing in): a customer creates its user and client record
 * (POST /auth/register), is signed in with the same e-mail and password and lands in the
 * shop. Every problem — found here or by the API — is shown beside its field.
 */
export function SignUpPage() {
  const { t } = useTranslation("shop");
  const id = useId();
  const navigate = useNavigate();
  const { login } = useSessionContext();
  const [form, setForm] = useState<SignUpForm>(EMPTY_FORM);
  const [touched, setTouched] = useState<ReadonlySet<SignUpField>>(new Set());
  const [submitted, setSubmitted] = useState(false);

  const signIn = useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) => login(email, password),
    onSuccess: () => void navigate(SHOP_PATH),
  });
  const signUp = useMutation({
    mutationFn: (values: SignUpForm) => register(registerBody(values)),
    onSuccess: (_user, values) => signIn.mutate({ email: values.email.trim(), password: values.password }),
  });

  const problems = signUpProblems(form);
  const apiError = asApiError(signUp.error, t("signUp.error"));
  const { byField: apiByField, others } = splitFieldErrors(apiError?.errors ?? [], API_FIELDS);
  const sent = signUp.variables;

  /** Our problems once the field was left (or the form sent); the API's while unchanged. */
  function messagesOf(field: SignUpField): string[] {
    const own = submitted || touched.has(field) ? (problems[field] ?? []) : [];
    const messages = own.map((key) => t(`signUp.errors.${key}`, { min: MIN_PASSWORD, max: MAX_PASSWORD }));
    if (sent && sent[field] === form[field]) {
      messages.push(...(apiByField[field] ?? []));
    }
    return [...new Set(messages)];
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (signUp.isPending || signIn.isPending) {
      return;
    }
    const invalid = SIGN_UP_FIELDS.find((field) => problems[field]);
    if (invalid) {
      document.getElementById(`${id}-${invalid}`)?.focus();
      return;
    }
    signUp.mutate(form);
  }

  const busy = signUp.isPending || signIn.isPending;
  const loginError = asApiError(signIn.error, t("signUp.loginError"));

  return (
    <section className="card shop shop-sign-up" aria-labelledby={`${id}-title`} data-testid="shop-sign-up">
      <h1 id={`${id}-title`}>{t("signUp.title")}</h1>
      <p className="muted">{t("signUp.intro")}</p>

      {signUp.isSuccess ? (
        <div className="shop-stack" aria-busy={signIn.isPending}>
          <p className="shop-success" role="status">
            {signIn.isPending || signIn.isSuccess ? t("signUp.signingIn") : t("signUp.done")}
          </p>
          {loginError && (
            <>
              <ErrorAlert error={loginError} testId="shop-sign-up-login-error" />
              <div className="buttons">
                <button
                  type="button"
                  className="button primary"
                  onClick={() => sent && signIn.mutate({ email: sent.email.trim(), password: sent.password })}
                >
                  {t("common:retry")}
                </button>
                <Link to="/" className="button">
                  {t("signUp.goToLogin")}
                </Link>
              </div>
            </>
          )}
        </div>
      ) : (
        <form className="form" onSubmit={submit} noValidate aria-busy={busy} data-testid="shop-sign-up-form">
          {FIELD_SPECS.map((spec) => {
            const messages = messagesOf(spec.field);
            const inputId = `${id}-${spec.field}`;
            const hintKey = `signUp.hints.${spec.field}`;
            const hint = t(hintKey, { defaultValue: "", min: MIN_PASSWORD });
            const describedBy = [hint ? `${inputId}-hint` : "", messages.length > 0 ? `${inputId}-errors` : ""]
              .filter(Boolean)
              .join(" ");
            return (
              <div className="field" key={spec.field}>
                <label htmlFor={inputId}>{t(`signUp.fields.${spec.field}`)}</label>
                <input
                  id={inputId}
                  name={spec.field}
                  type={spec.type}
                  autoComplete={spec.autoComplete}
                  inputMode={spec.inputMode}
                  maxLength={spec.maxLength}
                  required
                  value={form[spec.field]}
                  aria-invalid={messages.length > 0 || undefined}
                  aria-describedby={describedBy || undefined}
                  onChange={(event) => {
                    const value = event.target.value;
                    setForm((current) => ({ ...current, [spec.field]: value }));
                  }}
                  onBlur={() => {
                    setTouched((current) => new Set(current).add(spec.field));
                    if (spec.field === "document") {
                      setForm((current) => ({ ...current, document: formatDocument(current.document) }));
                    }
                  }}
                  data-testid={`shop-sign-up-${spec.field}`}
                />
                {hint && (
                  <span id={`${inputId}-hint`} className="muted small">
                    {hint}
                  </span>
                )}
                <FieldMessages id={`${inputId}-errors`} messages={messages} />
              </div>
            );
          })}

          {apiError && (
            <>
              <ErrorAlert error={apiError} testId="shop-sign-up-error" />
              {others.length > 0 && (
                <ul className="field-error">
                  {others.map((message) => (
                    <li key={message}>{message}</li>
                  ))}
                </ul>
              )}
            </>
          )}

          <button type="submit" className="button primary" disabled={busy} data-testid="shop-sign-up-submit">
            {busy ? t("signUp.sending") : t("signUp.submit")}
          </button>
          <p className="small">
            {t("signUp.haveAccount")} <Link to="/">{t("signUp.goToLogin")}</Link>
          </p>
        </form>
      )}
    </section>
  );
}
