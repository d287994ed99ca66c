"""Rule violations of the auth domain; the API maps each class to a status once, at the edge."""

from __future__ import annotations


class RuleViolation(Exception):
    """A business rule said no: `pt`/`en` are what people read, `field` the input at fault."""

    def __init__(self, pt: str, en: str, *, field: str | None = None) -> None:
        super().__init__(en)
        self.pt = pt
        self.en = en
        self.field = field


class WeakPassword(RuleViolation):
    """The password does not meet the password policy."""


class InvalidDocument(RuleViolation):
    """The CPF/CNPJ is malformed or its check digits are wrong."""


class InvalidPhone(RuleViolation):
    """The phone number is not a plausible Brazilian number."""


class BindingMismatch(RuleViolation):
    """A client_id/supplier_id binding does not fit the user's role."""


class AdminLockout(RuleViolation):
    """The change would leave the caller, or the system, without an active admin."""
