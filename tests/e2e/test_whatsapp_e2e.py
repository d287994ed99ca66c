"""WhatsApp notifications sent for real, through the gateway, with every process and RabbitMQ.

For this module the order service's processes that read the WhatsApp settings are restarted
pointed at a local stand-in of the Cloud API (tests/support/whatsapp_cloud_api.py), which
checks each request's path, bearer token and template message as Meta does. The orders move
through the gateway; what is proven is what the stand-in received and what the rows say
(`GET /notifications`, and the provider's message id in the database, which the API does not
show). Afterwards the processes run unconfigured again, as the rest of the suite expects.

1. approved, shipped, cancelled: one message each; 2. transient failures retried after a
wait, permanent ones failed with the reason (and retried by staff); 3. signed receipts and
the handshake; 4. a replenishment order's supplier hears once, an opted-out client never.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from itertools import pairwise

import pytest
from sqlalchemy import Engine, text

from tests.support.api_client import ApiClient
from tests.support.documents import random_cnpj
from tests.support.e2e_builders import new_client, new_product, ok
from tests.support.local_http import serving
from tests.support.stack import Stack
from tests.support.waiting import wait_until
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

pytestmark = pytest.mark.e2e

# The processes that read the WhatsApp settings: the consumer decides queued or skipped, the
# sender sends, the HTTP service checks the webhook's signature and verify token.
CONFIGURED = ("orders", "notification_consumer", "notification_sender")
WEBHOOK = "/notifications/whatsapp/webhook"
# The sender polls every second (NOTIFY_POLL_SECONDS): after this long with nothing more, a
# duplicate or an unwanted retry would have reached the stand-in.
QUIET_SECONDS = 2.5
# The sender's waits after a first and a second transient failure (docs/notifications.md:
# 2 s, 4 s, 8 s …), stated here rather than imported, so a sender that stopped waiting fails.
RETRY_WAITS = (2.0, 4.0)
# Two units at R$ 10,50: every order's total, as the template parameter reads it.
PRICE, QUANTITY, TOTAL = 10.50, 2, "R$ 21,00"


@pytest.fixture(scope="module")
def cloud_api(stack: Stack) -> Iterator[CloudApi]:
    """The stand-in, with the order service's processes configured to use it for this module;
    afterwards (also when a test fails) they run unconfigured again: later tests expect rows
    `skipped` for want of configuration."""
    with serving(CloudApi()) as server:
        settings = {
            "WHATSAPP_ACCESS_TOKEN": TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
            "WHATSAPP_API_URL": server.url,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        }
        stack.stop(CONFIGURED)
        stack.extra_env.update(settings)
        try:
            stack.start(CONFIGURED)
            yield server
        finally:
            running = [name for name in CONFIGURED if name in stack.processes]
            if running:  # Stack.stop([]) would stop every process
                stack.stop(running)
            for key in settings:
                stack.extra_env.pop(key, None)
            stack.start(CONFIGURED)


# -- steps --------------------------------------------------------------------------------


def mobile() -> tuple[str, str]:
    """A fresh mobile number as a person types it, and as the Cloud API takes it (E.164
    digits): each test tells its own messages apart by their recipient."""
    digits = f"9{random.randint(10**7, 10**8 - 1)}"
    return f"(11) {digits[:5]}-{digits[5:]}", f"5511{digits}"


def client_with_whatsapp(admin: ApiClient, phone: str) -> dict:
    client = new_client(admin)
    return ok(admin.put(f"/clients/{client['id']}", json={"phone": phone}))


def reserved_order(admin: ApiClient, client_id: str, product_id: str) -> dict:
    """A sale order whose stock is reserved: only then may it be approved."""
    body = {"client_id": client_id, "items": [{"product_id": product_id, "quantity": QUANTITY}]}
    order = ok(admin.post("/orders", json=body), 201)
    wait_until(
        lambda: ok(admin.get(f"/orders/{order['id']}"))["stock_status"] == "reserved", timeout=20
    )
    return order


def move(admin: ApiClient, order: dict, *statuses: str) -> None:
    for status in statuses:
        ok(admin.put(f"/orders/{order['id']}", json={"status": status}))


def notifications_of(admin: ApiClient, order: dict) -> list[dict]:
    return ok(admin.get("/notifications", params={"order_id": order["id"]}))


def settled(admin: ApiClient, order: dict, count: int) -> list[dict]:
    """The order's `count` notifications, once none of them waits to be sent any more."""

    def done() -> list[dict] | None:
        rows = notifications_of(admin, order)
        return rows if len(rows) == count and all(r["status"] != "queued" for r in rows) else None

    return wait_until(done, timeout=30)


def notification_backlog(admin: ApiClient) -> dict:
    """What the order service's /ready says of its notifications (through the gateway)."""
    health = ok(admin.get("/health"))
    return health["services"]["order_service"]["backlog"]["notifications"]


def provider_ids(order_db: Engine, *orders: dict) -> set[str]:
    with order_db.connect() as connection:
        return set(
            connection.scalars(
                text(
                    "SELECT provider_message_id FROM orders.notifications"
                    " WHERE order_id = ANY(CAST(:ids AS uuid[]))"
                ),
                {"ids": [order["id"] for order in orders]},
            )
        )


# -- 1. each status a client hears about: one message ---------------------------------------


def test_approved_shipped_and_cancelled_orders_each_send_one_message_to_the_client(
    admin: ApiClient, cloud_api: CloudApi, order_db: Engine
):
    typed, number = mobile()
    school = client_with_whatsapp(admin, typed)
    product = new_product(admin, on_hand=50, price=PRICE)
    shipped = reserved_order(admin, school["id"], product["id"])
    cancelled = reserved_order(admin, school["id"], product["id"])
    assert shipped["total"] == cancelled["total"] == PRICE * QUANTITY

    move(admin, shipped, "approved", "processing", "shipped")  # processing: nothing to say
    move(admin, cancelled, "cancelled")
    rows = settled(admin, shipped, 2) + settled(admin, cancelled, 1)
    time.sleep(QUIET_SECONDS)

    messages = cloud_api.received(number)
    assert sorted((m.template, m.texts) for m in messages) == [
        ("pedido_aprovado", [school["name"], str(shipped["number"]), TOTAL]),
        ("pedido_cancelado", [school["name"], str(cancelled["number"]), TOTAL]),
        ("pedido_enviado", [school["name"], str(shipped["number"]), TOTAL]),
    ]
    assert {m.status for m in messages} == {200}
    assert sorted((r["template"], r["recipient"], r["status"], r["attempts"]) for r in rows) == [
        ("pedido_aprovado", f"+{number}", "sent", 1),
        ("pedido_cancelado", f"+{number}", "sent", 1),
        ("pedido_enviado", f"+{number}", "sent", 1),
    ]
    # Each row keeps the id the Cloud API gave its message (what delivery receipts name).
    assert provider_ids(order_db, shipped, cancelled) == {m.message_id for m in messages}


# -- 2. transient failures are retried, permanent ones fail at once --------------------------


def test_a_500_then_a_429_are_retried_after_a_wait_and_the_message_goes_once(
    admin: ApiClient, cloud_api: CloudApi
):
    typed, number = mobile()
    cloud_api.script(
        number,
        (500, api_error(131000, "Something went wrong")),
        (429, api_error(130429, "Rate limit hit")),
    )
    school = client_with_whatsapp(admin, typed)
    order = reserved_order(admin, school["id"], new_product(admin, on_hand=50, price=PRICE)["id"])
    move(admin, order, "approved")

    # Between the first and the second attempt (a wait of 2 s) the row is still queued, and
    # says why it was not sent yet.
    [waiting] = wait_until(
        lambda: [r for r in notifications_of(admin, order) if r["attempts"] == 1], timeout=20
    )
    assert (waiting["status"], waiting["reason"]) == ("queued", "131000: Something went wrong")

    [row] = settled(admin, order, 1)
    time.sleep(QUIET_SECONDS)
    attempts = cloud_api.received(number)
    assert [a.status for a in attempts] == [500, 429, 200]  # one message delivered, once
    assert (row["status"], row["attempts"], row["reason"]) == ("sent", 3, None)
    # The sender waited before each retry (a little slack: the wait is counted from just
    # before the failed request went out).
    gaps = [after.at - before.at for before, after in pairwise(attempts)]
    assert all(gap >= wait - 0.25 for gap, wait in zip(gaps, RETRY_WAITS, strict=True)), gaps


def test_a_permanent_error_fails_its_row_with_the_reason_and_the_next_one_still_goes(
    admin: ApiClient, cloud_api: CloudApi
):
    refused_typed, refused_number = mobile()
    fine_typed, fine_number = mobile()
    cloud_api.script(refused_number, (400, api_error(131026, "Message undeliverable")))
    failed_before = notification_backlog(admin)["failed_last_hour"]
    product = new_product(admin, on_hand=50, price=PRICE)
    refused = reserved_order(admin, client_with_whatsapp(admin, refused_typed)["id"], product["id"])
    fine = reserved_order(admin, client_with_whatsapp(admin, fine_typed)["id"], product["id"])

    move(admin, refused, "approved")
    move(admin, fine, "approved")
    [failed] = settled(admin, refused, 1)
    [sent] = settled(admin, fine, 1)
    time.sleep(QUIET_SECONDS)

    assert (failed["status"], failed["attempts"], failed["reason"]) == (
        "failed",
        1,
        "131026: Message undeliverable",
    )
    assert [m.status for m in cloud_api.received(refused_number)] == [400]  # never retried
    assert (sent["status"], [m.status for m in cloud_api.received(fine_number)]) == ("sent", [200])
    assert notification_backlog(admin)["failed_last_hour"] == failed_before + 1

    # Staff put the failed one back in the queue; this time the Cloud API takes it.
    again = ok(admin.post(f"/notifications/{failed['id']}/retry"))
    assert (again["status"], again["reason"], again["attempts"]) == ("queued", None, 0)
    [resent] = settled(admin, refused, 1)
    assert (resent["status"], resent["attempts"]) == ("sent", 1)  # its retries start anew
    assert [m.status for m in cloud_api.received(refused_number)] == [400, 200]
    assert [m.status for m in cloud_api.received(refused_number)] == [400, 200]


# -- 3. delivery receipts and the handshake, through the gateway ----------------------------


def test_a_signed_receipt_marks_the_message_delivered_and_unsigned_or_forged_ones_change_nothing(
    api: ApiClient, admin: ApiClient, cloud_api: CloudApi
):
    typed, number = mobile()
    school = client_with_whatsapp(admin, typed)
    order = reserved_order(admin, school["id"], new_product(admin, on_hand=50, price=PRICE)["id"])
    move(admin, order, "approved")
    assert [r["status"] for r in settled(admin, order, 1)] == ["sent"]
    [message] = cloud_api.received(number)
    body = receipt(str(message.message_id), "delivered", number)

    # Meta calls without an access token: the signature is all that vouches for the body.
    unsigned = api.post(WEBHOOK, data=body, headers={"Content-Type": "application/json"})
    forged = api.post(WEBHOOK, data=body, headers=signed(body, "outro-segredo"))
    other_body = api.post(WEBHOOK, data=body, headers=signed(receipt("wamid.x", "delivered")))
    for refused in (unsigned, forged, other_body):
        assert refused.status_code == 401, refused.text
        assert refused.json()["code"] == "invalid_signature"
    assert [r["status"] for r in notifications_of(admin, order)] == ["sent"]

    ok(api.post(WEBHOOK, data=body, headers=signed(body)))
    assert [r["status"] for r in notifications_of(admin, order)] == ["delivered"]


@pytest.mark.usefixtures("cloud_api")
def test_the_webhook_handshake_answers_the_challenge_only_to_the_verify_token(api: ApiClient):
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201"}

    accepted = api.get(WEBHOOK, params=query)
    refused = api.get(WEBHOOK, params={**query, "hub.verify_token": "outro"})

    assert (accepted.status_code, accepted.text) == (200, "1158201")
    assert refused.status_code == 403
    assert refused.json()["code"] == "invalid_verify_token"


# -- 4. who else hears, and who does not ----------------------------------------------------


def test_an_automatic_replenishment_order_tells_its_supplier_once(
    admin: ApiClient, cloud_api: CloudApi
):
    typed, number = mobile()
    body = {"name": f"Fornecedor e2e {uuid.uuid4().hex[:8]}", "cnpj": random_cnpj(),
            "whatsapp": typed}  # fmt: skip
    supplier = ok(admin.post("/suppliers", json=body), 201)
    # Alone in its section, 5 of an ideal 100: the replenishment orders it, 95 at R$ 2,00.
    section = f"Reposição e2e {uuid.uuid4().hex[:8]}"
    new_product(admin, on_hand=5, price=2.00, ideal_quantity=100, section=section,
                supplier_id=supplier["id"])  # fmt: skip

    run = ok(admin.post("/orders/auto/low-stock", json={"section": section}), 201)
    [planned] = run["details"]
    order = ok(admin.get(f"/orders/{planned['order_id']}"))
    [row] = settled(admin, order, 1)
    # Run again: the product is on an open order already, so nothing new is ordered or said.
    again = ok(admin.post("/orders/auto/low-stock", json={"section": section}))
    assert again["orders_created"] == 0
    time.sleep(QUIET_SECONDS)

    assert (row["recipient_kind"], row["template"], row["status"]) == (
        "supplier",
        "reposicao_pedida",
        "sent",
    )
    assert [(m.template, m.texts) for m in cloud_api.received(number)] == [
        ("reposicao_pedida", [supplier["name"], str(order["number"]), "R$ 190,00"])
    ]


def test_an_opted_out_client_receives_nothing_and_the_row_says_why(
    admin: ApiClient, cloud_api: CloudApi
):
    typed, number = mobile()
    school = client_with_whatsapp(admin, typed)
    ok(admin.put(f"/clients/{school['id']}", json={"notify_whatsapp": False}))
    order = reserved_order(admin, school["id"], new_product(admin, on_hand=50, price=PRICE)["id"])
    move(admin, order, "approved")

    [row] = settled(admin, order, 1)
    time.sleep(QUIET_SECONDS)

    assert (row["recipient"], row["status"], row["attempts"]) == (f"+{number}", "skipped", 0)
    assert row["reason"] == "O destinatário optou por não receber notificações."
    assert cloud_api.received(number) == []
