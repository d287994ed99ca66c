"""The auth service application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from auth_service.api.auth import blp as auth_blp
from auth_service.api.users import blp as users_blp
from auth_service.client_directory import (
    ClientDirectory,
    NoClientDirectory,
    OrderServiceClientDirectory,
)
from auth_service.config import AuthSettings
from auth_service.extension import EXTENSION_KEY, build_extension
from auth_service.keys import KeyRing, load_key_ring
from auth_service.models import db
from auth_service.tokens import issuer_from_settings
from shared import clock
from shared.auth import TokenVerifier
from shared.forwarding import SignedForwardedFor
from shared.service_app import create_service_app


def create_app(
    settings: AuthSettings | None = None,
    config: dict[str, Any] | None = None,
    *,
    client_directory: ClientDirectory | None = None,
) -> Flask:
    """Build the auth service; a missing key or secret outside development stops here."""
    settings = settings or AuthSettings.from_env()
    settings.check()
    keys = load_key_ring(
        keys_dir=settings.jwt_keys_dir,
        private_key_pem=settings.jwt_private_key,
        signing_key=settings.jwt_signing_key,
        development=settings.is_development,
    )
    # The issuer verifies its own tokens from its key ring: no HTTP call to itself.
    verifier = TokenVerifier(
        issuer=settings.jwt_issuer, audience=settings.jwt_audience, key_resolver=keys.public_key
    )
    app, api = create_service_app(
        settings,
        title="Pedidos — autenticação",
        description=(
            "Usuários, papéis e senhas; emissão, renovação e revogação de tokens JWT (RS256); "
            "tokens de serviço (client_credentials); chaves públicas (JWKS)."
        ),
        db=db,
        verifier=verifier,
        config=config,
    )
    app.extensions[EXTENSION_KEY] = build_extension(
        settings, keys, client_directory or default_client_directory(settings, keys)
    )
    api.register_blueprint(auth_blp)
    api.register_blueprint(users_blp)
    # The login lockout counts by address: X-Forwarded-For counts only when the gateway signed it.
    app.wsgi_app = SignedForwardedFor(app.wsgi_app, settings.forwarded_for_secret)  # type: ignore[method-assign]
    return app


def default_client_directory(settings: AuthSettings, keys: KeyRing) -> ClientDirectory:
    """order_service's client records when ORDER_SERVICE_URL is set; none otherwise."""
    if not settings.order_service_url:
        return NoClientDirectory()
    issuer = issuer_from_settings(settings, keys)
    return OrderServiceClientDirectory(
        settings.order_service_url,
        # We are the issuer: sign our own service token instead of asking ourselves over HTTP
        # (a self-call would need a second free worker thread while the sign-up waits).
        token=lambda: issuer.service_token(client_id=settings.service_name, now=clock.now()),
        read_timeout=settings.http_timeout,
    )
