"""Sending through the WhatsApp Cloud API (a local stand-in that checks each request as the
real API would), retries, permanent failures, and signed delivery receipts."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import threading
import uuid
from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import select, update

from order_service.notifications.recording import Notifier
from order_service.notifications.sender import MAX_ATTEMPTS, retry_wait, send_due
from order_service.notifications.tables import Notification
from order_service.notifications.whatsapp import CloudApiSender
from shared import clock
from shared.db import unit_of_work
from shared.events import EventType, new_event
from tests.support.local_http import JsonHandler, serving

PHONE_ID = "109876543210"
TOKEN = "EAAG-token-de-teste"
APP_SECRET = "segredo-do-app-de-teste"
WEBHOOK = "/api/v1/notifications/whatsapp/webhook"


class CloudApi(ThreadingHTTPServer):
    """Answers POST /v21.0/<phone id>/messages as Meta does, from a script of replies."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CloudApiHandler)
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _CloudApiHandler(JsonHandler):
    server: CloudApi

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.requests.append(
                {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
            )
            reply = self.server.replies.pop(0) if self.server.replies else None
        if (
            self.path != f"/v21.0/{PHONE_ID}/messages"
            or self.headers.get("Authorization") != f"Bearer {TOKEN}"
        ):
            status, payload = 401, _error(190, "Invalid OAuth access token.")
        elif not _is_template_message(body):
            status, payload = 400, _error(100, "Invalid parameter")
        elif reply is not None:
            status, payload = reply
        else:
            status, payload = 200, _sent(body["to"])
        self.send_json(status, json.dumps(payload).encode())


def _is_template_message(body: dict) -> bool:
    template = body.get("template") or {}
    return (
        body.get("messaging_product") == "whatsapp"
        and body.get("type") == "template"
        and body.get("to", "").isdigit()
        and template.get("language", {}).get("code") == "pt_BR"
        and all(p.get("type") == "text" for c in template.get("components", [])
                for p in c.get("parameters", []))
    )  # fmt: skip


def _sent(to: str) -> dict:
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": f"wamid.{uuid.uuid4().hex}"}],
    }


def _error(code: int, message: str) -> dict:
    return {"error": {"message": message, "type": "OAuthException", "code": code,
                      "fbtrace_id": "AbCdEf"}}  # fmt: skip


@pytest.fixture
def cloud_api():
    with serving(CloudApi()) as server:
        yield server


@pytest.fixture
def configured(order_settings, cloud_api):
    return dataclasses.replace(
        order_settings,
        whatsapp_access_token=TOKEN,
        whatsapp_phone_number_id=PHONE_ID,
        whatsapp_api_url=cloud_api.url,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token="verifica-123",
    )


@pytest.fixture
def sender(configured, session):
    # Rows other tests left queued are not this test's to send.
    with unit_of_work(session):
        session.execute(
            update(Notification)
            .where(Notification.status == "queued")
            .values(status="skipped", reason="Fora deste teste.")
        )
    return CloudApiSender(configured)


@pytest.fixture
def notify(session, configured, stock_catalogue, placed, make_client, make_product):
    """Move a fresh order of a client with a WhatsApp number to `status`: its event's rows."""
    notifier = Notifier(configured, stock_catalogue)

    def again(event):
        with unit_of_work(session):
            notifier.handlers()[event.type](session, event)

    def run(status: str, phone: str = "11987654321"):
        order = placed(make_client(phone=phone)["id"], (make_product(price="10.50")["id"], 2))
        event = new_event(
            EventType.ORDER_STATUS_CHANGED,
            {"order_id": order["id"], "order_version": 1, "order_type": "sale",
             "from": "pending", "to": status, "by": "staff", "at": "2026-12-07T12:00:00Z",
             "deleted": False, "items": []},
            source="order_service",
        )  # fmt: skip
        again(event)
        return order, event

    run.again = again  # type: ignore[attr-defined]
    return run


def row_of(session, event_id):
    row = session.scalars(select(Notification).where(Notification.event_id == event_id)).one()
    session.rollback()
    return row


def make_due(session, event_id):
    with unit_of_work(session):
        session.execute(
            update(Notification)
            .where(Notification.event_id == event_id)
            .values(next_attempt_at=clock.now())
        )


def test_approved_shipped_cancelled_each_send_one_message_to_the_clients_number(
    session, order_app, sender, cloud_api, notify
):
    sent = []
    for status in ("approved", "shipped", "cancelled"):
        order, event = notify(status)
        sent.append((order, event))
    assert send_due(order_app, sender) == 3
    notify.again(sent[0][1])  # the same event delivered again
    assert send_due(order_app, sender) == 0  # sends nothing twice

    assert len(cloud_api.requests) == 3
    for (order, event), request, template in zip(
        sent,
        cloud_api.requests,
        ("pedido_aprovado", "pedido_enviado", "pedido_cancelado"),
        strict=True,
    ):
        body = request["body"]
        assert (body["to"], body["template"]["name"]) == ("5511987654321", template)
        texts = [p["text"] for p in body["template"]["components"][0]["parameters"]]
        assert texts[1:] == [str(order["number"]), "R$ 21,00"]
        row = row_of(session, event.id)
        assert (row.status, row.attempts) == ("sent", 1)
        assert row.provider_message_id.startswith("wamid.")


def test_two_500s_then_200_send_once_after_retries(session, order_app, sender, cloud_api, notify):
    _, event = notify("approved")
    cloud_api.replies = [(500, _error(131000, "Something went wrong")),
                         (429, _error(130429, "Rate limit hit"))]  # fmt: skip

    assert send_due(order_app, sender) == 1
    row = row_of(session, event.id)
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.next_attempt_at > clock.now()  # waits before the next try
    make_due(session, event.id)
    send_due(order_app, sender)
    assert row_of(session, event.id).attempts == 2
    make_due(session, event.id)
    send_due(order_app, sender)

    row = row_of(session, event.id)
    assert (row.status, row.attempts, row.reason) == ("sent", 3, None)
    assert len(cloud_api.requests) == 3


def test_a_permanent_error_fails_the_row_and_the_next_one_still_goes(
    session, order_app, sender, cloud_api, notify, client
):
    _, bad = notify("approved")
    _, good = notify("shipped")
    cloud_api.replies = [(400, _error(131026, "Message undeliverable"))]
    before = client.get("/ready").json["data"]["backlog"]["notifications"]
    assert before["queued"] == 2

    assert send_due(order_app, sender) == 2
    after = client.get("/ready").json["data"]["backlog"]["notifications"]
    assert after["queued"] == 0
    assert after["failed_last_hour"] == before["failed_last_hour"] + 1

    failed = row_of(session, bad.id)
    assert (failed.status, failed.reason) == ("failed", "131026: Message undeliverable")
    assert row_of(session, good.id).status == "sent"


def test_transient_failures_end_as_failed_after_the_last_attempt(
    session, order_app, sender, cloud_api, notify
):
    _, event = notify("approved")
    cloud_api.replies = [(503, _error(131000, "Service unavailable"))] * MAX_ATTEMPTS
    for _ in range(MAX_ATTEMPTS):
        make_due(session, event.id)
        send_due(order_app, sender)
    row = row_of(session, event.id)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert retry_wait(1).total_seconds() == 2 and retry_wait(20).total_seconds() == 300


def signed(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def receipt(message_id: str, status: str) -> bytes:
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp", "statuses": [
            {"id": message_id, "status": status, "timestamp": "1733580000",
             "recipient_id": "5511987654321"}]}}]}]}).encode()  # fmt: skip


def test_a_signed_receipt_moves_the_row_and_an_unsigned_one_changes_nothing(
    session, order_app, configured, sender, notify, client, monkeypatch
):
    monkeypatch.setitem(order_app.config, "SETTINGS", configured)
    _, event = notify("approved")
    send_due(order_app, sender)
    message_id = row_of(session, event.id).provider_message_id
    body = receipt(message_id, "delivered")

    unsigned = client.post(WEBHOOK, data=body, content_type="application/json")
    forged = client.post(WEBHOOK, data=body, headers=signed(body, "outro-segredo"))
    assert (unsigned.status_code, forged.status_code) == (401, 401)
    assert unsigned.json["code"] == "invalid_signature"
    assert row_of(session, event.id).status == "sent"

    accepted = client.post(WEBHOOK, data=body, headers=signed(body))
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert row_of(session, event.id).status == "delivered"
    read = receipt(message_id, "read")
    client.post(WEBHOOK, data=read, headers=signed(read))
    for odd in (b"[]", b'{"entry": "x"}', b'{"entry": [{"changes": [null, {"value": 3}]}]}'):
        # Signed, but not the shape Meta sends: answered, nothing moves, never a 500.
        assert client.post(WEBHOOK, data=odd, headers=signed(odd)).status_code == 200
    back = receipt(message_id, "delivered")
    client.post(WEBHOOK, data=back, headers=signed(back))  # never backwards
    assert row_of(session, event.id).status == "read"


def test_the_verify_token_handshake(client, order_app, configured, monkeypatch):
    monkeypatch.setitem(order_app.config, "SETTINGS", configured)
    ok = client.get(WEBHOOK, query_string={"hub.mode": "subscribe",
                                           "hub.verify_token": "verifica-123",
                                           "hub.challenge": "1158201444"})  # fmt: skip
    wrong = client.get(WEBHOOK, query_string={"hub.mode": "subscribe",
                                              "hub.verify_token": "outro",
                                              "hub.challenge": "1158201444"})  # fmt: skip
    assert (ok.status_code, ok.get_data(as_text=True)) == (200, "1158201444")
    assert wrong.status_code == 403 and wrong.json["code"] == "invalid_verify_token"
    assert client.get(WEBHOOK).status_code == 400
