"""The password policy: what a password must be before we agree to hash it."""

from __future__ import annotations

from auth_service.domain.errors import WeakPassword

MIN_PASSWORD_LENGTH = 8
# Hashing cost does not grow with length, but unbounded input is still a lever for abuse.
MAX_PASSWORD_LENGTH = 256


def password_violations(password: str, *, field: str = "password") -> list[WeakPassword]:
    """Every rule the password breaks (empty when it is acceptable)."""
    problems: list[WeakPassword] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            WeakPassword(
                f"A senha deve ter pelo menos {MIN_PASSWORD_LENGTH} caracteres.",
                f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
                field=field,
            )
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(
            WeakPassword(
                f"A senha deve ter no máximo {MAX_PASSWORD_LENGTH} caracteres.",
                f"The password must have at most {MAX_PASSWORD_LENGTH} characters.",
                field=field,
            )
        )
    if password.isdigit():
        problems.append(
            WeakPassword(
                "A senha não pode conter apenas números.",
                "The password cannot be only digits.",
                field=field,
            )
        )
    return problems


def check_password(password: str, *, field: str = "password") -> None:
    """Raise WeakPassword for the first rule the password breaks."""
    problems = password_violations(password, field=field)
    if problems:
        raise problems[0]
