"""The stock service application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from shared.auth import TokenVerifier, verifier_from_settings
from shared.events import NEW_ORDERS_QUEUE
from shared.messaging.dlq import dead_letter_depths
from shared.service_app import create_service_app, outbox_backlog_report
from stock_service.api import products, stock, suppliers
from stock_service.config import StockSettings
from stock_service.image_files import ImageFiles
from stock_service.models import db, outbox


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
        backlogs={
            "outbox": outbox_backlog_report(db, outbox),
            "dead_letters": dead_letter_depths(settings.rabbitmq_url, [NEW_ORDERS_QUEUE]),
        },
        config=config,
    )
    app.extensions["stock_images"] = ImageFiles(settings.images_dir)
    for blueprint in (suppliers.blp, products.blp, stock.blp):
        api.register_blueprint(blueprint)
    return app
