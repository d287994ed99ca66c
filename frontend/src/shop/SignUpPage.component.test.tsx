/**
 * The sign-up page as a new customer uses it: each problem appears beside its field once the
 * field is left (or the form sent), a valid form registers and signs in, and the API's 400
 * is shown beside the field it names.
 */
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { setLanguage } from "../i18n";
import { ok, on, refusal, stubFetch } from "../test/fetchStub";
import { descriptionOf, renderWithProviders } from "../test/render";
import { SignUpPage } from "./SignUpPage";

const box = (name: string) => screen.getByRole("textbox", { name });
const password = () => screen.getByLabelText("Senha");
const confirmation = () => screen.getByLabelText("Confirme a senha");
const submit = () => screen.getByRole("button", { name: "Criar conta" });

function renderPage() {
  const login = vi.fn(async () => {});
  const rendered = renderWithProviders(<SignUpPage />, { url: "/cadastro", path: "/cadastro", user: null, login });
  return { ...rendered, login };
}

beforeAll(async () => {
  await setLanguage("pt-BR");
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("SignUpPage", () => {
  it("shows a CNPJ with wrong check digits beside it once the field is left, written the usual way", async () => {
    stubFetch();
    const { user } = renderPage();
    const document = box("CPF ou CNPJ");
    await user.type(document, "11222333000182");
    // Nothing is said while typing.
    expect(document.getAttribute("aria-invalid")).toBeNull();
    await user.tab();
    expect(document).toHaveProperty("value", "11.222.333/0001-82");
    expect(document.getAttribute("aria-invalid")).toBe("true");
    expect(descriptionOf(document)).toContain("CNPJ inválido: confira os dígitos.");
    // Other fields not yet visited say nothing.
    expect(box("E-mail").getAttribute("aria-invalid")).toBeNull();
  });

  it("on sending, marks every problem, focuses the first one and sends nothing", async () => {
    const sent = stubFetch();
    const { user, login } = renderPage();
    await user.type(box("Nome completo ou razão social"), "Maria Souza");
    await user.type(box("E-mail"), "maria@exemplo");
    await user.type(password(), "12345678");
    await user.type(confirmation(), "12345679");
    await user.type(box("CPF ou CNPJ"), "529.982.247-24");
    await user.type(box("Telefone (WhatsApp)"), "11 9123a-5678");
    await user.click(submit());

    expect(descriptionOf(box("E-mail"))).toContain("Informe um e-mail válido, ex.: maria@exemplo.com.br.");
    expect(document.activeElement).toBe(box("E-mail"));
    expect(descriptionOf(password())).toContain("A senha não pode conter apenas números.");
    expect(descriptionOf(confirmation())).toContain("As senhas não são iguais.");
    expect(descriptionOf(box("CPF ou CNPJ"))).toContain("CPF inválido: confira os dígitos.");
    expect(descriptionOf(box("Telefone (WhatsApp)"))).toContain("Informe o telefone com DDD, ex.: (11) 91234-5678.");
    expect(box("Nome completo ou razão social").getAttribute("aria-invalid")).toBeNull();
    expect(sent).toEqual([]);
    expect(login).not.toHaveBeenCalled();
  });

  it("registers with POST /auth/register, signs in with the same e-mail and password and opens the shop", async () => {
    const sent = stubFetch(
      on("POST", "/auth/register", {
        status: 201,
        ...ok({ id: "u-9", name: "Maria Souza", email: "maria@exemplo.com.br", role: "client" }),
      }),
    );
    const { user, login, location } = renderPage();
    await user.type(box("Nome completo ou razão social"), " Maria Souza ");
    await user.type(box("E-mail"), "maria@exemplo.com.br ");
    await user.type(password(), "segredo123");
    await user.type(confirmation(), "segredo123");
    await user.type(box("CPF ou CNPJ"), "52998224725");
    await user.type(box("Telefone (WhatsApp)"), "(11) 91234-5678");
    await user.click(submit());

    await waitFor(() => expect(location()).toBe("/loja"));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: "POST", path: "/auth/register" });
    // The confirmation stays here; the document goes as shown (formatted when the field was left).
    expect(sent[0].body).toEqual({
      name: "Maria Souza",
      email: "maria@exemplo.com.br",
      password: "segredo123",
      document: "529.982.247-25",
      phone: "(11) 91234-5678",
    });
    expect(login).toHaveBeenCalledWith("maria@exemplo.com.br", "segredo123");
  });

  it("shows the API's 400 beside the field it names until that field changes", async () => {
    stubFetch(
      on(
        "POST",
        "/auth/register",
        refusal(400, "Não foi possível concluir o cadastro.", {
          errors: [
            { field: "email", message: "Este e-mail já está cadastrado." },
            { field: "captcha", message: "Confirme que você não é um robô." },
          ],
        }),
      ),
    );
    const { user, login } = renderPage();
    await user.type(box("Nome completo ou razão social"), "Maria Souza");
    await user.type(box("E-mail"), "maria@exemplo.com.br");
    await user.type(password(), "segredo123");
    await user.type(confirmation(), "segredo123");
    await user.type(box("CPF ou CNPJ"), "529.982.247-25");
    await user.type(box("Telefone (WhatsApp)"), "11912345678");
    await user.click(submit());

    const email = box("E-mail");
    await waitFor(() => expect(email.getAttribute("aria-invalid")).toBe("true"));
    expect(descriptionOf(email)).toBe("Este e-mail já está cadastrado.");
    expect(box("CPF ou CNPJ").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByTestId("shop-sign-up-error").textContent).toContain("Não foi possível concluir o cadastro.");
    expect(screen.getByText("Confirme que você não é um robô.")).toBeTruthy();
    expect(login).not.toHaveBeenCalled();

    await user.clear(email);
    await user.type(email, "maria.souza@exemplo.com.br");
    expect(email.getAttribute("aria-invalid")).toBeNull();
  });
});
