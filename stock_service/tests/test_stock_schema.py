"""The migrations create exactly what the models describe, indexes included."""

from __future__ import annotations

from sqlalchemy import text

from shared.migrations import schema_drift
from stock_service.models import SCHEMA, TRIGRAM_INDEX, db


def test_models_and_migrations_agree(admin_engine):
    with admin_engine.connect() as connection:
        drift = schema_drift(connection, db.metadata, SCHEMA)
        trigram = connection.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    if not trigram:
        # The migration skips the trigram index without pg_trgm (the search still works).
        drift = [d for d in drift if not (d[0] == "add_index" and d[1].name == TRIGRAM_INDEX)]
    assert drift == []
