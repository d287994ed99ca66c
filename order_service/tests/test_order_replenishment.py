"""POST /orders/auto/low-stock: one replenishment order per supplier for ideal − available;
a simulation answers the same and writes nothing; a second run orders nothing twice."""

from __future__ import annotations

import uuid
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from order_service.models import Order

LOW_STOCK = "/api/v1/orders/auto/low-stock"


@pytest.fixture
def shelf(make_supplier, make_product):
    """A section of its own (the runs below are limited to it), with every case."""
    section = f"Reposição {uuid.uuid4().hex[:8]}"
    boa, mar = make_supplier(name="A Boa Safra"), make_supplier(name="B Mar Azul")
    closed = make_supplier(name="C Fechada", active=False)

    def product(name, ideal, on_hand, supplier=None, price="10.00"):
        return make_product(
            name=f"{name} {section}",
            section=section,
            ideal_quantity=ideal,
            on_hand=on_hand,
            price=price,
            supplier_id=supplier["id"] if supplier else None,
        )

    return {
        "section": section,
        "suppliers": (boa, mar, closed),
        "rice": product("Arroz", 100, 10, boa, price="27.90"),  # 10 % → 90
        "beans": product("Feijão", 50, 5, boa, price="8.49"),  # 10 % → 45
        "oil": product("Óleo", 40, 2, mar, price="7.50"),  # 5 % → 38
        "salt": product("Sal", 10, 1),  # no supplier
        "flour": product("Farinha", 10, 0, closed),  # inactive supplier
        "sugar": product("Açúcar", 100, 50, boa),  # 50 %: not low
    }


def plan_of(data):
    """What a run planned, without the ids a real run adds."""
    return [
        (
            o["supplier_name"],
            [(i["product_id"], i["quantity"], i["line_total"]) for i in o["items"]],
        )
        for o in data["details"]
    ]


def replenishment_orders(session, supplier_ids):
    total = session.scalar(
        select(func.count())
        .select_from(Order)
        .where(
            Order.type == "replenishment",
            Order.supplier_id.in_([uuid.UUID(s) for s in supplier_ids]),
        )
    )
    session.rollback()
    return total


def test_simulate_then_run_then_run_again(client, admin, shelf, session, events, money):
    body = {"section": shelf["section"]}
    boa, mar, closed = shelf["suppliers"]

    simulated = client.post(LOW_STOCK, json={**body, "simulate": True}, headers=admin)
    assert simulated.status_code == 200, simulated.get_data(as_text=True)
    assert replenishment_orders(session, [boa["id"], mar["id"]]) == 0
    real = client.post(LOW_STOCK, json=body, headers=admin)
    again = client.post(LOW_STOCK, json=body, headers=admin)

    assert real.status_code == 201, real.get_data(as_text=True)
    sim, run, rerun = money(simulated)["data"], money(real)["data"], money(again)["data"]
    expected = [
        (
            "A Boa Safra",
            [(shelf["rice"]["id"], 90, D("2511.00")), (shelf["beans"]["id"], 45, D("382.05"))],
        ),
        ("B Mar Azul", [(shelf["oil"]["id"], 38, D("285.00"))]),
    ]
    assert plan_of(sim) == plan_of(run) == expected
    assert sim["total_value"] == run["total_value"] == D("3178.05")  # 2511.00 + 382.05 + 285.00
    # Six active products in the section, five below 20 %; two orders written, none simulated.
    assert [(d["total_analyzed"], d["low_stock_items"], d["orders_created"], d["simulated"])
            for d in (sim, run)] == [(6, 5, 0, True), (6, 5, 2, False)]  # fmt: skip
    assert all(o["order_id"] is None for o in sim["details"])
    assert sorted((p["product_id"], p["reason"]) for p in run["not_processed"]) == sorted([
        (shelf["salt"]["id"], "Produto sem fornecedor."),
        (shelf["flour"]["id"], "Fornecedor inativo ou excluído."),
    ])  # fmt: skip
    assert sim["not_processed"] == run["not_processed"]
    # Written: one pending replenishment order per supplier, addressed to it, with its event.
    assert replenishment_orders(session, [boa["id"], mar["id"]]) == 2
    for planned in run["details"]:
        order = client.get(f"/api/v1/orders/{planned['order_id']}", headers=admin).json["data"]
        assert (order["type"], order["status"], order["stock_status"]) == (
            "replenishment",
            "pending",
            "not_required",
        )
        assert order["supplier_id"] == planned["supplier_id"]
        [created] = events(session, planned["order_id"], "order.created")
        assert created["data"]["order_type"] == "replenishment"
        assert created["data"]["supplier_id"] == planned["supplier_id"]
        assert [i["quantity"] for i in created["data"]["items"]] == [
            i["quantity"] for i in planned["items"]
        ]
    # The second run: everything low is already on an open order; nothing is written.
    assert again.status_code == 200
    assert rerun["details"] == []
    assert sorted(
        (p["product_id"], p["number"]) for p in rerun["already_on_open_orders"]
    ) == sorted([(i["product_id"], o["number"]) for o in run["details"] for i in o["items"]])
    assert replenishment_orders(session, [boa["id"], mar["id"]]) == 2


def test_a_higher_threshold_takes_more_products(client, admin, shelf, money):
    data = money(
        client.post(
            LOW_STOCK,
            json={"section": shelf["section"], "threshold_percent": 60, "simulate": True},
            headers=admin,
        )
    )["data"]

    ordered = {i["product_id"]: i["quantity"] for o in data["details"] for i in o["items"]}
    assert ordered[shelf["sugar"]["id"]] == 50  # 50 % < 60 %: 100 − 50


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"threshold_percent": 0}, "threshold_percent"),
        ({"threshold_percent": 101}, "threshold_percent"),
        ({"threshold_percent": "vinte"}, "threshold_percent"),
        ({"section": ""}, "section"),
        ({"simulate": "talvez"}, "simulate"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, admin, body, field):
    response = client.post(LOW_STOCK, json=body, headers=admin)

    assert response.status_code == 400, response.get_data(as_text=True)
    assert field in [e["field"] for e in response.json["errors"]]


def test_only_admin_and_staff(client, staff, as_client, as_supplier, shelf):
    body = {"section": shelf["section"], "simulate": True}

    assert client.post(LOW_STOCK, json=body, headers=staff).status_code == 200
    assert client.post(LOW_STOCK, json=body, headers=as_client(uuid.uuid4())).status_code == 403
    assert client.post(LOW_STOCK, json=body, headers=as_supplier(uuid.uuid4())).status_code == 403
    assert client.post(LOW_STOCK, json=body).status_code == 401
