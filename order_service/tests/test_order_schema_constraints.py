"""The database itself refuses what code must never write, and has the indexes lists need."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from order_service.models import SCHEMA, db
from shared.migrations import schema_drift


def test_models_and_migrations_agree(admin_engine):
    with admin_engine.connect() as connection:
        assert schema_drift(connection, db.metadata, SCHEMA) == []


def _order(connection, **overrides) -> uuid.UUID:
    values = {
        "id": uuid.uuid4(),
        "type": "sale",
        "client_id": None,
        "supplier_id": None,
        "status": "pending",
        "stock_status": "awaiting",
        "total": 0,
        "created_by": "test",
        **overrides,
    }
    connection.execute(
        text(
            "INSERT INTO orders.orders (id, type, client_id, supplier_id, status, stock_status,"
            " total, created_by) VALUES (:id, :type, :client_id, :supplier_id, :status,"
            " :stock_status, :total, :created_by)"
        ),
        values,
    )
    return values["id"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "aprovado"},
        {"stock_status": "ok"},
        {"type": "gift"},
        {"total": -1},
        {"client_id": None},  # a sale needs its client
        {"type": "replenishment", "supplier_id": None},
        {"status": "approved"},  # approved needs approved_at
    ],
)
def test_orders_refuse_impossible_rows(admin_engine, sql_client_id, overrides):
    values = {"client_id": sql_client_id, **overrides}
    with pytest.raises(IntegrityError), admin_engine.begin() as connection:
        _order(connection, **values)


@pytest.mark.parametrize(
    ("quantity", "price"),
    [(0, "1.00"), (-1, "1.00"), (1, "-0.01")],
)
def test_items_refuse_non_positive_quantities_and_negative_prices(
    admin_engine, sql_client_id, quantity, price
):
    with admin_engine.begin() as connection:
        order_id = _order(connection, client_id=sql_client_id)
    with pytest.raises(IntegrityError), admin_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO orders.order_items (id, order_id, position, product_id, quantity,"
                " unit_price, product_name, unit, order_created_at) VALUES (:id, :order_id, 1,"
                " :product_id, :quantity, :price, 'x', 'un', now())"
            ),
            {
                "id": uuid.uuid4(),
                "order_id": order_id,
                "product_id": uuid.uuid4(),
                "quantity": quantity,
                "price": price,
            },
        )


def test_line_totals_are_computed_by_the_database(admin_engine, sql_client_id):
    with admin_engine.begin() as connection:
        order_id = _order(connection, client_id=sql_client_id)
        connection.execute(
            text(
                "INSERT INTO orders.order_items (id, order_id, position, product_id, quantity,"
                " unit_price, product_name, unit, order_created_at) VALUES (:id, :order_id, 1,"
                " :product_id, 3, 27.90, 'x', 'un', now())"
            ),
            {"id": uuid.uuid4(), "order_id": order_id, "product_id": uuid.uuid4()},
        )
        total = connection.scalar(
            text("SELECT line_total FROM orders.order_items WHERE order_id = :id"),
            {"id": order_id},
        )
    assert str(total) == "83.70"


@pytest.mark.parametrize(
    "overrides",
    [{"document": "123.456.789-09"}, {"email": "Upper@X.com"}, {"phone": "abc"}],
)
def test_clients_keep_documents_as_digits_and_emails_lowercase(admin_engine, overrides):
    identifier = uuid.uuid4()
    values = {
        "id": identifier,
        "email": f"{identifier.hex}@x.com",
        "document": "12345678909",
        "phone": None,
        **overrides,
    }
    with pytest.raises(IntegrityError), admin_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO orders.clients (id, name, email, document, phone)"
                " VALUES (:id, 'x', :email, :document, :phone)"
            ),
            values,
        )


def test_the_indexes_lists_need_exist(admin_engine):
    with admin_engine.connect() as connection:
        indexes = dict(
            connection.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'orders'")
            ).all()
        )
    expected = {
        "ix_orders_live_created": "(created_at DESC, id DESC) WHERE (deleted_at IS NULL)",
        "ix_orders_live_client_created": "(client_id, created_at DESC, id DESC)",
        "ix_orders_live_status_created": "(status, created_at DESC, id DESC)",
        "ix_orders_supplier_created": "(supplier_id, created_at DESC)",
        "ix_order_items_product_recent": "(product_id, order_created_at DESC, order_id DESC)",
        "ix_order_items_supplier_recent": "(supplier_id, order_created_at DESC, order_id DESC)",
        "ix_order_items_section_recent": "(lower((section)::text), order_created_at DESC,",
        "uq_order_items_order_id_product_id": "(order_id, product_id)",
        "uq_clients_email_live": "(email) WHERE (deleted_at IS NULL)",
        "uq_clients_document_live": "(document) WHERE (deleted_at IS NULL)",
    }
    for name, definition in expected.items():
        assert definition in indexes[name], (name, indexes[name])
