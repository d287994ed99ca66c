/**
 * The user form's rules (auth_service/api/users.py): a client user is bound to a client record
 * and a supplier user to a supplier, never the other way round (a binding must match the role:
 * the API's 400); the password follows the sign-up policy; an edit sends only what changed, and
 * a role change clears the binding the new role cannot keep. An admin taking away its own admin
 * access is asked to confirm (and the API refuses it: 409, shown with its message).
 */
import type { User, UserCreate, UserUpdate } from "./api";
import type { Problem } from "./clientForm";
import { isRole, type RoleName } from "./filters";

export interface UserDraft {
  name: string;
  email: string;
  /** New users: required. Editing: blank keeps the current password. */
  password: string;
  role: RoleName;
  clientId: string | null;
  supplierId: string | null;
  active: boolean;
}

export const USER_FIELDS = [
  "name",
  "email",
  "password",
  "role",
  "client_id",
  "supplier_id",
  "active",
] as const;
export type UserField = (typeof USER_FIELDS)[number];

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const USER_NAME_MAX = 200;
export const USER_EMAIL_MAX = 320;

export const EMPTY_USER_DRAFT: UserDraft = {
  name: "",
  email: "",
  password: "",
  role: "staff",
  clientId: null,
  supplierId: null,
  active: true,
};

export function draftFromUser(user: User): UserDraft {
  return {
    name: user.name ?? "",
    email: user.email ?? "",
    password: "",
    role: isRole(user.role) ? user.role : "staff",
    clientId: user.client_id ?? null,
    supplierId: user.supplier_id ?? null,
    active: user.active ?? true,
  };
}

/** Which binding a role takes: a client record, a supplier, or none. */
export function bindingOf(role: RoleName): "client" | "supplier" | null {
  if (role === "client") {
    return "client";
  }
  return role === "supplier" ? "supplier" : null;
}

/** The draft with another role: a binding the new role cannot keep is dropped. */
export function withRole(draft: UserDraft, role: RoleName): UserDraft {
  const binding = bindingOf(role);
  return {
    ...draft,
    role,
    clientId: binding === "client" ? draft.clientId : null,
    supplierId: binding === "supplier" ? draft.supplierId : null,
  };
}

const length = (value: string) => Array.from(value).length;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Python's str.isdigit: digits of any script (and no character at all is not "only digits"). */
const ONLY_DIGITS = /^\p{Nd}+$/u;

/** The auth service's password policy: 8 to 256 characters, not only digits. */
export function passwordProblem(password: string): Problem | null {
  if (length(password) < PASSWORD_MIN) {
    return { key: "passwordShort", values: { min: PASSWORD_MIN } };
  }
  if (length(password) > PASSWORD_MAX) {
    return { key: "tooLong", values: { max: PASSWORD_MAX } };
  }
  return ONLY_DIGITS.test(password) ? { key: "passwordDigits" } : null;
}

/**
 * What may not be sent, field by field. `creating`: the password is required. A client or
 * supplier user must be bound (the API would accept an unbound one, who could then see nothing
 * — the form asks for the binding instead).
 */
export function userProblems(draft: UserDraft, creating: boolean): Partial<Record<UserField, Problem>> {
  const problems: Partial<Record<UserField, Problem>> = {};
  const name = draft.name.trim();
  if (name === "") {
    problems.name = { key: "required" };
  } else if (length(name) > USER_NAME_MAX) {
    problems.name = { key: "tooLong", values: { max: USER_NAME_MAX } };
  }
  const email = draft.email.trim();
  if (email === "") {
    problems.email = { key: "required" };
  } else if (!EMAIL_SHAPE.test(email)) {
    problems.email = { key: "emailInvalid" };
  } else if (length(email) > USER_EMAIL_MAX) {
    problems.email = { key: "tooLong", values: { max: USER_EMAIL_MAX } };
  }
  if (creating || draft.password !== "") {
    const problem = draft.password === "" ? { key: "required" } : passwordProblem(draft.password);
    if (problem) {
      problems.password = problem;
    }
  }
  const binding = bindingOf(draft.role);
  if (binding === "client" && !draft.clientId) {
    problems.client_id = { key: "clientRequired" };
  }
  if (binding === "supplier" && !draft.supplierId) {
    problems.supplier_id = { key: "supplierRequired" };
  }
  return problems;
}

/** POST /auth/users: the binding that matches the role, null for the other. */
export function userCreateBody(draft: UserDraft): UserCreate {
  const binding = bindingOf(draft.role);
  return {
    name: draft.name.trim(),
    email: draft.email.trim().toLowerCase(),
    password: draft.password,
    role: draft.role,
    client_id: binding === "client" ? draft.clientId : null,
    supplier_id: binding === "supplier" ? draft.supplierId : null,
    active: draft.active,
  };
}

/**
 * PATCH /auth/users/{id}: only what changed. The bindings are compared after the role rule, so
 * turning a client user into staff sends `client_id: null` (the API wants the binding cleared
 * with the role) and a blank password is not sent.
 */
export function userUpdateBody(original: User, draft: UserDraft): UserUpdate {
  const binding = bindingOf(draft.role);
  const next = {
    name: draft.name.trim(),
    email: draft.email.trim().toLowerCase(),
    role: draft.role,
    client_id: binding === "client" ? draft.clientId : null,
    supplier_id: binding === "supplier" ? draft.supplierId : null,
    active: draft.active,
  };
  const before = {
    name: original.name ?? "",
    email: (original.email ?? "").toLowerCase(),
    role: original.role,
    client_id: original.client_id ?? null,
    supplier_id: original.supplier_id ?? null,
    active: original.active ?? true,
  };
  const body: UserUpdate = {};
  for (const field of Object.keys(next) as (keyof typeof next)[]) {
    if (next[field] !== before[field]) {
      Object.assign(body, { [field]: next[field] });
    }
  }
  if (draft.password !== "") {
    body.password = draft.password;
  }
  return body;
}

/** Whether `body` would take away the signed-in admin's own admin access (to confirm first). */
export function removesOwnAdmin(target: User, currentUserId: string, body: UserUpdate): boolean {
  if (target.id !== currentUserId || target.role !== "admin") {
    return false;
  }
  return (body.role !== undefined && body.role !== "admin") || body.active === false;
}

/** Whether deleting `target` is the signed-in user deleting itself. */
export function isSelf(target: User, currentUserId: string): boolean {
  return target.id === currentUserId;
}
