"""Unhandled errors reach Sentry when SENTRY_DSN is set, and nothing is sent without it."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk

from order_service.app import create_app
from order_service.config import OrderSettings


class _SentryIntake(BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def sentry_intake() -> Iterator[tuple[str, list]]:
    _SentryIntake.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentryIntake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://publickey@127.0.0.1:{server.server_port}/42", _SentryIntake.received
    finally:
        server.shutdown()
        server.server_close()
        sentry_sdk.init(dsn=None)  # leave the process as the other tests expect it


def _app_that_fails(test_database, dsn: str):
    settings = OrderSettings(
        service_name="order_service",
        database_url=test_database.url_for("order_service"),
        service_client_secret="order-service-secret-for-tests",
        sentry_dsn=dsn,
    )
    app = create_app(settings)

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom: an unhandled error")

    app.view_functions["boom"]._public = True
    return app


def test_unhandled_error_is_reported_to_sentry(test_database, sentry_intake):
    dsn, received = sentry_intake
    client = _app_that_fails(test_database, dsn).test_client()

    response = client.get("/boom")
    sentry_sdk.flush(timeout=5)

    assert response.status_code == 500
    assert response.json["code"] == "internal_error"
    assert "kaboom" not in response.get_data(as_text=True)  # details stay out of the response
    assert any(path == "/api/42/envelope/" and b"kaboom" in body for path, body in received)


def test_nothing_is_sent_without_a_dsn(test_database, sentry_intake):
    _, received = sentry_intake
    client = _app_that_fails(test_database, "").test_client()

    response = client.get("/boom")
    sentry_sdk.flush(timeout=2)

    assert response.status_code == 500
    assert received == []
