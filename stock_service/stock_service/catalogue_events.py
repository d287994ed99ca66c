"""The catalogue's events that the database does not write at once.

- `announce_stock_falls`: the falls of free stock noted by the trigger (migration 0005),
  announced by the stock relay once their window has passed, with the figure of that moment.
- `republish_catalogue`: a `product.changed` and a `stock.changed` for every product,
  through the outbox, with new revisions. The order service keeps a copy of the catalogue
  from those events (order_service/catalogue/). Migration 0004 fills it once; run this when
  that copy was lost or rebuilt (a restored order database, a new order service):
  `python -m stock_service.catalogue_events`. Repeating it is harmless: the copy keeps the
  newest revision of each product.
"""

from __future__ import annotations

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.pool import NullPool

from shared.db import sqlalchemy_url
from stock_service.models import SCHEMA

# Products per transaction: a large catalogue never holds one long transaction.
CHUNK = 1000

_IDS_AFTER = text(
    f"SELECT id FROM {SCHEMA}.products WHERE id > CAST(:after AS uuid) ORDER BY id LIMIT :chunk"
)
_PUBLISH = text(f"SELECT {SCHEMA}.catalogue_events(CAST(:ids AS uuid[]), true, true)")


# The products whose first unannounced fall is older than the window, their stock rows
# locked so that no change is under way: a row being changed now is skipped (its own
# transaction is still to commit) and announced on the next turn. Locking the stock row
# before the pending one is the order the trigger takes them in, so the two never deadlock,
# and the revisions taken after the lock follow every committed change.
_DUE_FALLS = text(
    f"""
    WITH due AS (
        SELECT l.product_id FROM {SCHEMA}.pending_stock_falls f
        JOIN {SCHEMA}.stock_levels l USING (product_id)
        WHERE f.since <= clock_timestamp() - make_interval(secs => :window)
        ORDER BY l.product_id
        LIMIT :chunk
        FOR SHARE OF l SKIP LOCKED
    )
    DELETE FROM {SCHEMA}.pending_stock_falls f USING due
    WHERE f.product_id = due.product_id
    RETURNING f.product_id
    """
)
_ANNOUNCE = text(f"SELECT {SCHEMA}.catalogue_events(CAST(:ids AS uuid[]), false, true)")


def announce_stock_falls(connection: Connection, *, window: float, chunk: int = CHUNK) -> int:
    """Write a `stock.changed` for each product whose noted fall is `window` seconds old, in
    the caller's transaction; returns how many."""
    ids = [str(i) for i in connection.scalars(_DUE_FALLS, {"window": window, "chunk": chunk})]
    if ids:
        # A statement of its own: its snapshot sees the figures committed before the locks.
        connection.execute(_ANNOUNCE, {"ids": ids})
    return len(ids)


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
