"""Access tokens for people and services, and the service clients allowed to ask for them."""

from __future__ import annotations

import hmac
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from auth_service.config import CLIENT_ID_PATTERN, AuthSettings
from auth_service.keys import KeyRing
from shared.auth import Role

log = logging.getLogger(__name__)

SERVICE_SUBJECT_PREFIX = "service:"
# Outside development a shorter shared secret is accepted but reported: it is guessable.
MIN_SECRET_LENGTH = 16


@dataclass(frozen=True)
class TokenIssuer:
    """Signs access tokens with the key ring for our issuer and audience."""

    keys: KeyRing
    issuer: str
    audience: str
    access_ttl: timedelta

    @property
    def expires_in(self) -> int:
        return int(self.access_ttl.total_seconds())

    def access_token(
        self,
        *,
        subject: str,
        role: str,
        now: datetime,
        client_id: str | None = None,
        supplier_id: str | None = None,
    ) -> str:
        """A signed access token; client_id/supplier_id appear only when the user is bound."""
        issued_at = int(now.timestamp())
        claims: dict[str, object] = {
            "sub": subject,
            "role": role,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued_at,
            "exp": issued_at + self.expires_in,
            "jti": uuid.uuid4().hex,
        }
        if client_id:
            claims["client_id"] = client_id
        if supplier_id:
            claims["supplier_id"] = supplier_id
        return self.keys.sign(claims)

    def service_token(self, *, client_id: str, now: datetime) -> str:
        """A token for another Pedidos service: role service, subject service:<client_id>."""
        # No client_id claim: in our tokens that claim names a client record, not an OAuth client.
        return self.access_token(
            subject=f"{SERVICE_SUBJECT_PREFIX}{client_id}", role=Role.SERVICE, now=now
        )


class ServiceClients:
    """The client_credentials clients: configured secrets, plus dev-secret-<id> in development."""

    def __init__(self, secrets: dict[str, str], *, development: bool) -> None:
        self._secrets = dict(secrets)
        self._development = development
        if not development:
            for client_id, secret in self._secrets.items():
                if len(secret) < MIN_SECRET_LENGTH:
                    log.warning(
                        "service client %s has a secret shorter than %d characters",
                        client_id,
                        MIN_SECRET_LENGTH,
                    )

    def _secret_of(self, client_id: str) -> str | None:
        if client_id in self._secrets:
            return self._secrets[client_id]
        if self._development and CLIENT_ID_PATTERN.match(client_id):
            return f"dev-secret-{client_id}"
        return None

    def authenticate(self, client_id: str, client_secret: str) -> bool:
        """True when the secret is right; compared in constant time, even for unknown ids."""
        expected = self._secret_of(client_id)
        # Compare against something even for unknown ids, so timing does not tell them apart.
        matches = hmac.compare_digest(
            (expected or "\x00unknown client").encode("utf-8"), client_secret.encode("utf-8")
        )
        return matches and expected is not None


def issuer_from_settings(settings: AuthSettings, keys: KeyRing) -> TokenIssuer:
    """The TokenIssuer for these settings."""
    return TokenIssuer(
        keys=keys,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
    )
