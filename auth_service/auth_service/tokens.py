"""Access tokens for people and services, and the service clients allowed to ask for them."""

from __future__ import annotations

import hmac
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from auth_service.config import AuthSettings
from auth_service.keys import KeyRing
from shared.auth import Role, Scope

log = logging.getLogger(__name__)

SERVICE_SUBJECT_PREFIX = "service:"
# What each Pedidos service may do with its token, and nothing more (docs/security.md). A
# client configured in SERVICE_CLIENTS but absent here gets a token that no route accepts.
SERVICE_CLIENT_SCOPES: dict[str, frozenset[Scope]] = {
    "order_service": frozenset(
        {Scope.STOCK_AVAILABILITY, Scope.STOCK_LEVELS, Scope.SUPPLIERS_READ, Scope.PRODUCTS_SEARCH}
    ),
    # The auth service signs its own token (no /token call) to create sign-up client records.
    "auth_service": frozenset({Scope.CLIENTS_REGISTER}),
}


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
        extra_claims: dict[str, object] | None = None,
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
        return self.keys.sign({**claims, **(extra_claims or {})})

    def service_token(self, *, client_id: str, now: datetime) -> str:
        """A token for a Pedidos service: role service, subject service:<client_id>, and the
        scopes that service needs (none for an unknown one)."""
        # No client_id claim: in our tokens that claim names a client record, not an OAuth client.
        scopes = sorted(SERVICE_CLIENT_SCOPES.get(client_id, frozenset()))
        return self.access_token(
            subject=f"{SERVICE_SUBJECT_PREFIX}{client_id}",
            role=Role.SERVICE,
            now=now,
            extra_claims={"scope": " ".join(scopes)},
        )


class ServiceClients:
    """The client_credentials clients: exactly those configured (SERVICE_CLIENTS), in every
    environment. There is no default secret and no "any id" fallback (issue 13)."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self._secrets = dict(secrets)

    def _secret_of(self, client_id: str) -> str | None:
        return self._secrets.get(client_id)

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
