"""This service's own access token (OAuth2 client_credentials) for calls to other services."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests


class ServiceTokenClient:
    """Gets and caches this service's own access token (OAuth2 client_credentials)."""

    def __init__(self, *, token_url: str, client_id: str, client_secret: str, timeout: float = 3.0):
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self._http = requests.Session()

    def token(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() > self._expires_at - 60:
                response = self._http.post(
                    self.token_url,
                    json={
                        "grant_type": "client_credentials",
                        "client_id": self.client_id,
                        "client_secret": self.client_secret,
                    },
                    timeout=self.timeout,
                )
                response.raise_for_status()
                data = response.json()["data"]
                self._token = data["access_token"]
                self._expires_at = time.monotonic() + int(data["expires_in"])
            return self._token

    def authorization_header(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}


def service_token_client(settings: Any) -> ServiceTokenClient:
    """Client credentials of this service (client id = service name), in every environment.

    `make run` and the tests generate the secret (docs/security.md); there is no default one.
    """
    if not settings.service_client_secret:
        from shared.config import ConfigError

        raise ConfigError(
            f"SERVICE_CLIENT_SECRET é obrigatório: o segredo de {settings.service_name} "
            "registrado em SERVICE_CLIENTS do serviço de autenticação (make run o gera)."
        )
    return ServiceTokenClient(
        token_url=settings.auth_token_url,
        client_id=settings.service_name,
        client_secret=settings.service_client_secret,
        timeout=settings.http_timeout,
    )
