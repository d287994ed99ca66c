import { describe, expect, it } from "vitest";

import {
  emailProblem,
  nameProblem,
  passwordProblems,
  registerBody,
  signUpProblems,
  type SignUpForm,
} from "./signUp";

describe("the other sign-up fields", () => {
  it("applies the password policy, every broken rule at once", () => {
    expect(passwordProblems("Segura#2026")).toEqual([]);
    expect(passwordProblems("")).toEqual(["required"]);
    expect(passwordProblems("1234")).toEqual(["passwordShort", "passwordDigits"]);
    expect(passwordProblems("12345678")).toEqual(["passwordDigits"]);
    expect(passwordProblems("a".repeat(257))).toEqual(["passwordLong"]);
  });

  it("checks the e-mail's shape and the name", () => {
    expect(emailProblem("maria@example.com")).toBeNull();
    expect(emailProblem("maria@")).toBe("emailInvalid");
    expect(emailProblem("")).toBe("required");
    expect(nameProblem("  ")).toBe("required");
    expect(nameProblem("Escola Municipal Aurora")).toBeNull();
    expect(nameProblem("x".repeat(201))).toBe("tooLong");
  });
});

describe("the sign-up form", () => {
  const good: SignUpForm = {
    name: " Maria Souza ",
    email: " maria@example.com ",
    password: "Segura#2026",
    passwordConfirmation: "Segura#2026",
    document: "529.982.247-25",
    phone: "(11) 91234-5678",
  };

  it("has no problems when everything is right", () => {
    expect(signUpProblems(good)).toEqual({});
  });

  it("lists every problem by field", () => {
    expect(
      signUpProblems({ ...good, email: "x", passwordConfirmation: "outra", document: "111.111.111-11", phone: "" }),
    ).toEqual({
      email: ["emailInvalid"],
      passwordConfirmation: ["passwordMismatch"],
      document: ["cpfInvalid"],
      phone: ["required"],
    });
  });

  it("sends the Register body without the confirmation", () => {
    expect(registerBody(good)).toEqual({
      name: "Maria Souza",
      email: "maria@example.com",
      password: "Segura#2026",
      document: "529.982.247-25",
      phone: "(11) 91234-5678",
    });
  });
});
