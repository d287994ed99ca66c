/**
 * The sign-up's checks that need no server, the same as the API's: the CPF/CNPJ and the phone
 * as auth_service reads them (the "typed" rule of ../documents/documents) and the password
 * policy. Each problem is an i18n key of the "shop" namespace (`signUp.errors.*`).
 */

import { documentProblem, phoneProblem } from "../documents/documents";
import type { Register } from "./types";

export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 256;

export type PasswordProblem = "required" | "passwordShort" | "passwordLong" | "passwordDigits";

/** Every rule of auth_service's password policy the password breaks. */
export function passwordProblems(value: string): PasswordProblem[] {
  if (value === "") {
    return ["required"];
  }
  const problems: PasswordProblem[] = [];
  if (value.length < MIN_PASSWORD) problems.push("passwordShort");
  if (value.length > MAX_PASSWORD) problems.push("passwordLong");
  if (/^\d+$/.test(value)) problems.push("passwordDigits");
  return problems;
}

export function emailProblem(value: string): "required" | "emailInvalid" | "tooLong" | null {
  const trimmed = value.trim();
  if (trimmed === "") return "required";
  if (trimmed.length > 320) return "tooLong";
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? null : "emailInvalid";
}

export function nameProblem(value: string): "required" | "tooLong" | null {
  const trimmed = value.trim();
  if (trimmed === "") return "required";
  return trimmed.length > 200 ? "tooLong" : null;
}

export interface SignUpForm extends Register {
  passwordConfirmation: string;
}

export type SignUpField = keyof SignUpForm;
export const SIGN_UP_FIELDS: readonly SignUpField[] = [
  "name",
  "email",
  "password",
  "passwordConfirmation",
  "document",
  "phone",
];

/** Every problem of the form, by field (a field without problems is absent). */
export function signUpProblems(form: SignUpForm): Partial<Record<SignUpField, string[]>> {
  const problems: Partial<Record<SignUpField, string[]>> = {};
  const add = (field: SignUpField, found: string | null | string[]) => {
    const list = Array.isArray(found) ? found : found ? [found] : [];
    if (list.length > 0) problems[field] = list;
  };
  add("name", nameProblem(form.name));
  add("email", emailProblem(form.email));
  add("password", passwordProblems(form.password));
  add(
    "passwordConfirmation",
    form.passwordConfirmation === ""
      ? "required"
      : form.passwordConfirmation !== form.password
        ? "passwordMismatch"
        : null,
  );
  add("document", documentProblem(form.document, "typed"));
  add("phone", phoneProblem(form.phone, "typed"));
  return problems;
}

/** The body of POST /auth/register: trimmed, the confirmation left here. */
export function registerBody(form: SignUpForm): Register {
  return {
    name: form.name.trim(),
    email: form.email.trim(),
    password: form.password,
    document: form.document.trim(),
    phone: form.phone.trim(),
  };
}
