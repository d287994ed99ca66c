/**
 * Money counted in integer cents, so that 0.1 + 0.2 never shows as 0.30000000000000004. The
 * API sends reais as numbers with two decimals; they become cents here, are added as whole
 * numbers and go back to reais only to be shown. (The order service computes the total that
 * counts, with the prices it captures, on its own.)
 */
import { formatMoney } from "../i18n/format";

/** Reais → integer cents: "27.90", 27.9 and 27.899999999 are all 2790; not a number is 0. */
export function toCents(value: number | string | null | undefined): number {
  const number = Number(value);
  return Number.isFinite(number) ? Math.round(number * 100) : 0;
}

/** quantity × unit price, in cents (the unit price rounded to cents first, as the API keeps it). */
export function lineCents(unitPrice: number | string, quantity: number): number {
  return toCents(unitPrice) * quantity;
}

/** What a cart line needs for its money: the product's unit price in reais and a quantity. */
export interface PricedLine {
  product: { price: number | string };
  quantity: number;
}

export function lineTotalCents(line: PricedLine): number {
  return lineCents(line.product.price, line.quantity);
}

/** The lines' total in cents, exact however many small prices it adds. */
export function cartTotalCents(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, line) => sum + lineTotalCents(line), 0);
}

/** Cents on screen as reais, in the chosen language ("R$ 56,10"). */
export function formatCents(cents: number, language?: string): string {
  return formatMoney(cents / 100, language);
}
