"""The gateway application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_cors import CORS

from gateway.authentication import EdgeAuthenticator
from gateway.config import GatewaySettings
from gateway.edge import Edge, proxied_routes
from gateway.health import health_blueprint
from gateway.openapi import MergedOpenApi, public_document, register_docs
from gateway.upstreams import Upstreams
from shared.auth import verifier_from_settings
from shared.service_app import REQUEST_ID_HEADER, create_service_app


def create_app(
    settings: GatewaySettings | None = None, config: dict[str, Any] | None = None
) -> Flask:
    """Build the gateway: shared behaviour, CORS, health, docs and the proxy, wired once."""
    settings = settings or GatewaySettings.from_env()
    app, api = create_service_app(
        settings,
        title="Pedidos — gateway",
        description="A entrada pública da API: roteamento, autenticação, limites e documentação.",
        config={
            # The proxy applies its own per-type limits while streaming (JSON vs multipart).
            "MAX_CONTENT_LENGTH": None,
            # /api/openapi.json is the merged document, served below, not only the gateway's.
            "OPENAPI_URL_PREFIX": None,
            **(config or {}),
        },
    )
    # Built once per process: the pools and the JWKS key cache live as long as the app.
    upstreams = Upstreams(settings)
    authenticator = EdgeAuthenticator(verifier_from_settings(settings))
    app.extensions["gateway_upstreams"] = upstreams
    app.extensions["token_verifier"] = authenticator.verifier

    cors = {
        "origins": list(settings.cors_origins),
        "expose_headers": [REQUEST_ID_HEADER],
        "max_age": 600,
        "always_send": False,  # no CORS headers for requests without an Origin
    }
    CORS(app, resources={r"/api/*": cors})
    api.register_blueprint(
        health_blueprint(upstreams, outbox_lag_warning_seconds=settings.outbox_lag_warning_seconds)
    )
    register_docs(
        app,
        MergedOpenApi(
            upstreams=upstreams,
            own_document=lambda: public_document(api.spec.to_dict()),
            cache_seconds=settings.openapi_cache_seconds,
        ),
    )
    app.register_blueprint(proxied_routes())
    # The proxied requests themselves are answered in front of Flask (gateway.edge).
    app.wsgi_app = Edge(  # type: ignore[method-assign]
        app, settings=settings, upstreams=upstreams, authenticator=authenticator, cors=cors
    )
    return app
