"""Forwarding through the gateway: paths, headers, request ids, body limits, streaming."""

import hashlib
import http.client
import json
import re
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from flask import request

from gateway.edge import PROXY_ROUTE
from gateway.upstreams import Upstreams
from shared.metrics import REQUESTS

MIB = 1024 * 1024


def test_path_and_query_string_are_forwarded_unchanged(gateway, services, auth_header):
    response = requests.get(
        f"{gateway.url}/api/v1/products/abc?q=caf%C3%A9&page=2&tag=a&tag=b",
        headers=auth_header,
        timeout=5,
    )

    seen = services["stock_service"].seen[-1]
    assert response.status_code == 200
    assert seen["path"] == "/api/v1/products/abc"
    assert seen["query"] == "q=caf%C3%A9&page=2&tag=a&tag=b"


def test_a_suppliers_orders_go_to_the_order_service(gateway, services, auth_header):
    orders = requests.get(
        f"{gateway.url}/api/v1/suppliers/s-1/orders", headers=auth_header, timeout=5
    )
    supplier = requests.get(f"{gateway.url}/api/v1/suppliers/s-1", headers=auth_header, timeout=5)

    assert orders.json()["service"] == "order_service"
    assert supplier.json()["service"] == "stock_service"


def test_method_body_and_status_pass_through(gateway, services, auth_header):
    payload = {"client_id": "c-1", "items": [{"product_id": "p-1", "quantity": 2}]}

    response = requests.put(
        f"{gateway.url}/api/v1/orders/o-1?status=409", json=payload, headers=auth_header, timeout=5
    )

    seen = services["order_service"].seen[-1]
    assert response.status_code == 409
    assert seen["method"] == "PUT"
    assert seen["content_type"] == "application/json"
    assert seen["body_sha256"] == hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def test_an_unknown_route_is_a_404_envelope(gateway, auth_header):
    for path in ("/api/v1/nothing-here", "/somewhere/else", "/api/v1"):
        response = requests.get(f"{gateway.url}{path}", headers=auth_header, timeout=5)

        assert response.status_code == 404, path
        assert response.json() == {
            "status": "error",
            "message": "Rota não encontrada.",
            "code": "not_found",
            "errors": [],
            "request_id": response.headers["X-Request-ID"],
        }


def test_a_request_id_is_created_and_sent_to_the_service(gateway, services, auth_header):
    response = requests.get(f"{gateway.url}/api/v1/orders", headers=auth_header, timeout=5)

    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert services["order_service"].seen[-1]["headers"]["X-Request-Id"] == request_id


def test_the_callers_request_id_is_kept_end_to_end(gateway, services, auth_header):
    response = requests.get(
        f"{gateway.url}/api/v1/orders",
        headers={**auth_header, "X-Request-ID": "trace-123"},
        timeout=5,
    )

    assert response.headers["X-Request-ID"] == "trace-123"
    assert services["order_service"].seen[-1]["headers"]["X-Request-Id"] == "trace-123"
    assert services["order_service"].seen[-1]["headers"]["X-Correlation-Id"] == "trace-123"


def test_a_proxied_request_skips_flasks_cycle_yet_is_logged_and_counted(
    gateway, auth_header, caplog
):
    through_flask: list[str] = []
    gateway.app.before_request(lambda: through_flask.append(request.path))
    answered = REQUESTS.labels("gateway", "GET", PROXY_ROUTE, "200")
    counted_before = answered._value.get()

    proxied = requests.get(f"{gateway.url}/api/v1/orders?page=2", headers=auth_header, timeout=5)
    refused = requests.get(f"{gateway.url}/api/v1/orders", timeout=5)  # no token: an error
    health = requests.get(f"{gateway.url}/health", timeout=5)

    assert (proxied.status_code, refused.status_code, health.status_code) == (200, 401, 200)
    assert through_flask == ["/health"]  # gateway.edge answered both API requests
    assert answered._value.get() == counted_before + 1
    lines = [r for r in caplog.records if r.name == "pedidos.http" and r.getMessage() == "request"]
    assert [(r.method, r.path, r.status) for r in lines] == [
        ("GET", "/api/v1/orders", 200),
        ("GET", "/api/v1/orders", 401),
    ]


def test_a_method_the_proxy_does_not_forward_is_a_405_listing_those_it_does(gateway, auth_header):
    response = requests.request(
        "TRACE", f"{gateway.url}/api/v1/orders", headers=auth_header, timeout=5
    )

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) == {
        "DELETE",
        "GET",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "POST",
        "PUT",
    }


def test_error_responses_carry_the_request_id_too(gateway):
    response = requests.get(
        f"{gateway.url}/api/v1/orders", headers={"X-Request-ID": "err-42"}, timeout=5
    )

    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "err-42"
    assert response.json()["request_id"] == "err-42"


def test_forwarded_headers_say_who_called_and_how(gateway, services, auth_header):
    requests.get(f"{gateway.url}/api/v1/orders", headers=auth_header, timeout=5)
    requests.get(
        f"{gateway.url}/api/v1/orders",
        headers={**auth_header, "X-Forwarded-For": "203.0.113.9"},
        timeout=5,
    )

    direct, behind_proxy = (seen["headers"] for seen in services["order_service"].seen)
    assert direct["X-Forwarded-For"] == "127.0.0.1"
    assert direct["X-Forwarded-Proto"] == "http"
    assert direct["X-Forwarded-Host"] == gateway.host
    assert direct["Host"] != gateway.host  # the service is addressed as itself
    assert behind_proxy["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"


def test_hop_by_hop_headers_are_stripped_both_ways(gateway, services, auth_header):
    response = requests.get(
        f"{gateway.url}/api/v1/orders/hop",
        headers={
            **auth_header,
            "Connection": "keep-alive, X-Private-Hop",
            "X-Private-Hop": "secret",
            "Keep-Alive": "timeout=5",
            "Proxy-Authorization": "Basic abc",
        },
        timeout=5,
    )

    seen = services["order_service"].seen[-1]["headers"]
    assert "X-Private-Hop" not in seen
    assert "Keep-Alive" not in seen
    assert "Proxy-Authorization" not in seen
    assert response.status_code == 200
    assert "X-Upstream-Hop" not in response.headers
    assert "timeout=99" not in response.headers.get("Keep-Alive", "")


def test_repeated_set_cookie_headers_are_relayed_apart(gateway, auth_header):
    response = requests.get(f"{gateway.url}/api/v1/orders/cookies", headers=auth_header, timeout=5)

    assert response.raw.headers.getlist("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/"]


def test_a_redirect_is_relayed_without_the_internal_address(gateway, auth_header):
    response = requests.get(
        f"{gateway.url}/api/v1/orders/redirect",
        headers=auth_header,
        allow_redirects=False,
        timeout=5,
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/api/v1/orders/elsewhere"


def test_a_json_body_over_2_mib_is_refused_before_the_service_sees_it(gateway, services, keys):
    # The limit is checked on Content-Length; the body is read only to be thrown away, so the
    # client sees the 413 instead of a connection reset.
    connection = http.client.HTTPConnection(gateway.host, timeout=5)
    connection.putrequest("POST", "/api/v1/orders")
    connection.putheader("Authorization", f"Bearer {keys.token()}")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(3 * MIB))
    connection.putheader("X-Request-ID", "too-big")
    connection.endheaders()
    connection.send(b"x" * (3 * MIB))

    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()

    assert response.status == 413
    assert body["code"] == "payload_too_large"
    assert body["request_id"] == "too-big"
    assert response.getheader("X-Request-ID") == "too-big"
    assert services["order_service"].seen == []


def test_a_chunked_body_over_the_limit_is_counted_and_refused(gateway, services, auth_header):
    def three_mib():
        for _ in range(48):
            yield b"x" * (64 * 1024)

    response = requests.post(
        f"{gateway.url}/api/v1/orders",
        data=three_mib(),  # no length: sent with Transfer-Encoding: chunked
        headers={**auth_header, "Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert services["order_service"].seen == []


def test_a_chunked_body_within_the_limit_reaches_the_service_whole(gateway, services, auth_header):
    pieces = [bytes([n]) * 100_000 for n in range(5)]

    response = requests.post(
        f"{gateway.url}/api/v1/orders/import",
        data=iter(pieces),
        headers={**auth_header, "Content-Type": "text/csv"},
        timeout=10,
    )

    seen = services["order_service"].seen[-1]
    assert response.status_code == 200
    assert seen["body_length"] == 500_000
    assert seen["body_sha256"] == hashlib.sha256(b"".join(pieces)).hexdigest()
    assert seen["headers"]["Content-Length"] == "500000"  # spooled, then sent with its length


def test_a_large_json_body_within_the_limit_is_streamed_whole(gateway, services, auth_header):
    body = json.dumps({"orders": ["x" * 1000] * 1500}).encode()  # about 1.5 MiB

    response = requests.post(
        f"{gateway.url}/api/v1/orders/import",
        data=body,
        headers={**auth_header, "Content-Type": "application/json"},
        timeout=10,
    )

    seen = services["order_service"].seen[-1]
    assert response.status_code == 200
    assert seen["body_length"] == len(body)
    assert seen["body_sha256"] == hashlib.sha256(body).hexdigest()


def test_a_3_mib_multipart_upload_is_allowed(gateway, services, auth_header):
    image = b"\xff\xd8\xff" + b"\x00" * (3 * MIB)

    response = requests.post(
        f"{gateway.url}/api/v1/products/p-1/images",
        files={"file": ("photo.jpg", image, "image/jpeg")},
        headers=auth_header,
        timeout=10,
    )

    seen = services["stock_service"].seen[-1]
    assert response.status_code == 200
    assert seen["content_type"].startswith("multipart/form-data; boundary=")
    assert seen["body_length"] > 3 * MIB


def test_an_upload_over_its_own_limit_is_refused(start_gateway, services, auth_header):
    gateway = start_gateway(max_upload_bytes=1 * MIB)

    response = requests.post(
        f"{gateway.url}/api/v1/products/p-1/images",
        files={"file": ("photo.jpg", b"\x00" * (MIB // 2), "image/jpeg")},
        headers=auth_header,
        timeout=10,
    )
    refused = http.client.HTTPConnection(gateway.host, timeout=5)
    refused.putrequest("POST", "/api/v1/products/p-1/images")
    refused.putheader("Authorization", auth_header["Authorization"])
    refused.putheader("Content-Type", "multipart/form-data; boundary=x")
    refused.putheader("Content-Length", str(2 * MIB))
    refused.endheaders()
    refused.send(b"x" * (2 * MIB))

    assert response.status_code == 200
    assert refused.getresponse().status == 413


def test_a_large_response_is_streamed_as_it_arrives(gateway, services, auth_header):
    stock = services["stock_service"]
    started = time.monotonic()

    for length in ("yes", "no"):  # with Content-Length, and chunked by the service
        stock.release.clear()
        with requests.get(
            f"{gateway.url}/api/v1/products/big?mib=4&length={length}",
            headers=auth_header,
            stream=True,
            timeout=10,
        ) as response:
            chunks = response.iter_content(64 * 1024)
            first = next(chunks)
            # The service holds the rest back until we got the first part through the gateway.
            waited = time.monotonic() - started
            stock.release.set()
            total = len(first) + sum(len(chunk) for chunk in chunks)

        assert response.status_code == 200
        assert waited < 2
        assert total == 4 * MIB
        assert stock.seen[-1] == {"path": "big", "released": True}
        started = time.monotonic()


def test_compressed_bodies_pass_through_untouched(gateway, auth_header):
    response = requests.get(
        f"{gateway.url}/api/v1/products/gzip", headers=auth_header, stream=True, timeout=5
    )
    raw = response.raw.read(decode_content=False)

    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) == len(raw)
    assert raw[:2] == b"\x1f\x8b"


def test_head_keeps_the_services_headers(gateway, auth_header):
    response = requests.head(f"{gateway.url}/api/v1/orders", headers=auth_header, timeout=5)

    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) > 0
    assert response.content == b""


def test_a_dead_service_is_a_quick_503(start_gateway, auth_header, unused_port):
    gateway = start_gateway(order_service_url=f"http://127.0.0.1:{unused_port}")

    started = time.monotonic()
    response = requests.get(
        f"{gateway.url}/api/v1/orders",
        headers={**auth_header, "X-Request-ID": "dead-1"},
        timeout=10,
    )

    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response.json()["data"] == {"service": "order_service"}
    assert response.headers["X-Request-ID"] == "dead-1"
    assert response.json()["request_id"] == "dead-1"


def test_a_slow_service_is_a_504_within_the_read_timeout(start_gateway, auth_header):
    gateway = start_gateway(upstream_read_timeout=0.3)

    started = time.monotonic()
    response = requests.get(
        f"{gateway.url}/api/v1/orders/slow?seconds=1.5", headers=auth_header, timeout=10
    )

    assert time.monotonic() - started < 1.2
    assert response.status_code == 504
    assert response.json()["code"] == "gateway_timeout"
    assert response.headers["Content-Type"] == "application/json"


def test_a_service_that_does_not_speak_http_is_a_502(start_gateway, auth_header, garbage_server):
    gateway = start_gateway(stock_service_url=garbage_server)

    response = requests.get(f"{gateway.url}/api/v1/products", headers=auth_header, timeout=10)

    assert response.status_code == 502
    assert response.json()["code"] == "bad_gateway"


def test_connections_to_a_service_are_kept_alive_and_reused(start_gateway, auth_header):
    ports = []

    class KeepAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - http.server's naming
            ports.append(self.client_address[1])
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    server.daemon_threads = True
    server.block_on_close = False
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    try:
        gateway = start_gateway(order_service_url=f"http://127.0.0.1:{server.server_port}")
        for _ in range(3):
            response = requests.get(f"{gateway.url}/api/v1/orders", headers=auth_header, timeout=5)
            assert response.json() == {"ok": True}
    finally:
        gateway.app.extensions["gateway_upstreams"].close()
        server.shutdown()
        server.server_close()

    assert len(ports) == 3
    assert len(set(ports)) == 1


def test_each_thread_has_one_session_over_one_shared_pool(gateway):
    upstreams: Upstreams = gateway.app.extensions["gateway_upstreams"]
    here = upstreams.session()
    there = []
    thread = threading.Thread(target=lambda: there.append(upstreams.session()))
    thread.start()
    thread.join()

    assert upstreams.session() is here
    assert there[0] is not here
    assert there[0].get_adapter("http://x") is here.get_adapter("http://x")
    assert here.trust_env is False
    assert dict(here.headers) == {}


@pytest.fixture
def garbage_server():
    """A TCP server that answers anything with bytes that are not HTTP."""

    class Garbage(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.recv(65536)
            self.request.sendall(b"NOT HTTP AT ALL\r\n\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Garbage)
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_proxying_still_works_after_the_gateways_own_calls(gateway, auth_header):
    # Health and docs use the threads' sessions; their connection pools must not push the
    # proxy's out of the shared pool manager (an evicted pool is closed).
    assert requests.get(f"{gateway.url}/api/v1/orders", headers=auth_header, timeout=5).ok
    requests.get(f"{gateway.url}/api/v1/health", timeout=5)
    requests.get(f"{gateway.url}/api/openapi.json", timeout=5)

    for path in ("/api/v1/auth/me", "/api/v1/orders", "/api/v1/products"):
        response = requests.get(f"{gateway.url}{path}", headers=auth_header, timeout=5)
        assert response.status_code == 200, (path, response.text)


def test_an_order_import_csv_has_its_own_larger_limit(start_gateway, services, auth_header):
    # A CSV import may be far larger than a JSON body; JSON on the same path keeps its limit.
    gateway = start_gateway(max_json_body_bytes=1 * MIB, max_import_bytes=4 * MIB)
    csv_body = b"order_ref,client_id,product_id,quantity\r\n" + b"a,b,c,1\r\n" * (3 * MIB // 9)

    accepted = requests.post(
        f"{gateway.url}/api/v1/orders/import",
        data=csv_body,
        headers={**auth_header, "Content-Type": "text/csv"},
        timeout=10,
    )
    json_refused = requests.post(
        f"{gateway.url}/api/v1/orders/import",
        data=b"[" + b" " * (2 * MIB) + b"]",
        headers={**auth_header, "Content-Type": "application/json"},
        timeout=10,
    )
    elsewhere_refused = requests.post(
        f"{gateway.url}/api/v1/orders",
        data=csv_body,
        headers={**auth_header, "Content-Type": "text/csv"},
        timeout=10,
    )

    assert accepted.status_code == 200
    assert services["order_service"].seen[-1]["body_length"] == len(csv_body)
    assert json_refused.status_code == 413
    assert elsewhere_refused.status_code == 413
