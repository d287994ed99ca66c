/**
 * CPF and CNPJ, checked exactly as the services check them (shared/shared/documents.py):
 * punctuation is ignored, 11 digits are a CPF and 14 a CNPJ, a number of one repeated digit
 * is refused, and both check digits are the mod-11 ones. Phones are the order service's rule
 * (10 to 13 digits, with the area code). Texts live in i18n: these functions return codes.
 */

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

function mod11Digit(digits: number[], weights: number[]): number {
  const remainder = digits.reduce((sum, digit, index) => sum + digit * weights[index], 0) % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

const allSame = (digits: number[]) => new Set(digits).size === 1;

export function isValidCpf(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 11 || allSame(digits)) {
    return false;
  }
  const first = mod11Digit(digits.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11Digit(digits.slice(0, 10), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return digits[9] === first && digits[10] === second;
}

export function isValidCnpj(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 14 || allSame(digits)) {
    return false;
  }
  const first = mod11Digit(digits.slice(0, 12), [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11Digit(digits.slice(0, 13), [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return digits[12] === first && digits[13] === second;
}

/** Why a document is refused (a key of `people:errors`), or null when it is accepted. */
export type DocumentProblem = "cpfInvalid" | "cnpjInvalid" | "documentLength";

export function documentProblem(value: string): DocumentProblem | null {
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

/** The order service's phone rule: WhatsApp with the area code, 10 to 13 digits. */
export function phoneProblem(value: string): "phoneLength" | null {
  const length = Array.from(onlyDigits(value)).length;
  return length >= 10 && length <= 13 ? null : "phoneLength";
}

/** "52998224725" → "529.982.247-25"; "11222333000181" → "11.222.333/0001-81"; else as is. */
export function formatDocument(value: string | null | undefined): string {
  const digits = value ?? "";
  if (/^\d{11}$/.test(digits)) {
    return digits.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, "$1.$2.$3-$4");
  }
  if (/^\d{14}$/.test(digits)) {
    return digits.replace(/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/, "$1.$2.$3/$4-$5");
  }
  return digits;
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
