"""Dead-lettered messages, for an operator: list them, replay them.

    python -m shared.messaging.dlq list                       # every DLQ
    python -m shared.messaging.dlq list --queue novos_pedidos
    python -m shared.messaging.dlq replay --order-id <uuid>   # or --queue Q, or --all
    make dlq ARGS="replay --all"

Listing reads each `<queue>.dlq` without consuming it (the messages are fetched, then given
back unacknowledged, in order). A replay publishes each chosen message, unchanged (same
message id, type and headers, with publisher confirms), straight to the queue it was
dead-lettered from — not to the exchange, so the other queues bound to its routing key do not
get it again — and only then removes it from the DLQ. Consumers are idempotent by message id,
so replaying twice, or replaying a message that was in fact processed, does nothing twice.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

from shared import wire_json
from shared.config import DEFAULT_RABBITMQ_URL
from shared.events import QUEUE_BINDINGS
from shared.messaging.settlement import ATTEMPTS_HEADER, PEDIDOS_HEADERS, REASON_HEADER
from shared.messaging.topology import dead_letter_queue
from shared.service_app import BacklogReport, cached_report

DEFAULT_LIMIT = 1000  # messages read per DLQ at most


@dataclass(frozen=True)
class DeadLetter:
    """A message in a DLQ, with what an operator needs to decide about it."""

    queue: str  # the queue it was dead-lettered from
    message_id: str | None
    event_type: str | None
    order_id: str | None
    # The consumer's own (handler_failed: …, malformed: …, returned_unsettled: …), or the
    # broker's (rejected, delivery_limit, expired…) for what the broker dead-lettered itself.
    reason: str | None
    attempts: int | None  # handler failures (ours), else deliveries the broker counted
    age_seconds: float | None
    delivery_tag: int
    properties: pika.BasicProperties
    body: bytes

    def row(self) -> dict[str, Any]:
        return {
            "queue": self.queue,
            "message_id": self.message_id,
            "type": self.event_type,
            "order_id": self.order_id,
            "reason": self.reason,
            "attempts": self.attempts,
            "age_s": None if self.age_seconds is None else round(self.age_seconds),
        }


def _death(properties: pika.BasicProperties) -> dict[str, Any]:
    deaths = (properties.headers or {}).get("x-death") or [{}]
    return deaths[0] if isinstance(deaths[0], dict) else {}


def _order_id(body: bytes) -> str | None:
    try:
        data = wire_json.decode(body).get("data") or {}
    except (ValueError, AttributeError):
        return None
    value = data.get("order_id") if isinstance(data, dict) else None
    return str(value) if value else None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def read(channel: BlockingChannel, queue: str, *, limit: int = DEFAULT_LIMIT) -> list[DeadLetter]:
    """The messages of `queue`'s DLQ (unacknowledged on `channel`: they go back on close)."""
    found: list[DeadLetter] = []
    now = time.time()
    while len(found) < limit:
        method, properties, body = channel.basic_get(dead_letter_queue(queue), auto_ack=False)
        if method is None:
            break
        death = _death(properties)
        died_at = death.get("time")
        timestamp = getattr(died_at, "timestamp", None)
        when = timestamp() if callable(timestamp) else properties.timestamp
        headers = properties.headers or {}
        attempts = headers.get(ATTEMPTS_HEADER, headers.get("x-delivery-count", death.get("count")))
        found.append(
            DeadLetter(
                queue=_as_text(death.get("queue")) or queue,
                message_id=properties.message_id,
                event_type=properties.type,
                order_id=_order_id(body),
                reason=_as_text(headers.get(REASON_HEADER) or death.get("reason")),
                attempts=int(attempts) if attempts is not None else None,
                age_seconds=(now - when) if when else None,
                delivery_tag=method.delivery_tag,
                properties=properties,
                body=body,
            )
        )
    return found


def _chosen(letter: DeadLetter, *, order_id: str | None, everything: bool) -> bool:
    return everything or (order_id is not None and letter.order_id == order_id)


def replay(
    channel: BlockingChannel,
    letters: Iterable[DeadLetter],
    *,
    order_id: str | None = None,
    everything: bool = False,
) -> list[DeadLetter]:
    """Publish the chosen letters back to their queue (confirmed), then drop them from the DLQ.

    `channel` must be in confirm mode and be the one the letters were read on.
    """
    replayed = []
    for letter in letters:
        if not _chosen(letter, order_id=order_id, everything=everything):
            continue
        # A replayed message starts afresh: no broker death record, none of our counts.
        dropped = ("x-death", *PEDIDOS_HEADERS)
        headers = {k: v for k, v in (letter.properties.headers or {}).items() if k not in dropped}
        headers["x-replayed-from-dlq"] = dead_letter_queue(letter.queue)
        properties = pika.BasicProperties(
            content_type=letter.properties.content_type,
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=letter.message_id,
            type=letter.event_type,
            correlation_id=letter.properties.correlation_id,
            timestamp=letter.properties.timestamp,
            headers=headers,
        )
        # Straight to its queue (default exchange): confirmed, unroutable is an error.
        channel.basic_publish("", letter.queue, letter.body, properties, mandatory=True)
        channel.basic_ack(letter.delivery_tag)
        replayed.append(letter)
    return replayed


def _queues(only: str | None) -> list[str]:
    queues = sorted(QUEUE_BINDINGS)
    if only is not None and only not in queues:
        raise SystemExit(f"fila desconhecida: {only} (conhecidas: {', '.join(queues)})")
    return [only] if only else queues


def _print(letters: Sequence[DeadLetter]) -> None:
    if not letters:
        print("nenhuma mensagem nas DLQs consultadas")
        return
    # The reason last: it is the one long, free-text column.
    columns = ["queue", "message_id", "type", "order_id", "attempts", "age_s", "reason"]
    rows = [[str(letter.row()[c]) for c in columns] for letter in letters]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.messaging.dlq", description=__doc__)
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("--queue", help="só esta fila (e a sua DLQ)")
    parser.add_argument("--order-id", help="replay: só as mensagens deste pedido")
    parser.add_argument("--all", action="store_true", help="replay: todas as mensagens")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT)
    args = parser.parse_args(argv)
    if args.command == "replay" and not (args.all or args.order_id):
        parser.error("replay precisa de --all ou --order-id")
    url = os.environ.get("RABBITMQ_URL", DEFAULT_RABBITMQ_URL)
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        letters = [m for q in _queues(args.queue) for m in read(channel, q, limit=args.limit)]
        if args.command == "list":
            _print(letters)
            return 0
        done = replay(channel, letters, order_id=args.order_id, everything=args.all)
        _print(done)
        print(f"{len(done)} mensagem(ns) reenviada(s) à(s) fila(s) de origem")
        return 0
    finally:
        connection.close()  # what was read and not replayed goes back to its DLQ


if __name__ == "__main__":
    sys.exit(main())


def dead_letter_depths(url: str, queues: Sequence[str], *, ttl: float = 15.0) -> BacklogReport:
    """For /ready: how many messages wait in each of a service's DLQs (read at most every
    `ttl` seconds, with a 2 s timeout). A broker that does not answer is reported, never a
    reason to be unready (the service works without it)."""
    return cached_report(lambda: _depths(url, queues), ttl)


def _depths(url: str, queues: Sequence[str]) -> dict[str, Any]:
    parameters = pika.URLParameters(url)
    parameters.socket_timeout = 2
    parameters.blocked_connection_timeout = 2
    parameters.connection_attempts = 1
    try:
        connection = pika.BlockingConnection(parameters)
    except Exception as exc:  # the broker away: say so, nothing else
        return {"error": type(exc).__name__}
    depths: dict[str, Any] = {}
    try:
        for queue in queues:
            channel = connection.channel()
            try:
                declared = channel.queue_declare(dead_letter_queue(queue), passive=True)
                depths[dead_letter_queue(queue)] = declared.method.message_count
                channel.close()
            except pika.exceptions.ChannelClosedByBroker:  # not declared yet: empty
                depths[dead_letter_queue(queue)] = 0
    finally:
        connection.close()
    return {"messages": sum(depths.values()), "queues": depths}
