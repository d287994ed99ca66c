"""Sending through the WhatsApp Cloud API (a local stand-in that checks each request as the
real API would), retries, permanent failures, and signed delivery receipts."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select, update

from order_service.notifications.recording import Notifier
from order_service.notifications.sender import MAX_ATTEMPTS, retry_wait, send_due
from order_service.notifications.tables import Notification
from order_service.notifications.whatsapp import CloudApiSender
from order_service.notifications.who import reason_text
from shared import clock
from shared.db import unit_of_work
from shared.events import EventType, new_event
from tests.support.local_http import serving
from tests.support.whatsapp_cloud_api import (
    APP_SECRET,
    PHONE_ID,
    TOKEN,
    VERIFY_TOKEN,
    CloudApi,
    api_error,
    receipt,
    signed,
)

WEBHOOK = "/api/v1/notifications/whatsapp/webhook"
NUMBER = "5511987654321"  # the clients' number (11987654321) as the Cloud API takes it


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
        whatsapp_verify_token=VERIFY_TOKEN,
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

    assert len(cloud_api.received()) == 3
    for (order, event), request, template in zip(
        sent,
        cloud_api.received(),
        ("pedido_aprovado", "pedido_enviado", "pedido_cancelado"),
        strict=True,
    ):
        assert (request.to, request.template) == (NUMBER, template)
        assert request.texts[1:] == [str(order["number"]), "R$ 21,00"]
        row = row_of(session, event.id)
        assert (row.status, row.attempts) == ("sent", 1)
        assert row.provider_message_id == request.message_id


def test_two_500s_then_200_send_once_after_retries(session, order_app, sender, cloud_api, notify):
    _, event = notify("approved")
    cloud_api.script(NUMBER, (500, api_error(131000, "Something went wrong")),
                     (429, api_error(130429, "Rate limit hit")))  # fmt: skip

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
    assert [r.status for r in cloud_api.received()] == [500, 429, 200]


def test_a_permanent_error_fails_the_row_and_the_next_one_still_goes(
    session, order_app, sender, cloud_api, notify, client
):
    _, bad = notify("approved")
    _, good = notify("shipped")
    cloud_api.script(NUMBER, (400, api_error(131026, "Message undeliverable")))
    before = client.get("/ready").json["data"]["backlog"]["notifications"]
    assert before["queued"] == 2

    assert send_due(order_app, sender) == 2
    after = client.get("/ready").json["data"]["backlog"]["notifications"]
    assert after["queued"] == 0
    assert after["failed_last_hour"] == before["failed_last_hour"] + 1

    failed = row_of(session, bad.id)
    assert (failed.status, failed.reason) == ("failed", "131026: Message undeliverable")
    assert row_of(session, good.id).status == "sent"


def test_an_answer_that_is_not_the_cloud_apis_fails_its_row_and_the_next_one_still_goes(
    session, order_app, sender, cloud_api, notify
):
    _, odd = notify("approved")
    _, good = notify("shipped")
    # A 200 without a message id (a proxy's page, a wrong WHATSAPP_API_URL): whether it went
    # out is unknown, so it is not sent again and again; it fails, and the queue moves on.
    cloud_api.script(NUMBER, (200, {"messaging_product": "whatsapp"}))

    assert send_due(order_app, sender) == 2

    failed = row_of(session, odd.id)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.reason.startswith("resposta inesperada da API do WhatsApp: ")
    assert reason_text(failed.reason).en.startswith("unexpected answer from the WhatsApp API: ")
    assert row_of(session, good.id).status == "sent"
    assert len(cloud_api.received()) == 2


def test_transient_failures_end_as_failed_after_the_last_attempt(
    session, order_app, sender, cloud_api, notify
):
    _, event = notify("approved")
    cloud_api.script(NUMBER, *[(503, api_error(131000, "Service unavailable"))] * MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        make_due(session, event.id)
        send_due(order_app, sender)
    row = row_of(session, event.id)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert retry_wait(1).total_seconds() == 2 and retry_wait(20).total_seconds() == 300


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
                                           "hub.verify_token": VERIFY_TOKEN,
                                           "hub.challenge": "1158201444"})  # fmt: skip
    wrong = client.get(WEBHOOK, query_string={"hub.mode": "subscribe",
                                              "hub.verify_token": "outro",
                                              "hub.challenge": "1158201444"})  # fmt: skip
    assert (ok.status_code, ok.get_data(as_text=True)) == (200, "1158201444")
    assert wrong.status_code == 403 and wrong.json["code"] == "invalid_verify_token"
    assert client.get(WEBHOOK).status_code == 400
