"""The gateway's hot path: an API request answered without Flask's request cycle.

Every request in a proxied method to a path a service owns (gateway.routing) comes here, in
front of the Flask app, which keeps the rest: health, metrics, the documents, the CORS
preflight, and the 404/405 of paths and methods nobody answers. Per request the
edge stamps the request id, routes, applies the address limits, verifies the token, checks
the body size and forwards (gateway.proxy); it then does what the Flask hooks do for every
other request, through the same shared functions: the `X-Request-ID` header, the CORS
headers (flask-cors' own rules and options), the access-log line and the metrics.

Why not a Flask route: the gateway only moves bytes, and Flask's cycle (contexts, URL
matching, hooks, the response object) was a third of its CPU per order, measured
(docs/performance.md, session 12). Errors are rare, so they still take Flask: the
exception is rendered inside a Flask request context by the shared error handlers, giving
the one error envelope, in the caller's language, reported to Sentry when unexpected.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Blueprint, Flask, g
from flask_cors.core import get_cors_headers, get_cors_options
from werkzeug import Request
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.http import HTTP_STATUS_CODES

from gateway.address_limits import AddressLimiter
from gateway.authentication import EdgeAuthenticator
from gateway.config import GatewaySettings
from gateway.proxy import PROXIED_METHODS, Hop, Relayed, body_limit, forward, request_body
from gateway.routing import API_PREFIX, is_public, service_for
from gateway.upstreams import Upstreams
from shared.errors import ApiError
from shared.logging import correlation_id_var, request_id_var
from shared.metrics import count_request
from shared.service_app import CORRELATION_ID_HEADER, REQUEST_ID_HEADER, log_request, valid_id

# Flask's rule for the proxied URLs, and the metrics' route label of every proxied request
# (one series, not one per path).
PROXY_ROUTE = f"{API_PREFIX}/<path:_rest>"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Edge:
    """WSGI middleware: proxied API requests are answered here, the rest by `flask_app`."""

    def __init__(
        self,
        flask_app: Flask,
        *,
        settings: GatewaySettings,
        upstreams: Upstreams,
        authenticator: EdgeAuthenticator,
        cors: Mapping[str, Any],
    ) -> None:
        self.flask_app = flask_app
        self.flask_wsgi: WsgiApp = flask_app.wsgi_app
        self.settings = settings
        self.upstreams = upstreams
        self.authenticator = authenticator
        self.address_limiter = AddressLimiter(settings.address_limits)
        # Resolved once, as flask-cors resolves them for the app's /api/* resource.
        self.cors_options = get_cors_options(flask_app, cors)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "")
        service = service_for(path) if method in PROXIED_METHODS else None
        if service is None:  # the gateway's own routes, or a 404/405 from Flask's routing
            return self.flask_wsgi(environ, start_response)
        started = time.perf_counter()
        request = Request(environ)
        request_id = valid_id(request.headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
        correlation_id = valid_id(request.headers.get(CORRELATION_ID_HEADER)) or request_id
        request_id_var.set(request_id)  # every log line of this request carries them
        correlation_id_var.set(correlation_id)
        hop = Hop(request_id, correlation_id, self.settings.forwarded_for_secret)
        try:
            answer = self._forward(request, service, hop)
        except Exception as exc:  # rendered as every error of the API is (shared.errors)
            answer = self._error(environ, exc, hop)
        headers = answer.headers + [(REQUEST_ID_HEADER, request_id)]
        headers += [
            (name, str(value))
            for name, value in get_cors_headers(self.cors_options, request.headers, method).items()
        ]
        start_response(f"{answer.status} {HTTP_STATUS_CODES.get(answer.status, '')}", headers)
        log_request(method, path, answer.status, started)
        count_request(self.settings.service_name, method, PROXY_ROUTE, answer.status, started)
        return answer.body

    def _forward(self, request: Request, service: str, hop: Hop) -> Relayed:
        """Limit, authenticate, forward: the proxy's rules, in this order."""
        path = request.path
        address = request.remote_addr or ""
        if address not in self.settings.rate_limit_exempt:
            self.address_limiter.check(request.method, path, address)
        if not is_public(request.method, path):
            self.authenticator.authenticate(request.headers.get("Authorization"))
        body = request_body(request, body_limit(self.settings, request))
        return forward(self.upstreams, service, request, body, hop)

    def _error(self, environ: dict[str, Any], exc: Exception, hop: Hop) -> Relayed:
        """The error envelope from the shared handlers, in a Flask request context."""
        app = self.flask_app
        with app.request_context(environ):
            g.request_id = hop.request_id
            g.correlation_id = hop.correlation_id
            if isinstance(exc, ApiError | HTTPException):
                response = app.make_response(app.handle_user_exception(exc))
            else:  # logs it, tells Sentry, answers the 500 envelope (re-raises when testing)
                response = app.make_response(app.handle_exception(exc))
            # flask-cors also decorates these handlers; the CORS headers are the edge's to add.
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if not name.lower().startswith("access-control-") and name.lower() != "vary"
            ]
            return Relayed(response.status_code, headers, [response.get_data()])


def proxied_routes() -> Blueprint:
    """The proxied URLs as Flask's routing sees them: OPTIONS (the CORS preflight, answered
    by flask-cors) and the Allow header of a 405 list the methods the edge answers."""
    blp = Blueprint("proxy", __name__)

    @blp.route(PROXY_ROUTE, methods=sorted(PROXIED_METHODS))
    def unrouted(_rest: str) -> None:
        raise NotFound()  # the edge has answered every path a service owns

    return blp
