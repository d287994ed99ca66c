"""Routing table of the events order_service consumes: event type -> on_<event> handler.

Each handler runs in the consumer's transaction: `on_<event>(session, event) -> None`.
An event type missing here is acked and logged (nothing in order_service needs it yet).
"""

from __future__ import annotations

from shared.messaging.consumer import Handler

HANDLERS: dict[str, Handler] = {}
