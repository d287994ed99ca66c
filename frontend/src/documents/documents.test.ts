import { describe, expect, it } from "vitest";

import {
  documentProblem,
  formatDocument,
  formatPhone,
  isValidCnpj,
  isValidCpf,
  onlyDigits,
  phoneProblem,
} from "./documents";

describe("onlyDigits", () => {
  it("drops punctuation, blanks and letters", () => {
    expect(onlyDigits("529.982.247-25")).toBe("52998224725");
    expect(onlyDigits(" 11.222.333/0001-81 ")).toBe("11222333000181");
    expect(onlyDigits("(11) 91234-5678")).toBe("11912345678");
    expect(onlyDigits("")).toBe("");
    expect(onlyDigits(null)).toBe("");
  });

  it("keeps digits of other scripts, as Python's \\d does", () => {
    expect(onlyDigits("٥٢٩.٩٨٢")).toBe("٥٢٩٩٨٢");
  });
});

describe("isValidCpf", () => {
  it("accepts a CPF whose two check digits match, with or without punctuation", () => {
    expect(isValidCpf("52998224725")).toBe(true);
    expect(isValidCpf("529.982.247-25")).toBe(true);
    expect(isValidCpf("111.444.777-35")).toBe(true);
  });

  it("refuses a wrong check digit, a repeated digit and another length", () => {
    expect(isValidCpf("52998224724")).toBe(false);
    expect(isValidCpf("52998224715")).toBe(false);
    expect(isValidCpf("11111111111")).toBe(false);
    expect(isValidCpf("00000000000")).toBe(false);
    expect(isValidCpf("5299822472")).toBe(false);
    expect(isValidCpf("529982247250")).toBe(false);
  });

  it("uses 0 when the remainder is below 2 (mod 11)", () => {
    // 123.456.789-09: Σ = 210, 210 mod 11 = 1 → the first check digit is 0.
    expect(isValidCpf("12345678909")).toBe(true);
    expect(isValidCpf("12345678919")).toBe(false);
    expect(isValidCpf("00000000191")).toBe(true);
  });

  it("reads digits of other scripts by their value, like the services", () => {
    expect(isValidCpf("٥٢٩٩٨٢٢٤٧٢٥")).toBe(true); // Arabic-Indic 52998224725
    expect(isValidCpf("５２９９８２２４７２５")).toBe(true); // full-width
  });
});

describe("isValidCnpj", () => {
  it("accepts a CNPJ whose two check digits match", () => {
    expect(isValidCnpj("11222333000181")).toBe(true);
    expect(isValidCnpj("11.222.333/0001-81")).toBe(true);
    expect(isValidCnpj("45.997.418/0001-53")).toBe(true);
  });

  it("refuses a wrong check digit, a repeated digit and another length", () => {
    expect(isValidCnpj("11222333000182")).toBe(false);
    expect(isValidCnpj("11222333000191")).toBe(false);
    expect(isValidCnpj("00000000000000")).toBe(false);
    expect(isValidCnpj("1122233300018")).toBe(false);
    expect(isValidCnpj("52998224725")).toBe(false);
  });
});

describe("documentProblem (validate_cpf_or_cnpj)", () => {
  it("is null for a valid CPF or CNPJ", () => {
    expect(documentProblem("529.982.247-25")).toBeNull();
    expect(documentProblem("11.222.333/0001-81")).toBeNull();
  });

  it("names a CPF or a CNPJ by its digit count, 11 or 14", () => {
    expect(documentProblem("529.982.247-24")).toBe("cpfInvalid");
    expect(documentProblem("111.111.111-11")).toBe("cpfInvalid");
    expect(documentProblem("11.222.333/0001-80")).toBe("cnpjInvalid");
  });

  it("asks for 11 or 14 digits otherwise, punctuation not counted", () => {
    expect(documentProblem("")).toBe("documentLength");
    expect(documentProblem("123")).toBe("documentLength");
    expect(documentProblem("529.982.247-2")).toBe("documentLength");
    expect(documentProblem("1122233300018100")).toBe("documentLength");
    expect(documentProblem("abc.def.ghi-jk")).toBe("documentLength");
  });
});

describe("phoneProblem", () => {
  it("wants 10 to 13 digits, with the area code", () => {
    expect(phoneProblem("(11) 3333-4444")).toBeNull();
    expect(phoneProblem("(11) 91234-5678")).toBeNull();
    expect(phoneProblem("+55 11 91234-5678")).toBeNull();
    expect(phoneProblem("91234-5678")).toBe("phoneLength");
    expect(phoneProblem("+55 (11) 91234-56789")).toBe("phoneLength");
  });
});

describe("formatDocument and formatPhone", () => {
  it("write the digits the usual Brazilian way", () => {
    expect(formatDocument("52998224725")).toBe("529.982.247-25");
    expect(formatDocument("11222333000181")).toBe("11.222.333/0001-81");
    expect(formatDocument("123")).toBe("123");
    expect(formatDocument(undefined)).toBe("");
    expect(formatPhone("11912345678")).toBe("(11) 91234-5678");
    expect(formatPhone("1133334444")).toBe("(11) 3333-4444");
    expect(formatPhone("5511912345678")).toBe("5511912345678");
    expect(formatPhone(null)).toBe("");
  });
});

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

describe("the sign-up's document field (auth_service, the \"typed\" rule)", () => {
  it("says what is wrong, as the API would", () => {
    expect(documentProblem("", "typed")).toBe("required");
    expect(documentProblem("529.982.247-25", "typed")).toBeNull();
    expect(documentProblem(" 11.222.333/0001-81 ", "typed")).toBeNull();
    expect(documentProblem("529.982.247-24", "typed")).toBe("cpfInvalid");
    expect(documentProblem("11.222.333/0001-80", "typed")).toBe("cnpjInvalid");
    expect(documentProblem("1234", "typed")).toBe("documentLength");
    // auth_service drops dots, dashes, slashes and spaces only: letters make it no document.
    expect(documentProblem("529x982x247x25", "typed")).toBe("documentLength");
  });

  it("punctuates a complete CPF or CNPJ and leaves the rest as typed", () => {
    expect(formatDocument("52998224725")).toBe("529.982.247-25");
    expect(formatDocument("11222333000181")).toBe("11.222.333/0001-81");
    expect(formatDocument("5299822")).toBe("5299822");
    expect(formatDocument("abc")).toBe("abc");
    expect(onlyDigits("529.982.247-25")).toBe("52998224725");
  });
});

describe("the sign-up's phone field (auth_service, the \"typed\" rule)", () => {
  it("wants a phone with its area code", () => {
    expect(phoneProblem("(11) 91234-5678", "typed")).toBeNull();
    expect(phoneProblem("+55 11 91234-5678", "typed")).toBeNull();
    expect(phoneProblem("1133334444", "typed")).toBeNull();
    expect(phoneProblem("91234-5678", "typed")).toBe("phoneInvalid");
    expect(phoneProblem("(11) 9123A-5678", "typed")).toBe("phoneInvalid");
    expect(phoneProblem(" ", "typed")).toBe("required");
  });
});
