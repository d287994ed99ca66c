"""The parts of every Pedidos Flask app: config, logging, request ids, errors, auth, health.

Each service's `create_app()` calls `create_service_app()` and then registers its own
blueprints on the returned API, so every service answers, logs and fails the same way.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import sentry_sdk
from flask import Flask, g, request
from flask_sqlalchemy import SQLAlchemy
from sentry_sdk.integrations.flask import FlaskIntegration
from sqlalchemy import Table, text

from shared.api import ApiBlueprint, PedidosApi
from shared.auth import TokenVerifier, init_auth, public
from shared.config import ServiceSettings
from shared.db import engine_options, sqlalchemy_url
from shared.errors import UnsupportedMediaType, register_error_handlers
from shared.i18n import Text
from shared.logging import configure_logging, correlation_id_var, request_id_var
from shared.metrics import init_metrics
from shared.money import PedidosJSONProvider
from shared.outbox import outbox_backlog

log = logging.getLogger("pedidos.http")

REQUEST_ID_HEADER = "X-Request-ID"
CORRELATION_ID_HEADER = "X-Correlation-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")
_NOT_LOGGED = frozenset({"/health", "/ready"})  # probes, every few seconds

ReadyCheck = Callable[[], None]
# Reported by /ready but never failing it: e.g. events waiting in the outbox.
BacklogReport = Callable[[], Mapping[str, Any]]


def cached_report(report: BacklogReport, seconds: float) -> BacklogReport:
    """`report`, read at most every `seconds`: readiness is probed every few seconds, and
    some figures cost a query or a broker connection to read."""
    last: list[tuple[float, Mapping[str, Any]]] = []

    def read() -> Mapping[str, Any]:
        if last and time.monotonic() - last[0][0] < seconds:
            return last[0][1]
        value = report()
        last[:] = [(time.monotonic(), value)]
        return value

    return read


def init_sentry(settings: ServiceSettings, *, flask: bool = True) -> None:
    """Report unhandled errors to Sentry when SENTRY_DSN is set; send nothing otherwise."""
    if not settings.sentry_dsn:
        # Even without a DSN the SDK would hook every request and outgoing http.client call.
        return
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.environment,
        server_name=settings.service_name,
        integrations=[FlaskIntegration()] if flask else [],
        traces_sample_rate=0.0,
    )


def incoming_id(header: str) -> str | None:
    return valid_id(request.headers.get(header))


def valid_id(value: str | None) -> str | None:
    """A request or correlation id sent by the caller, if it is one we can log safely."""
    return value if value and _SAFE_ID.match(value) else None


def log_request(method: str, path: str, status: int, started: float) -> None:
    """The one access-log line of a request (every service, and the gateway's edge)."""
    if path in _NOT_LOGGED:
        return
    log.info(
        "request",
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )


def accepts_body(*mimetypes: str) -> Callable:
    """Declare the body types a view takes besides JSON (e.g. multipart uploads); "*" = any."""

    def decorator(view: Callable) -> Callable:
        view._accepts = set(mimetypes)  # type: ignore[attr-defined]
        return view

    return decorator


def _has_body() -> bool:
    return (
        bool(request.content_length)
        or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    )


def _view_accepts(app: Flask) -> set[str]:
    view = app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    method_view = getattr(view_class, request.method.lower(), None) if view_class else None
    return set(getattr(view, "_accepts", set())) | set(getattr(method_view, "_accepts", set()))


def _install_request_hooks(app: Flask) -> None:
    @app.before_request
    def _request_context() -> None:
        g.request_started = time.perf_counter()
        g.request_id = incoming_id(REQUEST_ID_HEADER) or uuid.uuid4().hex
        g.correlation_id = incoming_id(CORRELATION_ID_HEADER) or g.request_id
        request_id_var.set(g.request_id)
        correlation_id_var.set(g.correlation_id)

    @app.before_request
    def _only_json_bodies() -> None:
        if request.method not in {"POST", "PUT", "PATCH"} or not _has_body():
            return
        if request.endpoint is None:
            return
        accepted = {"application/json"} | _view_accepts(app)
        if "*" not in accepted and request.mimetype not in accepted:
            raise UnsupportedMediaType(
                Text("Envie o corpo como {types}.", "Send the body as {types}.").format(
                    types=", ".join(sorted(accepted))
                )
            )

    @app.after_request
    def _stamp_response(response):
        request_id = getattr(g, "request_id", None)
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        started = getattr(g, "request_started", None)
        if started is not None:
            log_request(request.method, request.path, response.status_code, started)
        return response


def _health_blueprint(
    checks: dict[str, ReadyCheck], backlogs: dict[str, BacklogReport]
) -> ApiBlueprint:
    blp = ApiBlueprint("health", __name__, description="Liveness and readiness of this service.")

    @blp.route("/health")
    @public
    def health():
        """Liveness: the process answers

        No dependency is checked, so an orchestrator restarts the process only when it no
        longer answers at all, never because the database or the broker is away. Example
        answer: `{"status": "success", "message": "ok", "data": {"alive": true}}`.
        """
        return {"status": "success", "message": "ok", "data": {"alive": True}}

    @blp.route("/ready")
    @public
    def ready():
        """Readiness: every dependency this service needs answers

        200 when every check passes (`checks`, e.g. `{"database": "ok"}`), else 503 naming
        the failing one, so traffic goes elsewhere until it is back. A service with an outbox
        also reports `backlog.outbox` (events waiting to be published and the age of the
        oldest): informative, it never makes the service unready.
        """
        results: dict[str, Any] = {}
        healthy = True
        for name, check in checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception as exc:  # a failing dependency is reported, not raised
                healthy = False
                results[name] = f"unavailable: {type(exc).__name__}"
        data: dict[str, Any] = {"ready": healthy, "checks": results}
        if backlogs:
            data["backlog"] = {name: _read_backlog(report) for name, report in backlogs.items()}
        body = {
            "status": "success" if healthy else "error",
            "message": "ready" if healthy else "not ready",
            "data": data,
        }
        return body, (200 if healthy else 503)

    return blp


def _read_backlog(report: BacklogReport) -> Mapping[str, Any]:
    try:
        return report()
    except Exception as exc:  # a backlog that cannot be read is reported, not raised
        return {"error": type(exc).__name__}


def outbox_backlog_report(db: SQLAlchemy, table: Table) -> BacklogReport:
    """The service's unpublished events, for /ready (read in its own short transaction)."""

    def report() -> Mapping[str, Any]:
        try:
            return outbox_backlog(db.session, table).to_dict()
        finally:
            db.session.rollback()

    return report


def database_check(db: SQLAlchemy) -> ReadyCheck:
    def check() -> None:
        try:
            db.session.execute(text("SELECT 1"))
        finally:
            db.session.rollback()

    return check


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    db: SQLAlchemy | None = None,
    verifier: TokenVerifier | None = None,
    ready_checks: dict[str, ReadyCheck] | None = None,
    backlogs: dict[str, BacklogReport] | None = None,
    config: dict[str, Any] | None = None,
) -> tuple[Flask, PedidosApi]:
    """Build the Flask app and its API with every shared behaviour installed."""
    configure_logging(settings.service_name, settings.log_level)
    init_sentry(settings)

    app = Flask(settings.service_name)
    app.config.update(
        SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_json_body_bytes,
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearerAuth": []}],
        },
    )
    # Money is a JSON number with its two decimals (375.00), never a string or a float.
    app.json = PedidosJSONProvider(app)
    checks = dict(ready_checks or {})
    if db is not None:
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(settings.database_url)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(settings)
        db.init_app(app)
        checks.setdefault("database", database_check(db))
    if config:
        app.config.update(config)

    api = PedidosApi(app)
    register_error_handlers(app)  # after the Api, so ours replace flask-smorest's handler
    _install_request_hooks(app)
    init_metrics(app, settings.service_name, dict(backlogs or {}))
    if verifier is not None:
        init_auth(app, verifier)
    api.register_blueprint(_health_blueprint(checks, dict(backlogs or {})))
    return app, api
