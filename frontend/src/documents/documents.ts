/**
 * CPF, CNPJ and phone, checked exactly as the services check them. The check digits are
 * shared/shared/documents.py's: punctuation is ignored, 11 digits are a CPF and 14 a CNPJ, a
 * number of one repeated digit is refused, and both check digits are the mod-11 ones.
 *
 * Two services read a typed document or phone differently, so the checks take a `rule`:
 * - "digits" (the default): order_service's `Digits` fields — every non-digit is dropped,
 *   then `validate_cpf_or_cnpj` / 10 to 13 digits (the clients' forms).
 * - "typed": auth_service's `normalise_document` / `normalise_phone` — only punctuation may be
 *   dropped, anything else left makes it no document / no phone; blank is "required" (sign-up).
 *
 * Texts live in i18n: these functions return codes (keys of the caller's `errors`).
 */

export type DocumentRule = "digits" | "typed";

/** Python's `\d` (and `int()`) take any Unicode decimal digit, not only 0–9: so do we. */
const DECIMAL_DIGIT = /\p{Nd}/u;

/** The value of a Unicode decimal digit (they come in runs of ten, from zero to nine). */
function digitValue(character: string): number {
  const code = character.codePointAt(0) ?? 0;
  if (code >= 0x30 && code <= 0x39) {
    return code - 0x30;
  }
  let zero = code;
  while (zero > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) {
    zero -= 1;
  }
  return (code - zero) % 10;
}

/** `value` without anything that is not a digit ("529.982.247-25" → "52998224725"). */
export function onlyDigits(value: string | null | undefined): string {
  return Array.from(value ?? "")
    .filter((character) => DECIMAL_DIGIT.test(character))
    .join("");
}

function digitsOf(value: string): number[] {
  return Array.from(onlyDigits(value)).map(digitValue);
}

/** 0 when the remainder is below 2, else 11 − remainder (shared/documents.py `_mod11_digit`). */
function mod11Digit(digits: readonly number[], weights: readonly number[]): number {
  const remainder = digits.reduce((sum, digit, index) => sum + digit * weights[index], 0) % 11;
  return remainder < 2 ? 0 : 11 - remainder;
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

/** Why a document is refused, or null when it is accepted ("required" only by the "typed" rule). */
export type DocumentProblem = "required" | "documentLength" | "cpfInvalid" | "cnpjInvalid";

/** What auth_service drops from a typed document (dots, dashes, slashes, blanks): anything else refuses it. */
const NOT_DOCUMENT_PUNCTUATION = /[^\d.\-/\s]/;
/** What auth_service drops from a typed phone: ( ) + . - and blanks. */
const NOT_PHONE_PUNCTUATION = /[^\d()+.\-\s]/;

/** What is wrong with a CPF/CNPJ under the service's `rule`, or null. */
export function documentProblem(value: string, rule: DocumentRule = "digits"): DocumentProblem | null {
  if (rule === "typed") {
    if (value.trim() === "") {
      return "required";
    }
    if (NOT_DOCUMENT_PUNCTUATION.test(value)) {
      return "documentLength";
    }
  }
  const digits = onlyDigits(value);
  const length = Array.from(digits).length;
  if (length === 11) {
    return isValidCpf(digits) ? null : "cpfInvalid";
  }
  if (length === 14) {
    return isValidCnpj(digits) ? null : "cnpjInvalid";
  }
  return "documentLength";
}

export type PhoneProblem = "required" | "phoneLength" | "phoneInvalid";

/**
 * A phone with its area code (optionally 55 in front): 10 to 13 digits. By the "digits" rule
 * (order_service) only the count can be wrong: "phoneLength"; by the "typed" rule
 * (auth_service) a blank is "required" and anything else wrong is "phoneInvalid".
 */
export function phoneProblem(value: string, rule: "digits"): "phoneLength" | null;
export function phoneProblem(value: string, rule: "typed"): "required" | "phoneInvalid" | null;
export function phoneProblem(value: string): "phoneLength" | null;
export function phoneProblem(value: string, rule: DocumentRule = "digits"): PhoneProblem | null {
  if (rule === "typed") {
    if (value.trim() === "") {
      return "required";
    }
    if (NOT_PHONE_PUNCTUATION.test(value)) {
      return "phoneInvalid";
    }
  }
  const length = Array.from(onlyDigits(value)).length;
  if (length >= 10 && length <= 13) {
    return null;
  }
  return rule === "typed" ? "phoneInvalid" : "phoneLength";
}

/**
 * "52998224725" → "529.982.247-25"; "11222333000181" → "11.222.333/0001-81", also while typing
 * (digits with punctuation or blanks); anything else is left as it is.
 */
export function formatDocument(value: string | null | undefined): string {
  const text = value ?? "";
  if (NOT_DOCUMENT_PUNCTUATION.test(text)) {
    return text;
  }
  const digits = onlyDigits(text);
  if (digits.length === 11) {
    return `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9)}`;
  }
  if (digits.length === 14) {
    return `${digits.slice(0, 2)}.${digits.slice(2, 5)}.${digits.slice(5, 8)}/${digits.slice(8, 12)}-${digits.slice(12)}`;
  }
  return text;
}

/** "11912345678" → "(11) 91234-5678"; "1133334444" → "(11) 3333-4444"; else as is. */
export function formatPhone(value: string | null | undefined): string {
  const digits = value ?? "";
  if (/^\d{11}$/.test(digits)) {
    return digits.replace(/^(\d{2})(\d{5})(\d{4})$/, "($1) $2-$3");
  }
  if (/^\d{10}$/.test(digits)) {
    return digits.replace(/^(\d{2})(\d{4})(\d{4})$/, "($1) $2-$3");
  }
  return digits;
}
