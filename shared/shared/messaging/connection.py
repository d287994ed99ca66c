"""Connections to RabbitMQ: parameters with timeouts, deadlines on broker calls, back-off.

pika's BlockingConnection bounds the TCP connect and the handshake, and heartbeats detect a
dead peer, but a broker that answers heartbeats and never confirms (a quorum queue without a
quorum, a memory alarm) would block a call forever; `deadline` bounds those calls too.

The publisher and the consumer drive pika's underlying (asynchronous) channel for what the
blocking API cannot do: many confirms in flight at once, and a graceful stop that finishes
the deliveries already received instead of returning them to the queue. The few private
pika 1.4 calls this needs (`_impl`, `_flush_output`, `_adapter_call_later`,
`_terminate_stream`, `_cancelled`) live in this module only; pika is pinned.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pika
from pika.adapters.blocking_connection import BlockingConnection
from pika.channel import Channel
from pika.exceptions import AMQPConnectionError, AMQPError, ChannelClosed

# What a broken or unreachable broker raises: pika's errors and the socket's own.
BROKER_ERRORS: tuple[type[BaseException], ...] = (AMQPError, OSError)


class BrokerTimeout(AMQPConnectionError):
    """A broker call took longer than its deadline; the connection was dropped."""


def connection_parameters(
    url: str,
    *,
    heartbeat: int = 30,
    socket_timeout: float = 5,
    blocked_connection_timeout: float = 30,
    connection_attempts: int = 1,
    stack_timeout: float = 10,
    connection_name: str | None = None,
) -> pika.URLParameters:
    """Parameters for `url` with bounded network waits; settings in the URL's query win."""
    params = pika.URLParameters(url)
    in_url = {key for key, _ in parse_qsl(urlsplit(url).query)}
    defaults = {
        "heartbeat": heartbeat,
        "socket_timeout": socket_timeout,
        "blocked_connection_timeout": blocked_connection_timeout,
        "connection_attempts": connection_attempts,
        "stack_timeout": stack_timeout,
    }
    for name, value in defaults.items():
        if name not in in_url:
            setattr(params, name, value)
    if connection_name:
        # Shown in the management UI, so an operator sees which worker holds a connection.
        params.client_properties = {"connection_name": connection_name}
    return params


def open_connection(parameters: pika.ConnectionParameters) -> BlockingConnection:
    """Open a blocking connection (one per thread: pika is not thread-safe)."""
    try:
        return BlockingConnection(parameters)
    except ValueError as exc:
        # pika raises ValueError ("Expected connected socket, but getpeername() failed") when
        # the peer drops the socket mid-handshake: an unreachable broker, like any other.
        raise AMQPConnectionError(f"connection dropped while opening: {exc}") from exc


@contextmanager
def deadline(connection: BlockingConnection, seconds: float, what: str) -> Iterator[None]:
    """Drop `connection` (raising BrokerTimeout) if the block's broker calls outlast `seconds`.

    It arms a timer on pika's own I/O loop, the way pika's heartbeat checker ends a dead
    connection, because BlockingConnection offers no timeout for RPCs or confirms.
    """
    impl = connection._impl

    def expire() -> None:
        impl._terminate_stream(BrokerTimeout(f"{what}: no answer from RabbitMQ in {seconds}s"))

    timer = impl._adapter_call_later(seconds, expire)
    try:
        yield
    finally:
        try:
            impl._adapter_remove_timeout(timer)
        except Exception:  # the loop is already closed when the connection was dropped
            pass


def pump(
    connection: BlockingConnection,
    seconds: float,
    until: Callable[[], bool] = lambda: False,
    *,
    channel: Channel | None = None,
) -> bool:
    """Do the connection's I/O (heartbeats, deliveries, confirms) until `until()` or timeout.

    Returns whether `until()` came true. Raises when the connection closes, or when
    `channel` closes (ChannelClosed).
    """
    impl = connection._impl
    expired: list[bool] = []
    timer = impl._adapter_call_later(max(seconds, 0), lambda: expired.append(True))
    closed = (lambda: channel.is_closed) if channel is not None else (lambda: False)
    try:
        connection._flush_output(lambda: bool(expired) or until() or closed())
    finally:
        try:
            impl._adapter_remove_timeout(timer)
        except Exception:  # the loop is already closed when the connection dropped
            pass
    if channel is not None and channel.is_closed:
        raise ChannelClosed(-1, f"channel {channel.channel_number} closed")
    return until()


def flush(connection: BlockingConnection) -> None:
    """Write out what is buffered (acks, publishes) without waiting for any answer."""
    connection._flush_output()


def open_channel(connection: BlockingConnection, *, timeout: float = 10) -> Channel:
    """Open one of pika's asynchronous channels on a blocking connection (bounded)."""
    opened: list[Channel] = []
    connection._impl.channel(on_open_callback=opened.append)
    if not pump(connection, timeout, lambda: bool(opened)):
        raise BrokerTimeout(f"opening a channel: no answer from RabbitMQ in {timeout}s")
    return opened[0]


def rpc(
    connection: BlockingConnection,
    channel: Channel,
    method: str,
    *args: Any,
    timeout: float = 10,
    **kwargs: Any,
) -> Any:
    """Call a method of an asynchronous channel that takes `callback=`, and wait for the ok."""
    done: list[object] = []
    returned = getattr(channel, method)(*args, callback=done.append, **kwargs)
    if not pump(connection, timeout, lambda: bool(done), channel=channel):
        raise BrokerTimeout(f"{method}: no answer from RabbitMQ in {timeout}s")
    return returned


def cancel_consumer(
    connection: BlockingConnection, channel: Channel, consumer_tag: str, *, timeout: float = 5
) -> None:
    """Cancel a subscription and wait for the ok, still receiving what was sent before it.

    pika would reject (requeue) deliveries that arrive between the cancel and its ok; a
    quorum queue counts each as a failed delivery attempt, so they are kept for the
    consumer to finish instead.
    """
    done: list[object] = []
    channel.basic_cancel(consumer_tag, callback=done.append)
    channel._cancelled.discard(consumer_tag)
    pump(connection, timeout, lambda: bool(done), channel=channel)


def abort_connection(connection: BlockingConnection, reason: str) -> None:
    """Drop the connection at once, without the closing handshake (the peer may be hung)."""
    if connection.is_closed:
        return
    try:
        connection._impl._terminate_stream(BrokerTimeout(reason))
        connection._flush_output()
    except Exception:  # pika reports the termination it was asked for
        pass


def close_connection(connection: BlockingConnection | None, *, timeout: float = 5) -> None:
    """Close politely within `timeout`; never raise (used on shutdown and after failures)."""
    if connection is None or connection.is_closed:
        return
    try:
        with deadline(connection, timeout, "closing the connection"):
            connection.close()
    except Exception:
        pass


@dataclass
class Backoff:
    """Capped exponential back-off with jitter, so replicas do not reconnect in lockstep."""

    initial: float = 0.5
    maximum: float = 10.0
    factor: float = 2.0
    jitter: float = 0.2
    _next: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self._next = self.initial

    def next_delay(self) -> float:
        """The delay before the next attempt; each call doubles it, up to `maximum`."""
        delay = self._next
        self._next = min(self._next * self.factor, self.maximum)
        return delay * random.uniform(1 - self.jitter, 1)

    def reset(self) -> None:
        """Start over from `initial` (after a success)."""
        self._next = self.initial
