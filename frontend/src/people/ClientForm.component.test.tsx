/**
 * The client form as staff use it: a CPF/CNPJ with wrong check digits, an e-mail or a phone
 * that the order service would refuse are shown beside their fields before anything is sent;
 * a valid form sends the normalised body; the API's 400 comes back beside the field it names.
 */
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { setLanguage } from "../i18n";
import { ok, on, refusal, stubFetch } from "../test/fetchStub";
import { ADMIN, descriptionOf, renderWithProviders } from "../test/render";
import type { Client } from "./api";
import { ClientForm } from "./ClientForm";

const CLIENT_ID = "0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const SAVED = {
  id: CLIENT_ID,
  name: "Escola Municipal Monteiro Lobato",
  email: "compras@escola.sp.gov.br",
  document: "11222333000181",
  phone: "11987654321",
  address: null,
  notify_whatsapp: true,
  created_at: "2026-11-01T12:00:00Z",
  updated_at: "2026-11-01T12:00:00Z",
} as Client;

const box = (name: string | RegExp) => screen.getByRole("textbox", { name });
// Optional fields' names end in "(opcional)".
const PHONE = /^Telefone \(WhatsApp\)/;
const ADDRESS = /^Endereço/;
const save = () => screen.getByRole("button", { name: "Salvar" });

function renderForm(client?: Client) {
  const onSaved = vi.fn();
  const onCancel = vi.fn();
  const rendered = renderWithProviders(<ClientForm client={client} onSaved={onSaved} onCancel={onCancel} />, {
    user: ADMIN,
  });
  return { ...rendered, onSaved, onCancel };
}

beforeAll(async () => {
  await setLanguage("pt-BR");
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("ClientForm", () => {
  it("shows a CNPJ with wrong check digits, a bad e-mail and a short phone beside their fields and sends nothing", async () => {
    const sent = stubFetch();
    const { user, onSaved } = renderForm();
    expect(screen.getByRole("heading", { name: "Novo cliente" })).toBeTruthy();

    await user.type(box("Nome"), "Escola Municipal");
    await user.type(box("E-mail"), "compras@escola");
    await user.type(box("CPF ou CNPJ"), "11.222.333/0001-82");
    await user.type(box(PHONE), "1198765");
    await user.click(save());

    const document = box("CPF ou CNPJ");
    expect(document.getAttribute("aria-invalid")).toBe("true");
    expect(descriptionOf(document)).toContain("CNPJ inválido (dígitos verificadores não conferem).");
    expect(descriptionOf(box("E-mail"))).toContain("Informe um e-mail válido, como nome@exemplo.com.br.");
    expect(descriptionOf(box(PHONE))).toContain(
      "Informe o telefone (WhatsApp) com DDD: de 10 a 13 dígitos.",
    );
    expect(box("Nome").getAttribute("aria-invalid")).toBeNull();
    expect(sent).toEqual([]);
    expect(onSaved).not.toHaveBeenCalled();

    // Fixing the CNPJ clears its error at once (the form was already checked).
    await user.clear(document);
    await user.type(document, "11.222.333/0001-81");
    expect(document.getAttribute("aria-invalid")).toBeNull();
    expect(descriptionOf(document)).toBe("Com ou sem pontuação: 11 dígitos para CPF, 14 para CNPJ.");
  });

  it("says a CPF with wrong check digits is one", async () => {
    stubFetch();
    const { user } = renderForm();
    await user.type(box("CPF ou CNPJ"), "529.982.247-24");
    await user.click(save());
    expect(descriptionOf(box("CPF ou CNPJ"))).toContain("CPF inválido (dígitos verificadores não conferem).");
    expect(descriptionOf(box("Nome"))).toBe("Preencha este campo.");
  });

  it("sends POST /clients trimmed, e-mail in lower case, digits only and blanks as null", async () => {
    const sent = stubFetch(on("POST", "/clients", { status: 201, ...ok(SAVED) }));
    const { user, onSaved } = renderForm();
    await user.type(box("Nome"), "  Escola Municipal Monteiro Lobato ");
    await user.type(box("E-mail"), " Compras@Escola.SP.gov.br");
    await user.type(box("CPF ou CNPJ"), "11.222.333/0001-81");
    await user.type(box(PHONE), "(11) 98765-4321");
    await user.click(screen.getByRole("checkbox", { name: "Enviar notificações dos pedidos por WhatsApp" }));
    await user.click(save());

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(SAVED, true));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: "POST", path: "/clients" });
    expect(sent[0].body).toEqual({
      name: "Escola Municipal Monteiro Lobato",
      email: "compras@escola.sp.gov.br",
      document: "11222333000181",
      phone: "11987654321",
      address: null,
      notify_whatsapp: false,
    });
  });

  it("shows the API's 400 beside the field it names, until that field is typed in again", async () => {
    stubFetch(
      on(
        "POST",
        "/clients",
        refusal(400, "Dados inválidos.", {
          errors: [
            { field: "document", message: "Já existe um cliente com este documento." },
            { field: "tax_regime", message: "Regime tributário desconhecido." },
          ],
        }),
      ),
    );
    const { user, onSaved } = renderForm();
    await user.type(box("Nome"), "Escola");
    await user.type(box("E-mail"), "compras@escola.br");
    await user.type(box("CPF ou CNPJ"), "11222333000181");
    await user.click(save());

    const document = box("CPF ou CNPJ");
    await waitFor(() => expect(document.getAttribute("aria-invalid")).toBe("true"));
    expect(descriptionOf(document)).toContain("Já existe um cliente com este documento.");
    expect(box("E-mail").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByTestId("client-form-error").textContent).toContain("Dados inválidos.");
    expect(screen.getByText("Regime tributário desconhecido.")).toBeTruthy();
    expect(onSaved).not.toHaveBeenCalled();

    await user.type(document, "0");
    expect(descriptionOf(document)).not.toContain("Já existe um cliente com este documento.");
  });

  it("sends only what changed with PUT, and says when nothing did", async () => {
    const sent = stubFetch(on("PUT", `/clients/${CLIENT_ID}`, ({ body }) => ok({ ...SAVED, ...(body as object) })));
    const { user, onSaved } = renderForm(SAVED);
    expect(box("CPF ou CNPJ")).toHaveProperty("value", "11.222.333/0001-81");
    await user.click(save());
    expect(screen.getByRole("status").textContent).toBe("Nada mudou: não há o que salvar.");
    expect(sent).toEqual([]);

    await user.type(box(ADDRESS), " Rua das Flores, 10 ");
    await user.click(save());
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(sent[0]).toMatchObject({ method: "PUT", body: { address: "Rua das Flores, 10" } });
  });
});
