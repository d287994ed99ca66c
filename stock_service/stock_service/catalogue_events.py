"""Republish the whole catalogue: a `product.changed` and a `stock.changed` for every product,
through the outbox, with new revisions.

The order service keeps a copy of the catalogue from those events (order_service/catalogue/).
Migration 0004 fills it once; run this when that copy was lost or rebuilt (a restored order
database, a new order service): `python -m stock_service.catalogue_events`. Repeating it is
harmless: the copy keeps the newest revision of each product.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from shared.db import sqlalchemy_url
from stock_service.models import SCHEMA

# Products per transaction: a large catalogue never holds one long transaction.
CHUNK = 1000

_IDS_AFTER = text(
    f"SELECT id FROM {SCHEMA}.products WHERE id > CAST(:after AS uuid) ORDER BY id LIMIT :chunk"
)
_PUBLISH = text(f"SELECT {SCHEMA}.catalogue_events(CAST(:ids AS uuid[]), true, true)")


def republish_catalogue(database_url: str, *, chunk: int = CHUNK) -> int:
    """Write the events of every product into the outbox; returns how many products."""
    engine = create_engine(sqlalchemy_url(database_url), poolclass=NullPool)
    done, after = 0, "00000000-0000-0000-0000-000000000000"
    try:
        while True:
            with engine.begin() as connection:
                ids = [
                    str(i) for i in connection.scalars(_IDS_AFTER, {"after": after, "chunk": chunk})
                ]
                if not ids:
                    return done
                connection.execute(_PUBLISH, {"ids": ids})
            done += len(ids)
            after = ids[-1]
    finally:
        engine.dispose()


def main() -> int:
    from shared.logging import configure_logging
    from stock_service.config import StockSettings

    settings = StockSettings.from_env()
    configure_logging(settings.service_name, settings.log_level)
    print(f"produtos republicados: {republish_catalogue(settings.database_url)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
