"""Forwarding a request to the service that owns it and relaying the answer, streaming both ways.

The mechanics of the hop, for gateway.edge: the body is checked against its size limit and
handed to a pooled keep-alive connection with the headers the service may see; the
service's answer goes back as it arrives, bytes untouched (no decompression). Failures of
the service raise the 502/503/504 ApiErrors the edge renders.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO
from urllib.parse import quote

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from werkzeug import Request

from gateway.config import GatewaySettings
from gateway.routing import LARGE_BODY_PATHS
from gateway.upstreams import Upstreams, upstream_failure
from shared.errors import ApiError, PayloadTooLarge
from shared.forwarding import FORWARDED_FOR_HEADER, SIGNATURE_HEADER, sign_forwarded_for
from shared.i18n import Text
from shared.service_app import CORRELATION_ID_HEADER, REQUEST_ID_HEADER

log = logging.getLogger("pedidos.gateway")

MIB = 1024 * 1024
CHUNK_SIZE = 64 * 1024
# Bodies up to this size move in one piece: one send() beats a stream of small writes.
SMALL_BODY_BYTES = 64 * 1024
# A chunked request body (no Content-Length) is spooled here before the service sees any of it.
SPOOL_MEMORY_BYTES = 1 * MIB

PROXIED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
REPLAYABLE_METHODS = frozenset({"GET", "HEAD"})

# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
# Set by the gateway for the hop to the service, never copied from the client.
NOT_FORWARDED = HOP_BY_HOP | {
    "host",
    "content-length",
    "expect",
    "x-request-id",
    "x-correlation-id",
    "x-forwarded-for",
    "x-forwarded-for-signature",
    "x-forwarded-proto",
    "x-forwarded-host",
}
# The gateway's server writes its own Date and Server and stamps X-Request-ID.
NOT_RELAYED = HOP_BY_HOP | {"date", "server", "x-request-id"}


@dataclass(frozen=True, slots=True)
class Hop:
    """What the gateway adds to every forwarded request: the request's ids, and the secret
    that signs the client's address (X-Forwarded-For)."""

    request_id: str
    correlation_id: str
    forwarded_for_secret: str = ""


@dataclass(frozen=True, slots=True)
class Relayed:
    """An answer for the client: status, headers and a WSGI body (closed by the server)."""

    status: int
    headers: list[tuple[str, str]]
    body: Iterable[bytes]


class _SizedBody:
    """A request body sent in chunks under a known Content-Length (never chunked encoding)."""

    __slots__ = ("_source", "length", "_owned")

    def __init__(self, source: IO[bytes], length: int, *, owned: bool = False) -> None:
        self._source = source
        self.length = length
        self._owned = owned

    def __iter__(self) -> Iterator[bytes]:
        remaining = self.length
        while remaining > 0:
            chunk = self._source.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        if self._owned:
            self._source.close()


# How far past the limit a declared body is still read so that the client sees the 413.
DRAIN_FACTOR = 4


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        Text(
            "Corpo da requisição grande demais (máximo {size} MiB).",
            "Request body too large (at most {size} MiB).",
        ).format(size=f"{limit / MIB:g}"),
        data={"max_bytes": limit},
    )


def body_limit(settings: GatewaySettings, request: Request) -> int:
    """The largest body this request may carry."""
    if request.path in LARGE_BODY_PATHS and request.mimetype != "application/json":
        return settings.max_import_bytes  # an order import's CSV, streamed to the service
    if request.mimetype == "multipart/form-data":
        return settings.max_upload_bytes
    return settings.max_json_body_bytes


def request_body(request: Request, limit: int) -> bytes | _SizedBody | None:
    """The body to forward, refused with 413 before the service sees any of it."""
    length = request.content_length
    if length is not None:
        if length > limit:
            # Read a moderately oversized body before answering: closing with unread data
            # makes most clients report a connection reset instead of our 413. A huge one
            # is not worth reading; that client gets the reset.
            if length <= DRAIN_FACTOR * limit:
                _discard(request.stream, budget=length)
            raise _too_large(limit)
        if length == 0:
            return None
        if length <= SMALL_BODY_BYTES:
            return request.stream.read()
        return _SizedBody(request.stream, length)
    if "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        return None
    return _spool_chunked(request.stream, limit)


def _spool_chunked(stream: IO[bytes], limit: int) -> _SizedBody:
    # Without a Content-Length the size is known only at the end: count while spooling, so an
    # oversized body is refused before any of it is forwarded.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)
    size = 0
    try:
        while chunk := stream.read(CHUNK_SIZE):
            size += len(chunk)
            if size > limit:
                _discard(stream, budget=limit)
                raise _too_large(limit)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return _SizedBody(spool, size, owned=True)


def _discard(stream: IO[bytes], *, budget: int) -> None:
    # Read (a bounded amount of) what the client is still sending, so it gets the 413 rather
    # than a connection reset when the server closes with unread data.
    while budget > 0 and (chunk := stream.read(CHUNK_SIZE)):
        budget -= len(chunk)


def _upstream_target(request: Request) -> str:
    # The raw request target (gunicorn, werkzeug) keeps the path exactly as the client sent it.
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw and raw.startswith("/"):
        return raw
    # Otherwise (another server, or an absolute-form target) re-encode the decoded path.
    path = quote(request.environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=~")
    query = request.query_string.decode("latin-1")
    return path + (f"?{query}" if query else "")


def _connection_tokens(value: str | None) -> set[str]:
    """Header names listed in a Connection header: hop-by-hop for this hop only."""
    return {token.strip().lower() for token in value.split(",")} if value else set()


def _forwarded_headers(
    request: Request, body: bytes | _SizedBody | None, hop: Hop
) -> dict[str, str]:
    extra_hop = _connection_tokens(request.headers.get("Connection"))
    headers = {
        name: value
        for name, value in request.headers.items()
        if (lower := name.lower()) not in NOT_FORWARDED and lower not in extra_hop
    }
    if body is not None:
        headers["Content-Length"] = str(len(body) if isinstance(body, bytes) else body.length)
    prior = request.headers.get("X-Forwarded-For")
    client = request.remote_addr or ""
    forwarded_for = f"{prior}, {client}" if prior else client
    headers[FORWARDED_FOR_HEADER] = forwarded_for
    if hop.forwarded_for_secret:
        # The services believe the last hop only with this signature (shared.forwarding).
        headers[SIGNATURE_HEADER] = sign_forwarded_for(hop.forwarded_for_secret, forwarded_for)
    headers["X-Forwarded-Proto"] = request.scheme
    headers["X-Forwarded-Host"] = request.host
    headers[REQUEST_ID_HEADER] = hop.request_id
    headers[CORRELATION_ID_HEADER] = hop.correlation_id
    return headers


def _relayed_headers(upstream: urllib3.BaseHTTPResponse, base_url: str) -> list[tuple[str, str]]:
    extra_hop = _connection_tokens(upstream.headers.get("Connection"))
    relayed = []
    for name, value in upstream.headers.items():  # items() keeps repeated headers (Set-Cookie)
        lower = name.lower()
        if lower in NOT_RELAYED or lower in extra_hop or lower.startswith("access-control-"):
            continue  # CORS is decided at the edge only
        if lower == "location" and value.startswith(base_url):
            rest = value[len(base_url) :]
            if not rest or rest[0] in "/?":
                value = rest or "/"  # never leak the service's internal address
        relayed.append((name, value))
    return relayed


def _finish(upstream: urllib3.BaseHTTPResponse) -> None:
    # Fully read: the connection is already back in the pool and this does nothing. Cut short
    # (client gone, error): close it, so no half-read connection is ever reused.
    upstream.close()
    upstream.release_conn()


def _relay(upstream: urllib3.BaseHTTPResponse, service: str, base_url: str, method: str) -> Relayed:
    """The service's status, headers and body, streamed unless small."""
    headers = _relayed_headers(upstream, base_url)
    length = upstream.headers.get("Content-Length")
    small = length is not None and length.isdigit() and int(length) <= SMALL_BODY_BYTES
    if small or method == "HEAD" or upstream.status in (204, 304):
        try:
            data = upstream.read(decode_content=False)  # reading it all returns the connection
        except (Urllib3Error, OSError) as exc:
            raise upstream_failure(exc, service) from exc
        finally:
            _finish(upstream)
        # The service's own Content-Length goes with it: nothing here sets another one.
        return Relayed(upstream.status, headers, [data] if data and method != "HEAD" else [])
    return Relayed(upstream.status, headers, _Streamed(upstream, service))


class _Streamed:
    """A large answer relayed chunk by chunk; the WSGI server's close() frees the connection."""

    __slots__ = ("_upstream", "_service")

    def __init__(self, upstream: urllib3.BaseHTTPResponse, service: str) -> None:
        self._upstream = upstream
        self._service = service

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._upstream.stream(CHUNK_SIZE, decode_content=False)
        except (Urllib3Error, OSError) as exc:
            # The status line is already out: all we can do is cut the response short, so
            # the client sees a truncated body rather than a complete-looking one.
            log.warning(
                "upstream body interrupted", extra={"service": self._service, "error": repr(exc)}
            )
            raise

    def close(self) -> None:  # also when the client went away mid-body
        _finish(self._upstream)


def forward(
    upstreams: Upstreams,
    service: str,
    request: Request,
    body: bytes | _SizedBody | None,
    hop: Hop,
) -> Relayed:
    """Send the request to `service` and relay its answer."""
    try:
        upstream = upstreams.urlopen(
            service,
            request.method,
            _upstream_target(request),
            headers=_forwarded_headers(request, body, hop),
            body=body,
            replayable=body is None and request.method in REPLAYABLE_METHODS,
        )
    except (Urllib3Error, OSError) as exc:
        log.warning("upstream call failed", extra={"service": service, "error": repr(exc)})
        raise upstream_failure(exc, service) from exc
    except (ValueError, UnicodeError) as exc:
        # http.client refuses control characters or non-ASCII in a header or the path.
        raise ApiError(Text("Cabeçalho ou caminho inválido.", "Invalid header or path.")) from exc
    finally:
        if isinstance(body, _SizedBody):
            body.close()
    return _relay(upstream, service, upstreams.urls[service], request.method)
