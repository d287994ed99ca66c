"""Create the first admin (and, with --demo, the demo users). Safe to run any number of times.

    python -m auth_service.seed [--demo] [--client-id UUID] [--supplier-id UUID]

The admin comes from ADMIN_EMAIL / ADMIN_PASSWORD; in development they default to the demo
admin. Existing users are left as they are (password and role untouched); --client-id and
--supplier-id only fill in the bindings of the demo client and supplier users.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from auth_service import users
from auth_service.config import AuthSettings
from auth_service.domain.errors import RuleViolation
from auth_service.domain.users import UserRole, normalise_email
from auth_service.extension import passwords_from_settings
from shared.config import ConfigError, env_str
from shared.db import sqlalchemy_url


@dataclass(frozen=True)
class DemoUser:
    name: str
    email: str
    password: str
    role: UserRole


DEMO_ADMIN = DemoUser("Administrador", "admin@pedidos.local", "Admin#2026", UserRole.ADMIN)
DEMO_STAFF = DemoUser("Equipe Pedidos", "staff@pedidos.local", "Staff#2026", UserRole.STAFF)
DEMO_CLIENT = DemoUser("Cliente Demo", "cliente@pedidos.local", "Cliente#2026", UserRole.CLIENT)
DEMO_SUPPLIER = DemoUser(
    "Fornecedor Demo", "fornecedor@pedidos.local", "Fornecedor#2026", UserRole.SUPPLIER
)


def admin_from_env(settings: AuthSettings) -> DemoUser:
    """The first admin: ADMIN_EMAIL/ADMIN_PASSWORD, required outside development."""
    default_email = DEMO_ADMIN.email if settings.is_development else None
    default_password = DEMO_ADMIN.password if settings.is_development else None
    return DemoUser(
        name=env_str("ADMIN_NAME", DEMO_ADMIN.name),
        email=env_str("ADMIN_EMAIL", default_email, required=True),
        password=env_str("ADMIN_PASSWORD", default_password, required=True),
        role=UserRole.ADMIN,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m auth_service.seed", description=__doc__)
    parser.add_argument(
        "--demo", action="store_true", help="also create the demo staff, client and supplier"
    )
    parser.add_argument("--client-id", type=uuid.UUID, help="client record of the demo client")
    parser.add_argument(
        "--supplier-id", type=uuid.UUID, help="supplier record of the demo supplier"
    )
    return parser


def seed(
    session: Session,
    settings: AuthSettings,
    *,
    demo: bool,
    client_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
) -> list[tuple[str, bool]]:
    """Seed the admin (and demo users); each email with True when it was created now."""
    passwords = passwords_from_settings(settings)
    wanted: list[tuple[DemoUser, dict[str, uuid.UUID | None]]] = [(admin_from_env(settings), {})]
    if demo:
        wanted += [
            (DEMO_STAFF, {}),
            (DEMO_CLIENT, {"client_id": client_id}),
            (DEMO_SUPPLIER, {"supplier_id": supplier_id}),
        ]
    results = []
    for user, bindings in wanted:
        created = users.seed_user(
            session=session,
            passwords=passwords,
            name=user.name,
            email=user.email,
            password=user.password,
            role=user.role,
            **bindings,
        )
        results.append((normalise_email(user.email), created))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = AuthSettings.from_env()
        if args.demo and not settings.is_development:
            raise ConfigError("--demo cria senhas conhecidas: só em APP_ENV=development ou test.")
        engine = create_engine(sqlalchemy_url(settings.database_url))
        try:
            with Session(engine, expire_on_commit=False) as session:
                results = seed(
                    session,
                    settings,
                    demo=args.demo,
                    client_id=args.client_id,
                    supplier_id=args.supplier_id,
                )
        finally:
            engine.dispose()
    except (ConfigError, RuleViolation) as exc:
        print(f"seed: {exc}", file=sys.stderr)
        return 2
    for email, created in results:
        print(f"{'criado' if created else 'já existe'}: {email}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
