/**
 * The records the order pages choose from (clients, products, suppliers) as picker options,
 * and the name of one chosen by id (a filter read from the URL).
 */
import { useQuery } from "@tanstack/react-query";

import { formatMoney, formatNumber } from "../i18n/format";
import { getEntity, orderKeys, searchClients, searchProducts, searchSuppliers, type LookupKind } from "./api";
import type { PickerOption } from "./SearchPicker";
import type { Client, Product, Supplier } from "./types";

/** CPF 123.456.789-09 / CNPJ 12.345.678/0001-95 from their digits; anything else as it is. */
export function formatDocument(digits: string | null | undefined): string {
  const value = digits ?? "";
  if (/^\d{11}$/.test(value)) {
    return value.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, "$1.$2.$3-$4");
  }
  if (/^\d{14}$/.test(value)) {
    return value.replace(/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/, "$1.$2.$3/$4-$5");
  }
  return value;
}

export function clientOption(client: Client): PickerOption {
  return { id: client.id, label: client.name, detail: formatDocument(client.document) || undefined };
}

export function supplierOption(supplier: Supplier): PickerOption {
  return { id: supplier.id, label: supplier.name, detail: formatDocument(supplier.cnpj) || undefined };
}

/** `availableLabel` words the free stock ("12 disponíveis"). */
export function productOption(product: Product, availableLabel: (available: string) => string): PickerOption {
  const price = `${formatMoney(product.price)} / ${product.unit}`;
  const available = product.stock?.available;
  return {
    id: product.id,
    label: product.name,
    detail: available === undefined ? price : `${price} · ${availableLabel(formatNumber(available))}`,
  };
}

export async function clientOptions(text: string, signal: AbortSignal): Promise<PickerOption[]> {
  return (await searchClients(text, signal)).map(clientOption);
}

export async function supplierOptions(text: string, signal: AbortSignal): Promise<PickerOption[]> {
  return (await searchSuppliers(text, signal)).map(supplierOption);
}

export async function productOptions(
  text: string,
  signal: AbortSignal,
  availableLabel: (available: string) => string,
  activeOnly = false,
): Promise<PickerOption[]> {
  return (await searchProducts(text, { signal, activeOnly })).map((product) => productOption(product, availableLabel));
}

/** The name of a client, product or supplier chosen by id; undefined while unknown. */
export function useEntityName(kind: LookupKind, id: string): { name: string | undefined; missing: boolean } {
  const entity = useQuery({
    queryKey: orderKeys.entity(kind, id),
    queryFn: ({ signal }) => getEntity(kind, id, signal),
    enabled: id !== "",
    staleTime: 5 * 60_000,
  });
  return { name: entity.data?.name, missing: entity.isError };
}
