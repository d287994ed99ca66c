"""HTTP edge of the auth service: blueprints, schemas, and the mapping of rule violations."""

from __future__ import annotations

from flask import Flask, Response

from auth_service.domain.errors import AdminLockout, RuleViolation
from shared.errors import Conflict, ValidationError, error_response
from shared.i18n import Text


def _rule_violation_response(exc: RuleViolation) -> Response:
    message = Text(exc.pt, exc.en)
    if isinstance(exc, AdminLockout):
        return error_response(Conflict.status, message, code="admin_lockout")
    return error_response(
        ValidationError.status,
        ValidationError.message,
        code=ValidationError.code,
        errors=[{"field": exc.field, "message": message}],
    )


def register_rule_violations(app: Flask) -> None:
    """Map domain rule violations to the envelope: lockouts are 409, the rest are 400."""
    app.register_error_handler(RuleViolation, _rule_violation_response)
