"""Publishing to `pedidos.events` with publisher confirms: a message counts only once confirmed.

Messages are persistent and mandatory, so RabbitMQ either stores them in at least one queue
(and confirms), or returns them (unroutable) or nacks them — and the caller learns which.
A batch is sent pipelined and its confirms awaited together (one confirm round trip per
message caps a relay at a few hundred messages a second on a quorum queue).

One Publisher owns one connection: pika is not thread-safe, so give each thread its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection
from pika.channel import Channel
from pika.exceptions import AMQPChannelError, NackError, UnroutableError
from pika.spec import Basic

from shared.events import EXCHANGE
from shared.messaging.connection import (
    BROKER_ERRORS,
    BrokerTimeout,
    abort_connection,
    close_connection,
    connection_parameters,
    deadline,
    open_channel,
    open_connection,
    pump,
    rpc,
)

log = logging.getLogger("pedidos.messaging.publisher")

REQUEST_ID_HEADER = "x-request-id"


@dataclass(frozen=True)
class OutgoingMessage:
    """One event on its way to the exchange."""

    routing_key: str
    body: bytes
    message_id: str
    event_type: str
    correlation_id: str | None = None
    headers: Mapping[str, Any] = field(default_factory=dict)


def message_properties(message: OutgoingMessage) -> pika.BasicProperties:
    """The AMQP properties every Pedidos event carries (see SPEC §4)."""
    return pika.BasicProperties(
        content_type="application/json",
        delivery_mode=pika.DeliveryMode.Persistent,
        message_id=message.message_id,
        type=message.event_type,
        correlation_id=message.correlation_id,
        headers=dict(message.headers) or None,
        timestamp=int(time.time()),
    )


@dataclass
class BatchResult:
    """What happened to each message of a batch, by its index in the batch.

    Messages neither confirmed nor rejected are unknown: `error` (a lost connection, a
    timeout) ended the batch before their confirm came; they may or may not be queued.
    """

    size: int
    confirmed: list[int] = field(default_factory=list)
    rejected: dict[int, AMQPChannelError] = field(default_factory=dict)
    error: BaseException | None = None

    @property
    def unconfirmed(self) -> list[int]:
        """Indexes of the messages whose fate is unknown."""
        settled = set(self.confirmed) | set(self.rejected)
        return [index for index in range(self.size) if index not in settled]


class Publisher:
    """A confirmed publisher on one lazily (re)opened connection."""

    def __init__(
        self,
        url: str,
        *,
        exchange: str = EXCHANGE,
        on_connect: Callable[[BlockingChannel], None] | None = None,
        confirm_timeout: float = 10.0,
        setup_timeout: float = 30.0,
        connection_name: str = "pedidos.publisher",
    ) -> None:
        self.exchange = exchange
        self.confirm_timeout = confirm_timeout
        self.setup_timeout = setup_timeout
        self._parameters = connection_parameters(url, connection_name=connection_name)
        self._on_connect = on_connect
        self._connection: BlockingConnection | None = None
        self._channel: Channel | None = None
        self._next_tag = 1
        # Per batch: delivery tag -> index, and the outcomes the broker has sent so far.
        self._pending: dict[int, int] = {}
        self._batch: Sequence[OutgoingMessage] = ()
        self._result = BatchResult(size=0)
        self._returned: dict[int, pika.spec.Basic.Return] = {}

    @property
    def is_connected(self) -> bool:
        """Whether the connection and its confirm-mode channel are open."""
        return bool(
            self._connection is not None
            and self._connection.is_open
            and self._channel is not None
            and self._channel.is_open
        )

    def connect(self) -> None:
        """Open the connection and a confirm-mode channel unless they are open already."""
        if self.is_connected:
            return
        self._discard()
        connection = open_connection(self._parameters)
        try:
            if self._on_connect is not None:
                with deadline(connection, self.setup_timeout, "declaring the topology"):
                    setup = connection.channel()
                    self._on_connect(setup)
                    setup.close()
            # Confirms are tracked on pika's asynchronous channel so that a whole batch can
            # be in flight at once; BlockingChannel waits for each confirm in turn.
            channel = open_channel(connection)
            channel.add_on_return_callback(self._on_returned)
            rpc(connection, channel, "confirm_delivery", ack_nack_callback=self._on_confirmation)
        except BaseException:
            close_connection(connection)
            raise
        self._connection, self._channel, self._next_tag = connection, channel, 1

    def publish(
        self,
        routing_key: str,
        body: bytes,
        *,
        message_id: str,
        event_type: str,
        correlation_id: str | None = None,
        headers: Mapping[str, Any] | None = None,
    ) -> None:
        """Publish one message and wait for its confirm; raise if it is not confirmed."""
        message = OutgoingMessage(
            routing_key=routing_key,
            body=body,
            message_id=message_id,
            event_type=event_type,
            correlation_id=correlation_id,
            headers=headers or {},
        )
        result = self.publish_many([message])
        if result.error is not None:
            raise result.error
        if 0 in result.rejected:
            raise result.rejected[0]

    def publish_many(self, messages: Sequence[OutgoingMessage]) -> BatchResult:
        """Publish `messages` pipelined and wait (bounded) for all their confirms."""
        self._result = BatchResult(size=len(messages))
        if not messages:
            return self._result
        self._batch, self._pending, self._returned = messages, {}, {}
        try:
            self.connect()
            assert self._connection is not None and self._channel is not None
            for index, message in enumerate(messages):
                self._channel.basic_publish(
                    exchange=self.exchange,
                    routing_key=message.routing_key,
                    body=message.body,
                    properties=message_properties(message),
                    mandatory=True,
                )
                self._pending[self._next_tag] = index
                self._next_tag += 1
            if not pump(
                self._connection,
                self.confirm_timeout,
                lambda: not self._pending,
                channel=self._channel,
            ):
                reason = f"no publisher confirm from RabbitMQ in {self.confirm_timeout}s"
                abort_connection(self._connection, reason)
                raise BrokerTimeout(reason)
        except BROKER_ERRORS as exc:
            self._result.error = exc
            self._discard()
        finally:
            self._batch, self._pending, self._returned = (), {}, {}
        return self._result

    def keepalive(self) -> None:
        """Answer heartbeats while idle; forget the connection if it turns out dead."""
        if self._connection is None:
            return
        try:
            pump(self._connection, 0, channel=self._channel)
        except BROKER_ERRORS:
            self._discard()

    def close(self) -> None:
        """Close the connection (bounded); the next publish reopens one."""
        self._discard()

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _discard(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        close_connection(connection)

    def _on_returned(
        self,
        _channel: Any,
        method: Basic.Return,
        properties: pika.BasicProperties,
        _body: bytes,
    ) -> None:
        # A return comes just before the ack of the same message: match it to the oldest
        # pending message with that id that is not already marked returned.
        for index in sorted(self._pending.values()):
            if index not in self._returned and (
                self._batch[index].message_id == properties.message_id
            ):
                self._returned[index] = method
                return

    def _on_confirmation(self, frame: Any) -> None:
        method = frame.method
        if method.multiple:
            tags = sorted(tag for tag in self._pending if tag <= method.delivery_tag)
        else:
            tags = [method.delivery_tag]
        for tag in tags:
            index = self._pending.pop(tag, None)
            if index is None:
                continue
            if isinstance(method, Basic.Nack):
                self._result.rejected[index] = NackError([])
            elif index in self._returned:
                returned = self._returned[index]
                self._result.rejected[index] = UnroutableError([])
                log.warning(
                    "message returned as unroutable",
                    extra={
                        "routing_key": returned.routing_key,
                        "reply_text": returned.reply_text,
                        "message_id": self._batch[index].message_id,
                    },
                )
            else:
                self._result.confirmed.append(index)
