import { describe, expect, it } from "vitest";

import type { User } from "./api";
import {
  EMPTY_USER_DRAFT,
  bindingOf,
  draftFromUser,
  isSelf,
  passwordProblem,
  removesOwnAdmin,
  userCreateBody,
  userProblems,
  userUpdateBody,
  withRole,
  type UserDraft,
} from "./userForm";

const draft: UserDraft = {
  name: " Ana Lima ",
  email: " Ana@Escola.br ",
  password: "Segura#2026",
  role: "client",
  clientId: "client-1",
  supplierId: null,
  active: true,
};

const clientUser: User = {
  id: "u-1",
  name: "Ana Lima",
  email: "ana@escola.br",
  role: "client",
  client_id: "client-1",
  supplier_id: null,
  active: true,
};

const me: User = { id: "admin-1", name: "Root", email: "root@x.br", role: "admin", active: true };

describe("the role and its binding", () => {
  it("binds a client user to a client record, a supplier user to a supplier, no one else", () => {
    expect(bindingOf("client")).toBe("client");
    expect(bindingOf("supplier")).toBe("supplier");
    expect(bindingOf("admin")).toBeNull();
    expect(bindingOf("staff")).toBeNull();
  });

  it("drops the binding a new role cannot keep", () => {
    expect(withRole(draft, "supplier")).toMatchObject({ role: "supplier", clientId: null, supplierId: null });
    expect(withRole(draft, "staff")).toMatchObject({ role: "staff", clientId: null, supplierId: null });
    expect(withRole(draft, "client")).toMatchObject({ role: "client", clientId: "client-1" });
    const supplier = { ...draft, role: "supplier" as const, clientId: null, supplierId: "s-1" };
    expect(withRole(supplier, "supplier").supplierId).toBe("s-1");
  });
});

describe("userProblems", () => {
  it("finds nothing in a good draft", () => {
    expect(userProblems(draft, true)).toEqual({});
  });

  it("asks a new user for a name, an e-mail and a password", () => {
    expect(userProblems({ ...EMPTY_USER_DRAFT }, true)).toEqual({
      name: { key: "required" },
      email: { key: "required" },
      password: { key: "required" },
    });
  });

  it("keeps the password when editing and it is left blank, but checks a new one", () => {
    expect(userProblems({ ...draft, password: "" }, false)).toEqual({});
    expect(userProblems({ ...draft, password: "12345678" }, false).password).toEqual({ key: "passwordDigits" });
  });

  it("wants the client of a client user and the supplier of a supplier user", () => {
    expect(userProblems({ ...draft, clientId: null }, true)).toEqual({ client_id: { key: "clientRequired" } });
    const supplier = withRole(draft, "supplier");
    expect(userProblems(supplier, true)).toEqual({ supplier_id: { key: "supplierRequired" } });
    expect(userProblems({ ...supplier, supplierId: "s-1" }, true)).toEqual({});
    expect(userProblems(withRole(draft, "staff"), true)).toEqual({});
  });
});

describe("passwordProblem (the sign-up policy)", () => {
  it("wants 8 to 256 characters, not only digits", () => {
    expect(passwordProblem("Segura#2026")).toBeNull();
    expect(passwordProblem("abc1234")).toEqual({ key: "passwordShort", values: { min: 8 } });
    expect(passwordProblem("12345678")).toEqual({ key: "passwordDigits" });
    expect(passwordProblem("١٢٣٤٥٦٧٨")).toEqual({ key: "passwordDigits" });
    expect(passwordProblem("x".repeat(257))).toEqual({ key: "tooLong", values: { max: 256 } });
    expect(passwordProblem("senha 12")).toBeNull();
  });
});

describe("userCreateBody", () => {
  it("sends the role with its binding and null for the other", () => {
    expect(userCreateBody(draft)).toEqual({
      name: "Ana Lima",
      email: "ana@escola.br",
      password: "Segura#2026",
      role: "client",
      client_id: "client-1",
      supplier_id: null,
      active: true,
    });
  });

  it("never sends a binding that does not match the role", () => {
    const staff = { ...draft, role: "staff" as const }; // a stale client id in the draft
    expect(userCreateBody(staff)).toMatchObject({ role: "staff", client_id: null, supplier_id: null });
    const supplier = { ...draft, role: "supplier" as const, supplierId: "s-1" };
    expect(userCreateBody(supplier)).toMatchObject({ client_id: null, supplier_id: "s-1" });
  });
});

describe("userUpdateBody", () => {
  it("is empty when nothing changed (a blank password included)", () => {
    expect(userUpdateBody(clientUser, draftFromUser(clientUser))).toEqual({});
  });

  it("sends only what changed", () => {
    expect(userUpdateBody(clientUser, { ...draftFromUser(clientUser), name: "Ana L. Lima" })).toEqual({
      name: "Ana L. Lima",
    });
    expect(userUpdateBody(clientUser, { ...draftFromUser(clientUser), active: false })).toEqual({ active: false });
    expect(userUpdateBody(clientUser, { ...draftFromUser(clientUser), password: "Nova#Senha1" })).toEqual({
      password: "Nova#Senha1",
    });
  });

  it("clears the old binding with the role (client → staff sends client_id: null)", () => {
    expect(userUpdateBody(clientUser, withRole(draftFromUser(clientUser), "staff"))).toEqual({
      role: "staff",
      client_id: null,
    });
    const toSupplier = { ...withRole(draftFromUser(clientUser), "supplier"), supplierId: "s-9" };
    expect(userUpdateBody(clientUser, toSupplier)).toEqual({ role: "supplier", client_id: null, supplier_id: "s-9" });
  });

  it("rebinds a client user to another client", () => {
    expect(userUpdateBody(clientUser, { ...draftFromUser(clientUser), clientId: "client-2" })).toEqual({
      client_id: "client-2",
    });
  });
});

describe("removesOwnAdmin", () => {
  it("catches the signed-in admin demoting or deactivating itself", () => {
    expect(removesOwnAdmin(me, "admin-1", { role: "staff" })).toBe(true);
    expect(removesOwnAdmin(me, "admin-1", { active: false })).toBe(true);
    expect(removesOwnAdmin(me, "admin-1", userUpdateBody(me, withRole(draftFromUser(me), "staff")))).toBe(true);
  });

  it("lets other changes through without asking", () => {
    expect(removesOwnAdmin(me, "admin-1", { name: "Root Admin" })).toBe(false);
    expect(removesOwnAdmin(me, "admin-1", { role: "admin", active: true })).toBe(false);
    expect(removesOwnAdmin(me, "someone-else", { role: "staff" })).toBe(false);
    expect(removesOwnAdmin(clientUser, "u-1", { role: "staff" })).toBe(false);
  });

  it("knows the signed-in user's own row", () => {
    expect(isSelf(me, "admin-1")).toBe(true);
    expect(isSelf(clientUser, "admin-1")).toBe(false);
  });
});

describe("draftFromUser", () => {
  it("fills the form with the user, the password blank", () => {
    expect(draftFromUser(clientUser)).toEqual({
      name: "Ana Lima",
      email: "ana@escola.br",
      password: "",
      role: "client",
      clientId: "client-1",
      supplierId: null,
      active: true,
    });
  });
});
