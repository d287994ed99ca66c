"""Sending a template message through the WhatsApp Business Cloud API, with pywa.

pywa (typed, maintained, the Cloud API's error codes as exceptions with `is_transient` and the
HTTP status) is used for the request and its errors; we give it our own httpx client, with
timeouts and — when WHATSAPP_API_URL is set (tests, a sandbox) — a transport that sends
Graph API requests to that origin instead of Meta's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx
from pywa import WhatsApp
from pywa.errors import WhatsAppError
from pywa.types.templates import TemplateLanguage

from order_service.config import OrderSettings
from order_service.notifications.who import NO_ANSWER, ODD_ANSWER, TEXTS, Template

API_VERSION = 21.0
GRAPH_ORIGIN = "https://graph.facebook.com"


class TransientFailure(Exception):
    """Try again later: 429, a 5xx, a timeout, a connection refused."""


class PermanentFailure(Exception):
    """Never going to work as is (invalid number, template rejected), or an answer that is
    not the Cloud API's (sent or not, unknown): the row fails."""


@dataclass(frozen=True)
class Sent:
    message_id: str


class TemplateSender(Protocol):
    def send(self, to: str, template: Template, parameters: Mapping[str, str]) -> Sent: ...


class _ToOrigin(httpx.BaseTransport):
    """Sends the Graph API's requests to another origin (same path and query)."""

    def __init__(self, origin: str) -> None:
        self._origin = httpx.URL(origin)
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._origin.scheme, host=self._origin.host, port=self._origin.port
        )
        request.headers["Host"] = self._origin.netloc.decode()
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class CloudApiSender:
    """The Cloud API, as the sender uses it: one template message, or a typed failure."""

    def __init__(self, settings: OrderSettings) -> None:
        timeout = httpx.Timeout(settings.http_timeout, connect=2.0)
        session = (
            httpx.Client(
                timeout=timeout,
                mounts={GRAPH_ORIGIN: _ToOrigin(settings.whatsapp_api_url)},
            )
            if settings.whatsapp_api_url
            else httpx.Client(timeout=timeout)
        )
        self._client = WhatsApp(
            phone_id=settings.whatsapp_phone_number_id,
            token=settings.whatsapp_access_token,
            session=session,
            api_version=API_VERSION,
        )

    def send(self, to: str, template: Template, parameters: Mapping[str, str]) -> Sent:
        _, names = TEXTS[template]
        body = {
            "type": "body",
            "parameters": [{"type": "text", "text": parameters.get(name, "")} for name in names],
        }
        try:
            sent = self._client.send_template(
                to=to.removeprefix("+"),
                name=template.value,
                language=TemplateLanguage.PORTUGUESE_BR,
                params=[body],
            )
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise TransientFailure(f"{NO_ANSWER.pt}: {exc!r}") from exc
        except WhatsAppError as exc:
            reason = f"{exc.code}: {exc.message}"
            status = exc.status_code or 0
            if status == 429 or status >= 500 or exc.is_transient:
                raise TransientFailure(reason) from exc
            raise PermanentFailure(reason) from exc
        except (LookupError, TypeError, ValueError) as exc:
            # pywa could not read the answer (not JSON, no message id): whether the message
            # went out is unknown. Trying again could send it twice, and letting the error
            # escape would leave the row first in the queue for ever; it fails, with why.
            raise PermanentFailure(f"{ODD_ANSWER.pt}: {exc!r}") from exc
        return Sent(sent.id)
