import { describe, expect, it } from "vitest";

import { ApiError } from "../api/client";
import type { Client } from "./api";
import {
  EMPTY_CLIENT_DRAFT,
  clientCreateBody,
  clientProblems,
  clientUpdateBody,
  draftFromClient,
  fieldErrorsOf,
  type ClientDraft,
} from "./clientForm";

const draft: ClientDraft = {
  name: "  Escola Municipal Aurora ",
  email: " Compras@Aurora.EDU.br ",
  document: "11.222.333/0001-81",
  phone: "(11) 91234-5678",
  address: "  Rua das Flores, 10  ",
  notifyWhatsapp: true,
};

const client: Client = {
  id: "c-1",
  name: "Escola Municipal Aurora",
  email: "compras@aurora.edu.br",
  document: "11222333000181",
  phone: "11912345678",
  address: "Rua das Flores, 10",
  notify_whatsapp: true,
  user_id: null,
};

describe("clientProblems", () => {
  it("finds nothing in a good draft", () => {
    expect(clientProblems(draft)).toEqual({});
  });

  it("asks for a name, an e-mail and a document", () => {
    expect(clientProblems(EMPTY_CLIENT_DRAFT)).toEqual({
      name: { key: "required" },
      email: { key: "required" },
      document: { key: "required" },
    });
    expect(clientProblems({ ...draft, name: "   " }).name).toEqual({ key: "required" });
  });

  it("checks the e-mail's shape, the CPF/CNPJ check digits and the phone's length", () => {
    const problems = clientProblems({ ...draft, email: "compras@", document: "529.982.247-24", phone: "1234" });
    expect(problems).toEqual({
      email: { key: "emailInvalid" },
      document: { key: "cpfInvalid" },
      phone: { key: "phoneLength" },
    });
    expect(clientProblems({ ...draft, document: "11.222.333/0001-80" }).document).toEqual({ key: "cnpjInvalid" });
    expect(clientProblems({ ...draft, document: "123" }).document).toEqual({ key: "documentLength" });
  });

  it("lets the phone and the address stay blank, within their lengths", () => {
    expect(clientProblems({ ...draft, phone: " ", address: "" })).toEqual({});
    expect(clientProblems({ ...draft, address: "x".repeat(501) }).address).toEqual({
      key: "tooLong",
      values: { max: 500 },
    });
    expect(clientProblems({ ...draft, name: "x".repeat(201) }).name).toEqual({ key: "tooLong", values: { max: 200 } });
  });
});

describe("clientCreateBody", () => {
  it("sends what the API stores: trimmed, lower-case e-mail, digits only", () => {
    expect(clientCreateBody(draft)).toEqual({
      name: "Escola Municipal Aurora",
      email: "compras@aurora.edu.br",
      document: "11222333000181",
      phone: "11912345678",
      address: "Rua das Flores, 10",
      notify_whatsapp: true,
    });
  });

  it("sends null for a blank phone or address, and the WhatsApp opt-out", () => {
    const body = clientCreateBody({ ...draft, phone: "  ", address: " ", notifyWhatsapp: false });
    expect(body.phone).toBeNull();
    expect(body.address).toBeNull();
    expect(body.notify_whatsapp).toBe(false);
    expect(body).not.toHaveProperty("user_id");
  });
});

describe("clientUpdateBody", () => {
  it("is empty when the form shows the client as it is", () => {
    expect(clientUpdateBody(client, draftFromClient(client))).toEqual({});
    // Punctuation, case and blanks are not changes.
    expect(clientUpdateBody(client, draft)).toEqual({});
  });

  it("sends only the fields that changed", () => {
    const edited = { ...draftFromClient(client), email: "novo@aurora.edu.br", notifyWhatsapp: false };
    expect(clientUpdateBody(client, edited)).toEqual({ email: "novo@aurora.edu.br", notify_whatsapp: false });
    expect(clientUpdateBody(client, { ...draftFromClient(client), document: "529.982.247-25" })).toEqual({
      document: "52998224725",
    });
  });

  it("clears the phone or the address with null", () => {
    expect(clientUpdateBody(client, { ...draftFromClient(client), phone: "", address: "" })).toEqual({
      phone: null,
      address: null,
    });
    const bare: Client = { ...client, phone: null, address: null };
    expect(clientUpdateBody(bare, { ...draftFromClient(bare), phone: "(21) 3333-4444" })).toEqual({
      phone: "2133334444",
    });
  });
});

describe("draftFromClient", () => {
  it("writes the document and the phone with their punctuation", () => {
    expect(draftFromClient(client)).toEqual({
      name: "Escola Municipal Aurora",
      email: "compras@aurora.edu.br",
      document: "11.222.333/0001-81",
      phone: "(11) 91234-5678",
      address: "Rua das Flores, 10",
      notifyWhatsapp: true,
    });
  });
});

describe("fieldErrorsOf", () => {
  it("puts each message beside its field and keeps the others for the alert", () => {
    const error = new ApiError("Já existe um cliente com este e-mail.", {
      status: 409,
      code: "duplicate",
      errors: [
        { field: "email", message: "E-mail já cadastrado." },
        { field: "_schema", message: "Informe ao menos um campo para alterar." },
        { field: "document", message: "" },
      ],
    });
    expect(fieldErrorsOf(error, ["name", "email", "document"])).toEqual({
      byField: { email: "E-mail já cadastrado." },
      others: ["Informe ao menos um campo para alterar."],
    });
    expect(fieldErrorsOf(null, ["email"])).toEqual({ byField: {}, others: [] });
  });
});
