"""Users, refresh-token families and tokens, login attempts (schema auth).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "auth"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("document", sa.String(14), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("supplier_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.CheckConstraint("role IN ('admin', 'staff', 'client', 'supplier')", name="ck_users_role"),
        sa.CheckConstraint("document ~ '^([0-9]{11}|[0-9]{14})$'", name="ck_users_document_digits"),
        sa.CheckConstraint("client_id IS NULL OR role = 'client'", name="ck_users_client_binding"),
        sa.CheckConstraint("supplier_id IS NULL OR role = 'supplier'", name="ck_users_supplier_binding"),
        sa.CheckConstraint("email = lower(btrim(email))", name="ck_users_email_normalised"),
        schema=SCHEMA,
    )
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True, schema=SCHEMA)
    op.create_index("uq_users_document", "users", ["document"], unique=True, schema=SCHEMA)
    op.create_index("ix_users_role", "users", ["role"], schema=SCHEMA)
    op.create_index("ix_users_client_id", "users", ["client_id"], schema=SCHEMA)
    op.create_index("ix_users_supplier_id", "users", ["supplier_id"], schema=SCHEMA)

    op.create_table(
        "refresh_token_families",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_token_families"),
        sa.ForeignKeyConstraint(
            ["user_id"], [f"{SCHEMA}.users.id"],
            name="fk_refresh_token_families_user_id_users", ondelete="CASCADE",
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_refresh_token_families_user_id", "refresh_token_families", ["user_id"], schema=SCHEMA)

    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_tokens"),
        sa.ForeignKeyConstraint(
            ["family_id"], [f"{SCHEMA}.refresh_token_families.id"],
            name="fk_refresh_tokens_family_id_refresh_token_families", ondelete="CASCADE",
        ),
        schema=SCHEMA,
    )
    op.create_index("uq_refresh_tokens_token_hash", "refresh_tokens", ["token_hash"], unique=True, schema=SCHEMA)
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"], schema=SCHEMA)

    op.create_table(
        "login_attempts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_login_attempts_email_attempted_at", "login_attempts", ["email", "attempted_at"], schema=SCHEMA
    )
    op.create_index(
        "ix_login_attempts_address_attempted_at", "login_attempts", ["address", "attempted_at"], schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_table("login_attempts", schema=SCHEMA)
    op.drop_table("refresh_tokens", schema=SCHEMA)
    op.drop_table("refresh_token_families", schema=SCHEMA)
    op.drop_table("users", schema=SCHEMA)
