import { describe, expect, it } from "vitest";

import {
  documentProblem,
  emailProblem,
  formatDocument,
  isValidCnpj,
  isValidCpf,
  nameProblem,
  onlyDigits,
  passwordProblems,
  phoneProblem,
  registerBody,
  signUpProblems,
  type SignUpForm,
} from "./documents";

// Valid numbers computed by shared/shared/documents.py (is_valid_cpf / is_valid_cnpj),
// some with a check digit of 0 (the "remainder below 2" branch).
const VALID_CPFS = [
  "52998224725",
  "11144477735",
  "12345678909",
  "15881399803",
  "69879730917",
  "11417075350",
  "64556815177",
  "88447294072",
  "16897684600",
  "99229836990",
  "77647258702",
];
const VALID_CNPJS = [
  "11222333000181",
  "11444777000161",
  "45723174000110",
  "81967273177893",
  "48648876634425",
  "00297875347717",
  "87680457178400",
  "41621052185430",
  "00130411895506",
];

/** Every other pair of check digits for the same first digits. */
function otherCheckDigits(valid: string): string[] {
  const body = valid.slice(0, -2);
  return Array.from({ length: 100 }, (_, n) => `${body}${String(n).padStart(2, "0")}`).filter(
    (candidate) => candidate !== valid,
  );
}

describe("CPF", () => {
  it("accepts numbers with valid check digits, with or without punctuation", () => {
    for (const cpf of VALID_CPFS) {
      expect(isValidCpf(cpf), cpf).toBe(true);
    }
    expect(isValidCpf("529.982.247-25")).toBe(true);
  });

  it("refuses every other pair of check digits", () => {
    for (const cpf of VALID_CPFS) {
      expect(otherCheckDigits(cpf).filter(isValidCpf), cpf).toEqual([]);
    }
  });

  it("refuses a repeated digit, a wrong length and a CNPJ", () => {
    expect(isValidCpf("11111111111")).toBe(false);
    expect(isValidCpf("00000000000")).toBe(false);
    expect(isValidCpf("529982247")).toBe(false);
    expect(isValidCpf("529982247250")).toBe(false);
    expect(isValidCpf("11222333000181")).toBe(false);
    expect(isValidCpf("")).toBe(false);
  });
});

describe("CNPJ", () => {
  it("accepts numbers with valid check digits, with or without punctuation", () => {
    for (const cnpj of VALID_CNPJS) {
      expect(isValidCnpj(cnpj), cnpj).toBe(true);
    }
    expect(isValidCnpj("11.222.333/0001-81")).toBe(true);
  });

  it("refuses every other pair of check digits", () => {
    for (const cnpj of VALID_CNPJS) {
      expect(otherCheckDigits(cnpj).filter(isValidCnpj), cnpj).toEqual([]);
    }
  });

  it("refuses a repeated digit, a wrong length and a CPF", () => {
    expect(isValidCnpj("00000000000000")).toBe(false);
    expect(isValidCnpj("11111111111111")).toBe(false);
    expect(isValidCnpj("1122233300018")).toBe(false);
    expect(isValidCnpj("52998224725")).toBe(false);
  });
});

describe("the document field", () => {
  it("says what is wrong, as the API would", () => {
    expect(documentProblem("")).toBe("required");
    expect(documentProblem("529.982.247-25")).toBeNull();
    expect(documentProblem(" 11.222.333/0001-81 ")).toBeNull();
    expect(documentProblem("529.982.247-24")).toBe("cpfInvalid");
    expect(documentProblem("11.222.333/0001-80")).toBe("cnpjInvalid");
    expect(documentProblem("1234")).toBe("documentLength");
    // auth_service drops dots, dashes, slashes and spaces only: letters make it no document.
    expect(documentProblem("529x982x247x25")).toBe("documentLength");
  });

  it("punctuates a complete CPF or CNPJ and leaves the rest as typed", () => {
    expect(formatDocument("52998224725")).toBe("529.982.247-25");
    expect(formatDocument("11222333000181")).toBe("11.222.333/0001-81");
    expect(formatDocument("5299822")).toBe("5299822");
    expect(formatDocument("abc")).toBe("abc");
    expect(onlyDigits("529.982.247-25")).toBe("52998224725");
  });
});

describe("the other sign-up fields", () => {
  it("wants a phone with its area code", () => {
    expect(phoneProblem("(11) 91234-5678")).toBeNull();
    expect(phoneProblem("+55 11 91234-5678")).toBeNull();
    expect(phoneProblem("1133334444")).toBeNull();
    expect(phoneProblem("91234-5678")).toBe("phoneInvalid");
    expect(phoneProblem("(11) 9123A-5678")).toBe("phoneInvalid");
    expect(phoneProblem(" ")).toBe("required");
  });

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
