"""HTTP views of the order service and what they share: the caller and the collaborators."""

from __future__ import annotations

import uuid

from flask import current_app, g

from order_service.config import OrderSettings
from order_service.domain.access import Actor, ActorRole
from order_service.stock_catalogue import StockCatalogue
from shared.auth import current_principal

STOCK_EXTENSION = "order_stock_catalogue"


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None  # a malformed binding binds nothing (scope checks then refuse)


def current_actor() -> Actor:
    """The verified caller as the domain rules see it."""
    principal = current_principal()
    return Actor(
        subject=principal.subject,
        role=ActorRole(principal.role.value),
        client_id=_uuid_or_none(principal.client_id),
        supplier_id=_uuid_or_none(principal.supplier_id),
    )


def settings() -> OrderSettings:
    """The settings create_app was built with."""
    return current_app.config["SETTINGS"]


def stock_catalogue() -> StockCatalogue:
    """The stock service client create_app wired (tests may pass their own)."""
    return current_app.extensions[STOCK_EXTENSION]


def request_id() -> str | None:
    """This request's id: the correlation id of the events it causes."""
    return g.get("request_id")
