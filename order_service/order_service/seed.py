"""Demo data: one client, a municipal school (idempotent).

    DATABASE_URL=... python -m order_service.seed [--user-id UUID]
    {"client_id": "..."}

Prints only that JSON line on stdout, so the dev script can bind the demo client user to the
client (auth_service.seed --client-id); everything else goes to stderr. Running it again
creates nothing new; --user-id (re)binds the record to that auth user.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from order_service.config import OrderSettings
from order_service.models import Client
from shared.db import sqlalchemy_url, unit_of_work

log = logging.getLogger("pedidos.orders.seed")

DEMO_CLIENT: dict[str, Any] = {
    "name": "Escola Municipal João da Silva",
    "email": "secretaria@escolajoaodasilva.example.com",
    "document": "12345678000195",  # a CNPJ with valid check digits, made up for the demo
    "phone": "11987654321",
    "address": "Rua das Flores, 123 — Centro, São Paulo/SP",
}


def seed_demo_client(session: Session, *, user_id: uuid.UUID | None = None) -> Client:
    """The demo client, created when missing (found by its CNPJ among live clients)."""
    with unit_of_work(session):
        client = session.scalar(
            select(Client).where(
                Client.document == DEMO_CLIENT["document"], Client.deleted_at.is_(None)
            )
        )
        if client is None:
            client = Client(id=uuid.uuid4(), created_by="seed", **DEMO_CLIENT)
            session.add(client)
            log.info("demo client created")
        if user_id is not None and client.user_id != user_id:
            client.user_id = user_id
    return client


def main(argv: Sequence[str] | None = None, settings: OrderSettings | None = None) -> uuid.UUID:
    """Seed the database of `settings` (the environment by default) and print the client id."""
    parser = argparse.ArgumentParser(prog="python -m order_service.seed", description=__doc__)
    parser.add_argument("--user-id", type=uuid.UUID, help="auth user of the demo client")
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO)
    settings = settings or OrderSettings.from_env()
    engine = create_engine(sqlalchemy_url(settings.database_url))
    try:
        with Session(engine, expire_on_commit=False) as session:
            client = seed_demo_client(session, user_id=args.user_id)
    finally:
        engine.dispose()
    print(json.dumps({"client_id": str(client.id)}), flush=True)
    return client.id


if __name__ == "__main__":
    main()
