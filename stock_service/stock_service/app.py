"""The stock service application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from shared.auth import TokenVerifier, verifier_from_settings
from shared.service_app import create_service_app
from stock_service.config import StockSettings
from stock_service.models import db


def create_app(
    settings: StockSettings | None = None,
    config: dict[str, Any] | None = None,
    verifier: TokenVerifier | None = None,
) -> Flask:
    """Build the app; tests may pass their own settings and token verifier."""
    settings = settings or StockSettings.from_env()
    app, api = create_service_app(
        settings,
        title="Pedidos — estoque e catálogo",
        description="Fornecedores, produtos, níveis de estoque, razão (ledger) e reservas.",
        db=db,
        verifier=verifier or verifier_from_settings(settings),
        config=config,
    )
    return app
