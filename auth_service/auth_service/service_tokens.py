"""Service-to-service access tokens (OAuth2 client_credentials)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auth_service.sessions import TOKEN_TYPE
from auth_service.tokens import ServiceClients, TokenIssuer
from shared import clock
from shared.errors import Unauthorized
from shared.i18n import Text


@dataclass(frozen=True)
class ServiceToken:
    access_token: str
    expires_in: int
    token_type: str = TOKEN_TYPE


def issue_service_token(
    *,
    client_id: str,
    client_secret: str,
    clients: ServiceClients,
    issuer: TokenIssuer,
    now: datetime | None = None,
) -> ServiceToken:
    """OAuth2 client_credentials: a service-to-service access token for a known client."""
    if not clients.authenticate(client_id, client_secret):
        raise Unauthorized(
            Text("Credenciais do cliente inválidas.", "Invalid client credentials."),
            code="invalid_client",
        )
    token = issuer.service_token(client_id=client_id, now=now or clock.now())
    return ServiceToken(access_token=token, expires_in=issuer.expires_in)
