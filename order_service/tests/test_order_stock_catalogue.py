"""HttpStockCatalogue against a real local HTTP server: what each kind of failure becomes.

The conftest's stock server is the real stock app, which never times out nor answers 5xx
or garbage; this server answers whatever a test scripts, over real sockets.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from http.server import ThreadingHTTPServer

import pytest
import requests

from order_service.app import create_app
from order_service.stock_catalogue import HttpStockCatalogue, StockUnavailable
from tests.support.local_http import JsonHandler, serving

PRODUCT = uuid.uuid4()
AVAILABLE = {
    "status": "success",
    "data": {
        "available": True,
        "shortages": [],
        "unknown_product_ids": [],
        "products": [
            {
                "id": str(PRODUCT),
                "name": "Arroz",
                "unit": "kg",
                "price": 12.34,
                "section": "Mercearia",
                "category": "Grãos",
                "supplier_id": None,
                "supplier_name": None,
                "active": True,
                "available": 7,
            }
        ],
    },
}


class Scripted(ThreadingHTTPServer):
    """Answers every request with `reply`; remembers what it was asked and on which socket."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply: tuple[int, bytes] = (200, json.dumps(AVAILABLE).encode())
        self.delay = 0.0
        self.requests: list[dict] = []
        self.connections: set[tuple[str, int]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class _Handler(JsonHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn answers
    server: Scripted

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.connections.add(self.client_address)
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers),
                "body": self.rfile.read(length) if length else b"",
            }
        )
        time.sleep(self.server.delay)
        self.send_json(*self.server.reply)

    do_GET = do_POST = _answer


@pytest.fixture
def server() -> Iterator[Scripted]:
    with serving(Scripted()) as httpd:
        yield httpd


@pytest.fixture
def catalogue(server: Scripted) -> Iterator[Callable[..., HttpStockCatalogue]]:
    made: list[HttpStockCatalogue] = []

    def make(url: str | None = None, **kwargs) -> HttpStockCatalogue:
        kwargs.setdefault("token", lambda: "service-token")
        made.append(HttpStockCatalogue(url or server.url, **kwargs))
        return made[-1]

    yield make
    for each in made:
        each.close()


def test_availability_is_asked_with_the_service_token_and_parsed_exactly(server, catalogue):
    availability = catalogue().check_availability([(PRODUCT, 3)])

    assert availability.available is True
    assert availability.products[PRODUCT].price == Decimal("12.34")
    assert availability.products[PRODUCT].available == 7
    (asked,) = server.requests
    assert (asked["method"], asked["path"]) == ("POST", "/api/v1/stock/availability")
    assert asked["headers"]["Authorization"] == "Bearer service-token"
    assert asked["headers"]["Content-Type"] == "application/json"
    assert json.loads(asked["body"]) == {"items": [{"product_id": str(PRODUCT), "quantity": 3}]}


def test_connections_are_kept_alive_between_calls(server, catalogue):
    stock = catalogue()

    for _ in range(3):
        stock.check_availability([(PRODUCT, 1)])

    assert len(server.requests) == 3
    assert len(server.connections) == 1


def test_a_path_prefix_in_the_base_url_is_kept(server, catalogue):
    catalogue(server.url + "/stock-prefix/").check_availability([(PRODUCT, 1)])

    assert server.requests[0]["path"] == "/stock-prefix/api/v1/stock/availability"


def test_a_stock_service_slower_than_the_read_timeout_is_unavailable(server, catalogue):
    server.delay = 1.0
    stock = catalogue(read_timeout=0.2)

    started = time.monotonic()
    with pytest.raises(StockUnavailable):
        stock.check_availability([(PRODUCT, 1)])

    assert time.monotonic() - started < 0.9  # gave up at the timeout, did not wait it out


def test_a_refused_connection_is_unavailable(catalogue):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free now, and nobody listens once closed

    with pytest.raises(StockUnavailable):
        catalogue(f"http://127.0.0.1:{port}").check_availability([(PRODUCT, 1)])


@pytest.mark.parametrize("status", [500, 502, 503, 400, 401, 403, 404])
def test_any_answer_but_200_to_availability_is_unavailable(server, catalogue, status):
    server.reply = (status, b'{"status": "error"}')

    with pytest.raises(StockUnavailable):
        catalogue().check_availability([(PRODUCT, 1)])


def test_an_answer_that_is_not_json_is_unavailable(server, catalogue):
    server.reply = (200, b"<html>proxy error</html>")

    with pytest.raises(StockUnavailable):
        catalogue().check_availability([(PRODUCT, 1)])


def test_a_token_endpoint_that_fails_is_unavailable_and_the_stock_is_not_called(server, catalogue):
    def no_token() -> str:
        raise requests.ConnectionError("auth service down")

    with pytest.raises(StockUnavailable):
        catalogue(token=no_token).check_availability([(PRODUCT, 1)])

    assert server.requests == []


def test_a_supplier_the_stock_does_not_know_is_none_and_a_5xx_is_unavailable(server, catalogue):
    stock = catalogue()
    supplier_id = uuid.uuid4()

    server.reply = (404, b'{"status": "error"}')
    assert stock.supplier(supplier_id) is None

    server.reply = (200, json.dumps({"data": {"id": str(supplier_id), "name": "Acme"}}).encode())
    assert stock.supplier(supplier_id).name == "Acme"
    assert server.requests[-1]["path"] == f"/api/v1/suppliers/{supplier_id}"

    server.reply = (503, b"")
    with pytest.raises(StockUnavailable):
        stock.supplier(supplier_id)


def test_a_5xx_from_the_stock_service_is_a_503_envelope_on_post_orders(
    server, catalogue, order_settings, tokens, make_client
):
    server.reply = (500, b'{"status": "error"}')
    app = create_app(order_settings, verifier=tokens.verifier(), stock=catalogue())

    response = app.test_client().post(
        "/api/v1/orders",
        json={
            "client_id": make_client()["id"],
            "items": [{"product_id": str(PRODUCT), "quantity": 1}],
        },
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json["code"] == "stock_unavailable"
