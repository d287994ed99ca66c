/**
 * The sign-up's checks that need no server, the same as the API's: CPF/CNPJ check digits
 * exactly as shared/shared/documents.py computes them (mod 11; a number of one repeated digit
 * is refused), punctuation as auth_service accepts it, the phone with its area code and the
 * password policy. Each problem is an i18n key of the "shop" namespace (`signUp.errors.*`).
 */

import type { Register } from "./types";

export function onlyDigits(value: string): string {
  return (value ?? "").replace(/\D/g, "");
}

/** 0 when the remainder is below 2, else 11 − remainder (shared/documents.py `_mod11_digit`). */
function mod11Digit(digits: readonly number[], weights: readonly number[]): number {
  const remainder = digits.reduce((sum, digit, index) => sum + digit * weights[index], 0) % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

function digitsOf(value: string): number[] {
  return Array.from(onlyDigits(value), Number);
}

function oneRepeatedDigit(digits: readonly number[]): boolean {
  return new Set(digits).size === 1;
}

export function isValidCpf(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 11 || oneRepeatedDigit(digits)) {
    return false;
  }
  const first = mod11Digit(digits.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11Digit(digits.slice(0, 10), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return digits[9] === first && digits[10] === second;
}

export function isValidCnpj(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 14 || oneRepeatedDigit(digits)) {
    return false;
  }
  const first = mod11Digit(digits.slice(0, 12), [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11Digit(digits.slice(0, 13), [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return digits[12] === first && digits[13] === second;
}

export type DocumentProblem = "required" | "documentLength" | "cpfInvalid" | "cnpjInvalid";

/**
 * What is wrong with a typed CPF/CNPJ, or null. Dots, dashes, slashes and spaces may be
 * typed (auth_service drops them); anything else left is not a document.
 */
export function documentProblem(value: string): DocumentProblem | null {
  if (value.trim() === "") {
    return "required";
  }
  const digits = value.replace(/[.\-/\s]/g, "");
  if (!/^\d+$/.test(digits) || (digits.length !== 11 && digits.length !== 14)) {
    return "documentLength";
  }
  if (digits.length === 11) {
    return isValidCpf(digits) ? null : "cpfInvalid";
  }
  return isValidCnpj(digits) ? null : "cnpjInvalid";
}

/** "529.982.247-25" / "11.222.333/0001-81" while typing; other text is left as typed. */
export function formatDocument(value: string): string {
  if (/[^\d.\-/\s]/.test(value)) {
    return value;
  }
  const digits = onlyDigits(value);
  if (digits.length === 11) {
    return `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9)}`;
  }
  if (digits.length === 14) {
    return `${digits.slice(0, 2)}.${digits.slice(2, 5)}.${digits.slice(5, 8)}/${digits.slice(8, 12)}-${digits.slice(12)}`;
  }
  return value;
}

/** Area code and number, optionally 55 in front: 10 to 13 digits once ( ) + . - and spaces go. */
export function phoneProblem(value: string): "required" | "phoneInvalid" | null {
  if (value.trim() === "") {
    return "required";
  }
  const digits = value.replace(/[()+.\-\s]/g, "");
  return /^\d{10,13}$/.test(digits) ? null : "phoneInvalid";
}

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
  add("document", documentProblem(form.document));
  add("phone", phoneProblem(form.phone));
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
