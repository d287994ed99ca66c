"""The order service application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from order_service.config import OrderSettings
from order_service.models import db
from shared.auth import verifier_from_settings
from shared.service_app import create_service_app


def create_app(
    settings: OrderSettings | None = None, config: dict[str, Any] | None = None
) -> Flask:
    settings = settings or OrderSettings.from_env()
    app, api = create_service_app(
        settings,
        title="Pedidos — pedidos e clientes",
        description="Clientes, pedidos e seus itens, ciclo de vida dos status, relatórios.",
        db=db,
        verifier=verifier_from_settings(settings),
        config=config,
    )
    return app
