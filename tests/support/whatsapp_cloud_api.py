"""Meta's side of WhatsApp, for tests: a local stand-in for the Cloud API that checks each
request as the real one does (path, bearer token, the template message's shape) and answers
from a script of replies per recipient, and the delivery receipts its webhook sends, signed.

The order service's unit tests call it in-process; tests/e2e/test_whatsapp_e2e.py points the
running processes at it (WHATSAPP_API_URL).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any

from tests.support.local_http import JsonHandler

# The test account: what the stand-in accepts, and what the order service is configured with.
PHONE_ID = "109876543210"
TOKEN = "EAAG-token-de-teste"
APP_SECRET = "segredo-do-app-de-teste"
VERIFY_TOKEN = "verifica-123"

Reply = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class Received:
    """One request the stand-in received, and how it answered."""

    path: str
    auth: str | None
    body: dict[str, Any]
    at: float  # time.monotonic() on arrival: the waits between retries
    status: int
    message_id: str | None  # the id it gave an accepted message (what receipts name)

    @property
    def to(self) -> str:
        return str(self.body.get("to", ""))

    @property
    def template(self) -> str:
        return str(self.body["template"]["name"])

    @property
    def texts(self) -> list[str]:
        """The template's body parameters, in order."""
        return [p["text"] for p in self.body["template"]["components"][0]["parameters"]]


class CloudApi(ThreadingHTTPServer):
    """Answers POST /v21.0/<phone id>/messages as Meta does. A valid request takes the next
    reply scripted for its recipient (`script`); with none left, the message is accepted."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CloudApiHandler)
        self._received: list[Received] = []
        self._replies: dict[str, list[Reply]] = {}
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def script(self, to: str, *replies: Reply) -> None:
        """The next answers to messages for `to` (digits, as the Cloud API takes them)."""
        with self.lock:
            self._replies.setdefault(to, []).extend(replies)

    def received(self, to: str | None = None) -> list[Received]:
        """What arrived so far (for `to` only, when given), oldest first."""
        with self.lock:
            return [r for r in self._received if to is None or r.to == to]

    def answer(self, path: str, auth: str | None, body: dict[str, Any]) -> Reply:
        if path != f"/v21.0/{PHONE_ID}/messages" or auth != f"Bearer {TOKEN}":
            status, payload = 401, api_error(190, "Invalid OAuth access token.")
        elif not _is_template_message(body):
            status, payload = 400, api_error(100, "Invalid parameter")
        else:
            with self.lock:
                scripted = self._replies.get(body["to"])
                status, payload = scripted.pop(0) if scripted else (200, _sent(body["to"]))
        accepted = payload.get("messages") if status == 200 else None
        message_id = accepted[0]["id"] if accepted else None
        with self.lock:
            self._received.append(Received(path, auth, body, time.monotonic(), status, message_id))
        return status, payload


class _CloudApiHandler(JsonHandler):
    server: CloudApi

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status, payload = self.server.answer(self.path, self.headers.get("Authorization"), body)
        self.send_json(status, json.dumps(payload).encode())


def _is_template_message(body: dict[str, Any]) -> bool:
    template = body.get("template") or {}
    return (
        body.get("messaging_product") == "whatsapp"
        and body.get("type") == "template"
        and body.get("to", "").isdigit()
        and template.get("language", {}).get("code") == "pt_BR"
        and all(p.get("type") == "text" for c in template.get("components", [])
                for p in c.get("parameters", []))
    )  # fmt: skip


def _sent(to: str) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": f"wamid.{uuid.uuid4().hex}"}],
    }


def api_error(code: int, message: str) -> dict[str, Any]:
    """The Graph API's error body (e.g. 131026 undeliverable, 130429 rate limit)."""
    return {"error": {"message": message, "type": "OAuthException", "code": code,
                      "fbtrace_id": "AbCdEf"}}  # fmt: skip


# -- the webhook: what Meta posts back -----------------------------------------------------


def signed(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    """Headers of a webhook call as Meta signs it: X-Hub-Signature-256 over the raw body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def receipt(message_id: str, status: str, recipient: str = "5511987654321") -> bytes:
    """A delivery receipt (delivered, read, failed) for one message, as Meta's webhook sends it."""
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp", "statuses": [
            {"id": message_id, "status": status, "timestamp": "1733580000",
             "recipient_id": recipient}]}}]}]}).encode()  # fmt: skip
