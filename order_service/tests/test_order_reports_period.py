"""GET /orders/reports/period: every figure against values computed here, in plain Python."""

from __future__ import annotations

import json
import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from order_service.api.report_schemas import PeriodReportSchema
from order_service.domain.reports import ReportWindow
from order_service.messaging.relay import sweep
from order_service.models import db
from order_service.reports.period import period_report
from order_service.reports.rollup import stale_half_months
from shared.api import envelope, ok

REPORT = "/api/v1/orders/reports/period"
BRASILIA = ZoneInfo("America/Sao_Paulo")  # the test's own statement of the calendar
CENT = Decimal("0.01")


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=BRASILIA)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


@pytest.fixture(params=["three days", "half-months and edge days"])
def month(request, session, placed, backdate, make_client, make_product, make_supplier):
    """Eight orders in a window that no other test touches, with every case a figure must
    treat: both ends of the window, just outside it, cancelled, returned,
    deleted, lines of two suppliers and a line of none.

    Two shapes of window, the same orders: three days (the report reads day rollups), and
    the 10th of a month to the 3rd of the month after next, whose whole half-months are
    read as such — orders sit on the first and last instants of half-months and edge days.
    """
    north, south, east = make_client(), make_client(), make_client()
    rio, mar = make_supplier(), make_supplier()
    rice = make_product(price="10.00", on_hand=1000, supplier_id=rio["id"])
    beans = make_product(price="5.50", on_hand=1000, supplier_id=rio["id"])
    oil = make_product(price="100.00", on_hand=1000, supplier_id=mar["id"])
    salt = make_product(price="2.25", on_hand=1000)  # no supplier
    # A random day of years 2200–7600: two fixtures (or any other test's orders) share a
    # window about once in 100,000 runs; the report reads any date up to 9999.
    somewhere = date(2200, 1, 1) + timedelta(days=random.randrange(2_000_000))
    if request.param == "three days":
        first = somewhere
        last = first + timedelta(days=2)
        beans_at = at(first + timedelta(days=1), time(9))
        cancelled_at = at(first + timedelta(days=1), time(10))
        returned_at = at(first + timedelta(days=1), time(11))
        deleted_at = at(first + timedelta(days=1), time(12))
    else:
        first = somewhere.replace(day=10)
        last = _add_months(first, 2).replace(day=3)
        next_month = _add_months(first, 1)
        beans_at = at(first.replace(day=16), time(0, 0))  # first instant of a half-month
        cancelled_at = at(first.replace(day=15), time(23, 59, 59))  # an edge day's last
        returned_at = at(next_month.replace(day=15), time(23, 59, 59))  # a half-month's last
        deleted_at = at(next_month.replace(day=16), time(12))
    plan = [
        # client, lines, created at (Brasília), status, deleted
        (north, [(rice, 3), (oil, 1)], at(first, time(0, 0)), "delivered", False),
        (north, [(beans, 4)], beans_at, "pending", False),
        (south, [(rice, 1), (salt, 2)], at(last, time(23, 59, 59)), "approved", False),
        (south, [(oil, 2)], cancelled_at, "cancelled", False),
        (east, [(beans, 2)], returned_at, "returned", False),
        (east, [(rice, 10)], deleted_at, "pending", True),
        (north, [(rice, 1)], at(first - timedelta(days=1), time(23, 59, 59)), "pending", False),
        (south, [(rice, 1)], at(last + timedelta(days=1), time(0, 0)), "pending", False),
    ]
    orders = []
    for who, lines, created_at, status, deleted in plan:
        order = placed(who["id"], *[(product["id"], quantity) for product, quantity in lines])
        backdate(order["id"], created_at, status, deleted)
        orders.append(
            {
                "id": order["id"],
                "client": who,
                "lines": [(p, q, Decimal(p["price"])) for p, q in lines],
                "created_at": created_at,
                "status": status,
                "deleted": deleted,
            }
        )
    return {"first": first, "last": last, "orders": orders}


def expected(month) -> dict:
    """The report, computed from what the fixture wrote (no SQL)."""
    start = at(month["first"], time(0))
    end = at(month["last"] + timedelta(days=1), time(0))
    live = [o for o in month["orders"] if not o["deleted"] and start <= o["created_at"] < end]
    volume = [o for o in live if o["status"] not in ("cancelled", "returned")]

    def ticket(value: Decimal, orders: int) -> Decimal:
        return (value / orders).quantize(CENT) if orders else Decimal("0.00")

    def grouped(orders, key_name):
        groups = defaultdict(lambda: {"orders": set(), "quantity": 0, "value": Decimal(0)})
        for n, order in enumerate(orders):
            for product, quantity, price in order["lines"]:
                key = key_name(order, product)
                groups[key]["orders"].add(n)
                groups[key]["quantity"] += quantity
                groups[key]["value"] += quantity * price
        return {
            key: (len(g["orders"]), g["quantity"], g["value"], ticket(g["value"], len(g["orders"])))
            for key, g in groups.items()
        }

    total = sum((q * p for o in volume for _, q, p in o["lines"]), Decimal(0))
    return {
        "overall": {
            "total_orders": len(volume),
            "total_value": total,
            "clients_served": len({o["client"]["id"] for o in volume}),
            "distinct_products": len({p["id"] for o in volume for p, _, _ in o["lines"]}),
            "average_ticket": ticket(total, len(volume)),
            "cancelled_orders": sum(o["status"] == "cancelled" for o in live),
            "returned_orders": sum(o["status"] == "returned" for o in live),
        },
        "by_client": grouped(volume, lambda o, p: o["client"]["id"]),
        "by_product": grouped(volume, lambda o, p: p["id"]),
        "by_supplier": grouped(volume, lambda o, p: p.get("supplier_id")),
        "by_status": grouped(live, lambda o, p: o["status"]),
    }


def report(client, headers, month, money, group_by="client,product,supplier,status"):
    response = client.get(
        REPORT,
        query_string={
            "date_from": month["first"].isoformat(),
            "date_to": month["last"].isoformat(),
            "group_by": group_by,
        },
        headers=headers,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return money(response)["data"]


def test_every_figure_matches_the_orders_of_the_window(client, admin, month, money):
    data = report(client, admin, month, money)
    want = expected(month)

    assert data["period"] == {
        "date_from": month["first"].isoformat(),
        "date_to": month["last"].isoformat(),
        "days": (month["last"] - month["first"]).days + 1,
        "timezone": "America/Sao_Paulo",
    }
    assert_matches(data, want)


def test_half_months_folded_by_the_relay_give_the_same_figures(
    client, admin, month, money, order_engine
):
    """A report folds days and reads a changed half-month as its days; once the order
    relay's sweep has folded the half-months, the report reads them — the same figures."""
    read_as_days = report(client, admin, month, money)
    with order_engine.begin() as connection:
        sweep(connection)
        assert stale_half_months(connection) == frozenset()

    assert_matches(report(client, admin, month, money), expected(month))
    assert_matches(read_as_days, expected(month))


def test_the_figures_themselves(client, admin, month, money):
    """The same report, read as a person would check it on paper."""
    data = report(client, admin, month, money, group_by="status,supplier")

    # In: 130.00 (delivered), 22.00 (pending), 14.50 (approved); cancelled 200 and returned
    # 11 are counted apart; the deleted order and the two just outside the window are not.
    assert data["overall"]["total_orders"] == 3
    assert data["overall"]["total_value"] == Decimal("166.50")
    assert data["overall"]["average_ticket"] == Decimal("55.50")
    assert (data["overall"]["cancelled_orders"], data["overall"]["returned_orders"]) == (1, 1)
    assert [g["id"] for g in data["by_status"]] == ["cancelled", "delivered", "pending",
                                                     "approved", "returned"]  # fmt: skip
    no_supplier = next(g for g in data["by_supplier"] if g["id"] is None)
    assert (no_supplier["name"], no_supplier["value"]) == ("Sem fornecedor", Decimal("4.50"))
    assert "by_client" not in data and "by_product" not in data


def test_a_window_without_sales_is_all_zeros(client, admin, money):
    response = client.get(
        REPORT,
        query_string={"date_from": "1901-01-01", "date_to": "1901-01-31", "group_by": "client"},
        headers=admin,
    )

    data = money(response)["data"]
    assert data["overall"] == {
        "total_orders": 0,
        "total_value": Decimal("0.00"),
        "clients_served": 0,
        "distinct_products": 0,
        "average_ticket": Decimal("0.00"),
        "cancelled_orders": 0,
        "returned_orders": 0,
    }
    assert data["by_client"] == []


def test_a_sale_placed_today_is_in_todays_report_at_every_hour(
    business_hour, client, tokens, placed, make_client, make_product, money
):
    school = make_client()
    placed(school["id"], (make_product(price="7.00")["id"], 3))
    today = business_hour.business_day.isoformat()

    response = client.get(
        REPORT,
        query_string={"date_from": today, "date_to": today, "group_by": "client"},
        headers=tokens.headers("admin"),
    )

    mine = [g for g in money(response)["data"]["by_client"] if g["id"] == school["id"]]
    assert [(g["orders"], g["value"]) for g in mine] == [(1, Decimal("21.00"))]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_to": "2026-01-31"}, "date_from"),
        ({"date_from": "2026-01-01"}, "date_to"),
        ({"date_from": "01/01/2026", "date_to": "2026-01-31"}, "date_from"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-31"}, "date_from"),
        ({"date_from": "2025-01-01", "date_to": "2026-01-02"}, "date_to"),  # 367 days
        ({"date_from": "9999-12-01", "date_to": "9999-12-31"}, "date_to"),  # no day after
        ({"date_from": "0001-01-01", "date_to": "0001-01-31"}, "date_from"),
        ({"date_from": "2026-01-01", "date_to": "2026-01-31", "group_by": "school"}, "group_by"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, admin, params, field):
    response = client.get(REPORT, query_string=params, headers=admin)

    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["code"] == "validation_error"
    assert field in [e["field"].split(".")[0] for e in response.json["errors"]]


def test_a_leap_year_fits_in_one_report(client, admin):
    response = client.get(
        REPORT, query_string={"date_from": "2024-01-01", "date_to": "2024-12-31"}, headers=admin
    )

    assert response.status_code == 200
    assert response.json["data"]["period"]["days"] == 366


def test_only_admin_and_staff_read_reports(client, staff, as_client, as_supplier, tokens):
    params = {"date_from": "2026-01-01", "date_to": "2026-01-31"}

    statuses = {
        who: client.get(REPORT, query_string=params, headers=headers).status_code
        for who, headers in {
            "staff": staff,
            "client": as_client(uuid.uuid4()),
            "supplier": as_supplier(uuid.uuid4()),
            "service": tokens.service_headers("order_service"),
        }.items()
    }
    anonymous = client.get(REPORT, query_string=params)

    assert statuses == {"staff": 200, "client": 403, "supplier": 403, "service": 403}
    assert anonymous.status_code == 401


def test_the_report_written_without_marshmallow_is_what_its_schema_documents(
    client, admin, month, order_app
):
    params = {
        "date_from": month["first"].isoformat(),
        "date_to": month["last"].isoformat(),
        "group_by": "client,product,supplier,status",
    }
    response = client.get(REPORT, query_string=params, headers=admin)
    with order_app.test_request_context():
        report = period_report(
            db.session,
            ReportWindow(month["first"], month["last"]),
            ["client", "product", "supplier", "status"],
        )
        documented = envelope(PeriodReportSchema)().dump(ok(report, "Relatório do período gerado."))
        expected = json.loads(order_app.json.dumps(documented))
        db.session.remove()

    assert response.json == expected


def test_changes_made_after_a_report_are_in_the_next_one(client, admin, month, money, order_engine):
    """Through the API, as people change orders: a quantity, a cancellation, a deletion.
    The report reads rollups; the next request must see every change, in any old day."""
    report(client, admin, month, money)  # the rollups are folded once before the changes
    orders = month["orders"]
    beans_order, approved = orders[1], orders[2]
    beans_id = beans_order["id"]
    item = client.get(f"/api/v1/orders/{beans_id}", headers=admin).json["data"]["items"][0]

    changed = client.patch(
        f"/api/v1/orders/{beans_id}/items/{item['id']}", json={"quantity": 7}, headers=admin
    )
    cancelled = client.put(
        f"/api/v1/orders/{approved['id']}", json={"status": "cancelled"}, headers=admin
    )
    after_change = report(client, admin, month, money)
    deleted = client.delete(f"/api/v1/orders/{beans_id}", headers=admin)

    assert [r.status_code for r in (changed, cancelled, deleted)] == [200, 200, 200]
    beans, _, _ = beans_order["lines"][0]
    beans_order["lines"] = [(beans, 7, Decimal(beans["price"]))]
    approved["status"] = "cancelled"
    assert_matches(after_change, expected(month))
    beans_order["deleted"] = True
    assert_matches(report(client, admin, month, money), expected(month))
    with order_engine.begin() as connection:
        sweep(connection)  # the half-months too
    assert_matches(report(client, admin, month, money), expected(month))


def assert_matches(data: dict, want: dict) -> None:
    assert data["overall"] == want["overall"]
    for grouping in ("by_client", "by_product", "by_supplier", "by_status"):
        got = {
            g["id"]: (g["orders"], g["quantity"], g["value"], g["average_ticket"])
            for g in data[grouping]
        }
        assert got == want[grouping], grouping
