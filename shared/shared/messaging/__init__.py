"""RabbitMQ machinery of Pedidos: topology, confirmed publisher, outbox relay, idempotent consumer.

Mechanisms only; the services bring their tables, queues and handlers (see each service's
`messaging/` package and SPEC §4).
"""

from shared.messaging.connection import (
    BROKER_ERRORS,
    Backoff,
    BrokerTimeout,
    connection_parameters,
)
from shared.messaging.consumer import Consumer, ConsumerStats, Handler, Transaction
from shared.messaging.publisher import BatchResult, OutgoingMessage, Publisher
from shared.messaging.relay import OutboxRelay, outgoing_message
from shared.messaging.settlement import Disposition, failed_attempts
from shared.messaging.shutdown import StopSignal
from shared.messaging.topology import (
    DEFAULT_DELIVERY_LIMIT,
    dead_letter_queue,
    declare_queue,
    declare_topology,
    queue_arguments,
)

__all__ = [
    "BROKER_ERRORS",
    "DEFAULT_DELIVERY_LIMIT",
    "Backoff",
    "BatchResult",
    "BrokerTimeout",
    "Consumer",
    "ConsumerStats",
    "Disposition",
    "Handler",
    "OutboxRelay",
    "OutgoingMessage",
    "Publisher",
    "StopSignal",
    "Transaction",
    "connection_parameters",
    "dead_letter_queue",
    "declare_queue",
    "declare_topology",
    "failed_attempts",
    "outgoing_message",
    "queue_arguments",
]
