"""Fixtures of the stock service tests: the app, sessions on the run's database, builders."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from shared.db import sqlalchemy_url
from shared.events import OrderCreated, OrderLine, event_of
from stock_service import services
from stock_service.app import create_app
from stock_service.config import StockSettings
from stock_service.models import Product, StockLedgerEntry, Supplier, outbox
from stock_service.reservations import apply_order_event
from tests.support.documents import random_cnpj, random_gtin13
from tests.support.tokens import TokenFactory

TEST_IMAGES_MAX_BYTES = 64 * 1024


@pytest.fixture(scope="session")
def stock_settings(test_database, tmp_path_factory) -> StockSettings:
    return StockSettings(
        service_name="stock_service",
        environment="test",
        database_url=test_database.url_for("stock_service"),
        images_dir=str(tmp_path_factory.mktemp("images")),
        images_max_bytes=TEST_IMAGES_MAX_BYTES,
        db_pool_size=5,
    )


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture(scope="session")
def stock_app(stock_settings: StockSettings, tokens: TokenFactory) -> Flask:
    return create_app(stock_settings, verifier=tokens.verifier())


@pytest.fixture
def client(stock_app: Flask) -> FlaskClient:
    return stock_app.test_client()


@pytest.fixture(scope="session")
def stock_engine(stock_settings: StockSettings) -> Iterator[Engine]:
    engine = create_engine(
        sqlalchemy_url(stock_settings.database_url),
        pool_size=16,
        max_overflow=4,
        # A test that would deadlock or wait forever fails instead.
        connect_args={"options": "-c lock_timeout=10000 -c statement_timeout=20000"},
    )
    yield engine
    engine.dispose()


@pytest.fixture
def session(stock_engine: Engine) -> Iterator[Session]:
    with Session(stock_engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def section() -> str:
    """A section no other test uses, to isolate list filters from the rest of the run."""
    return f"Seção {uuid.uuid4().hex[:10]}"


@pytest.fixture
def make_supplier(session: Session) -> Callable[..., Supplier]:
    def build(**fields: Any) -> Supplier:
        data = {
            "name": f"Fornecedor {uuid.uuid4().hex[:8]}",
            "cnpj": random_cnpj(),
            "email": None,
            "whatsapp": None,
            "active": True,
            **fields,
        }
        return services.create_supplier(session, data=data)

    return build


@pytest.fixture
def make_product(session: Session) -> Callable[..., Product]:
    def build(*, on_hand: int = 10, low_stock_percent: int = 20, **fields: Any) -> Product:
        data = {
            "name": f"Produto {uuid.uuid4().hex[:8]}",
            "price": Decimal("10.00"),
            "barcode": random_gtin13(),
            "section": "Testes",
            "category": None,
            "unit": "un",
            "ideal_quantity": 0,
            "active": True,
            "initial_stock": on_hand,
            **fields,
        }
        return services.create_product(
            session, data=data, actor="test", low_stock_percent=low_stock_percent
        )

    return build


def ledger_of(session: Session, product_id: uuid.UUID) -> list[StockLedgerEntry]:
    """A product's ledger, oldest first."""
    return list(
        session.scalars(
            select(StockLedgerEntry)
            .where(StockLedgerEntry.product_id == product_id)
            .order_by(StockLedgerEntry.id)
        )
    )


def outbox_for(session: Session, event_type: str, key: str, value: str) -> list[dict]:
    """Payloads of outbox events of `event_type` whose data[key] == value, oldest first."""
    rows = session.execute(
        select(outbox.c.payload)
        .where(outbox.c.event_type == event_type, outbox.c.payload["data"][key].astext == value)
        .order_by(outbox.c.created_at)
    ).scalars()
    return list(rows)


@pytest.fixture
def ledger() -> Callable[[Session, uuid.UUID], list[StockLedgerEntry]]:
    return ledger_of


@pytest.fixture
def outbox_events() -> Callable[..., list[dict]]:
    return outbox_for


@pytest.fixture
def new_barcode() -> Callable[[], str]:
    return random_gtin13


@pytest.fixture
def new_cnpj() -> Callable[[], str]:
    return random_cnpj


@pytest.fixture
def hold(session: Session) -> Callable[..., Any]:
    """hold(product_id=quantity map): units held for a sale the way production does it."""
    return lambda items, order_id=None: _hold(session, items, order_id or uuid.uuid4())


def _hold(session: Session, items: dict[uuid.UUID, int], order_id: uuid.UUID) -> Any:
    created = OrderCreated(
        order_id=order_id,
        order_version=1,
        client_id=uuid.uuid4(),
        items=[OrderLine(product_id, quantity) for product_id, quantity in items.items()],
    )
    return apply_order_event(session, event_of(created, source="order_service"))
