"""The demo seed: idempotent, and its stdout is one JSON line with the client id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import func, select

from order_service.models import Client
from order_service.seed import DEMO_CLIENT, main
from shared.documents import is_valid_cnpj

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_client_is_valid():
    assert is_valid_cnpj(DEMO_CLIENT["document"])
    assert DEMO_CLIENT["email"] == DEMO_CLIENT["email"].lower()


def test_seeding_twice_creates_the_client_once_and_binds_a_user(order_settings, session, capsys):
    first = main([], order_settings)
    printed = capsys.readouterr().out
    user_id = str(uuid.uuid4())
    second = subprocess.run(
        [sys.executable, "-m", "order_service.seed", "--user-id", user_id],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": order_settings.database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(printed) == {"client_id": str(first)}
    assert json.loads(second.stdout) == {"client_id": str(first)}
    count = session.scalar(
        select(func.count())
        .select_from(Client)
        .where(Client.document == DEMO_CLIENT["document"], Client.deleted_at.is_(None))
    )
    assert count == 1
    assert str(session.get(Client, first).user_id) == user_id
