"""Tables of schema "auth": users, refresh-token families and tokens, login attempts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auth_service.domain.users import UserRole
from shared.db import create_db

SCHEMA = "auth"

db = create_db(SCHEMA)

_ROLES_SQL = ", ".join(f"'{role.value}'" for role in UserRole)


class User(db.Model):  # type: ignore[name-defined]
    """A person who signs in: admin, staff, client or supplier."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLES_SQL})", name="role"),
        CheckConstraint("document ~ '^([0-9]{11}|[0-9]{14})$'", name="document_digits"),
        CheckConstraint("client_id IS NULL OR role = 'client'", name="client_binding"),
        CheckConstraint("supplier_id IS NULL OR role = 'supplier'", name="supplier_binding"),
        CheckConstraint("email = lower(btrim(email))", name="email_normalised"),
        Index("uq_users_email_lower", text("lower(email)"), unique=True),
        Index("uq_users_document", "document", unique=True),
        Index("ix_users_role", "role"),
        Index("ix_users_client_id", "client_id"),
        Index("ix_users_supplier_id", "supplier_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    document: Mapped[str | None] = mapped_column(String(14))
    phone: Mapped[str | None] = mapped_column(String(20))
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class RefreshTokenFamily(db.Model):  # type: ignore[name-defined]
    """One login session: the chain of refresh tokens that rotated out of one login."""

    __tablename__ = "refresh_token_families"
    __table_args__ = (Index("ix_refresh_token_families_user_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey(f"{SCHEMA}.users.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(32))


class RefreshToken(db.Model):  # type: ignore[name-defined]
    """One refresh token, stored only as the SHA-256 of what the client holds."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        Index("uq_refresh_tokens_token_hash", "token_hash", unique=True),
        Index("ix_refresh_tokens_family_id", "family_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    family_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey(f"{SCHEMA}.refresh_token_families.id", ondelete="CASCADE")
    )
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when the token was exchanged for its successor; presenting it again is reuse.
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    family: Mapped[RefreshTokenFamily] = relationship()


class LoginAttempt(db.Model):  # type: ignore[name-defined]
    """A login try, kept for the sliding-window rate limit (shared by every worker/replica)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_attempted_at", "email", "attempted_at"),
        Index("ix_login_attempts_address_attempted_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
