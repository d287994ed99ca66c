"""Fixtures of the order service tests: the app, a real stock service over HTTP, builders.

The order app talks to a real stock app served by werkzeug in a thread, on the run's
database (schema stock), exactly as in production but in-process: nothing is mocked. Both
apps trust the same TokenFactory; the order app's service token comes from it too.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from order_service.app import create_app
from order_service.config import OrderSettings
from order_service.messaging.saga import apply_stock_reply
from order_service.models import db, outbox
from order_service.stock_catalogue import HttpStockCatalogue
from shared.db import sqlalchemy_url, unit_of_work
from shared.events import new_event
from stock_service.app import create_app as create_stock_app
from stock_service.config import StockSettings
from tests.support.documents import random_cnpj as new_cnpj
from tests.support.documents import random_cpf as new_cpf
from tests.support.tokens import TokenFactory

ORDERS = "/api/v1/orders"
CLIENTS = "/api/v1/clients"


def exact_json(response) -> Any:
    """The JSON body with numbers as Decimals, to compare money exactly."""
    return json.loads(response.get_data(as_text=True), parse_float=Decimal)


class ServerThread:
    """A WSGI app on a free local port, in a thread (a real HTTP server)."""

    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture(scope="session")
def order_settings(test_database) -> OrderSettings:
    return OrderSettings(
        service_name="order_service",
        environment="test",
        database_url=test_database.url_for("order_service"),
        db_pool_size=10,
        db_max_overflow=10,
    )


@pytest.fixture(scope="session")
def stock_app(test_database, tokens: TokenFactory, tmp_path_factory) -> Flask:
    settings = StockSettings(
        service_name="stock_service",
        environment="test",
        database_url=test_database.url_for("stock_service"),
        images_dir=str(tmp_path_factory.mktemp("order-tests-images")),
    )
    return create_stock_app(settings, verifier=tokens.verifier())


@pytest.fixture(scope="session")
def stock_server(stock_app: Flask) -> Iterator[ServerThread]:
    with ServerThread(stock_app) as server:
        yield server


@pytest.fixture(scope="session")
def stock_catalogue(stock_server: ServerThread, tokens: TokenFactory) -> HttpStockCatalogue:
    return HttpStockCatalogue(stock_server.url, token=lambda: tokens.service_token("order_service"))


@pytest.fixture(scope="session")
def order_app(
    order_settings: OrderSettings, tokens: TokenFactory, stock_catalogue: HttpStockCatalogue
) -> Iterator[Flask]:
    app = create_app(order_settings, verifier=tokens.verifier(), stock=stock_catalogue)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(order_app: Flask) -> FlaskClient:
    return order_app.test_client()


@pytest.fixture(scope="session")
def order_engine(order_settings: OrderSettings) -> Iterator[Engine]:
    engine = create_engine(
        sqlalchemy_url(order_settings.database_url),
        pool_size=4,
        connect_args={"options": "-c lock_timeout=10000 -c statement_timeout=20000"},
    )
    yield engine
    engine.dispose()


@pytest.fixture
def session(order_engine: Engine) -> Iterator[Session]:
    with Session(order_engine, expire_on_commit=False) as s:
        yield s


# -- callers ----------------------------------------------------------------------------


@pytest.fixture
def admin(tokens: TokenFactory) -> dict[str, str]:
    return tokens.headers("admin")


@pytest.fixture
def staff(tokens: TokenFactory) -> dict[str, str]:
    return tokens.headers("staff")


@pytest.fixture
def as_client(tokens: TokenFactory) -> Callable[..., dict[str, str]]:
    """Headers of a `client` user bound to `client_id` (a fixed subject per client)."""
    return lambda client_id: tokens.headers(
        "client", sub=f"user-of-{client_id}", client_id=str(client_id)
    )


@pytest.fixture
def as_supplier(tokens: TokenFactory) -> Callable[..., dict[str, str]]:
    return lambda supplier_id: tokens.headers("supplier", supplier_id=str(supplier_id))


# -- builders ---------------------------------------------------------------------------


@pytest.fixture
def make_supplier(stock_app: Flask, tokens: TokenFactory) -> Callable[..., dict[str, Any]]:
    """A supplier in the stock service (through its API)."""

    def build(**fields: Any) -> dict[str, Any]:
        body = {"name": f"Fornecedor {uuid.uuid4().hex[:8]}", "cnpj": new_cnpj(), **fields}
        response = stock_app.test_client().post(
            "/api/v1/suppliers", json=body, headers=tokens.headers("admin")
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.json["data"]

    return build


@pytest.fixture
def make_product(stock_app: Flask, tokens: TokenFactory) -> Callable[..., dict[str, Any]]:
    """A product with stock in the stock service (through its API)."""

    def build(*, on_hand: int = 10, price: str = "10.00", **fields: Any) -> dict[str, Any]:
        body = {
            "name": f"Produto {uuid.uuid4().hex[:8]}",
            "price": price,
            "section": "Mercearia",
            "category": "Grãos",
            "unit": "un",
            "initial_stock": on_hand,
            **fields,
        }
        body["price"] = float(Decimal(body["price"]))
        response = stock_app.test_client().post(
            "/api/v1/products", json=body, headers=tokens.headers("admin")
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.json["data"]

    return build


@pytest.fixture
def change_product(stock_app: Flask, tokens: TokenFactory) -> Callable[..., dict[str, Any]]:
    def change(product_id: str, **fields: Any) -> dict[str, Any]:
        if "price" in fields:
            fields["price"] = float(Decimal(fields["price"]))
        response = stock_app.test_client().put(
            f"/api/v1/products/{product_id}", json=fields, headers=tokens.headers("admin")
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json["data"]

    return change


@pytest.fixture
def make_client(client: FlaskClient, admin: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """A client record (through the order API, as staff would)."""

    def build(**fields: Any) -> dict[str, Any]:
        tag = uuid.uuid4().hex[:10]
        body = {
            "name": f"Escola {tag}",
            "email": f"escola-{tag}@exemplo.edu.br",
            "document": new_cnpj(),
            "phone": "11987654321",
            "address": "Rua das Flores, 123",
            **fields,
        }
        response = client.post(CLIENTS, json=body, headers=admin)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.json["data"]

    return build


@pytest.fixture
def place(client: FlaskClient, admin: dict[str, str]) -> Callable[..., Any]:
    """POST /orders as admin (or the given headers); returns the response."""

    def post(client_id: str, *lines: tuple[str, int], headers=None, **fields: Any):
        body = {
            "client_id": client_id,
            "items": [{"product_id": p, "quantity": q} for p, q in lines],
            **fields,
        }
        return client.post(ORDERS, json=body, headers=headers or admin)

    return post


@pytest.fixture
def placed(place: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """A placed order's data (asserts 201)."""

    def build(client_id: str, *lines: tuple[str, int], **kwargs: Any) -> dict[str, Any]:
        response = place(client_id, *lines, **kwargs)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.json["data"]

    return build


def outbox_of(session: Session, order_id: str, event_type: str | None = None) -> list[dict]:
    """Payloads of the outbox events about `order_id`, oldest first."""
    stmt = select(outbox.c.payload, outbox.c.headers).where(
        outbox.c.payload["data"]["order_id"].astext == str(order_id)
    )
    if event_type:
        stmt = stmt.where(outbox.c.event_type == event_type)
    rows = session.execute(stmt.order_by(outbox.c.created_at, outbox.c.id)).all()
    session.rollback()
    return [{**row.payload, "_headers": row.headers} for row in rows]


@pytest.fixture
def events() -> Callable[..., list[dict]]:
    return outbox_of


@pytest.fixture
def backdate(session: Session) -> Callable[..., None]:
    """Move an order to another moment and status, as if it had happened then (reports)."""

    def move(order_id: str, created_at: Any, status: str = "pending", deleted: bool = False):
        values = {"t": created_at, "s": status, "d": deleted, "id": order_id}
        session.execute(
            text(
                "UPDATE orders.orders SET created_at = :t, status = :s,"
                " approved_at = CASE WHEN :s = 'pending' THEN NULL ELSE :t END,"
                " deleted_at = CASE WHEN :d THEN :t END WHERE id = :id"
            ),
            values,
        )
        session.execute(
            text(
                "UPDATE orders.order_items SET order_created_at = :t, order_live = NOT :d"
                " WHERE order_id = :id"
            ),
            values,
        )
        session.commit()

    return move


@pytest.fixture(scope="session")
def _unused_years() -> Iterator[int]:
    years = list(range(1901, 2000))
    random.shuffle(years)
    return iter(years)


@pytest.fixture
def past_year(_unused_years: Iterator[int]) -> int:
    """A past year no other test of this run places orders in (the run's database is its
    own), for tests whose report figures must see their own orders only."""
    return next(_unused_years)


@pytest.fixture
def reserve(session: Session) -> Callable[..., None]:
    """The stock service's reservation reply, as the consumer would apply it."""

    def run(order_id: str, version: int = 1) -> None:
        event = new_event(
            "stock.reserved",
            {"order_id": order_id, "order_version": version, "items": []},
            source="stock_service",
        )
        with unit_of_work(session):
            apply_stock_reply(session, event)

    return run


@pytest.fixture
def cnpj() -> Callable[[], str]:
    """Makes random valid CNPJs."""
    return new_cnpj


@pytest.fixture
def cpf() -> Callable[[], str]:
    return new_cpf


@pytest.fixture
def money() -> Callable[[Any], Any]:
    """Parse a response body with numbers as Decimals."""
    return exact_json


@pytest.fixture
def sql_client_id(admin_engine) -> uuid.UUID:
    """A client row written in SQL, for tests that write orders below the API."""
    identifier = uuid.uuid4()
    with admin_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO orders.clients (id, name, email, document)"
                " VALUES (:id, 'x', :email, :document)"
            ),
            {
                "id": identifier,
                "email": f"{identifier.hex}@x.com",
                "document": str(identifier.int)[:14].rjust(14, "0"),
            },
        )
    return identifier
