"""Rule violations of the auth domain; each kind maps to one HTTP status in `shared.errors`."""

from __future__ import annotations

from shared.domain_errors import DomainError, ErrorKind
from shared.texts import Text


class RuleViolation(DomainError):
    """A business rule said no: `pt`/`en` are what people read, `field` the input at fault.

    Reported like a schema error: the generic "invalid data" message, the rule under `field`.
    """

    kind = ErrorKind.INVALID
    code = "validation_error"
    message = Text("Dados inválidos.", "Invalid data.")

    def __init__(self, pt: str, en: str, *, field: str | None = None) -> None:
        super().__init__(field=field, errors=[{"field": field, "message": Text(pt, en)}])
        self.args = (en,)  # str(exc) is the rule broken (the seed prints it), not the generic text
        self.pt = pt
        self.en = en


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

    kind = ErrorKind.CONFLICT
    code = "admin_lockout"

    def __init__(self, pt: str, en: str, *, field: str | None = None) -> None:
        super().__init__(pt, en, field=field)
        # About the change as a whole, not one input: the rule itself is the message.
        self.message = Text(pt, en)
        self.errors = []
