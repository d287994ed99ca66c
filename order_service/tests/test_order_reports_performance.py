"""GET /orders/reports/performance: each figure and each alert against values worked out by
hand here, on orders placed in months no other test uses."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from order_service.api import STOCK_EXTENSION
from order_service.api.report_schemas import PerformanceReportSchema
from order_service.domain.reports import MonthWindow
from order_service.models import db
from order_service.reports.performance import performance_report
from shared.api import envelope, ok

REPORT = "/api/v1/orders/reports/performance"
BRASILIA = ZoneInfo("America/Sao_Paulo")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BRASILIA)


@pytest.fixture
def quarter(session, placed, backdate, make_client, make_product, make_supplier, past_year):
    """March–May of a past year of its own, with February as the baseline.

    Values (volume: not cancelled, not returned):
      Feb  A rice×10 = 100
      Mar  A rice×5 = 50; B beans×4 = 20                    → 70   (−30.00 %)
      Apr  A rice×10 = 100; B oil×2 = 40; B beans×2 cancel. → 140  (+100.00 %)
      May  A rice×20 = 200; B beans×10 = 50; A rice×1 ret.  → 250  (+78.57 %)
    The window splits on 16 April: every April order is on the 5th (first half).
    """
    year = past_year
    a, b = make_client(name="Escola A"), make_client(name="Escola B")
    vendor = make_supplier()
    rice = make_product(price="10.00", on_hand=1000)
    beans = make_product(price="5.00", on_hand=1000)
    oil = make_product(price="20.00", on_hand=1000, supplier_id=vendor["id"])
    plan = [
        (a, rice, 10, date(year, 2, 10), "delivered"),
        (a, rice, 5, date(year, 3, 3), "delivered"),
        (b, beans, 4, date(year, 3, 20), "approved"),
        (a, rice, 10, date(year, 4, 5), "delivered"),
        (b, oil, 2, date(year, 4, 5), "pending"),
        (b, beans, 2, date(year, 4, 5), "cancelled"),
        (a, rice, 20, date(year, 5, 2), "approved"),
        (b, beans, 10, date(year, 5, 30), "pending"),
        (a, rice, 1, date(year, 5, 31), "returned"),
    ]
    orders = []
    for who, product, quantity, day, status in plan:
        order = placed(who["id"], (product["id"], quantity))
        backdate(order["id"], at(day), status)
        orders.append(order)
    # Approvals 2 h, 5 h and 8 h after creation (March's two orders, May's approved one):
    # 5 h on average. The other orders were never approved (approved_at NULL).
    ids = [order["id"] for order in orders]
    session.execute(
        text("UPDATE orders.orders SET approved_at = NULL WHERE id = ANY(CAST(:ids AS uuid[]))"
             " AND status <> 'approved'"),
        {"ids": ids},
    )  # fmt: skip
    for order, hours in ((orders[1], 2), (orders[2], 5), (orders[6], 8)):
        session.execute(
            text(
                "UPDATE orders.orders SET approved_at = created_at + make_interval(hours => :h)"
                " WHERE id = :id"
            ),
            {"h": hours, "id": order["id"]},
        )
        session.execute(
            text(
                "INSERT INTO orders.order_status_history"
                " (order_id, from_status, to_status, changed_at, changed_by, changed_by_role)"
                " SELECT id, 'pending', 'approved', approved_at, 'tests', 'staff'"
                " FROM orders.orders WHERE id = :id"
            ),
            {"id": order["id"]},
        )
    session.commit()
    return {
        "year": year,
        "clients": (a, b),
        "products": {"rice": rice, "beans": beans, "oil": oil},
        "vendor": vendor,
    }


def performance(client, headers, money, **params):
    response = client.get(REPORT, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return money(response)["data"]


def test_the_quarters_figures(client, admin, quarter, money):
    data = performance(
        client, admin, money, months=3, until=f"{quarter['year']}-05", include_details="true"
    )
    year = quarter["year"]
    a, b = quarter["clients"]

    assert data["period"] == {
        "months": 3,
        "date_from": f"{year}-03-01",
        "date_to": f"{year}-05-31",
        "timezone": "America/Sao_Paulo",
    }
    overall = data["overall"]
    assert [(m["month"], m["orders"], m["value"], m["growth_percent"])
            for m in overall["monthly"]] == [
        (f"{year}-03", 2, Decimal("70.00"), Decimal("-30.00")),
        (f"{year}-04", 2, Decimal("140.00"), Decimal("100.00")),
        (f"{year}-05", 2, Decimal("250.00"), Decimal("78.57")),
    ]  # fmt: skip
    assert overall["monthly_growth"] == Decimal("49.52")  # (−30 + 100 + 78.57) ÷ 3
    assert (overall["total_orders"], overall["total_value"]) == (6, Decimal("460.00"))
    assert overall["average_ticket"] == Decimal("76.67")
    assert overall["avg_approval_hours"] == Decimal("5.00")  # (2 + 5 + 8) ÷ 3
    assert overall["cancellation_rate"] == Decimal("12.50")  # 1 of the window's 8 sales
    # Quantity, first half (to 15 April) → second half: beans 4 → 10, rice 15 → 20, oil 2 → 0.
    assert [(t["product_id"], t["first_half_quantity"], t["second_half_quantity"],
             t["growth_percent"]) for t in data["trends"]["trending_products"]] == [
        (quarter["products"]["beans"]["id"], 4, 10, Decimal("150.00")),
        (quarter["products"]["rice"]["id"], 15, 20, Decimal("33.33")),
    ]  # fmt: skip
    assert [(c["client_id"], c["orders"], c["value"], c["cancelled_orders"])
            for c in data["trends"]["most_active_clients"]] == [
        (a["id"], 3, Decimal("350.00"), 0),
        (b["id"], 3, Decimal("110.00"), 1),
    ]  # fmt: skip
    assert data["by_client"] == data["trends"]["most_active_clients"]


def _in_catalogue_since(admin_engine, days: int, *product_ids: str, active: bool = True) -> None:
    """Date products in the stock service's catalogue (and maybe deactivate them)."""
    with admin_engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE stock.products SET created_at = now() - make_interval(days => :days),"
                " active = :active WHERE id = ANY(CAST(:ids AS uuid[]))"
            ),
            {"days": days, "active": active, "ids": list(product_ids)},
        )


def test_the_alerts_name_what_needs_attention_today(
    client, admin, quarter, money, placed, make_client, make_product, admin_engine
):
    fresh = make_product(on_hand=1000)
    placed(make_client()["id"], (fresh["id"], 1))  # ordered today: not idle
    scarce = make_product(on_hand=10, ideal_quantity=100)  # 10 % of its ideal
    never, new, retired = make_product(name="Nunca pedido"), make_product(), make_product()
    _in_catalogue_since(
        admin_engine, 400, fresh["id"], *[p["id"] for p in quarter["products"].values()]
    )
    _in_catalogue_since(admin_engine, 45, never["id"])
    _in_catalogue_since(admin_engine, 45, retired["id"], active=False)  # not on sale

    alerts = {
        a["type"]: a
        for a in performance(client, admin, money, until=f"{quarter['year']}-05")["alerts"]
    }

    idle = alerts["products_without_orders"]
    idle_products = {i["id"]: i for i in idle["items"]}
    for product in quarter["products"].values():  # ordered in a past year, not since
        assert idle_products[product["id"]]["days_without_orders"] >= 30
        assert idle_products[product["id"]]["last_order_at"].startswith(str(quarter["year"]))
    assert idle_products[never["id"]] == {
        "id": never["id"],
        "name": "Nunca pedido",
        "last_order_at": None,  # never ordered: idle since it joined the catalogue
        "days_without_orders": 45,
    }
    assert idle["items"][0]["last_order_at"] is None  # the never ordered come first
    for not_idle in (fresh, new, retired):  # ordered today; new in the catalogue; inactive
        assert not_idle["id"] not in idle_products
    idle_suppliers = {i["id"] for i in alerts["suppliers_without_orders"]["items"]}
    assert quarter["vendor"]["id"] in idle_suppliers
    critical = {i["product_id"]: i for i in alerts["critical_stock"]["items"]}
    assert (critical[scarce["id"]]["available"], critical[scarce["id"]]["ideal_quantity"]) == (
        10,
        100,
    )
    assert fresh["id"] not in critical
    for alert in alerts.values():
        assert alert["description"] and alert["recommendation"]
        assert alert["count"] >= len(alert["items"])


def test_a_price_far_from_the_products_median_is_an_alert(
    client, admin, money, placed, backdate, make_client, make_product, stock_app, tokens, past_year
):
    year = past_year
    school = make_client()
    odd = make_product(price="10.00", on_hand=1000)
    for day in (3, 4, 5):
        order = placed(school["id"], (odd["id"], 1))
        backdate(order["id"], at(date(year, 6, day)))
    stock_app.test_client().put(
        f"/api/v1/products/{odd['id']}", json={"price": "30.00"}, headers=tokens.headers("admin")
    )
    dear = placed(school["id"], (odd["id"], 1))  # captured at 30.00: 200 % above the median
    backdate(dear["id"], at(date(year, 6, 6)))

    alerts = performance(client, admin, money, months=1, until=f"{year}-06")["alerts"]

    [outliers] = [a for a in alerts if a["type"] == "price_outliers"]
    assert [(i["order_id"], i["unit_price"], i["usual_price"], i["deviation_percent"])
            for i in outliers["items"]] == [
        (dear["id"], Decimal("30.00"), Decimal("10.00"), Decimal("200.00"))
    ]  # fmt: skip


def test_months_without_sales_have_no_growth(client, admin, money):
    data = performance(client, admin, money, months=2, until="1901-02")

    assert [(m["month"], m["orders"], m["growth_percent"]) for m in data["overall"]["monthly"]] == [
        ("1901-01", 0, None),
        ("1901-02", 0, None),
    ]
    assert data["overall"]["monthly_growth"] is None
    assert data["overall"]["avg_approval_hours"] is None
    assert data["overall"]["cancellation_rate"] == Decimal("0.00")
    assert data["trends"] == {"trending_products": [], "most_active_clients": []}


def test_by_default_the_last_whole_months(business_hour, client, tokens, money):
    data = performance(client, tokens.headers("admin"), money)

    first_of_this_month = business_hour.business_day.replace(day=1)
    assert data["period"]["date_to"] == (first_of_this_month - timedelta(days=1)).isoformat()
    assert data["period"]["months"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"months": 0}, "months"),
        ({"months": 25}, "months"),
        ({"months": "três"}, "months"),
        ({"until": "2026-13"}, "until"),
        ({"until": "11/2026"}, "until"),
        ({"until": "2999-01"}, "until"),
        ({"until": "0000-01"}, "until"),  # found by the fuzzer: was a 500
        ({"until": "1901-06", "months": 24}, "until"),  # would start in 1899
        ({"include_details": "talvez"}, "include_details"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, admin, params, field):
    response = client.get(REPORT, query_string=params, headers=admin)

    assert response.status_code == 400, response.get_data(as_text=True)
    assert field in [e["field"] for e in response.json["errors"]]


def test_only_admin_and_staff(client, staff, as_client, as_supplier):
    assert client.get(REPORT, query_string={"months": 1}, headers=staff).status_code == 200
    assert client.get(REPORT, headers=as_client(uuid.uuid4())).status_code == 403
    assert client.get(REPORT, headers=as_supplier(uuid.uuid4())).status_code == 403
    assert client.get(REPORT).status_code == 401


def test_the_report_written_without_marshmallow_is_what_its_schema_documents(
    client, admin, quarter, order_app
):
    until = f"{quarter['year']}-05"
    params = {"months": 3, "until": until, "include_details": "true"}
    response = client.get(REPORT, query_string=params, headers=admin)
    with order_app.test_request_context():
        report = performance_report(
            db.session,
            MonthWindow(date(quarter["year"], 5, 1), 3),
            include_details=True,
            stock=order_app.extensions[STOCK_EXTENSION],
        )
        documented = envelope(PerformanceReportSchema)().dump(
            ok(report, "Relatório de desempenho gerado.")
        )
        expected = json.loads(order_app.json.dumps(documented))
        db.session.remove()

    assert response.status_code == 200
    assert response.json == expected


def test_alerts_speak_the_callers_language(client, admin, quarter, money):
    """The alerts' texts are data, but people read them: they follow Accept-Language."""

    def alerts(language: str) -> dict:
        response = client.get(
            REPORT,
            query_string={"until": f"{quarter['year']}-05"},
            headers={**admin, "Accept-Language": language},
        )
        return {a["type"]: a for a in money(response)["data"]["alerts"]}

    english, portuguese = alerts("en"), alerts("pt-BR")

    idle_en, idle_pt = english["suppliers_without_orders"], portuguese["suppliers_without_orders"]
    assert "without orders for 60 days or more" in idle_en["description"]
    assert "sem pedidos há 60 dias ou mais" in idle_pt["description"]
    assert idle_en["recommendation"].startswith("Check the contract")
    assert idle_en["count"] == idle_pt["count"]
