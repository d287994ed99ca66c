"""How a consumer settles a delivery, and the headers it counts with (docs/reliability.md).

A verdict per delivery: ack it; or send a confirmed copy first — back to the queue's tail
with one more handler failure counted (`x-pedidos-attempts`), renewed after returns by
crashes (`x-pedidos-returns`), or to the DLQ with the reason (`x-pedidos-reason`) — then
ack. RabbitMQ's own delivery count (`x-delivery-count`) counts returns, never failures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pika


class Disposition(Enum):
    """How a delivery is settled with the broker."""

    ACK = "ack"
    DEAD_LETTER = "dead_letter"  # a copy to the DLQ with the reason, then ack
    RETRY = "retry"  # a copy to the queue's tail with one more attempt, then ack
    RENEW = "renew"  # returned too often by crashes: a fresh copy (not an attempt), then ack
    REQUEUE = "requeue"  # nack with requeue (stopping while the database is away)


# Our headers on a message's copies (docs/operations.md shows how to read them).
ATTEMPTS_HEADER = "x-pedidos-attempts"  # handler failures so far
LAST_ERROR_HEADER = "x-pedidos-last-error"
RETURNS_HEADER = "x-pedidos-returns"  # returns without a settlement (crashes), renewals summed
REASON_HEADER = "x-pedidos-reason"  # why it was dead-lettered
PEDIDOS_HEADERS = (ATTEMPTS_HEADER, LAST_ERROR_HEADER, RETURNS_HEADER, REASON_HEADER)
# Set by the broker on delivery or dead-lettering: never copied onto a new message.
_BROKER_HEADERS = ("x-delivery-count", "x-death", "x-first-death-exchange",
                   "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange",
                   "x-last-death-queue", "x-last-death-reason")  # fmt: skip

DEFAULT_MAX_ATTEMPTS = 5
MAX_RETURNS = 25  # returns in all before a message is taken for one that kills its consumer


@dataclass(frozen=True)
class Verdict:
    """A disposition and, for a copy, the headers of ours it carries."""

    disposition: Disposition
    headers: Mapping[str, Any] = field(default_factory=dict)


ACKED = Verdict(Disposition.ACK)


def header_count(properties: pika.BasicProperties, header: str) -> int:
    """A counting header of the message, as a non-negative int (0 when absent or garbled)."""
    try:
        return max(int((properties.headers or {}).get(header, 0)), 0)
    except (TypeError, ValueError):
        return 0


def broker_returns(properties: pika.BasicProperties) -> int:
    """How often the broker delivered this message before (quorum queues' x-delivery-count)."""
    return header_count(properties, "x-delivery-count")


def failed_attempts(properties: pika.BasicProperties) -> int:
    """How often a handler failed on this message before (our own count)."""
    return header_count(properties, ATTEMPTS_HEADER)


def describe(exc: BaseException) -> str:
    """An error in one line for a header: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:300]


def copy_properties(
    properties: pika.BasicProperties, headers: Mapping[str, Any]
) -> pika.BasicProperties:
    """The message's properties for a new copy: same id, type and correlation; our headers
    updated; the broker's own delivery headers dropped."""
    kept = {k: v for k, v in (properties.headers or {}).items() if k not in _BROKER_HEADERS}
    return pika.BasicProperties(
        content_type=properties.content_type,
        delivery_mode=pika.DeliveryMode.Persistent,
        message_id=properties.message_id,
        type=properties.type,
        correlation_id=properties.correlation_id,
        timestamp=properties.timestamp,
        headers={**kept, **headers},
    )
