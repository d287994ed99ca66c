/**
 * Numbers typed by people: "27,90" in Brazil, "27.90" elsewhere, with or without thousands
 * separators ("1.234,56", "1,234.56") and an "R$" in front. No rounding here: a price with
 * three decimals stays one, for the form to say so.
 */

/** The number written as "1234.56" (a dot, no thousands separator), or null when it is none. */
export function normaliseDecimal(raw: string): string | null {
  let written = raw.replace(/\s|\u00a0/g, "").replace(/^R\$/i, "");
  if (written === "") {
    return null;
  }
  const comma = written.lastIndexOf(",");
  const dot = written.lastIndexOf(".");
  if (comma >= 0 && dot >= 0) {
    // Both: the later one is the decimal separator, the other groups thousands.
    written =
      comma > dot ? written.replace(/\./g, "").replace(",", ".") : written.replace(/,/g, "");
  } else if (comma >= 0) {
    written = written.replace(",", ".");
  } else if (written.indexOf(".") !== dot) {
    written = written.replace(/\./g, ""); // "1.234.567": thousands only
  }
  return /^-?\d+(\.\d+)?$/.test(written) || /^-?\.\d+$/.test(written) ? written : null;
}

export function parseDecimal(raw: string): number | null {
  const written = normaliseDecimal(raw);
  return written === null ? null : Number(written);
}

/** How many decimals the number was written with ("27,9" → 1). */
export function decimalPlaces(raw: string): number {
  const written = normaliseDecimal(raw);
  const point = written?.indexOf(".") ?? -1;
  return written === null || point < 0 ? 0 : written.length - point - 1;
}

/** A number for an input, in the language's way of writing decimals ("27,90" in pt-BR). */
export function decimalForInput(value: number, language: string, places = 2): string {
  const written = value.toFixed(places);
  return language.startsWith("pt") ? written.replace(".", ",") : written;
}
