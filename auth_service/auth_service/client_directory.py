"""Where self-registered users get their client record: the seam towards order_service.

Registration calls `ClientDirectory.register_client` inside its transaction and stores the
returned id as the user's client_id. `OrderServiceClientDirectory` creates the record in
order_service (POST /api/v1/clients); create_app uses it when ORDER_SERVICE_URL is set.
`NoClientDirectory` (no record, client_id null) serves auth_service's own tests.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from flask import g, has_request_context, request

from shared.errors import Conflict, ServiceUnavailable, ValidationError
from shared.i18n import Text

log = logging.getLogger("pedidos.auth.client_directory")


@dataclass(frozen=True)
class NewClient:
    """What a self-registered user told us about the client they are."""

    user_id: uuid.UUID
    name: str
    email: str
    document: str
    phone: str


class ClientDirectory(Protocol):
    def register_client(self, client: NewClient) -> uuid.UUID | None:
        """Create (or find) the client record for a new user; its id, or None for none yet."""
        ...


class NoClientDirectory:
    """No client records yet: registered users stay unbound (client_id null)."""

    def register_client(self, client: NewClient) -> uuid.UUID | None:
        """Bind nothing."""
        return None


class OrderServiceClientDirectory:
    """Client records kept by order_service: `POST /api/v1/clients` with a service token.

    Called by `register` after the new user row is flushed (the unique indexes on email and
    document already hold a concurrent twin back) and before the commit. Order of operations:
    local checks → user row → client record here → commit. A 409 or 400 from the order service,
    or its absence (503), raises, so the user row is rolled back: no user without a client.
    If the commit then fails, the client record stays with a user id that never existed; the
    order service gives that record back to the next sign-up with the same email and document
    (it is idempotent by user id, and by email + document for records with no orders).
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: Callable[[], str],
        connect_timeout: float = 2.0,
        read_timeout: float = 5.0,
        session: requests.Session | None = None,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}{CLIENTS_PATH}"
        self._token = token
        self._timeout = (connect_timeout, read_timeout)
        self._http = session or requests.Session()

    def register_client(self, client: NewClient) -> uuid.UUID | None:
        """Create (or get back) the client record of a new user; 409/400/503 raise."""
        try:
            response = self._http.post(
                self.url,
                json={
                    "name": client.name,
                    "email": client.email,
                    "document": client.document,
                    "phone": client.phone,
                    "user_id": str(client.user_id),
                },
                headers={"Authorization": f"Bearer {self._token()}", **_forwarded_headers()},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            log.warning("order service unreachable at sign-up", extra={"error": repr(exc)})
            raise ServiceUnavailable(ORDERS_DOWN) from exc
        body = _json_or_empty(response)
        if response.status_code in (200, 201):
            return uuid.UUID(body["data"]["id"])
        if response.status_code == 409:
            raise Conflict(
                body.get("message") or DUPLICATE,
                code="duplicate",
                errors=body.get("errors") or [],
            )
        if response.status_code == 400:
            raise ValidationError(body.get("message"), errors=body.get("errors") or [])
        log.error(
            "order service refused to create the client record",
            extra={"status": response.status_code, "body": response.text[:500]},
        )
        raise ServiceUnavailable(ORDERS_DOWN)


CLIENTS_PATH = "/api/v1/clients"
ORDERS_DOWN = Text(
    "Não foi possível concluir o cadastro agora: o serviço de pedidos não respondeu. "
    "Nada foi gravado; tente novamente em instantes.",
    "Sign-up could not be completed now: the order service did not answer. "
    "Nothing was saved; try again shortly.",
)
DUPLICATE = Text(
    "Já existe um cliente com este e-mail ou CPF/CNPJ.",
    "A client with this email or CPF/CNPJ exists.",
)


def _forwarded_headers() -> dict[str, str]:
    """The caller's language and request id, so messages and logs line up across services."""
    if not has_request_context():
        return {}
    headers = {}
    if request.headers.get("Accept-Language"):
        headers["Accept-Language"] = request.headers["Accept-Language"]
    if g.get("request_id"):
        headers["X-Request-ID"] = g.request_id
    return headers


def _json_or_empty(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
