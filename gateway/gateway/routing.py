"""Which service answers a path, and which proxied routes need no access token.

The services expose the same `/api/v1/...` paths as the gateway, so routing only picks the
upstream; the path and query string are forwarded unchanged. The gateway's own routes
(`/api/v1/health`, `/health`, `/ready`, `/api/docs`, `/api/openapi.json`) are not proxied and
never ask for a token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AUTH_SERVICE = "auth_service"
ORDER_SERVICE = "order_service"
STOCK_SERVICE = "stock_service"
SERVICES = (AUTH_SERVICE, ORDER_SERVICE, STOCK_SERVICE)

API_PREFIX = "/api/v1"
ANY_SEGMENT = "*"


@dataclass(frozen=True)
class Route:
    """A path prefix, segment by segment ("*" = any one segment), and the service behind it."""

    segments: tuple[str, ...]
    service: str

    @classmethod
    def of(cls, prefix: str, service: str) -> Route:
        return cls(tuple(prefix.split("/")), service)

    def matches(self, segments: list[str]) -> bool:
        if len(segments) < len(self.segments):
            return False
        for expected, actual in zip(self.segments, segments, strict=False):
            if expected != actual and not (expected == ANY_SEGMENT and actual):
                return False
        return True


# First match wins, so the more specific prefixes come first.
ROUTES: tuple[Route, ...] = (
    # A supplier's orders are orders: the order service owns them, not the stock service.
    Route.of(f"{API_PREFIX}/suppliers/*/orders", ORDER_SERVICE),
    Route.of(f"{API_PREFIX}/auth", AUTH_SERVICE),
    Route.of(f"{API_PREFIX}/clients", ORDER_SERVICE),
    Route.of(f"{API_PREFIX}/orders", ORDER_SERVICE),
    Route.of(f"{API_PREFIX}/notifications", ORDER_SERVICE),
    Route.of(f"{API_PREFIX}/suppliers", STOCK_SERVICE),
    Route.of(f"{API_PREFIX}/products", STOCK_SERVICE),
    Route.of(f"{API_PREFIX}/stock", STOCK_SERVICE),
)

# Paths whose (non-JSON) bodies may reach MAX_IMPORT_BYTES: files streamed to the service.
LARGE_BODY_PATHS: frozenset[str] = frozenset({f"{API_PREFIX}/orders/import"})

# (method, exact path) of the proxied routes reachable without an access token.
PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", f"{API_PREFIX}/auth/login"),
        ("POST", f"{API_PREFIX}/auth/register"),
        ("POST", f"{API_PREFIX}/auth/refresh-token"),
        ("GET", f"{API_PREFIX}/auth/.well-known/jwks.json"),
        # Meta's webhook: the verify token and the body's signature stand in for a token.
        ("GET", f"{API_PREFIX}/notifications/whatsapp/webhook"),
        ("POST", f"{API_PREFIX}/notifications/whatsapp/webhook"),
    }
)

# Routes of a service that only other services call, on the internal network: the gateway
# answers 404 as for a path nobody serves, and leaves them out of its API document.
# /auth/token mints service credentials (client_credentials): never from outside.
INTERNAL_PATHS: frozenset[str] = frozenset({f"{API_PREFIX}/auth/token"})


def service_for(path: str) -> str | None:
    """The service that owns `path` (an OpenAPI path template works too), or None."""
    if is_internal(path):
        return None
    segments = path.split("/")
    for route in ROUTES:
        if route.matches(segments):
            return route.service
    return None


def is_internal(path: str) -> bool:
    """True for a service-to-service route, however its slashes are written."""
    # Services merge repeated slashes (a redirect) and some accept a trailing one.
    return re.sub("/{2,}", "/", path).rstrip("/") in INTERNAL_PATHS


def is_public(method: str, path: str) -> bool:
    """True when a proxied route is reachable without an access token."""
    # HEAD is a GET without the body: it is public wherever GET is.
    return ("GET" if method == "HEAD" else method, path) in PUBLIC_ROUTES
