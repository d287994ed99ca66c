"""Every change to what an order captures of a product, or to its free stock, becomes an
event in the outbox: `product.changed` and `stock.changed` (shared/shared/events.py).

Written by statement triggers, so no code path can forget one (the ORM, the set-based
reservation batch, a migration, psql). Each event carries a revision from one sequence,
taken after the change locked its row: per product, revisions follow commit order, and the
order service keeps the newest. `stock.catalogue_events(ids)` is also what
`python -m stock_service.catalogue_events` calls to republish the whole catalogue (a fresh
or rebuilt read model); this migration does it once for the products that already exist.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "stock"

# The event envelope (shared.events.Event) built in SQL: same keys, same timestamp format.
_ENVELOPE = """
    jsonb_build_object(
        'id', e.id, 'type', e.kind, 'source', 'stock_service', 'version', 1,
        'occurred_at', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                               'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'correlation_id', NULL, 'data', e.data)
"""

UPGRADE = [
    f"CREATE SEQUENCE {SCHEMA}.catalogue_revisions AS bigint",
    f"""
    CREATE FUNCTION {SCHEMA}.catalogue_events(
        product_ids uuid[], products_too boolean, stock_too boolean)
    RETURNS void LANGUAGE sql AS $$
        INSERT INTO {SCHEMA}.outbox (id, event_type, routing_key, payload, created_at)
        SELECT e.id, e.kind, e.kind, {_ENVELOPE}, clock_timestamp()
        FROM (
            SELECT gen_random_uuid() AS id, 'product.changed' AS kind, jsonb_build_object(
                'product_id', p.id, 'revision', nextval('{SCHEMA}.catalogue_revisions'),
                'name', p.name, 'unit', p.unit, 'price', p.price::text,
                'section', p.section, 'category', p.category,
                'supplier_id', p.supplier_id, 'supplier_name', s.name,
                'active', p.active, 'deleted', p.deleted_at IS NOT NULL) AS data, p.id AS pid, 1 AS n
            FROM {SCHEMA}.products p LEFT JOIN {SCHEMA}.suppliers s ON s.id = p.supplier_id
            WHERE products_too AND p.id = ANY(product_ids)
            UNION ALL
            SELECT gen_random_uuid(), 'stock.changed', jsonb_build_object(
                'product_id', l.product_id, 'revision', nextval('{SCHEMA}.catalogue_revisions'),
                'available', l.on_hand - l.reserved), l.product_id, 2
            FROM {SCHEMA}.stock_levels l
            WHERE stock_too AND l.product_id = ANY(product_ids)
            ORDER BY pid, n
        ) AS e
    $$
    """,
    f"""
    CREATE FUNCTION {SCHEMA}.products_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM {SCHEMA}.catalogue_events(ARRAY(SELECT id FROM new_rows), true, false);
        ELSE
            -- Only what an order captures: a new description or photo is not an event.
            PERFORM {SCHEMA}.catalogue_events(ARRAY(
                SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE (n.name, n.unit, n.price, n.section, n.category, n.supplier_id, n.active,
                       n.deleted_at IS NULL)
                      IS DISTINCT FROM
                      (o.name, o.unit, o.price, o.section, o.category, o.supplier_id, o.active,
                       o.deleted_at IS NULL)), true, false);
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION {SCHEMA}.suppliers_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM {SCHEMA}.catalogue_events(ARRAY(
            SELECT p.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            JOIN {SCHEMA}.products p ON p.supplier_id = n.id
            WHERE n.name IS DISTINCT FROM o.name AND p.deleted_at IS NULL), true, false);
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION {SCHEMA}.stock_levels_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM {SCHEMA}.catalogue_events(ARRAY(SELECT product_id FROM new_rows), false, true);
        ELSE
            -- Only a change of the free stock (a receipt that is also a reservation is not).
            PERFORM {SCHEMA}.catalogue_events(ARRAY(
                SELECT n.product_id FROM new_rows n JOIN old_rows o USING (product_id)
                WHERE o.on_hand - o.reserved <> n.on_hand - n.reserved), false, true);
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER products_inserted AFTER INSERT ON {SCHEMA}.products
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.products_changed()
    """,
    f"""
    CREATE TRIGGER products_updated AFTER UPDATE ON {SCHEMA}.products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.products_changed()
    """,
    f"""
    CREATE TRIGGER suppliers_updated AFTER UPDATE ON {SCHEMA}.suppliers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.suppliers_renamed()
    """,
    f"""
    CREATE TRIGGER stock_levels_inserted AFTER INSERT ON {SCHEMA}.stock_levels
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.stock_levels_changed()
    """,
    f"""
    CREATE TRIGGER stock_levels_updated AFTER UPDATE ON {SCHEMA}.stock_levels
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.stock_levels_changed()
    """,
    # The products that exist already: the order service's copy starts complete.
    f"SELECT {SCHEMA}.catalogue_events(ARRAY(SELECT id FROM {SCHEMA}.products), true, true)",
]

DOWNGRADE = [
    f"DROP TRIGGER IF EXISTS stock_levels_updated ON {SCHEMA}.stock_levels",
    f"DROP TRIGGER IF EXISTS stock_levels_inserted ON {SCHEMA}.stock_levels",
    f"DROP TRIGGER IF EXISTS suppliers_updated ON {SCHEMA}.suppliers",
    f"DROP TRIGGER IF EXISTS products_updated ON {SCHEMA}.products",
    f"DROP TRIGGER IF EXISTS products_inserted ON {SCHEMA}.products",
    f"DROP FUNCTION IF EXISTS {SCHEMA}.stock_levels_changed()",
    f"DROP FUNCTION IF EXISTS {SCHEMA}.suppliers_renamed()",
    f"DROP FUNCTION IF EXISTS {SCHEMA}.products_changed()",
    f"DROP FUNCTION IF EXISTS {SCHEMA}.catalogue_events(uuid[], boolean, boolean)",
    f"DROP SEQUENCE IF EXISTS {SCHEMA}.catalogue_revisions",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
