"""Suppliers, products and their images, stock levels, the append-only ledger, reservations.

Indexes serve the list filters of GET /products and GET /stock (see docs/stock.md for the
EXPLAIN output). The name search uses a trigram index when pg_trgm is installed (created by
shared.bootstrap with the admin connection: the service role cannot CREATE EXTENSION);
without it, the search still works with a sequential scan.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "stock"
UNITS = ("un", "kg", "g", "l", "ml", "cx", "pct")
LIVE = sa.text("deleted_at IS NULL")


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def _trigram_schema() -> str | None:
    """The schema pg_trgm is installed in, or None when it is not installed."""
    row = op.get_bind().execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    ).first()
    return row[0] if row else None


def upgrade() -> None:
    op.create_table(
        "suppliers",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("cnpj", sa.String(14), nullable=False),
        sa.Column("email", sa.String(254)),
        sa.Column("whatsapp", sa.String(13)),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        *_timestamps(),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("cnpj ~ '^[0-9]{14}$'", name="ck_suppliers_cnpj_digits"),
        sa.CheckConstraint("whatsapp ~ '^[0-9]{10,13}$'", name="ck_suppliers_whatsapp_digits"),
        sa.CheckConstraint("btrim(name) <> ''", name="ck_suppliers_name_not_blank"),
        sa.PrimaryKeyConstraint("id", name="pk_suppliers"),
        schema=SCHEMA,
    )
    # A deleted supplier's CNPJ may be registered again.
    op.create_index("uq_suppliers_cnpj_live", "suppliers", ["cnpj"], unique=True, schema=SCHEMA, postgresql_where=LIVE)
    op.create_index("ix_suppliers_name_lower", "suppliers", [sa.text("lower(name)"), "id"], schema=SCHEMA, postgresql_where=LIVE)

    op.create_table(
        "products",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("price", sa.Numeric(12, 2), nullable=False),
        sa.Column("barcode", sa.String(14)),
        sa.Column("section", sa.String(100), nullable=False),
        sa.Column("category", sa.String(100)),
        sa.Column("unit", sa.String(3), nullable=False),
        sa.Column("seasonality", sa.String(100)),
        sa.Column("expiry_date", sa.Date()),
        sa.Column("supplier_id", postgresql.UUID(as_uuid=True)),
        sa.Column("ideal_quantity", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        *_timestamps(),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("price > 0", name="ck_products_price_positive"),
        sa.CheckConstraint(
            "unit IN (" + ", ".join(f"'{u}'" for u in UNITS) + ")", name="ck_products_unit_known"
        ),
        sa.CheckConstraint("ideal_quantity >= 0", name="ck_products_ideal_quantity_not_negative"),
        sa.CheckConstraint("barcode ~ '^([0-9]{8}|[0-9]{12,14})$'", name="ck_products_barcode_gtin"),
        sa.CheckConstraint("btrim(name) <> ''", name="ck_products_name_not_blank"),
        sa.CheckConstraint("btrim(section) <> ''", name="ck_products_section_not_blank"),
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.ForeignKeyConstraint(
            ["supplier_id"], [f"{SCHEMA}.suppliers.id"], name="fk_products_supplier_id_suppliers", ondelete="RESTRICT"
        ),
        schema=SCHEMA,
    )
    # GTIN-12/13/14 of one item differ only by leading zeros: unique on the 14-digit form.
    op.create_index(
        "uq_products_gtin_live",
        "products",
        [sa.text("lpad(barcode, 14, '0')")],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("deleted_at IS NULL AND barcode IS NOT NULL"),
    )
    # q=<digits>: barcode prefix search (LIKE '789%') needs the pattern operator class.
    op.create_index(
        "ix_products_barcode_prefix",
        "products",
        [sa.text("barcode varchar_pattern_ops")],
        schema=SCHEMA,
        postgresql_where=sa.text("deleted_at IS NULL AND barcode IS NOT NULL"),
    )
    op.create_index(
        "ix_products_section_category",
        "products",
        [sa.text("lower(section)"), sa.text("lower(category)")],
        schema=SCHEMA,
        postgresql_where=LIVE,
    )
    op.create_index("ix_products_category", "products", [sa.text("lower(category)")], schema=SCHEMA, postgresql_where=LIVE)
    op.create_index("ix_products_price", "products", ["price", "id"], schema=SCHEMA, postgresql_where=LIVE)
    op.create_index("ix_products_supplier_id", "products", ["supplier_id"], schema=SCHEMA, postgresql_where=LIVE)
    op.create_index("ix_products_name_lower", "products", [sa.text("lower(name)"), "id"], schema=SCHEMA, postgresql_where=LIVE)
    op.create_index("ix_products_created_at", "products", ["created_at", "id"], schema=SCHEMA, postgresql_where=LIVE)
    trgm = _trigram_schema()
    if trgm is not None:
        op.execute(
            f"CREATE INDEX ix_products_name_trgm ON {SCHEMA}.products"
            f" USING gin (name {trgm}.gin_trgm_ops) WHERE deleted_at IS NULL"
        )

    op.create_table(
        "product_images",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("product_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("content_type", sa.String(20), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint(
            "content_type IN ('image/jpeg', 'image/png', 'image/webp')",
            name="ck_product_images_content_type_image",
        ),
        sa.CheckConstraint("size_bytes > 0", name="ck_product_images_size_positive"),
        sa.PrimaryKeyConstraint("id", name="pk_product_images"),
        sa.UniqueConstraint("file_name", name="uq_product_images_file_name"),
        sa.ForeignKeyConstraint(
            ["product_id"], [f"{SCHEMA}.products.id"], name="fk_product_images_product_id_products", ondelete="CASCADE"
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_product_images_product_id", "product_images", ["product_id"], schema=SCHEMA)

    op.create_table(
        "stock_levels",
        sa.Column("product_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("reserved", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("available", sa.Integer(), sa.Computed("on_hand - reserved", persisted=True)),
        sa.Column("low_stock", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        # Together these make available = on_hand - reserved never negative, whatever the code does.
        sa.CheckConstraint("on_hand >= 0", name="ck_stock_levels_on_hand_not_negative"),
        sa.CheckConstraint("reserved >= 0", name="ck_stock_levels_reserved_not_negative"),
        sa.CheckConstraint("reserved <= on_hand", name="ck_stock_levels_reserved_within_on_hand"),
        sa.PrimaryKeyConstraint("product_id", name="pk_stock_levels"),
        sa.ForeignKeyConstraint(
            ["product_id"], [f"{SCHEMA}.products.id"], name="fk_stock_levels_product_id_products", ondelete="RESTRICT"
        ),
        schema=SCHEMA,
    )
    # available=false (out of stock) is the rare, interesting case.
    op.create_index(
        "ix_stock_levels_out_of_stock",
        "stock_levels",
        ["product_id"],
        schema=SCHEMA,
        postgresql_where=sa.text("available <= 0"),
    )

    op.create_table(
        "stock_ledger",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("product_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("delta_on_hand", sa.Integer(), nullable=False),
        sa.Column("delta_reserved", sa.Integer(), nullable=False),
        sa.Column("on_hand_after", sa.Integer(), nullable=False),
        sa.Column("reserved_after", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(30), nullable=False),
        sa.Column("order_id", postgresql.UUID(as_uuid=True)),
        sa.Column("event_id", postgresql.UUID(as_uuid=True)),
        sa.Column("note", sa.String(500)),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("on_hand_after >= 0", name="ck_stock_ledger_on_hand_after_not_negative"),
        sa.CheckConstraint("reserved_after >= 0", name="ck_stock_ledger_reserved_after_not_negative"),
        sa.CheckConstraint("reserved_after <= on_hand_after", name="ck_stock_ledger_reserved_after_within_on_hand"),
        sa.CheckConstraint(
            "cause IN ('initial', 'receipt', 'loss', 'count', 'return', 'order_reserved',"
            " 'order_released', 'order_shipped', 'order_returned', 'replenishment_received')",
            name="ck_stock_ledger_cause_known",
        ),
        sa.CheckConstraint(
            "cause = 'initial' OR delta_on_hand <> 0 OR delta_reserved <> 0",
            name="ck_stock_ledger_moves_stock",
        ),
        sa.CheckConstraint(
            "cause NOT IN ('order_reserved', 'order_released', 'order_shipped', 'order_returned',"
            " 'replenishment_received') OR order_id IS NOT NULL",
            name="ck_stock_ledger_order_causes_name_the_order",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_stock_ledger"),
        sa.ForeignKeyConstraint(
            ["product_id"], [f"{SCHEMA}.products.id"], name="fk_stock_ledger_product_id_products", ondelete="RESTRICT"
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_stock_ledger_product_newest",
        "stock_ledger",
        ["product_id", sa.text("created_at DESC"), sa.text("id DESC")],
        schema=SCHEMA,
    )
    op.create_index(
        "ix_stock_ledger_order_id", "stock_ledger", ["order_id"], schema=SCHEMA, postgresql_where=sa.text("order_id IS NOT NULL")
    )
    # The ledger is the audit trail: history is added to, never rewritten.
    op.execute(
        f"""
        CREATE FUNCTION {SCHEMA}.stock_ledger_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'stock_ledger is append-only: % is not allowed', TG_OP
                USING ERRCODE = 'restrict_violation';
        END $$;
        """
    )
    op.execute(
        f"CREATE TRIGGER stock_ledger_append_only BEFORE UPDATE OR DELETE ON {SCHEMA}.stock_ledger"
        f" FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.stock_ledger_append_only()"
    )
    op.execute(
        f"CREATE TRIGGER stock_ledger_no_truncate BEFORE TRUNCATE ON {SCHEMA}.stock_ledger"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.stock_ledger_append_only()"
    )

    op.create_table(
        "reservations",
        sa.Column("order_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("order_type", sa.String(20), nullable=False),
        sa.Column("order_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("last_event_id", postgresql.UUID(as_uuid=True)),
        *_timestamps(),
        sa.CheckConstraint("order_type IN ('sale', 'replenishment')", name="ck_reservations_order_type_known"),
        sa.CheckConstraint(
            "status IN ('reserved', 'rejected', 'released', 'shipped', 'returned', 'received')",
            name="ck_reservations_status_known",
        ),
        sa.CheckConstraint("order_version >= 0", name="ck_reservations_order_version_not_negative"),
        sa.PrimaryKeyConstraint("order_id", name="pk_reservations"),
        schema=SCHEMA,
    )
    op.create_table(
        "reservation_lines",
        sa.Column("order_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("product_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="ck_reservation_lines_quantity_positive"),
        sa.PrimaryKeyConstraint("order_id", "product_id", name="pk_reservation_lines"),
        sa.ForeignKeyConstraint(
            ["order_id"], [f"{SCHEMA}.reservations.order_id"], name="fk_reservation_lines_order_id_reservations", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], [f"{SCHEMA}.products.id"], name="fk_reservation_lines_product_id_products", ondelete="RESTRICT"
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_reservation_lines_product_id", "reservation_lines", ["product_id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("reservation_lines", schema=SCHEMA)
    op.drop_table("reservations", schema=SCHEMA)
    op.drop_table("stock_ledger", schema=SCHEMA)
    op.execute(f"DROP FUNCTION IF EXISTS {SCHEMA}.stock_ledger_append_only()")
    op.drop_table("stock_levels", schema=SCHEMA)
    op.drop_table("product_images", schema=SCHEMA)
    op.drop_table("products", schema=SCHEMA)
    op.drop_table("suppliers", schema=SCHEMA)
