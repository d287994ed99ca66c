"""Stock levels, adjustments, the ledger and the availability check through the HTTP API."""

from __future__ import annotations

import uuid

import pytest

from stock_service import services
from stock_service.domain.stock import MAX_ON_HAND
from stock_service.models import StockLevel

STOCK = "/api/v1/stock"


def level_of(session, product_id) -> StockLevel:
    return session.get(StockLevel, product_id, populate_existing=True)


# -- adjustments ------------------------------------------------------------------------


def test_a_receipt_adds_to_on_hand_with_a_ledger_row_naming_who_and_why(
    client, tokens, session, make_product, ledger
):
    product = make_product(on_hand=5)
    sub = str(uuid.uuid4())

    response = client.post(
        f"{STOCK}/{product.id}/adjustments",
        json={"delta": 20, "reason": "receipt", "note": "NF 1234"},
        headers=tokens.headers("staff", sub=sub),
    )

    assert response.status_code == 201, response.json
    stock = response.json["data"]["stock"]
    assert {k: stock[k] for k in ("on_hand", "reserved", "available")} == {
        "on_hand": 25,
        "reserved": 0,
        "available": 25,
    }
    movement = response.json["data"]["movement"]
    assert (movement["cause"], movement["delta_on_hand"], movement["note"]) == (
        "receipt",
        20,
        "NF 1234",
    )
    entry = ledger(session, product.id)[-1]
    assert (entry.actor, entry.on_hand_after, entry.order_id) == (sub, 25, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"delta": -2, "reason": "receipt"}, "delta"),
        ({"delta": 2, "reason": "loss"}, "delta"),
        ({"delta": -1, "reason": "return"}, "delta"),
        ({"delta": 0, "reason": "count"}, "delta"),
        ({"delta": 1.5, "reason": "count"}, "delta"),
        ({"delta": 1, "reason": "theft"}, "reason"),
        ({"reason": "count"}, "delta"),
        ({"delta": 10**10, "reason": "receipt"}, "delta"),  # past the database's integers
        ({"delta": 1, "reason": "count", "note": "NF\x00"}, "note"),
    ],
)
def test_adjustments_against_the_rules_are_400(client, tokens, make_product, body, field):
    product = make_product(on_hand=5)

    response = client.post(
        f"{STOCK}/{product.id}/adjustments", json=body, headers=tokens.headers("admin")
    )

    assert response.status_code == 400
    assert field in {e["field"] for e in response.json["errors"]}, response.json


def test_taking_more_than_is_free_is_409_and_changes_nothing(
    client, tokens, session, make_product, ledger, hold
):
    product = make_product(on_hand=10)
    hold({product.id: 7})
    before = [(e.id, e.cause) for e in ledger(session, product.id)]

    response = client.post(
        f"{STOCK}/{product.id}/adjustments",
        json={"delta": -4, "reason": "loss"},
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 409
    assert response.json["code"] == "insufficient_stock"
    assert response.json["data"] == {"available": 3, "requested": 4, "reserved": 7}
    level = level_of(session, product.id)
    assert (level.on_hand, level.reserved, level.available) == (10, 7, 3)
    assert [(e.id, e.cause) for e in ledger(session, product.id)] == before


def test_an_entry_past_the_maximum_stock_is_409_and_changes_nothing(
    client, tokens, session, make_product, ledger
):
    product = make_product(on_hand=10)
    before = [(e.id, e.cause) for e in ledger(session, product.id)]

    response = client.post(
        f"{STOCK}/{product.id}/adjustments",
        json={"delta": MAX_ON_HAND, "reason": "receipt"},
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 409
    assert response.json["code"] == "stock_limit_exceeded"
    assert response.json["data"] == {"on_hand": 10, "requested": MAX_ON_HAND, "limit": MAX_ON_HAND}
    assert (level_of(session, product.id).on_hand, level_of(session, product.id).reserved) == (
        10,
        0,
    )
    assert [(e.id, e.cause) for e in ledger(session, product.id)] == before


def test_a_count_may_take_exactly_what_is_free(client, tokens, session, make_product, hold):
    product = make_product(on_hand=10)
    hold({product.id: 7})

    response = client.post(
        f"{STOCK}/{product.id}/adjustments",
        json={"delta": -3, "reason": "count"},
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 201
    stock = response.json["data"]["stock"]
    assert {k: stock[k] for k in ("on_hand", "reserved", "available")} == {
        "on_hand": 7,
        "reserved": 7,
        "available": 0,
    }


def test_an_adjustment_crossing_below_the_threshold_records_stock_low_once(
    client, tokens, make_product, session, outbox_events
):
    product = make_product(on_hand=30, ideal_quantity=100)
    url = f"{STOCK}/{product.id}/adjustments"

    for delta in (-11, -5):  # 19 (crosses below 20), then 14 (still below)
        client.post(url, json={"delta": delta, "reason": "loss"}, headers=tokens.headers("staff"))

    [event] = outbox_events(session, "stock.low", "product_id", str(product.id))
    assert event["data"] == {"product_id": str(product.id), "available": 19,
                             "ideal_quantity": 100, "product_name": product.name}  # fmt: skip
    assert level_of(session, product.id).low_stock is True


def test_adjustments_need_admin_or_staff(client, tokens, make_product):
    product = make_product()
    body = {"delta": 1, "reason": "receipt"}

    for role in ("client", "supplier", "service"):
        response = client.post(
            f"{STOCK}/{product.id}/adjustments", json=body, headers=tokens.headers(role)
        )
        assert response.status_code == 403
    assert client.post(f"{STOCK}/{product.id}/adjustments", json=body).status_code == 401
    missing = client.post(
        f"{STOCK}/{uuid.uuid4()}/adjustments", json=body, headers=tokens.headers("admin")
    )
    assert missing.status_code == 404


# -- levels and movements ---------------------------------------------------------------


def test_stock_levels_filter_below_a_percentage_of_the_ideal(client, tokens, section, make_product):
    make_product(name="Cheio", section=section, on_hand=90, ideal_quantity=100)
    make_product(name="Baixo", section=section, on_hand=19, ideal_quantity=100)
    make_product(name="No limite", section=section, on_hand=20, ideal_quantity=100)
    make_product(name="Sem ideal", section=section, on_hand=0, ideal_quantity=0)
    headers = tokens.headers("client")

    everything = client.get(f"{STOCK}?section={section}", headers=headers)
    low = client.get(f"{STOCK}?section={section}&below_percent=20", headers=headers)
    half = client.get(f"{STOCK}?section={section}&below_percent=50", headers=headers)

    assert [r["product_name"] for r in everything.json["data"]] == [
        "Baixo",
        "Cheio",
        "No limite",
        "Sem ideal",
    ]
    assert everything.json["meta"]["total"] == 4
    assert [r["product_name"] for r in low.json["data"]] == ["Baixo"]
    row = low.json["data"][0]
    assert (row["available"], row["percent_of_ideal"], row["low_stock"]) == (19, 19.0, True)
    assert [r["product_name"] for r in half.json["data"]] == ["Baixo", "No limite"]


def test_movements_are_the_ledger_newest_first_paginated(
    client, tokens, session, make_product, hold
):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()
    hold({product.id: 2}, order_id)
    url = f"{STOCK}/{product.id}/adjustments"
    client.post(url, json={"delta": 5, "reason": "receipt"}, headers=tokens.headers("admin"))
    client.post(url, json={"delta": -1, "reason": "loss"}, headers=tokens.headers("admin"))

    first = client.get(
        f"{STOCK}/{product.id}/movements?page_size=3", headers=tokens.headers("client")
    )
    second = client.get(
        f"{STOCK}/{product.id}/movements?page_size=3&page=2", headers=tokens.headers("client")
    )
    by_order = client.get(
        f"{STOCK}/{product.id}/movements?order_id={order_id}", headers=tokens.headers("staff")
    )

    assert [m["cause"] for m in first.json["data"]] == ["loss", "receipt", "order_reserved"]
    assert [m["cause"] for m in second.json["data"]] == ["initial"]
    assert first.json["meta"] == {"page": 1, "page_size": 3, "total": 4, "pages": 2}
    latest = first.json["data"][0]
    assert (latest["on_hand_after"], latest["reserved_after"], latest["available_after"]) == (
        14,
        2,
        12,
    )
    assert [m["order_id"] for m in by_order.json["data"]] == [str(order_id)]


def test_one_stock_level_and_missing_products(client, tokens, make_product):
    product = make_product(on_hand=3)

    one = client.get(f"{STOCK}/{product.id}", headers=tokens.headers("supplier"))
    missing = client.get(f"{STOCK}/{uuid.uuid4()}/movements", headers=tokens.headers("admin"))
    malformed = client.get(f"{STOCK}/xyz/movements", headers=tokens.headers("admin"))

    assert one.json["data"]["available"] == 3
    assert missing.status_code == 404
    assert malformed.status_code == 404 and malformed.json["status"] == "error"


# -- availability -----------------------------------------------------------------------


def test_availability_reports_shortages_unknown_products_and_reserves_nothing(
    client, tokens, session, make_product, make_supplier
):
    supplier = make_supplier()
    enough = make_product(on_hand=10, supplier_id=supplier.id)
    short = make_product(on_hand=2)
    inactive = make_product(on_hand=50, active=False)
    unknown = uuid.uuid4()
    body = {
        "items": [
            {"product_id": str(enough.id), "quantity": 4},
            {"product_id": str(enough.id), "quantity": 6},
            {"product_id": str(short.id), "quantity": 3},
            {"product_id": str(inactive.id), "quantity": 1},
            {"product_id": str(unknown), "quantity": 1},
        ]
    }

    response = client.post(
        f"{STOCK}/availability", json=body, headers=tokens.service_headers("order_service")
    )

    assert response.status_code == 200, response.json
    data = response.json["data"]
    assert data["available"] is False
    assert sorted(data["shortages"], key=lambda s: s["product_id"]) == sorted(
        [
            {"product_id": str(short.id), "requested": 3, "available": 2},
            {"product_id": str(inactive.id), "requested": 1, "available": 0},
            {"product_id": str(unknown), "requested": 1, "available": 0},
        ],
        key=lambda s: s["product_id"],
    )
    assert data["unknown_product_ids"] == [str(unknown)]
    described = {p["id"]: p for p in data["products"]}
    assert set(described) == {str(enough.id), str(short.id), str(inactive.id)}
    assert described[str(enough.id)] == {
        "id": str(enough.id),
        "name": enough.name,
        "unit": "un",
        "price": 10.0,
        "section": "Testes",
        "category": None,
        "supplier_id": str(supplier.id),
        "supplier_name": supplier.name,
        "supplier_active": True,
        "active": True,
        "available": 10,
    }
    assert b'"price":10.00' in response.data
    assert level_of(session, enough.id).reserved == 0


def test_availability_describes_the_supplier_as_not_active_unless_it_is_live(
    client, tokens, session, make_product, make_supplier
):
    inactive, deleted = make_supplier(), make_supplier()
    products = [
        make_product(supplier_id=inactive.id),
        make_product(supplier_id=deleted.id),
        make_product(),
    ]
    services.update_supplier(session, inactive.id, changes={"active": False})
    services.delete_supplier(session, deleted.id)
    body = {"items": [{"product_id": str(p.id), "quantity": 1} for p in products]}

    response = client.post(
        f"{STOCK}/availability", json=body, headers=tokens.service_headers("order_service")
    )

    assert response.status_code == 200, response.json
    described = {p["id"]: p for p in response.json["data"]["products"]}
    assert [
        (
            described[str(p.id)]["supplier_name"],
            described[str(p.id)]["supplier_active"],
            described[str(p.id)]["available"],
        )
        for p in products
    ] == [(inactive.name, False, 10), (deleted.name, False, 10), (None, False, 10)]
    assert response.json["data"]["available"] is True


def test_availability_is_true_when_every_line_fits(client, tokens, make_product):
    product = make_product(on_hand=5)
    body = {"items": [{"product_id": str(product.id), "quantity": 5}]}

    response = client.post(f"{STOCK}/availability", json=body, headers=tokens.headers("staff"))

    assert response.json["data"]["available"] is True
    assert response.json["data"]["shortages"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"items": []},
        {"items": [{"product_id": "x", "quantity": 1}]},
        {"items": [{"product_id": str(uuid.uuid4()), "quantity": 0}]},
        {},
    ],
)
def test_availability_input_is_validated(client, tokens, body):
    response = client.post(
        f"{STOCK}/availability", json=body, headers=tokens.service_headers("order_service")
    )

    assert response.status_code == 400


@pytest.mark.parametrize("role", ["client", "supplier"])
def test_availability_is_for_services_admin_and_staff(client, tokens, role):
    body = {"items": [{"product_id": str(uuid.uuid4()), "quantity": 1}]}

    response = client.post(f"{STOCK}/availability", json=body, headers=tokens.headers(role))

    assert response.status_code == 403
