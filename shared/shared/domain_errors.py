"""The base of every service's domain errors, without Flask.

A rule that says no raises a `DomainError` subclass naming what kind of refusal it is; the
HTTP edge (`shared.errors`) turns every one into the error envelope with the status of its
kind, so no service writes its own mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, ClassVar

from shared.texts import Text


class ErrorKind(StrEnum):
    """What kind of refusal an error is; the HTTP edge picks the status from it."""

    INVALID = "invalid"  # the input breaks a rule
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"  # refused by the current state of things
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA = "unsupported_media"
    UNAVAILABLE = "unavailable"  # a service we depend on did not answer: try again


class DomainError(Exception):
    """A business rule refused the operation; `code` is stable, `message` is for people.

    `field` names the one input at fault; `errors` lists several ({"field", "message"},
    the message defaulting to `message`); `data` is extra detail for the caller.
    """

    kind: ClassVar[ErrorKind] = ErrorKind.INVALID
    code: str = "domain_error"
    message: Text = Text("Operação recusada.", "Operation refused.")
    # Seconds after which trying again makes sense (only for what may pass by itself).
    retry_after: int | None = None

    def __init__(
        self,
        message: Text | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        errors: Iterable[Mapping[str, Any]] | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        super().__init__(self.message.en)
        self.field = field
        self.errors = [dict(e) for e in errors or []]
        self.data = dict(data or {})

    def field_errors(self) -> list[dict[str, Any]]:
        """The per-field errors to report: those given, else the one `field` named."""
        if self.errors:
            return [
                {"field": e.get("field"), "message": e.get("message", self.message)}
                for e in self.errors
            ]
        if self.field:
            return [{"field": self.field, "message": self.message}]
        return []
