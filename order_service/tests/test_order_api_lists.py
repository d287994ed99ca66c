"""GET /orders, /clients/{id}/orders, /suppliers/{id}/orders: filters, scope, pages, summaries."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from order_service import pages
from order_service.api.order_schemas import OrderSummarySchema
from order_service.api.page_schemas import listed
from order_service.domain.access import Actor, ActorRole
from order_service.messaging.saga import apply_stock_reply
from order_service.models import db
from order_service.orders.criteria import OrderFilters
from order_service.orders.lists import list_orders
from shared.api import ok
from shared.clock import business_today
from shared.db import unit_of_work
from shared.events import new_event

ORDERS = "/api/v1/orders"


@pytest.fixture
def world(placed, make_client, make_product, make_supplier):
    """Two schools, two suppliers, three products, four orders (oldest first)."""
    boa_safra, laticinios = make_supplier(), make_supplier()
    section = f"Seção {uuid.uuid4().hex[:8]}"
    rice = make_product(price="27.90", on_hand=100, supplier_id=boa_safra["id"], section=section)
    beans = make_product(price="8.49", on_hand=100, supplier_id=boa_safra["id"])
    milk = make_product(price="5.29", on_hand=100, supplier_id=laticinios["id"], unit="l")
    north, south = make_client(), make_client()
    orders = [
        placed(north["id"], (rice["id"], 2)),
        placed(north["id"], (rice["id"], 1), (beans["id"], 4)),
        placed(south["id"], (milk["id"], 10)),
        placed(north["id"], (milk["id"], 3), (rice["id"], 1)),
    ]
    return {
        "suppliers": (boa_safra, laticinios),
        "products": (rice, beans, milk),
        "clients": (north, south),
        "orders": orders,
        "section": section,
    }


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [order["id"] for order in response.json["data"]]


def listing(client, headers, **params):
    return client.get(ORDERS, query_string=params, headers=headers)


def test_the_list_is_newest_first_and_paginated(client, admin, world):
    north = world["clients"][0]
    o1, o2, _, o4 = world["orders"]

    first = listing(client, admin, client_id=north["id"], page_size=2)
    second = listing(client, admin, client_id=north["id"], page_size=2, page=2)

    assert ids(first) == [o4["id"], o2["id"]]
    assert ids(second) == [o1["id"]]
    assert first.json["meta"] == {
        "page": 1,
        "page_size": 2,
        "total": 3,
        "pages": 2,
        "total_exact": True,
    }
    oldest_first = listing(client, admin, client_id=north["id"], sort="created_at")
    assert ids(oldest_first) == [o1["id"], o2["id"], o4["id"]]


def test_sorting_by_total(client, admin, world):
    north = world["clients"][0]

    totals = [
        Decimal(str(o["total"]))
        for o in listing(client, admin, client_id=north["id"], sort="-total").json["data"]
    ]

    assert totals == sorted(totals, reverse=True)


def test_filters_by_product_section_supplier_and_id(client, admin, world):
    rice, beans, milk = world["products"]
    boa_safra, laticinios = world["suppliers"]
    o1, o2, o3, o4 = world["orders"]

    assert set(ids(listing(client, admin, product_id=beans["id"]))) == {o2["id"]}
    assert set(ids(listing(client, admin, product_id=milk["id"]))) == {o3["id"], o4["id"]}
    assert set(ids(listing(client, admin, section=world["section"].upper()))) == {
        o1["id"],
        o2["id"],
        o4["id"],
    }
    assert set(ids(listing(client, admin, supplier_id=laticinios["id"]))) == {o3["id"], o4["id"]}
    assert set(ids(listing(client, admin, supplier_id=boa_safra["id"]))) == {
        o1["id"],
        o2["id"],
        o4["id"],
    }
    assert ids(listing(client, admin, id=o3["id"])) == [o3["id"]]
    both = listing(client, admin, product_id=rice["id"], supplier_id=laticinios["id"])
    assert ids(both) == [o4["id"]]


def test_filters_by_status_stock_status_and_dates(client, admin, world, session):
    north = world["clients"][0]
    o1, o2, _, o4 = world["orders"]
    with unit_of_work(session):
        apply_stock_reply(
            session,
            new_event(
                "stock.reserved",
                {"order_id": o2["id"], "order_version": 1, "items": []},
                source="stock_service",
            ),
        )
    client.put(f"{ORDERS}/{o1['id']}", json={"status": "cancelled"}, headers=admin)
    today = business_today()

    def of_north(**params):
        return set(ids(listing(client, admin, client_id=north["id"], **params)))

    assert of_north(status="cancelled") == {o1["id"]}
    assert of_north(status="pending") == {o2["id"], o4["id"]}
    assert of_north(stock_status="reserved") == {o2["id"]}
    assert of_north(date_from=today.isoformat(), date_to=today.isoformat()) == {
        o1["id"],
        o2["id"],
        o4["id"],
    }
    assert of_north(date_to=(today - timedelta(days=1)).isoformat()) == set()
    assert of_north(date_from=(today + timedelta(days=1)).isoformat()) == set()


def test_an_order_belongs_to_the_brasilia_day_it_was_placed_at_every_hour(
    business_hour, client, tokens, placed, make_client, make_product
):
    school = make_client()
    order = placed(school["id"], (make_product()["id"], 1))
    admin = tokens.headers("admin")
    day = business_hour.business_day

    def on(first, last):
        return ids(listing(client, admin, client_id=school["id"], date_from=first, date_to=last))

    assert on(day.isoformat(), day.isoformat()) == [order["id"]]
    other = business_hour.utc_day if business_hour.utc_day != day else day + timedelta(days=1)
    assert on(other.isoformat(), other.isoformat()) == []


def test_with_details_adds_the_names(client, admin, world):
    north = world["clients"][0]
    boa_safra, _ = world["suppliers"]
    rice, _, _ = world["products"]
    o1 = world["orders"][0]

    plain = listing(client, admin, id=o1["id"]).json["data"][0]
    detailed = listing(client, admin, id=o1["id"], with_details="true").json["data"][0]

    assert "client_name" not in plain
    assert "product_name" not in plain["items"][0]
    assert plain["items"][0]["quantity"] == 2
    assert detailed["client_name"] == north["name"]
    assert detailed["items"][0]["product_name"] == rice["name"]
    assert detailed["items"][0]["supplier_name"] == boa_safra["name"]
    assert detailed["item_count"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-02-10", "date_to": "2026-02-01"}, "date_from"),
        ({"date_from": "10/02/2026"}, "date_from"),
        ({"status": "aprovado"}, "status"),
        ({"stock_status": "ok"}, "stock_status"),
        ({"client_id": "abc"}, "client_id"),
        ({"product_id": "123"}, "product_id"),
        ({"id": "x"}, "id"),
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": 10**30}, "page"),  # an OFFSET the database could not take
        ({"section": "Mercearia\x00"}, "section"),  # text PostgreSQL cannot hold
        ({"sort": "price"}, "sort"),
        ({"with_details": "talvez"}, "with_details"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client, admin, params, field):
    response = listing(client, admin, **params)

    assert response.status_code == 400
    assert field in [e["field"] for e in response.json["errors"]]


# -- scope ------------------------------------------------------------------------------


def test_a_client_lists_only_its_own_orders(client, as_client, world):
    north, south = world["clients"]
    o1, o2, _, o4 = world["orders"]

    mine = listing(client, as_client(north["id"]))
    filtered = listing(client, as_client(north["id"]), client_id=north["id"])
    other = listing(client, as_client(north["id"]), client_id=south["id"])

    assert set(ids(mine)) == {o1["id"], o2["id"], o4["id"]}
    assert set(ids(filtered)) == set(ids(mine))
    assert other.status_code == 403


def test_a_supplier_lists_only_orders_with_its_products(client, as_supplier, world):
    boa_safra, laticinios = world["suppliers"]
    _, _, o3, o4 = world["orders"]

    mine = listing(client, as_supplier(laticinios["id"]))
    other = listing(client, as_supplier(laticinios["id"]), supplier_id=boa_safra["id"])

    assert set(ids(mine)) == {o3["id"], o4["id"]}
    assert other.status_code == 403


def test_a_service_token_does_not_list_orders(client, tokens):
    assert listing(client, tokens.service_headers("order_service")).status_code == 403


def test_without_a_token_it_is_a_401(client):
    assert client.get(ORDERS).status_code == 401


# -- a client's orders ------------------------------------------------------------------


def test_a_clients_summary_alone_counts_as_the_reports_do(client, admin, world, money):
    north = world["clients"][0]
    rice, _, _ = world["products"]
    first = world["orders"][0]  # 2 × 27.90, cancelled below
    today = business_today().isoformat()
    cancelled = client.put(f"/api/v1/orders/{first['id']}", json={"status": "cancelled"},
                           headers=admin)  # fmt: skip
    assert cancelled.status_code == 200

    response = client.get(
        f"/api/v1/clients/{north['id']}/orders",
        query_string={"summary": "true", "date_from": today, "page_size": 2},
        headers=admin,
    )

    assert response.status_code == 200
    body = money(response)
    data = body["data"]
    assert set(data) == {"client", "period", "summary"}  # only the summary (003: resumo)
    assert "meta" not in body
    assert data["client"] == {"id": north["id"], "name": north["name"], "deleted": False}
    assert data["period"] == {"date_from": today, "date_to": None}
    summary = data["summary"]
    assert summary["total_orders"] == 2
    # (27.90 + 4 × 8.49) + (3 × 5.29 + 27.90); the cancelled 55.80 is not volume
    assert summary["total_value"] == Decimal("105.63")  # 61.86 + 43.77
    assert summary["by_status"]["pending"] == 2
    assert summary["by_status"]["cancelled"] == 1
    assert summary["by_status"]["delivered"] == 0
    assert summary["top_product"] == {
        "product_id": rice["id"],
        "name": rice["name"],
        "orders": 2,
        "quantity": 2,
    }


def test_the_summary_is_only_there_when_asked(client, admin, world):
    north = world["clients"][0]

    data = client.get(f"/api/v1/clients/{north['id']}/orders", headers=admin).json["data"]

    assert "summary" not in data
    assert len(data["orders"]) == 3


def test_who_may_read_a_clients_orders(client, as_client, as_supplier, world):
    north, south = world["clients"]
    boa_safra, _ = world["suppliers"]
    path = f"/api/v1/clients/{north['id']}/orders"

    assert client.get(path, headers=as_client(north["id"])).status_code == 200
    assert client.get(path, headers=as_client(south["id"])).status_code == 403
    assert client.get(path, headers=as_supplier(boa_safra["id"])).status_code == 403


def test_a_deleted_client_keeps_its_history(client, admin, world):
    south = world["clients"][1]
    o3 = world["orders"][2]

    assert client.delete(f"/api/v1/clients/{south['id']}", headers=admin).status_code == 200
    history = client.get(f"/api/v1/clients/{south['id']}/orders", headers=admin)

    assert history.status_code == 200
    assert history.json["data"]["client"]["deleted"] is True
    assert [o["id"] for o in history.json["data"]["orders"]] == [o3["id"]]
    assert ids(listing(client, admin, client_id=south["id"])) == [o3["id"]]


def test_an_unknown_clients_orders_are_a_404(client, admin):
    assert client.get(f"/api/v1/clients/{uuid.uuid4()}/orders", headers=admin).status_code == 404


# -- a supplier's orders ----------------------------------------------------------------


def test_a_suppliers_orders_with_summary(client, as_supplier, world, money):
    _, laticinios = world["suppliers"]
    _, _, o3, o4 = world["orders"]

    response = client.get(
        f"/api/v1/suppliers/{laticinios['id']}/orders", headers=as_supplier(laticinios["id"])
    )

    assert response.status_code == 200
    data = money(response)["data"]
    assert data["supplier"] == {"id": laticinios["id"], "name": laticinios["name"]}
    assert {o["id"] for o in data["orders"]} == {o3["id"], o4["id"]}
    assert data["summary"] == {
        "total_orders": 2,
        "total_value": Decimal("68.77"),  # only its own lines: (10 + 3) × 5.29
        "clients_served": 2,
        "products_supplied": 1,
    }


def test_who_may_read_a_suppliers_orders(client, staff, as_supplier, as_client, world):
    boa_safra, laticinios = world["suppliers"]
    north = world["clients"][0]
    path = f"/api/v1/suppliers/{boa_safra['id']}/orders"

    assert client.get(path, headers=staff).status_code == 200
    assert client.get(path, headers=as_supplier(laticinios["id"])).status_code == 403
    assert client.get(path, headers=as_client(north["id"])).status_code == 403


def test_a_supplier_without_orders_is_named_by_the_stock_service_or_404(
    client, admin, make_supplier
):
    quiet = make_supplier()

    known = client.get(f"/api/v1/suppliers/{quiet['id']}/orders", headers=admin)
    unknown = client.get(f"/api/v1/suppliers/{uuid.uuid4()}/orders", headers=admin)

    assert known.status_code == 200
    assert known.json["data"]["supplier"]["name"] == quiet["name"]
    assert known.json["data"]["summary"]["total_orders"] == 0
    assert unknown.status_code == 404


# -- counting a big table ----------------------------------------------------------------


def test_past_the_count_cap_the_total_is_an_estimate(client, admin, world, monkeypatch, caplog):
    north = world["clients"][0]
    rice, _, _ = world["products"]
    monkeypatch.setattr(pages, "COUNT_CAP", 2)
    caplog.set_level(logging.WARNING, logger="pedidos.orders.queries")

    response = listing(
        client,
        admin,
        client_id=north["id"],
        product_id=rice["id"],
        status="pending",
        date_from=business_today().isoformat(),
        section=world["section"],
        page_size=1,
    )

    assert response.status_code == 200
    meta = response.json["meta"]
    assert meta["total_exact"] is False
    assert meta["total"] >= 3
    assert len(response.json["data"]) == 1
    assert "row estimate failed" not in caplog.text  # the planner answered (no fallback)


BIG_SECTION_ORDERS = 3_000


@pytest.fixture
def big_section(admin_engine, sql_client_id):
    """3,000 one-line orders in one new section, written in SQL, then ANALYZE; removed after."""
    section = f"Estimativa {uuid.uuid4().hex[:8]}"
    client = sql_client_id
    with admin_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO orders.orders (id, type, client_id, status, stock_status, total,"
                " created_by) SELECT md5(:section || g)::uuid, 'sale', :client, 'pending',"
                " 'reserved', 1, 'test' FROM generate_series(1, :n) AS g"
            ),
            {"section": section, "client": client, "n": BIG_SECTION_ORDERS},
        )
        connection.execute(
            text(
                "INSERT INTO orders.order_items (id, order_id, position, product_id, quantity,"
                " unit_price, product_name, unit, section, order_created_at)"
                " SELECT gen_random_uuid(), o.id, 1, gen_random_uuid(), 1, 1, 'Arroz', 'kg',"
                " :section, o.created_at FROM orders.orders AS o WHERE o.client_id = :client"
            ),
            {"section": section, "client": client},
        )
        connection.execute(text("ANALYZE orders.orders, orders.order_items"))
    yield section
    with admin_engine.begin() as connection:
        connection.execute(text("DELETE FROM orders.orders WHERE client_id = :c"), {"c": client})
        connection.execute(text("ANALYZE orders.orders, orders.order_items"))


def test_a_section_s_estimated_total_is_close_to_its_true_count(client, admin, big_section):
    # Migration 0003's statistics: without them the planner guessed 0.5 % of the items for
    # any section, and meta.total said 1,001 (the floor past the cap) for these 3,000.
    response = listing(client, admin, section=big_section.upper(), page_size=1)

    assert response.status_code == 200, response.get_data(as_text=True)
    meta = response.json["meta"]
    assert meta["total_exact"] is False
    assert 0.8 * BIG_SECTION_ORDERS <= meta["total"] <= 1.25 * BIG_SECTION_ORDERS, meta


@pytest.mark.parametrize("details", [False, True])
def test_the_list_written_without_marshmallow_is_what_its_schema_documents(
    client, admin, world, order_app, details
):
    north = world["clients"][0]
    response = listing(client, admin, client_id=north["id"], with_details=str(details).lower())
    with order_app.test_request_context():
        page = list_orders(
            db.session,
            Actor("admin", ActorRole.ADMIN),
            OrderFilters(client_id=uuid.UUID(north["id"])),
            with_details=details,
        )
        documented = listed(OrderSummarySchema, many=True)().dump(
            ok(page.items, "Pedidos encontrados.", meta=page.meta)
        )
        expected = json.loads(order_app.json.dumps(documented))
        db.session.remove()

    assert response.json == expected
    assert list(response.json["data"][0]) == list(expected["data"][0])  # same key order
