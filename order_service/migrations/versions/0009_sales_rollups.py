"""Sales rollups: the reports' sums per business day and per half-month, kept by a fold.

At a million orders the period report aggregated 124k order lines per 30-day request and the
performance report 375k; a day of sales is ~1,000 rollup rows per product and a half-month
~2,000, so a report now reads tens of thousands of small rows at most (docs/reports.md).

Four rollups (status, client, product, supplier), each per span: a business day (grain
'D') or a half-month (grain 'F': the 1st–15th, the 16th–end). They are written only by the
fold (order_service/reports/rollup.py). What tells the fold which days to redo is
`report_changes`: statement triggers on `order_items` (every insert, update, delete) and on
`orders` (every update) append the instants, to the minute, of the sales they touched.
Append-only on purpose: a change committed while a fold runs stays in the log and is folded
next time, so none is lost and writers never wait for each other.

A report folds only days (its request should not wait for half-months); the half-months it
leaves behind are listed in `report_stale_half_months`, read as days until the order relay's
periodic fold redoes them. `report_rollup_state` remembers the business time zone the
rollups were folded in; a fold in another zone (or after this migration, with no row)
rebuilds them all.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SCHEMA = "orders"
ROLLUPS = (
    "sales_rollup_status",
    "sales_rollup_client",
    "sales_rollup_product",
    "sales_rollup_supplier",
)


def _span_columns(table: str) -> list:
    return [
        sa.Column("grain", sa.String(1), nullable=False),
        sa.Column("starts", sa.Date, nullable=False),
        sa.CheckConstraint("grain IN ('D', 'F')", name=f"ck_{table}_grain"),
        sa.CheckConstraint(
            "grain = 'D' OR extract(day FROM starts) IN (1, 16)", name=f"ck_{table}_half_month"
        ),
    ]


def _sums(table: str, *names: str) -> list:
    columns = []
    for name in names:
        kind = sa.Numeric(16, 2) if name == "value" else sa.BigInteger
        columns.append(sa.Column(name, kind, nullable=False))
        columns.append(sa.CheckConstraint(f"{name} >= 0", name=f"ck_{table}_{name}_not_negative"))
    return columns


def upgrade() -> None:
    op.create_table(
        "report_changes",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "report_stale_half_months",
        sa.Column("starts", sa.Date, primary_key=True),
        schema=SCHEMA,
    )
    op.create_table(
        "report_rollup_state",
        sa.Column("id", sa.SmallInteger, primary_key=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("folded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_report_rollup_state_single_row"),
        schema=SCHEMA,
    )
    table = "sales_rollup_status"
    op.create_table(
        table,
        *_span_columns(table),
        sa.Column("status", sa.String(20), nullable=False),
        *_sums(table, "orders", "value", "quantity", "approved"),
        sa.Column("approval_seconds", sa.Numeric, nullable=False),
        sa.PrimaryKeyConstraint("grain", "starts", "status", name=f"pk_{table}"),
        schema=SCHEMA,
    )
    table = "sales_rollup_client"
    op.create_table(
        table,
        *_span_columns(table),
        sa.Column("client_id", UUID(as_uuid=True), nullable=False),
        sa.Column("counted", sa.Boolean, nullable=False),
        *_sums(table, "orders", "value", "quantity", "cancelled"),
        sa.PrimaryKeyConstraint("grain", "starts", "client_id", "counted", name=f"pk_{table}"),
        schema=SCHEMA,
    )
    table = "sales_rollup_product"
    op.create_table(
        table,
        *_span_columns(table),
        sa.Column("product_id", UUID(as_uuid=True), nullable=False),
        sa.Column("unit_price", sa.Numeric(12, 2), nullable=False),
        sa.Column("counted", sa.Boolean, nullable=False),
        *_sums(table, "lines", "quantity", "value"),
        sa.PrimaryKeyConstraint(
            "grain", "starts", "product_id", "unit_price", "counted", name=f"pk_{table}"
        ),
        schema=SCHEMA,
    )
    table = "sales_rollup_supplier"
    op.create_table(
        table,
        *_span_columns(table),
        sa.Column("supplier_id", UUID(as_uuid=True)),  # NULL: lines without a supplier
        sa.Column("counted", sa.Boolean, nullable=False),
        *_sums(table, "orders", "quantity", "value"),
        sa.UniqueConstraint(
            "grain",
            "starts",
            "supplier_id",
            "counted",
            name=f"uq_{table}_span_supplier",
            postgresql_nulls_not_distinct=True,
        ),
        schema=SCHEMA,
    )
    op.execute(
        f"""
        CREATE FUNCTION {SCHEMA}.report_changes_from_lines() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO {SCHEMA}.report_changes (at)
                SELECT DISTINCT date_trunc('minute', order_created_at) FROM changed_new
                 WHERE client_id IS NOT NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO {SCHEMA}.report_changes (at)
                SELECT DISTINCT date_trunc('minute', order_created_at) FROM changed_old
                 WHERE client_id IS NOT NULL;
            END IF;
            RETURN NULL;
        END $$
        """
    )
    # Transition tables allow one event per trigger: three triggers, one function.
    for event, referencing in (
        ("INSERT", "NEW TABLE AS changed_new"),
        ("UPDATE", "OLD TABLE AS changed_old NEW TABLE AS changed_new"),
        ("DELETE", "OLD TABLE AS changed_old"),
    ):
        op.execute(
            f"CREATE TRIGGER report_changes_{event.lower()} AFTER {event}"
            f" ON {SCHEMA}.order_items REFERENCING {referencing}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.report_changes_from_lines()"
        )
    # Orders: their lines follow status and deletion, but an order-level change (approval
    # time, total) must never depend on that.
    op.execute(
        f"""
        CREATE FUNCTION {SCHEMA}.report_changes_from_orders() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {SCHEMA}.report_changes (at)
            SELECT date_trunc('minute', created_at) FROM changed_new WHERE type = 'sale'
             UNION
            SELECT date_trunc('minute', created_at) FROM changed_old WHERE type = 'sale';
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        f"CREATE TRIGGER report_changes_update AFTER UPDATE ON {SCHEMA}.orders"
        " REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.report_changes_from_orders()"
    )


def downgrade() -> None:
    op.execute(f"DROP TRIGGER report_changes_update ON {SCHEMA}.orders")
    op.execute(f"DROP FUNCTION {SCHEMA}.report_changes_from_orders()")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER report_changes_{event} ON {SCHEMA}.order_items")
    op.execute(f"DROP FUNCTION {SCHEMA}.report_changes_from_lines()")
    for table in (*ROLLUPS, "report_rollup_state", "report_stale_half_months", "report_changes"):
        op.drop_table(table, schema=SCHEMA)
