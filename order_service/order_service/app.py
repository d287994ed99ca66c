"""The order service application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from order_service.api import (
    STOCK_EXTENSION,
    bulk,
    clients,
    imports,
    notifications,
    orders,
    replenishment,
    reports,
    suppliers,
)
from order_service.catalogue.local import LocalCatalogue
from order_service.config import OrderSettings
from order_service.models import db, outbox
from order_service.notifications.backlog import notifications_backlog_report
from order_service.stock_catalogue import HttpStockCatalogue, StockCatalogue
from order_service.stuck_orders import stuck_orders_report
from shared.auth import TokenVerifier, verifier_from_settings
from shared.events import NOTIFICATIONS_QUEUE, ORDER_STOCK_EVENTS_QUEUE
from shared.messaging.dlq import dead_letter_depths
from shared.service_app import create_service_app, outbox_backlog_report


def create_app(
    settings: OrderSettings | None = None,
    config: dict[str, Any] | None = None,
    verifier: TokenVerifier | None = None,
    stock: StockCatalogue | None = None,
) -> Flask:
    """Build the app; tests may pass their own settings, token verifier and stock client."""
    settings = settings or OrderSettings.from_env()
    app, api = create_service_app(
        settings,
        title="Pedidos — pedidos e clientes",
        description="Clientes, pedidos e seus itens, ciclo de vida dos status, relatórios.",
        db=db,
        verifier=verifier or verifier_from_settings(settings),
        backlogs={
            "outbox": outbox_backlog_report(db, outbox),
            "notifications": notifications_backlog_report(db),
            "stuck_orders": stuck_orders_report(db),
            "dead_letters": dead_letter_depths(
                settings.rabbitmq_url, [ORDER_STOCK_EVENTS_QUEUE, NOTIFICATIONS_QUEUE]
            ),
        },
        config=config,
    )
    # The catalogue copy answers availability; the stock service the rest (and what the
    # copy does not know yet). A test passes its own `stock` and talks to it directly.
    app.extensions[STOCK_EXTENSION] = stock or LocalCatalogue(
        HttpStockCatalogue.from_settings(settings), db.session
    )
    for blueprint in (
        bulk.blp,
        clients.blp,
        imports.blp,
        notifications.blp,
        orders.blp,
        replenishment.blp,
        reports.blp,
        suppliers.blp,
    ):
        api.register_blueprint(blueprint)
    return app
