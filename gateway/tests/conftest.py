"""Real services behind a real gateway: small Flask apps served on free 127.0.0.1 ports.

Each upstream echoes what reached it (method, raw path, headers, body size and hash) and
has a few behaviours on demand: slow, big streamed answers, gzip, redirects, hop-by-hop
headers, /ready and /api/openapi.json. The auth upstream also serves the JWKS of RSA keys
generated here. Nothing is mocked: the gateway talks HTTP to them over loopback.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server

from gateway.app import create_app
from gateway.config import JWKS_PATH, GatewaySettings

MIB = 1024 * 1024
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class Served:
    """A WSGI app on a free loopback port, in a thread, until stop()."""

    def __init__(self, app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.server.block_on_close = False  # don't wait for handler threads (sleepers) on stop
        self.host = f"127.0.0.1:{self.server.server_port}"
        self.url = f"http://{self.host}"
        # A short poll interval keeps shutdown() quick: each test stops four servers.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def unused_port() -> Iterator[int]:
    """A loopback port nobody listens on: connecting to it is refused.

    The socket stays bound (never listening) for the whole test: released at once, the
    port could be handed to the next server that binds port 0 (the gateway itself, which
    then proxied to itself until its headers grew to a 431).
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@dataclass
class Keys:
    """The auth service's signing keys, by kid, and what its JWKS publishes."""

    private: dict[str, Any]
    published: list[str]

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid in self.published:
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.private[kid].public_key(), as_dict=True)
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}

    def token(self, kid: str = "key-1", *, key: Any = None, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "sub": str(uuid.uuid4()),
            "role": "admin",
            "iss": "pedidos-auth",
            "aud": "pedidos",
            "iat": now,
            "exp": now + 900,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(
            payload,
            key or self.private[kid],
            algorithm="RS256",
            headers={"kid": kid, "typ": "at+jwt"},
        )


@pytest.fixture(scope="session")
def rsa_keys() -> dict[str, Any]:
    return {
        kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)
        for kid in ("key-1", "key-2", "rogue")
    }


@pytest.fixture
def keys(rsa_keys: dict[str, Any]) -> Keys:
    return Keys(private=rsa_keys, published=["key-1"])


@pytest.fixture
def auth_header(keys: Keys) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.token()}"}


@dataclass
class Upstream:
    """One fake service: what reached it, and how it behaves."""

    name: str
    keys: Keys
    seen: list[dict[str, Any]] = field(default_factory=list)
    ready: bool = True
    ready_delay: float = 0.0
    backlog: dict[str, Any] | None = None
    openapi: dict[str, Any] | None = None
    openapi_fetches: int = 0
    jwks_fetches: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    served: Served | None = None

    @property
    def url(self) -> str:
        assert self.served is not None
        return self.served.url

    def paths_seen(self) -> list[str]:
        return [record["path"] for record in self.seen]


def upstream_app(upstream: Upstream) -> Flask:
    app = Flask(upstream.name)

    @app.get("/ready")
    def ready():
        time.sleep(upstream.ready_delay)
        checks = {"database": "ok" if upstream.ready else "unavailable: OperationalError"}
        body = {
            "status": "success" if upstream.ready else "error",
            "message": "ready" if upstream.ready else "not ready",
            "data": {"ready": upstream.ready, "checks": checks},
        }
        if upstream.backlog is not None:
            body["data"]["backlog"] = upstream.backlog
        return body, 200 if upstream.ready else 503

    @app.get("/api/openapi.json")
    def openapi():
        upstream.openapi_fetches += 1
        if upstream.openapi is None:
            return {"status": "error"}, 404
        return upstream.openapi

    @app.get(JWKS_PATH)
    def jwks():
        upstream.jwks_fetches += 1
        return upstream.keys.jwks()

    @app.route("/api/v1/<path:rest>", methods=ALL_METHODS)
    def echo(rest: str):
        behaviour = rest.rsplit("/", 1)[-1]
        if behaviour == "slow":
            time.sleep(float(request.args.get("seconds", "1.5")))
        if behaviour == "big":
            return big_answer(upstream)
        if behaviour == "gzip":
            body = gzip.compress(b'{"compressed": true}' * 100, mtime=0)
            return Response(
                body, content_type="application/json", headers={"Content-Encoding": "gzip"}
            )
        if behaviour == "redirect":
            return "", 302, {"Location": f"{upstream.url}/api/v1/orders/elsewhere"}
        body = request.get_data()
        record = {
            "service": upstream.name,
            "method": request.method,
            "path": request.environ["RAW_URI"].split("?")[0],
            "query": request.query_string.decode(),
            "headers": dict(request.headers),
            "content_type": request.content_type,
            "body_length": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
        }
        upstream.seen.append(record)
        headers = {}
        if behaviour == "cors":
            headers = {
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Credentials": "true",
            }
        if behaviour == "hop":
            headers = {
                "Keep-Alive": "timeout=99",
                "X-Upstream-Hop": "1",
                "Connection": "X-Upstream-Hop",
            }
        if behaviour == "cookies":
            response = jsonify(record)
            response.headers.add("Set-Cookie", "a=1; Path=/")
            response.headers.add("Set-Cookie", "b=2; Path=/")
            return response
        return jsonify(record), int(request.args.get("status", "200")), headers

    return app


def big_answer(upstream: Upstream) -> Response:
    """Size `mib` MiB; the first 64 KiB go out at once, the rest only after `release` is set."""
    size = int(request.args.get("mib", "4")) * MIB
    piece = 64 * 1024

    def generate() -> Iterator[bytes]:
        yield b"a" * piece
        upstream.seen.append({"path": "big", "released": upstream.release.wait(5)})
        for _ in range(size // piece - 1):
            yield b"b" * piece

    headers = {"Content-Length": str(size)} if request.args.get("length") == "yes" else {}
    return Response(generate(), content_type="application/octet-stream", headers=headers)


@pytest.fixture
def services(keys: Keys) -> Iterator[dict[str, Upstream]]:
    """The three services, running."""
    running = {}
    for name in ("auth_service", "order_service", "stock_service"):
        upstream = Upstream(name=name, keys=keys)
        upstream.served = Served(upstream_app(upstream))
        running[name] = upstream
    yield running
    for upstream in running.values():
        upstream.release.set()
        assert upstream.served is not None
        upstream.served.stop()


@dataclass
class Gateway:
    url: str
    host: str
    settings: GatewaySettings
    app: Flask


@pytest.fixture
def start_gateway(services: dict[str, Upstream]) -> Iterator[Callable[..., Gateway]]:
    """Start a gateway in front of `services`; keyword arguments override its settings."""
    started: list[tuple[Served, Any]] = []

    def start(**overrides: Any) -> Gateway:
        values: dict[str, Any] = {
            "auth_service_url": services["auth_service"].url,
            "order_service_url": services["order_service"].url,
            "stock_service_url": services["stock_service"].url,
            "environment": "test",
            "upstream_probe_timeout": 1.0,
            **overrides,
        }
        values.setdefault("auth_jwks_url", values["auth_service_url"] + JWKS_PATH)
        settings = GatewaySettings(**values)
        app = create_app(settings)
        served = Served(app)
        started.append((served, app))
        return Gateway(url=served.url, host=served.host, settings=settings, app=app)

    yield start
    for served, app in started:
        app.extensions["gateway_upstreams"].close()
        served.stop()


@pytest.fixture
def gateway(start_gateway: Callable[..., Gateway]) -> Gateway:
    return start_gateway()
