"""Notifications through the gateway with every process: without WhatsApp configured (the
default of `make run`), approving an order records one `skipped` notification that says why;
`GET /notifications` filters them (status, order, recipient, business days), pages them, and
refuses bad filters and other roles."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from tests.conftest import STAFF_WHATSAPP
from tests.support.api_client import ApiClient
from tests.support.e2e_builders import new_client, new_product, new_supplier, ok
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

# The business calendar (shared/clock.py, BUSINESS_TIMEZONE unset in the stack), named here
# to compare with: date_from/date_to are days in it, not UTC days.
BUSINESS_ZONE = ZoneInfo("America/Sao_Paulo")


def approvable_order(admin: ApiClient) -> dict:
    """A sale order of a new client, reserved: only then may it be approved."""
    school = new_client(admin)
    product = new_product(admin, on_hand=5)
    body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 2}]}
    order = ok(admin.post("/orders", json=body), 201)
    wait_until(
        lambda: ok(admin.get(f"/orders/{order['id']}"))["stock_status"] == "reserved", timeout=20
    )
    return order


def rows_of(admin: ApiClient, order: dict, count: int) -> list[dict]:
    """The order's notifications (newest first), once there are `count` of them."""

    def recorded() -> list[dict] | None:
        found = ok(admin.get("/notifications", params={"order_id": order["id"]}))
        return found if len(found) == count else None

    return wait_until(recorded, timeout=20)


def listing(admin: ApiClient, **params: object) -> dict:
    """The whole envelope of GET /notifications (data and meta)."""
    response = admin.get("/notifications", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(rows: list[dict]) -> list[str]:
    return [row["id"] for row in rows]


def test_an_approved_order_is_a_skipped_notification_that_says_why(admin):
    order = approvable_order(admin)
    ok(admin.put(f"/orders/{order['id']}", json={"status": "approved"}))

    [notification] = rows_of(admin, order, 1)

    assert notification["template"] == "pedido_aprovado"
    assert notification["recipient"] == "+5511987654321"
    assert notification["status"] == "skipped"
    assert "WhatsApp não configurado" in notification["reason"]
    assert f"nº {order['number']}" in notification["message"]


def test_a_product_crossing_below_20_percent_tells_staff_once(admin):
    body = {
        "name": f"Feijão e2e {uuid.uuid4().hex[:8]}",
        "price": 8.45,
        "section": "Mercearia",
        "category": "Grãos",
        "unit": "pct",
        "initial_stock": 10,
        "ideal_quantity": 10,
    }
    product = ok(admin.post("/products", json=body), 201)
    school = new_client(admin)
    for quantity in (8, 1, 1):  # available 2 (20 %, not below), then 1 (crossed), then 0
        order = {"client_id": school["id"], "items": [{"product_id": product["id"],
                                                       "quantity": quantity}]}  # fmt: skip
        placed = ok(admin.post("/orders", json=order), 201)
        wait_until(
            lambda placed=placed: (
                ok(admin.get(f"/orders/{placed['id']}"))["stock_status"] == "reserved"
            ),
            timeout=20,
        )

    def told():
        rows = ok(admin.get("/notifications", params={"recipient": STAFF_WHATSAPP,
                                                       "page_size": 100}))  # fmt: skip
        mine = [r for r in rows if r["parameters"]["product"] == product["name"]]
        return mine or None

    [notification] = wait_until(told, timeout=20)
    assert notification["template"] == "estoque_baixo"
    assert notification["parameters"]["available"] == "1"
    time.sleep(1)  # a second stock.low would have been recorded by now
    assert len(told()) == 1


# -- GET /notifications: filters, pages, refusals --------------------------------------------

# 22:30 of 9 March in Brasília is already the 10th in UTC: a row created then belongs to the
# 9th on the business calendar, and only a period read in that calendar finds it there.
LATE_EVENING = datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
ITS_BUSINESS_DAY = date(2026, 3, 9)
# No client of the suite has this number (new_client's is +5511987654321; the WhatsApp
# tests' are +55119 and then a digit from 1 to 9).
PLANTED_NUMBER = "+5511900000001"


@pytest.fixture
def late_evening_failure(order_db: Engine) -> Iterator[dict]:
    """A `failed` notification created at LATE_EVENING, written straight into the order
    service's table: the running processes' clock cannot be moved, and a row they record now
    falls on the same day in UTC and in Brasília 21 hours a day. Deleted afterwards (nothing
    else in the suite expects a failed row of March)."""
    row = {
        "id": str(uuid.uuid4()),
        "event_id": str(uuid.uuid4()),
        "order_id": str(uuid.uuid4()),
        "recipient": PLANTED_NUMBER,
        "parameters": json.dumps({"name": "Escola noturna", "number": "7", "total": "R$ 1,00"}),
        "at": LATE_EVENING,
    }
    insert = text(
        "INSERT INTO orders.notifications (id, event_id, event_type, order_id, recipient_kind,"
        " recipient, recipient_key, template, parameters, status, reason, attempts, created_at,"
        " updated_at) VALUES (:id, :event_id, 'order.status_changed', :order_id, 'client',"
        " :recipient, :recipient, 'pedido_aprovado', CAST(:parameters AS jsonb), 'failed',"
        " '131026: Message undeliverable', 1, :at, :at)"
    )
    with order_db.begin() as connection:
        connection.execute(insert, row)
    yield row
    with order_db.begin() as connection:
        connection.execute(
            text("DELETE FROM orders.notifications WHERE id = :id"), {"id": row["id"]}
        )


def test_status_order_and_recipient_filters_each_keep_only_their_rows(
    admin: ApiClient, late_evening_failure: dict
):
    order = approvable_order(admin)
    ok(admin.put(f"/orders/{order['id']}", json={"status": "approved"}))
    [mine] = rows_of(admin, order, 1)
    failed = late_evening_failure

    skipped = ok(admin.get("/notifications", params={"status": "skipped", "page_size": 100}))
    failures = ok(admin.get("/notifications", params={"status": "failed", "page_size": 100}))

    assert {row["status"] for row in skipped} == {"skipped"}
    assert mine["id"] in ids(skipped)
    assert {row["status"] for row in failures} == {"failed"}
    assert failed["id"] in ids(failures)
    assert mine["id"] not in ids(failures)
    # Filters combine: each row is found under its own status only.
    by_order = {"order_id": failed["order_id"]}
    assert ids(ok(admin.get("/notifications", params={**by_order, "status": "failed"}))) == [
        failed["id"]
    ]
    assert ok(admin.get("/notifications", params={**by_order, "status": "skipped"})) == []
    assert (
        ok(admin.get("/notifications", params={"order_id": order["id"], "status": "failed"})) == []
    )
    assert ids(ok(admin.get("/notifications", params={"recipient": PLANTED_NUMBER}))) == [
        failed["id"]
    ]


def test_a_row_created_today_is_in_todays_window_and_not_in_a_past_or_future_one(
    admin: ApiClient,
):
    order = approvable_order(admin)
    ok(admin.put(f"/orders/{order['id']}", json={"status": "approved"}))
    [row] = rows_of(admin, order, 1)
    today = datetime.fromisoformat(row["created_at"]).astimezone(BUSINESS_ZONE).date()

    def found(start: date | None, end: date | None) -> list[str]:
        period = {"date_from": start, "date_to": end}
        params = {"order_id": order["id"], **{k: str(v) for k, v in period.items() if v}}
        return ids(ok(admin.get("/notifications", params=params)))

    assert found(today, today) == [row["id"]]  # both ends included
    assert found(today - timedelta(days=7), today) == [row["id"]]
    assert found(today, None) == [row["id"]]
    assert found(today - timedelta(days=7), today - timedelta(days=1)) == []
    assert found(None, today - timedelta(days=1)) == []
    assert found(today + timedelta(days=1), None) == []


def test_the_period_is_read_in_days_of_the_business_calendar(
    admin: ApiClient, late_evening_failure: dict
):
    planted = late_evening_failure
    day, utc_day = ITS_BUSINESS_DAY, LATE_EVENING.date()
    assert utc_day == day + timedelta(days=1)

    def found(**period: date) -> list[str]:
        params = {"order_id": planted["order_id"], **{k: str(v) for k, v in period.items()}}
        return ids(ok(admin.get("/notifications", params=params)))

    assert found(date_from=day, date_to=day) == [planted["id"]]
    assert found(date_to=day) == [planted["id"]]
    assert found(date_from=utc_day, date_to=utc_day) == []  # its UTC day is not its day
    assert found(date_from=utc_day) == []
    assert found(date_to=day - timedelta(days=1)) == []


def test_pages_of_one_row_walk_an_orders_notifications_newest_first(admin: ApiClient):
    order = approvable_order(admin)
    ok(admin.put(f"/orders/{order['id']}", json={"status": "approved"}))
    [approved] = rows_of(admin, order, 1)  # recorded before the next: the older of the two
    ok(admin.put(f"/orders/{order['id']}", json={"status": "cancelled"}))
    rows_of(admin, order, 2)

    first, second, beyond = (
        listing(admin, order_id=order["id"], page_size=1, page=page) for page in (1, 2, 3)
    )
    whole = listing(admin, order_id=order["id"], page_size=20)

    assert first["meta"] == {"page": 1, "page_size": 1, "total": 2, "pages": 2}
    assert second["meta"] == {"page": 2, "page_size": 1, "total": 2, "pages": 2}
    assert [row["template"] for row in first["data"]] == ["pedido_cancelado"]
    assert ids(second["data"]) == [approved["id"]]
    assert ids(whole["data"]) == ids(first["data"]) + ids(second["data"])
    assert whole["meta"] == {"page": 1, "page_size": 20, "total": 2, "pages": 1}
    assert (beyond["data"], beyond["meta"]["total"], beyond["meta"]["page"]) == ([], 2, 3)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "enviada"}, "status"),
        ({"date_from": "2026-02-10", "date_to": "2026-02-01"}, "date_from"),
        ({"date_to": "01/02/2026"}, "date_to"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"order_id": "1042"}, "order_id"),
        ({"recipient": "11987654321"}, "recipient"),
    ],
)
def test_a_bad_filter_is_a_400_in_the_error_envelope_naming_the_field(
    admin: ApiClient, params: dict, field: str
):
    response = admin.get("/notifications", params=params)

    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["status"], body["code"]) == ("error", "validation_error")
    assert [error["field"] for error in body["errors"]] == [field]
    assert all(error["message"] for error in body["errors"])
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert "data" not in body


def test_clients_and_suppliers_are_refused_and_staff_let_in(api: ApiClient, admin: ApiClient):
    users = {
        "client": admin.create_user("client", client_id=new_client(admin)["id"]),
        "supplier": admin.create_user("supplier", supplier_id=new_supplier(admin)["id"]),
        "staff": admin.create_user("staff"),
    }
    answers = {
        role: api.logged_in(*credentials).get("/notifications")
        for role, credentials in users.items()
    }

    for role in ("client", "supplier"):
        refused = answers[role]
        assert refused.status_code == 403, (role, refused.text)
        assert (refused.json()["status"], refused.json()["code"]) == ("error", "forbidden")
        assert "data" not in refused.json()
    assert answers["staff"].status_code == 200, answers["staff"].text
