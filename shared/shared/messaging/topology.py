"""The RabbitMQ topology of Pedidos: exchanges, quorum queues, their bindings and DLQs.

Every queue is a durable quorum queue with a delivery limit: a message that keeps failing
is dead-lettered (through `pedidos.dlx`, routing key = the queue's name) to `<queue>.dlq`
after the limit instead of blocking the queue forever. Declaring is idempotent, so every
worker declares what it needs when it connects and `python -m shared.messaging.topology`
does it once for `make run` and docker compose.

The arguments of an existing queue cannot change by redeclaring it (RabbitMQ answers
PRECONDITION_FAILED); to change the delivery limit of a live queue, use a policy.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from pika.adapters.blocking_connection import BlockingChannel

from shared.config import DEFAULT_RABBITMQ_URL, env_int, env_str
from shared.events import DEAD_LETTER_EXCHANGE, EXCHANGE, QUEUE_BINDINGS, RETIRED_BINDINGS
from shared.logging import configure_logging
from shared.messaging.connection import (
    BROKER_ERRORS,
    close_connection,
    connection_parameters,
    deadline,
    open_connection,
)

log = logging.getLogger("pedidos.messaging.topology")

DEFAULT_DELIVERY_LIMIT = 5
DECLARE_TIMEOUT = 30.0


def delivery_limit_from_env() -> int:
    """RABBITMQ_DELIVERY_LIMIT: every process must declare the same, or RabbitMQ refuses."""
    return env_int("RABBITMQ_DELIVERY_LIMIT", DEFAULT_DELIVERY_LIMIT)


def dead_letter_queue(queue: str) -> str:
    """The queue where `queue`'s dead messages land."""
    return f"{queue}.dlq"


def queue_arguments(queue: str, *, delivery_limit: int = DEFAULT_DELIVERY_LIMIT) -> dict[str, Any]:
    """Arguments of a work queue: quorum, bounded redeliveries, dead-lettered to its DLQ."""
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": delivery_limit,
        "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
        "x-dead-letter-routing-key": queue,
        # At-least-once dead-lettering keeps a message in its queue until the DLQ confirms
        # it (RabbitMQ >= 3.10); it requires reject-publish overflow. No max-length is set,
        # so the overflow mode never rejects anything here.
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


DEAD_LETTER_QUEUE_ARGUMENTS: dict[str, Any] = {"x-queue-type": "quorum"}


def declare_exchanges(channel: BlockingChannel) -> None:
    """The events exchange (topic) and the dead-letter exchange (direct), both durable."""
    channel.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
    channel.exchange_declare(DEAD_LETTER_EXCHANGE, exchange_type="direct", durable=True)


def declare_queue(
    channel: BlockingChannel,
    queue: str,
    *,
    routing_keys: Iterable[str] = (),
    delivery_limit: int = DEFAULT_DELIVERY_LIMIT,
) -> None:
    """Declare `queue` and its DLQ, bind it to the events exchange for each routing key."""
    declare_exchanges(channel)
    dlq = dead_letter_queue(queue)
    channel.queue_declare(dlq, durable=True, arguments=DEAD_LETTER_QUEUE_ARGUMENTS)
    channel.queue_bind(dlq, DEAD_LETTER_EXCHANGE, routing_key=queue)
    channel.queue_declare(
        queue, durable=True, arguments=queue_arguments(queue, delivery_limit=delivery_limit)
    )
    for routing_key in routing_keys:
        channel.queue_bind(queue, EXCHANGE, routing_key=str(routing_key))


def declare_topology(
    channel: BlockingChannel,
    queues: Mapping[str, Iterable[str]] = QUEUE_BINDINGS,
    delivery_limit: int = DEFAULT_DELIVERY_LIMIT,
) -> None:
    """Declare the exchanges and every queue of `queues` (queue -> routing keys), and remove
    the RETIRED_BINDINGS of those queues (unbinding what is not bound is a no-op)."""
    declare_exchanges(channel)
    for queue, routing_keys in queues.items():
        declare_queue(channel, queue, routing_keys=routing_keys, delivery_limit=delivery_limit)
        for retired in RETIRED_BINDINGS.get(queue, ()):
            if retired not in routing_keys:
                channel.queue_unbind(queue, EXCHANGE, routing_key=str(retired))


def declare_topology_at(url: str, *, delivery_limit: int = DEFAULT_DELIVERY_LIMIT) -> None:
    """Connect to `url`, declare the whole topology, disconnect."""
    connection = open_connection(connection_parameters(url, connection_name="pedidos.topology"))
    try:
        with deadline(connection, DECLARE_TIMEOUT, "declaring the topology"):
            declare_topology(connection.channel(), delivery_limit=delivery_limit)
    finally:
        close_connection(connection)


def main(argv: list[str] | None = None) -> int:
    """CLI: declare the topology on RABBITMQ_URL (or --url)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=env_str("RABBITMQ_URL", DEFAULT_RABBITMQ_URL))
    parser.add_argument("--delivery-limit", type=int, default=delivery_limit_from_env())
    args = parser.parse_args(argv)
    configure_logging("topology", env_str("LOG_LEVEL", "INFO"))
    try:
        declare_topology_at(args.url, delivery_limit=args.delivery_limit)
    except BROKER_ERRORS as exc:
        log.error("could not declare the RabbitMQ topology", extra={"error": repr(exc)})
        return 1
    log.info("RabbitMQ topology declared", extra={"queues": sorted(QUEUE_BINDINGS)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
