"""A fall of free stock is announced once per window, a rise at once.

Every reservation lowers the free stock of its products, and each fall was a `stock.changed`
event: at 100 orders a second over a catalogue of 200 products, three events an order that
the stock relay published and the order service's copy upserted — a fifth of the stock
consumer's rate went to them. The copy needs a fall only to turn orders away early; the
reservation refuses them anyway, so a fall may wait. A rise must not: until it arrives the
copy turns away orders that could be served.

So the trigger announces a rise at once and notes a fall in `pending_stock_falls` (one row
per product, the time of its first unannounced fall). The stock relay announces the noted
falls whose window has passed with the figure of that moment (stock_service/
catalogue_events.py `announce_stock_falls`, every STOCK_FALLS_WINDOW_SECONDS).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "stock"

_ON_INSERT = f"""
        IF TG_OP = 'INSERT' THEN
            PERFORM {SCHEMA}.catalogue_events(ARRAY(SELECT product_id FROM new_rows), false, true);
"""

UPGRADE = [
    f"""
    CREATE TABLE {SCHEMA}.pending_stock_falls (
        product_id uuid PRIMARY KEY,
        since timestamptz NOT NULL DEFAULT clock_timestamp()
    )
    """,
    f"""
    CREATE OR REPLACE FUNCTION {SCHEMA}.stock_levels_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {_ON_INSERT}
        ELSE
            -- A rise of the free stock is news at once (orders are being turned away on it).
            PERFORM {SCHEMA}.catalogue_events(ARRAY(
                SELECT n.product_id FROM new_rows n JOIN old_rows o USING (product_id)
                WHERE n.on_hand - n.reserved > o.on_hand - o.reserved), false, true);
            -- A fall waits for the relay: the first one starts the product's window.
            INSERT INTO {SCHEMA}.pending_stock_falls (product_id)
            SELECT n.product_id FROM new_rows n JOIN old_rows o USING (product_id)
            WHERE n.on_hand - n.reserved < o.on_hand - o.reserved
            ORDER BY n.product_id
            ON CONFLICT (product_id) DO NOTHING;
        END IF;
        RETURN NULL;
    END $$
    """,
]

DOWNGRADE = [
    # Falls still pending are announced before the table goes: the copy must not keep them.
    f"""
    SELECT {SCHEMA}.catalogue_events(
        ARRAY(SELECT product_id FROM {SCHEMA}.pending_stock_falls), false, true)
    """,
    f"""
    CREATE OR REPLACE FUNCTION {SCHEMA}.stock_levels_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {_ON_INSERT}
        ELSE
            PERFORM {SCHEMA}.catalogue_events(ARRAY(
                SELECT n.product_id FROM new_rows n JOIN old_rows o USING (product_id)
                WHERE o.on_hand - o.reserved <> n.on_hand - n.reserved), false, true);
        END IF;
        RETURN NULL;
    END $$
    """,
    f"DROP TABLE IF EXISTS {SCHEMA}.pending_stock_falls",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
