"""Refresh tokens: opaque, stored as hashes, rotated on every use, grouped in families.

A family is one login session. Each refresh spends the presented token and issues its
successor in the same family. A spent token presented again means two parties hold the
family (the token was stolen, or the client replayed it), so the whole family is revoked:
the thief and the victim are both logged out, and the victim logs in again.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# 32 random bytes: 256 bits, beyond guessing; token_urlsafe makes it 43 characters.
TOKEN_BYTES = 32


class RefreshVerdict(StrEnum):
    VALID = "valid"
    REUSED = "reused"
    EXPIRED = "expired"
    REVOKED = "revoked"


class RevocationReason(StrEnum):
    LOGOUT = "logout"
    REUSE_DETECTED = "reuse_detected"
    USER_DEACTIVATED = "user_deactivated"
    PASSWORD_CHANGED = "password_changed"


@dataclass(frozen=True)
class RefreshTokenState:
    """What the rotation rule needs to know about a presented token and its family."""

    expires_at: datetime
    rotated_at: datetime | None
    family_expires_at: datetime
    family_revoked_at: datetime | None


def new_refresh_token() -> str:
    """A fresh opaque refresh token, as handed to the client (never stored)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def fingerprint(token: str) -> str:
    """The SHA-256 (hex) under which a refresh token is stored and looked up."""
    # A plain hash suffices: the token is 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def judge(state: RefreshTokenState, *, now: datetime) -> RefreshVerdict:
    """May this token be exchanged for a new pair, and if not, why."""
    if state.family_revoked_at is not None:
        return RefreshVerdict.REVOKED
    # Reuse is checked before expiry: a replayed old token is a theft signal even when stale.
    if state.rotated_at is not None:
        return RefreshVerdict.REUSED
    if now >= state.expires_at or now >= state.family_expires_at:
        return RefreshVerdict.EXPIRED
    return RefreshVerdict.VALID


def next_expiry(*, now: datetime, ttl: timedelta, family_expires_at: datetime) -> datetime:
    """When a newly issued token of the family expires: ttl from now, never past the family."""
    return min(now + ttl, family_expires_at)
