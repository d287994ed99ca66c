"""Tables of the sales rollups (migration 0009): what the reports read instead of order lines.

Each rollup row sums the live sales whose orders were created in one span of the business
calendar: a day (grain `D`) or a half-month (grain `F`, the 1st–15th and the 16th to the
month's end). `counted` says whether the row's orders are sales volume (neither cancelled
nor returned, docs/reports.md). Only the fold (reports/rollup.py) writes them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Identity,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import UUID

from order_service.models import db

DAY = "D"
HALF_MONTH = "F"


def _span(table: str) -> list:
    return [
        Column("grain", String(1), nullable=False),
        Column("starts", Date, nullable=False),
        CheckConstraint("grain IN ('D', 'F')", name=f"ck_{table}_grain"),
        CheckConstraint(
            "grain = 'D' OR extract(day FROM starts) IN (1, 16)", name=f"ck_{table}_half_month"
        ),
    ]


def _sums(table: str, *names: str) -> list:
    columns: list = []
    for name in names:
        kind = Numeric(16, 2) if name == "value" else BigInteger
        columns.append(Column(name, kind, nullable=False))
        columns.append(CheckConstraint(f"{name} >= 0", name=f"ck_{table}_{name}_not_negative"))
    return columns


# Instants (to the minute) of sales whose lines or order changed; the fold redoes their days.
report_changes = Table(
    "report_changes",
    db.metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Half-months whose days changed since their rows were last folded: read as days meanwhile.
report_stale_half_months = Table(
    "report_stale_half_months",
    db.metadata,
    Column("starts", Date, primary_key=True),
)

# The business time zone the rollups were folded in (one row); another zone rebuilds them.
report_rollup_state = Table(
    "report_rollup_state",
    db.metadata,
    Column("id", SmallInteger, primary_key=True),
    Column("timezone", String(64), nullable=False),
    Column("folded_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("id = 1", name="ck_report_rollup_state_single_row"),
)

# Every live sale of the span per status (cancelled and returned included).
sales_rollup_status = Table(
    "sales_rollup_status",
    db.metadata,
    *_span("sales_rollup_status"),
    Column("status", String(20), nullable=False),
    *_sums("sales_rollup_status", "orders", "value", "quantity", "approved"),
    # Σ (approved_at − created_at) in seconds over the `approved` orders.
    Column("approval_seconds", Numeric, nullable=False),
    PrimaryKeyConstraint("grain", "starts", "status"),
)

sales_rollup_client = Table(
    "sales_rollup_client",
    db.metadata,
    *_span("sales_rollup_client"),
    Column("client_id", UUID(as_uuid=True), nullable=False),
    Column("counted", Boolean, nullable=False),
    *_sums("sales_rollup_client", "orders", "value", "quantity", "cancelled"),
    PrimaryKeyConstraint("grain", "starts", "client_id", "counted"),
)

# A product is on an order once: its lines are its orders.
sales_rollup_product = Table(
    "sales_rollup_product",
    db.metadata,
    *_span("sales_rollup_product"),
    Column("product_id", UUID(as_uuid=True), nullable=False),
    Column("unit_price", Numeric(12, 2), nullable=False),
    Column("counted", Boolean, nullable=False),
    *_sums("sales_rollup_product", "lines", "quantity", "value"),
    PrimaryKeyConstraint("grain", "starts", "product_id", "unit_price", "counted"),
)

# `orders` counts each order once per supplier (its first line of that supplier).
sales_rollup_supplier = Table(
    "sales_rollup_supplier",
    db.metadata,
    *_span("sales_rollup_supplier"),
    Column("supplier_id", UUID(as_uuid=True)),  # NULL: lines without a supplier
    Column("counted", Boolean, nullable=False),
    *_sums("sales_rollup_supplier", "orders", "quantity", "value"),
    UniqueConstraint(
        "grain",
        "starts",
        "supplier_id",
        "counted",
        name="uq_sales_rollup_supplier_span_supplier",
        postgresql_nulls_not_distinct=True,
    ),
)

ROLLUPS = (sales_rollup_status, sales_rollup_client, sales_rollup_product, sales_rollup_supplier)
