"""product.changed and stock.changed into the catalogue copy: a delivered batch is one upsert
per kind, and a row only takes a revision newer than the one it has (a redelivered, late or
duplicated event changes nothing)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from order_service.catalogue.tables import CatalogueProduct
from shared import clock
from shared.events import Event, InvalidEvent, ProductChanged, StockChanged, data_of

_table = CatalogueProduct.__table__.fullname

_UPSERT_PRODUCTS = text(
    f"INSERT INTO {_table} AS c (product_id, name, unit, price, section, category, supplier_id,"
    " supplier_name, active, deleted, product_revision, updated_at)"
    " SELECT * , CAST(:at AS timestamptz) FROM unnest(CAST(:ids AS uuid[]),"
    " CAST(:names AS text[]), CAST(:units AS text[]), CAST(:prices AS numeric[]),"
    " CAST(:sections AS text[]), CAST(:categories AS text[]), CAST(:supplier_ids AS uuid[]),"
    " CAST(:supplier_names AS text[]), CAST(:actives AS boolean[]), CAST(:deleteds AS boolean[]),"
    " CAST(:revisions AS bigint[]))"
    " ON CONFLICT (product_id) DO UPDATE SET name = excluded.name, unit = excluded.unit,"
    " price = excluded.price, section = excluded.section, category = excluded.category,"
    " supplier_id = excluded.supplier_id, supplier_name = excluded.supplier_name,"
    " active = excluded.active, deleted = excluded.deleted,"
    " product_revision = excluded.product_revision, updated_at = excluded.updated_at"
    " WHERE c.product_revision IS NULL OR c.product_revision < excluded.product_revision"
)

_UPSERT_STOCK = text(
    f"INSERT INTO {_table} AS c (product_id, available, stock_revision, updated_at)"
    " SELECT *, CAST(:at AS timestamptz) FROM unnest(CAST(:ids AS uuid[]),"
    " CAST(:availables AS int[]), CAST(:revisions AS bigint[]))"
    " ON CONFLICT (product_id) DO UPDATE SET available = excluded.available,"
    " stock_revision = excluded.stock_revision, updated_at = excluded.updated_at"
    " WHERE c.stock_revision IS NULL OR c.stock_revision < excluded.stock_revision"
)


def apply_catalogue_changes(session: Session, events: Sequence[Event]) -> None:
    """Keep the newest revision per product and kind of each batch, then one upsert each."""
    products: dict[object, ProductChanged] = {}
    stock: dict[object, StockChanged] = {}
    for event in events:
        change = data_of(event)
        if isinstance(change, ProductChanged):
            known = products.get(change.product_id)
            if known is None or known.revision < change.revision:
                products[change.product_id] = change
        elif isinstance(change, StockChanged):
            seen = stock.get(change.product_id)
            if seen is None or seen.revision < change.revision:
                stock[change.product_id] = change
        else:
            raise InvalidEvent(f"{event.type} is not a catalogue change")
    at = clock.now()
    if products:
        rows = list(products.values())
        session.execute(
            _UPSERT_PRODUCTS,
            {
                "ids": [str(p.product_id) for p in rows],
                "names": [p.name for p in rows],
                "units": [p.unit for p in rows],
                "prices": [p.price for p in rows],
                "sections": [p.section for p in rows],
                "categories": [p.category for p in rows],
                "supplier_ids": [str(p.supplier_id) if p.supplier_id else None for p in rows],
                "supplier_names": [p.supplier_name for p in rows],
                "actives": [p.active for p in rows],
                "deleteds": [p.deleted for p in rows],
                "revisions": [p.revision for p in rows],
                "at": at,
            },
        )
    if stock:
        levels = list(stock.values())
        session.execute(
            _UPSERT_STOCK,
            {
                "ids": [str(s.product_id) for s in levels],
                "availables": [s.available for s in levels],
                "revisions": [s.revision for s in levels],
                "at": at,
            },
        )
