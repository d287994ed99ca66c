"""Who hears what: one row per (event, recipient), queued or skipped with the reason."""

from __future__ import annotations

import dataclasses
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from order_service.catalogue.updates import apply_catalogue_changes
from order_service.notifications.recording import Notifier
from order_service.notifications.tables import Notification
from order_service.notifications.who import NO_ANSWER, Skip, e164, money, reason_text
from shared.db import unit_of_work
from shared.events import EventType, ProductChanged, event_of, new_event

NOTIFICATIONS = "/api/v1/notifications"


@pytest.fixture
def notifier(order_settings, stock_catalogue):
    """Configured for WhatsApp (so rows are queued), with two staff numbers."""
    settings = dataclasses.replace(
        order_settings,
        whatsapp_access_token="token-de-teste",
        whatsapp_phone_number_id="123456789",
        notify_staff_whatsapp=("(11) 91234-5678", "+55 21 99876-5432"),
    )
    return Notifier(settings, stock_catalogue)


def deliver(session, notifier, event):
    with unit_of_work(session):
        notifier.handlers()[event.type](session, event)


def rows_of(session, event_id):
    found = session.scalars(
        select(Notification)
        .where(Notification.event_id == event_id)
        .order_by(Notification.recipient)
    ).all()
    session.rollback()
    return found


def status_changed(order, to):
    return new_event(
        EventType.ORDER_STATUS_CHANGED,
        {"order_id": order["id"], "order_version": 1, "order_type": "sale", "from": "pending",
         "to": to, "by": "staff", "at": "2026-12-07T12:00:00Z", "deleted": False, "items": []},
        source="order_service",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "template", "text"),
    [
        ("approved", "pedido_aprovado", "foi aprovado"),
        ("shipped", "pedido_enviado", "saiu para entrega"),
        ("delivered", "pedido_entregue", "foi entregue"),
        ("cancelled", "pedido_cancelado", "foi cancelado"),
    ],
)
def test_the_client_hears_of_its_order_once_per_event(
    session, notifier, placed, make_client, make_product, client, admin, status, template, text
):
    school = make_client(phone="11987654321")
    order = placed(school["id"], (make_product(price="12.34")["id"], 3))
    event = status_changed(order, status)

    deliver(session, notifier, event)
    deliver(session, notifier, event)  # redelivered: nothing twice

    [row] = rows_of(session, event.id)
    assert (row.recipient, row.recipient_kind, row.template, row.status) == (
        "+5511987654321", "client", template, "queued"
    )  # fmt: skip
    assert row.parameters == {"name": school["name"], "number": str(order["number"]),
                              "total": "R$ 37,02"}  # fmt: skip
    listed = client.get(NOTIFICATIONS, query_string={"order_id": order["id"]}, headers=admin)
    assert listed.status_code == 200
    [shown] = listed.json["data"]
    assert text in shown["message"] and str(order["number"]) in shown["message"]


def test_a_status_the_client_does_not_hear_about_records_nothing(
    session, notifier, placed, make_client, make_product
):
    order = placed(make_client()["id"], (make_product()["id"], 1))
    event = status_changed(order, "processing")
    deliver(session, notifier, event)
    assert rows_of(session, event.id) == []


def test_without_configuration_an_opted_out_or_numberless_client_is_skipped_with_the_reason(
    session, notifier, order_settings, placed, make_client, make_product, client, admin
):
    product = make_product()
    unconfigured = Notifier(order_settings, notifier.stock)
    cases = [
        (unconfigured, make_client(phone="11987654321"), Skip.NOT_CONFIGURED),
        (notifier, make_client(phone="11987654321", notify_whatsapp=False), Skip.OPTED_OUT),
        (notifier, make_client(phone=None), Skip.NO_NUMBER),
    ]
    for who, school, reason in cases:
        order = placed(school["id"], (product["id"], 1))
        event = status_changed(order, "approved")
        deliver(session, who, event)
        [row] = rows_of(session, event.id)
        assert (row.status, row.reason) == ("skipped", reason.value)
    skipped = client.get(NOTIFICATIONS, query_string={"status": "skipped"}, headers=admin)
    assert skipped.status_code == 200 and skipped.json["meta"]["total"] >= 3


def test_stock_rejection_tells_the_client(session, notifier, placed, make_client, make_product):
    order = placed(make_client(phone="21998765432")["id"], (make_product()["id"], 1))
    event = new_event(
        EventType.STOCK_REJECTED,
        {"order_id": order["id"], "order_version": 1, "shortages": []},
        source="stock_service",
    )
    deliver(session, notifier, event)
    [row] = rows_of(session, event.id)
    assert (row.recipient, row.template) == ("+5521998765432", "pedido_sem_estoque")


def test_stock_low_tells_each_staff_number_once(session, notifier):
    event = new_event(
        EventType.STOCK_LOW,
        {"product_id": str(uuid.uuid4()), "available": 3, "ideal_quantity": 50},
        source="stock_service",
    )
    deliver(session, notifier, event)
    deliver(session, notifier, event)
    rows = rows_of(session, event.id)
    assert [(r.recipient, r.recipient_kind, r.template) for r in rows] == [
        ("+5511912345678", "staff", "estoque_baixo"),
        ("+5521998765432", "staff", "estoque_baixo"),
    ]
    assert rows[0].parameters["available"] == "3" and rows[0].parameters["ideal"] == "50"


def test_stock_low_names_the_product_as_the_catalogue_copy_knows_it(session, notifier):
    never_ordered = uuid.uuid4()
    with unit_of_work(session):
        apply_catalogue_changes(session, [event_of(
            ProductChanged(product_id=never_ordered, revision=1, name="Feijão carioca 1 kg",
                           unit="pct", price=Decimal("8.45"), active=True),
            source="stock_service",
        )])  # fmt: skip
    event = new_event(
        EventType.STOCK_LOW,
        {"product_id": str(never_ordered), "available": 1, "ideal_quantity": 50},
        source="stock_service",
    )
    deliver(session, notifier, event)
    assert {r.parameters["product"] for r in rows_of(session, event.id)} == {"Feijão carioca 1 kg"}


def test_stock_low_names_the_product_as_the_event_does(session, notifier):
    # Before the copy has heard of a product created a moment ago, the event itself names it.
    event = new_event(
        EventType.STOCK_LOW,
        {"product_id": str(uuid.uuid4()), "available": 1, "ideal_quantity": 50,
         "product_name": "Óleo de soja 900 ml"},
        source="stock_service",
    )  # fmt: skip
    deliver(session, notifier, event)
    assert {r.parameters["product"] for r in rows_of(session, event.id)} == {"Óleo de soja 900 ml"}


def test_a_replenishment_order_tells_its_supplier(
    session, notifier, make_supplier, make_product, order_app, stock_catalogue
):
    from order_service.domain.access import Actor, ActorRole
    from order_service.replenishment import replenish

    supplier = make_supplier(whatsapp="11955554444")
    make_product(supplier_id=supplier["id"], on_hand=1, ideal_quantity=100)
    with order_app.app_context():
        plan = replenish(
            session=session,
            actor=Actor("staff", ActorRole.STAFF),
            stock=stock_catalogue,
            threshold_percent=20,
        )
    mine = [p for p in plan.orders if str(p.supplier.id) == supplier["id"]]
    assert len(mine) == 1
    event = new_event(
        EventType.ORDER_CREATED,
        {"order_id": str(mine[0].order_id), "order_version": 1, "order_type": "replenishment",
         "supplier_id": supplier["id"], "items": []},
        source="order_service",
    )  # fmt: skip
    deliver(session, notifier, event)
    [row] = rows_of(session, event.id)
    assert (row.recipient, row.recipient_kind, row.template) == (
        "+5511955554444", "supplier", "reposicao_pedida"
    )  # fmt: skip


def test_retry_queues_a_failed_one_and_refuses_others(session, notifier, placed, make_client,
                                                      make_product, client, admin):  # fmt: skip
    order = placed(make_client(phone="11987654321")["id"], (make_product()["id"], 1))
    event = status_changed(order, "approved")
    deliver(session, notifier, event)
    [row] = rows_of(session, event.id)

    refused = client.post(f"{NOTIFICATIONS}/{row.id}/retry", headers=admin)
    assert refused.status_code == 409 and refused.json["code"] == "not_failed"
    with unit_of_work(session):
        session.get(Notification, row.id).status = "failed"
        session.get(Notification, row.id).reason = "131026: número sem WhatsApp"
        session.get(Notification, row.id).attempts = 5  # e.g. five transient failures
    retried = client.post(f"{NOTIFICATIONS}/{row.id}/retry", headers=admin)
    assert retried.status_code == 200, retried.get_data(as_text=True)
    assert (retried.json["data"]["status"], retried.json["data"]["reason"]) == ("queued", None)
    session.expire_all()
    assert session.get(Notification, row.id).attempts == 0  # its automatic retries, anew
    assert client.post(f"{NOTIFICATIONS}/{uuid.uuid4()}/retry", headers=admin).status_code == 404


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("11987654321", "+5511987654321"), ("(21) 99876-5432", "+5521998765432"),
     ("+55 11 98765-4321", "+5511987654321"), ("123", None), ("", None), (None, None)],
)  # fmt: skip
def test_numbers_are_normalised_to_e164(raw, expected):
    assert e164(raw) == expected


def test_money_reads_as_people_write_it():
    assert money(Decimal("1234.5")) == "R$ 1.234,50"
    assert money(Decimal("0.07")) == "R$ 0,07"


def test_an_opted_out_supplier_is_skipped(
    session, notifier, make_supplier, make_product, order_app, stock_catalogue
):
    from order_service.domain.access import Actor, ActorRole
    from order_service.replenishment import replenish

    supplier = make_supplier(whatsapp="11955554444", notify_whatsapp=False)
    make_product(supplier_id=supplier["id"], on_hand=1, ideal_quantity=100)
    with order_app.app_context():
        plan = replenish(
            session=session,
            actor=Actor("staff", ActorRole.STAFF),
            stock=stock_catalogue,
            threshold_percent=20,
        )
    [mine] = [p for p in plan.orders if str(p.supplier.id) == supplier["id"]]
    event = new_event(
        EventType.ORDER_CREATED,
        {"order_id": str(mine.order_id), "order_version": 1, "order_type": "replenishment",
         "supplier_id": supplier["id"], "items": []},
        source="order_service",
    )  # fmt: skip
    deliver(session, notifier, event)
    [row] = rows_of(session, event.id)
    assert (row.status, row.reason) == ("skipped", Skip.OPTED_OUT.value)


def test_a_removed_client_is_not_written_to(
    session, notifier, placed, make_client, make_product, client, admin
):
    school = make_client(phone="11987654321")
    order = placed(school["id"], (make_product()["id"], 1))
    assert client.delete(f"/api/v1/clients/{school['id']}", headers=admin).status_code == 200
    event = status_changed(order, "cancelled")
    deliver(session, notifier, event)
    assert rows_of(session, event.id) == []


def test_our_stored_reasons_read_in_both_languages_and_the_providers_as_given():
    no_answer = reason_text(f"{NO_ANSWER.pt}: ConnectTimeout()")

    assert reason_text(Skip.OPTED_OUT.value).en == "The recipient opted out of notifications."
    assert reason_text(Skip.NO_NUMBER.value).pt == Skip.NO_NUMBER.value
    assert (no_answer.pt, no_answer.en) == (
        "sem resposta da API do WhatsApp: ConnectTimeout()",
        "no answer from the WhatsApp API: ConnectTimeout()",
    )
    assert reason_text("131026: Message undeliverable") == "131026: Message undeliverable"
    assert reason_text(None) is None
