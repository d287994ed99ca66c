"""The order service application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from order_service.config import OrderSettings
from order_service.models import db
from shared.auth import TokenVerifier, verifier_from_settings
from shared.service_app import create_service_app


def create_app(
    settings: OrderSettings | None = None,
    config: dict[str, Any] | None = None,
    verifier: TokenVerifier | None = None,
) -> Flask:
    """Build the app; tests may pass their own settings and token verifier."""
    settings = settings or OrderSettings.from_env()
    app, api = create_service_app(
        settings,
        title="Pedidos — pedidos e clientes",
        description="Clientes, pedidos e seus itens, ciclo de vida dos status, relatórios.",
        db=db,
        verifier=verifier or verifier_from_settings(settings),
        config=config,
    )
    return app
