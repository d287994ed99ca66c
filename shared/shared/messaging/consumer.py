"""The idempotent consumer: one queue, a routing table of handlers, ack after commit.

Per delivery:
- a body that is not a Pedidos event is rejected without requeue: dead-lettered at once;
- an event type with no handler is acked (logged at info): nobody here needs it; so is an
  event a `Selective` handler does not want, without a transaction;
- otherwise the message id is claimed in the inbox table and the handler runs, in the same
  transaction; a duplicate (already claimed) changes nothing. The ack is sent after the
  commit, so a crash in between redelivers a message whose claim is already committed;
- if the handler raises, its changes are rolled back and the failure is counted by us, not
  by the broker: a copy goes back to the queue's tail with `x-pedidos-attempts` + 1 (and the
  error), confirmed before the original is acked; after `max_attempts` failures the copy
  goes to the DLQ instead, with the reason and the attempts in its headers. The messages
  behind it go on being processed;
- a crash is not a failure: a consumer killed while holding messages makes RabbitMQ
  return them, and a quorum queue counts each return towards its delivery limit (3.10
  counts a closed channel's unacked messages). So a delivery whose broker count nears the
  queue's limit is renewed — re-queued as a fresh copy, its returns added up in
  `x-pedidos-returns` — before the broker would dead-letter a healthy message; only one
  returned more than `MAX_RETURNS` times in all (a message that kills its consumer) is
  dead-lettered, as `returned_unsettled`. The broker's limit stays as the last net;
- if the database itself is unreachable, the message is not at fault: the consumer keeps it,
  waits for the database and tries again, so an outage does not burn delivery attempts.

Deliveries already received are handled together in one transaction: a durable commit
costs a disk flush, so one commit per message would cap a consumer at a few hundred
messages a second. When the queue is quiet a batch is one message; under a stream, a batch
starts at most once per interval of its `pacer` and takes what arrived meanwhile
(shared.messaging.pacing), so a message does not pay a batch's fixed price alone. The
batch's message ids are claimed with one statement (shared.inbox.claim_messages, in
message-id order); then the handlers run in delivery order. A handler registered as a
`BatchHandler` is called once for each run of consecutive claimed events it handles, with
the events as a list, so it can read and write the batch's rows with a few statements
instead of a few per message (it must then take its locks in a global order itself:
several consumers run at once).
If anything in a batch fails, the batch is rolled back and its messages are redone one
transaction each, so only the message at fault is retried (handlers run again after a
rollback: they must not have effects outside the transaction, which is the rule for
handlers anyway); a BatchHandler is then called with a one-event list.

On stop (SIGTERM) it cancels its subscription, finishes the deliveries already received and
acks them, then closes: RabbitMQ 3.x counts every message returned by a closing channel as
a delivery attempt, so returning a prefetched batch on each restart would push innocent
messages towards the dead-letter queue.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection
from pika.channel import Channel
from pika.exceptions import ConsumerCancelled
from sqlalchemy import Table, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from shared.events import DEAD_LETTER_EXCHANGE, Event, InvalidEvent
from shared.inbox import (
    DEFAULT_INBOX_RETENTION,
    PURGE_CHUNK,
    claim_message,
    claim_messages,
    purge_processed,
)
from shared.logging import correlation_id_var, request_id_var
from shared.messaging.connection import (
    BROKER_ERRORS,
    Backoff,
    cancel_consumer,
    close_connection,
    connection_parameters,
    deadline,
    flush,
    open_channel,
    open_connection,
    pump,
    rpc,
)
from shared.messaging.pacing import BatchPacer
from shared.messaging.publisher import REQUEST_ID_HEADER
from shared.messaging.settlement import (
    ACKED,
    ATTEMPTS_HEADER,
    DEFAULT_MAX_ATTEMPTS,
    LAST_ERROR_HEADER,
    MAX_RETURNS,
    REASON_HEADER,
    RETURNS_HEADER,
    Disposition,
    Verdict,
    broker_returns,
    copy_properties,
    describe,
    failed_attempts,
    header_count,
)
from shared.messaging.shutdown import StopSignal
from shared.messaging.topology import DEFAULT_DELIVERY_LIMIT
from shared.metrics import BATCH_SECONDS, CONSUMED

log = logging.getLogger("pedidos.messaging.consumer")

Handler = Callable[[Session, Event], None]
Transaction = Callable[[], AbstractContextManager[Session]]


class BatchHandler:
    """A handler of many events at once: `handle(session, events)`, in delivery order.

    Registered in the same `handlers` mapping as the others (it also accepts one event as
    `(session, event)`, the way a batch redone message by message calls it). It must not
    commit: the consumer commits the claims and the effects together.
    """

    def __init__(self, handle: Callable[[Session, Sequence[Event]], None]) -> None:
        self.handle = handle

    def __call__(self, session: Session, event: Event) -> None:
        self.handle(session, [event])


class Selective:
    """A handler for only some events of its type, chosen from the event alone.

    The consumer acks an event `wants` refuses without opening a transaction or claiming
    its id (it changes nothing, so a redelivery is harmless): e.g. the notifications hear
    every `order.created` and act on replenishment orders only.
    """

    def __init__(self, wants: Callable[[Event], bool], handler: Handler) -> None:
        self.wants = wants
        self.handler = handler

    def __call__(self, session: Session, event: Event) -> None:
        if self.wants(event):
            self.handler(session, event)


@dataclass
class ConsumerStats:
    """Counts since start, for logs, metrics and tests."""

    processed: int = 0
    duplicates: int = 0
    ignored: int = 0
    malformed: int = 0
    failed: int = 0
    retried: int = 0
    renewed: int = 0
    dead_lettered: int = 0


@dataclass(frozen=True)
class _Work:
    """A delivery that has a handler: its place in the batch, its event, its handler."""

    index: int
    event: Event
    handler: Handler
    properties: pika.BasicProperties


def _runs(work: list[_Work]) -> Iterator[list[_Work]]:
    """Consecutive items for one BatchHandler together; any other handler, one item each."""
    run: list[_Work] = []
    for item in work:
        if run and not (isinstance(item.handler, BatchHandler) and item.handler is run[0].handler):
            yield run
            run = []
        run.append(item)
    if run:
        yield run


# A first purge of a large inbox is spread over idle moments: 10 chunks (of 5,000 ids) a turn.
_PURGE_CHUNKS_PER_TURN = 10


class Consumer:
    """Consumes one queue until stopped, reconnecting with back-off when the broker drops."""

    def __init__(
        self,
        url: str,
        *,
        queue: str,
        handlers: Mapping[str, Handler],
        transaction: Transaction,
        inbox_table: Table,
        consumer_name: str | None = None,
        prefetch: int = 50,
        batch_size: int = 50,
        pacer: BatchPacer | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        delivery_limit: int = DEFAULT_DELIVERY_LIMIT,
        topology: Callable[[BlockingChannel], None] | None = None,
        backoff: Backoff | None = None,
        stop: StopSignal | None = None,
        idle_timeout: float = 0.5,
        setup_timeout: float = 30.0,
        inbox_retention: timedelta | None = DEFAULT_INBOX_RETENTION,
        purge_interval: float = 3600.0,
        purge_chunk: int = PURGE_CHUNK,
    ) -> None:
        self.queue = queue
        self.handlers = handlers
        self.transaction = transaction
        self.inbox_table = inbox_table
        # The inbox key: the queue name is unique in the system and owned by one service.
        self.consumer_name = consumer_name or queue
        self.prefetch = prefetch
        self.batch_size = max(batch_size, 1)
        self.pacer = pacer or BatchPacer(0.0)
        self.max_attempts = max(max_attempts, 1)
        # The broker dead-letters a message returned more than delivery_limit times: renew
        # it one return before that, leaving one spare for a crash during the renewal.
        self.renew_at = max(delivery_limit - 1, 1)
        self.topology = topology
        self.backoff = backoff or Backoff(initial=0.5, maximum=10.0)
        self.stop_signal = stop or StopSignal()
        self.idle_timeout = idle_timeout
        self.setup_timeout = setup_timeout
        # Processed ids older than this are forgotten (None: kept for ever), checked when
        # idle every `purge_interval` seconds, starting at the first idle moment.
        self.inbox_retention = inbox_retention
        self.purge_interval = purge_interval
        self.purge_chunk = max(purge_chunk, 1)
        self._next_purge = time.monotonic()
        self.stats = ConsumerStats()
        self._parameters = connection_parameters(url, connection_name=f"consumer:{queue}")
        self._connection: BlockingConnection | None = None
        self._channel: Channel | None = None
        self._copies: BlockingChannel | None = None
        self._deliveries: deque[tuple[Any, pika.BasicProperties, bytes]] = deque()
        self._cancelled_by_broker = False
        self._database_down = False
        self._subscribed = False
        self._consumer_tag = ""

    def run(self) -> None:
        """Consume until stopped (SIGTERM/SIGINT via StopSignal, or `stop()`)."""
        log.info("consumer started", extra={"queue": self.queue})
        while not self.stop_signal.is_set():
            try:
                self._open()
                self.backoff.reset()
                self._consume()
            except BROKER_ERRORS as exc:
                if self.stop_signal.is_set():
                    log.warning(
                        "lost the broker connection while stopping",
                        extra={"queue": self.queue, "error": repr(exc)},
                    )
                    break
                delay = self.backoff.next_delay()
                log.warning(
                    "lost the broker connection; reconnecting",
                    extra={"queue": self.queue, "error": repr(exc), "retry_in_s": round(delay, 2)},
                )
                self._close()
                self.stop_signal.wait(delay)
            finally:
                if self.stop_signal.is_set():
                    self._close()
        self._close()
        log.info("consumer stopped", extra={"queue": self.queue, **vars(self.stats)})

    def stop(self) -> None:
        """Ask `run` to finish the deliveries it holds and return (thread- and signal-safe)."""
        self.stop_signal.set()

    def _open(self) -> None:
        self._deliveries.clear()
        self._cancelled_by_broker = False
        connection = open_connection(self._parameters)
        self._connection = connection
        if self.topology is not None:
            with deadline(connection, self.setup_timeout, "declaring the topology"):
                setup = connection.channel()
                self.topology(setup)
                setup.close()
        # Copies (retries, renewals, dead letters) are confirmed before the original is acked.
        self._copies = connection.channel()
        self._copies.confirm_delivery()
        # pika's asynchronous channel, so that stopping can cancel the subscription and
        # still finish what was received (BlockingChannel would return it to the queue).
        channel = open_channel(connection)
        self._channel = channel
        channel.add_on_cancel_callback(self._on_cancelled_by_broker)
        rpc(connection, channel, "basic_qos", prefetch_count=self.prefetch)
        self._consumer_tag = rpc(
            connection, channel, "basic_consume", self.queue, self._on_delivery
        )
        self._subscribed = True
        log.info("consuming", extra={"queue": self.queue, "prefetch": self.prefetch})

    def _on_delivery(
        self, _channel: Channel, method: Any, properties: pika.BasicProperties, body: bytes
    ) -> None:
        self._deliveries.append((method, properties, body))

    def _on_cancelled_by_broker(self, _frame: Any) -> None:
        self._cancelled_by_broker = True  # e.g. the queue was deleted: reconnect, redeclare

    def _consume(self) -> None:
        assert self._connection is not None and self._channel is not None
        connection, channel = self._connection, self._channel
        while not self.stop_signal.is_set():
            if self._deliveries:
                self._gather_batch()
                self._settle_batch()
                continue
            if self._cancelled_by_broker:
                raise ConsumerCancelled(f"RabbitMQ cancelled the consumer of {self.queue}")
            self._purge_inbox_when_due()
            pump(connection, self.idle_timeout, lambda: bool(self._deliveries), channel=channel)
        # Stopping: no new deliveries, then finish (and ack) the ones already received —
        # unless the database is down: those go back to the queue when the channel closes.
        self._unsubscribe()
        while self._deliveries and not self._database_down:
            self._settle_batch()

    def _gather_batch(self) -> None:
        """Under a stream of deliveries, let the rest of the pacing interval fill the batch."""
        assert self._connection is not None and self._channel is not None
        pause = self.pacer.pause(time.monotonic())
        if pause and len(self._deliveries) < self.batch_size:
            pump(
                self._connection,
                pause,
                lambda: len(self._deliveries) >= self.batch_size,
                channel=self._channel,
            )
        self.pacer.started(time.monotonic())

    def purge_inbox(self) -> int:
        """Forget processed ids older than the retention, a chunk per transaction; how many.

        At most _PURGE_CHUNKS_PER_TURN chunks at a time, so a first purge of a large inbox
        never keeps deliveries waiting long: what is left goes at the next idle moment.
        """
        if self.inbox_retention is None:
            return 0
        total = 0
        for _ in range(_PURGE_CHUNKS_PER_TURN):
            with self.transaction() as session:
                deleted = purge_processed(
                    session,
                    self.inbox_table,
                    consumer=self.consumer_name,
                    older_than=self.inbox_retention,
                    limit=self.purge_chunk,
                )
            total += deleted
            if deleted < self.purge_chunk:
                self._next_purge = time.monotonic() + self.purge_interval
                break
        else:
            self._next_purge = time.monotonic()  # more to forget: again when next idle
        if total:
            log.info(
                "old processed message ids forgotten",
                extra={"queue": self.queue, "deleted": total},
            )
        return total

    def _purge_inbox_when_due(self) -> None:
        if self._database_down or time.monotonic() < self._next_purge:
            return
        try:
            self.purge_inbox()
        except SQLAlchemyError as exc:
            # Housekeeping only: consuming goes on, and the purge is tried again later.
            self._next_purge = time.monotonic() + min(self.purge_interval, 60.0)
            log.warning(
                "could not forget old processed message ids; will retry",
                extra={"queue": self.queue, "error": repr(exc)},
            )

    def _unsubscribe(self) -> None:
        if self._subscribed and self._connection is not None and self._channel is not None:
            self._subscribed = False
            cancel_consumer(self._connection, self._channel, self._consumer_tag)

    def _settle_batch(self) -> None:
        assert self._connection is not None and self._channel is not None
        size = min(len(self._deliveries), self.batch_size)
        batch = [self._deliveries.popleft() for _ in range(size)]
        # Renewals first, before any handler runs: a handler that hangs (a lock, a crash
        # to come) must not hold back the very messages that are near the delivery limit.
        renewals = [item for item in batch if self._near_the_limit(item[1])]
        if renewals:
            self._settle(renewals, [self._renewed(properties) for _, properties, _ in renewals])
            batch = [item for item in batch if not self._near_the_limit(item[1])]
            if not batch:
                return
        with BATCH_SECONDS.labels(self.queue).time():
            verdicts = self._judge_batch([(properties, body) for _, properties, body in batch])
        if self.stop_signal.is_set():
            # Unsubscribe before these acks give RabbitMQ room to send more: a delivery still
            # inside the broker when the cancel lands is returned to the queue, and counted.
            self._unsubscribe()
        if all(verdict is ACKED for verdict in verdicts):
            # One frame for the batch: every delivery before it on this channel is settled.
            self._channel.basic_ack(batch[-1][0].delivery_tag, multiple=True)
            flush(self._connection)
            return
        self._settle(batch, verdicts)

    def _settle(
        self, batch: Sequence[tuple[Any, pika.BasicProperties, bytes]], verdicts: Sequence[Verdict]
    ) -> None:
        """Settle each delivery as its verdict says: copies confirmed before their acks."""
        assert self._connection is not None and self._channel is not None
        for (method, properties, body), verdict in zip(batch, verdicts, strict=True):
            if verdict.disposition is Disposition.REQUEUE:
                self._channel.basic_nack(method.delivery_tag, requeue=True)
                continue
            if verdict.disposition is not Disposition.ACK:
                self._send_copy(properties, body, verdict)
            self._channel.basic_ack(method.delivery_tag)
        flush(self._connection)

    def _send_copy(self, properties: pika.BasicProperties, body: bytes, verdict: Verdict) -> None:
        """Publish the copy a verdict asks for and wait for its confirm (raises if refused)."""
        assert self._connection is not None and self._copies is not None
        dead = verdict.disposition is Disposition.DEAD_LETTER
        # Straight to the DLQ, through the dead-letter exchange (routing key = this queue),
        # or straight back to this queue (the default exchange): never to the topic exchange,
        # where the other queues bound to the event would get it again.
        exchange = DEAD_LETTER_EXCHANGE if dead else ""
        with deadline(self._connection, self.setup_timeout, "publishing a message's copy"):
            self._copies.basic_publish(
                exchange,
                self.queue,
                body,
                copy_properties(properties, verdict.headers),
                mandatory=True,
            )

    def process(self, properties: pika.BasicProperties, body: bytes) -> Disposition:
        """Handle one delivery in its own transaction and say how to settle it."""
        return self.process_batch([(properties, body)])[0]

    def process_batch(
        self, messages: Sequence[tuple[pika.BasicProperties, bytes]]
    ) -> list[Disposition]:
        """Handle deliveries in one transaction; say how to settle each."""
        return [verdict.disposition for verdict in self._judge_batch(messages)]

    def _judge_batch(self, messages: Sequence[tuple[pika.BasicProperties, bytes]]) -> list[Verdict]:
        dispositions: list[Verdict] = [ACKED] * len(messages)
        work: list[_Work] = []
        for index, (properties, body) in enumerate(messages):
            routed = self._route(properties, body)
            if isinstance(routed, Verdict):
                dispositions[index] = routed
            else:
                work.append(_Work(index, routed[0], routed[1], properties))
        if len(work) > 1:
            try:
                outcomes = self._run_together(work)
            except Exception as exc:
                # Rolled back as a whole: redo each message alone, so that only the one at
                # fault is retried.
                log.info(
                    "batch rolled back; handling its messages one by one",
                    extra={"queue": self.queue, "size": len(work), "error": repr(exc)},
                )
            else:
                for item, outcome in zip(work, outcomes, strict=True):
                    with self._logging_context(item):
                        dispositions[item.index] = self._settled(item, outcome)
                return dispositions
        for item in work:
            with self._logging_context(item):
                dispositions[item.index] = self._run_alone(item)
        return dispositions

    def _route(
        self, properties: pika.BasicProperties, body: bytes
    ) -> Verdict | tuple[Event, Handler]:
        if self._near_the_limit(properties):
            return self._renewed(properties)
        try:
            event = Event.from_message(body)
        except InvalidEvent as exc:
            self.stats.malformed += 1
            CONSUMED.labels(self.queue, "unknown", "malformed").inc()
            log.warning(
                "malformed message dead-lettered",
                extra={"queue": self.queue, "message_id": properties.message_id, "error": str(exc)},
            )
            return self._dead_letter(properties, f"malformed: {exc}")
        handler = self.handlers.get(event.type)
        if handler is None:
            self.stats.ignored += 1
            CONSUMED.labels(self.queue, event.type, "ignored").inc()
            log.info(
                "no handler for this event type; acked",
                extra={"queue": self.queue, "event_id": event.id, "event_type": event.type},
            )
            return ACKED
        if isinstance(handler, Selective):
            try:
                wanted = handler.wants(event)
            except InvalidEvent as exc:
                self.stats.malformed += 1
                CONSUMED.labels(self.queue, event.type, "malformed").inc()
                return self._dead_letter(properties, f"malformed: {exc}")
            if not wanted:
                self.stats.ignored += 1
                CONSUMED.labels(self.queue, event.type, "ignored").inc()
                return ACKED
            return event, handler.handler  # wanted: not asked again
        return event, handler

    def _near_the_limit(self, properties: pika.BasicProperties) -> bool:
        """Returned by crashes so often that one more return would dead-letter it."""
        return broker_returns(properties) >= self.renew_at

    def _renewed(self, properties: pika.BasicProperties) -> Verdict:
        total = header_count(properties, RETURNS_HEADER) + broker_returns(properties)
        context = {"queue": self.queue, "message_id": properties.message_id, "returns": total}
        if total > MAX_RETURNS:
            log.error("message returned unsettled too often; dead-lettered", extra=context)
            return self._dead_letter(
                properties, f"returned_unsettled: {total} returns without a settlement"
            )
        self.stats.renewed += 1
        CONSUMED.labels(self.queue, properties.type or "unknown", "renewed").inc()
        log.warning("message returned by crashes near the delivery limit; renewed", extra=context)
        return Verdict(Disposition.RENEW, {RETURNS_HEADER: total})

    def _dead_letter(
        self, properties: pika.BasicProperties, reason: str, attempts: int | None = None
    ) -> Verdict:
        self.stats.dead_lettered += 1
        CONSUMED.labels(self.queue, properties.type or "unknown", "dead_lettered").inc()
        headers: dict[str, Any] = {REASON_HEADER: reason[:300]}
        if attempts is not None:
            headers[ATTEMPTS_HEADER] = attempts
        return Verdict(Disposition.DEAD_LETTER, headers)

    @contextmanager
    def _logging_context(self, item: _Work) -> Iterator[None]:
        headers = item.properties.headers or {}
        correlation = correlation_id_var.set(
            item.event.correlation_id or item.properties.correlation_id
        )
        request = request_id_var.set(headers.get(REQUEST_ID_HEADER))
        try:
            yield
        finally:
            correlation_id_var.reset(correlation)
            request_id_var.reset(request)

    def _claim_and_handle(self, session: Session, item: _Work) -> bool:
        claimed = claim_message(
            session,
            self.inbox_table,
            consumer=self.consumer_name,
            message_id=item.event.id,
            event_type=item.event.type,
        )
        if claimed:
            item.handler(session, item.event)
        return claimed

    def _run_together(self, work: list[_Work]) -> list[bool]:
        """One transaction for all: True handled, False duplicate; raises if any handler fails."""
        with self.transaction() as session:
            claimed = claim_messages(
                session,
                self.inbox_table,
                consumer=self.consumer_name,
                messages=[(item.event.id, item.event.type) for item in work],
            )
            outcomes = []
            for item in work:
                # The first delivery of an id in the batch is the one that claimed it.
                outcomes.append(item.event.id in claimed)
                claimed.discard(item.event.id)
            todo = [item for item, outcome in zip(work, outcomes, strict=True) if outcome]
            for run in _runs(todo):
                handler = run[0].handler
                if isinstance(handler, BatchHandler):
                    handler.handle(session, [item.event for item in run])
                else:
                    with self._logging_context(run[0]):
                        handler(session, run[0].event)
        return outcomes

    def _run_alone(self, item: _Work) -> Verdict:
        """One transaction for one message; waits out a database outage."""
        if self._database_down:
            return Verdict(Disposition.REQUEUE)  # stopping during an outage: to the queue
        while True:
            try:
                with self.transaction() as session:
                    outcome: bool | Exception = self._claim_and_handle(session, item)
            except Exception as exc:
                if isinstance(exc, SQLAlchemyError) and not self._database_answers():
                    if self._wait_for_database(self._context(item)):
                        continue  # the database is back: the same delivery, no attempt spent
                    self._database_down = True
                    return Verdict(Disposition.REQUEUE)  # stopping during the outage
                outcome = exc
            return self._settled(item, outcome)

    def _settled(self, item: _Work, outcome: bool | Exception) -> Verdict:
        context = self._context(item)
        if isinstance(outcome, Exception):
            return self._failed(outcome, item.properties, context)
        if outcome:
            self.stats.processed += 1
            CONSUMED.labels(self.queue, item.event.type, "processed").inc()
            log.debug("event handled", extra=context)
        else:
            self.stats.duplicates += 1
            CONSUMED.labels(self.queue, item.event.type, "duplicate").inc()
            log.info("duplicate event ignored", extra=context)
        return ACKED

    def _context(self, item: _Work) -> dict[str, Any]:
        return {"queue": self.queue, "event_id": item.event.id, "event_type": item.event.type}

    def _failed(
        self, exc: Exception, properties: pika.BasicProperties, context: dict[str, Any]
    ) -> Verdict:
        self.stats.failed += 1
        CONSUMED.labels(self.queue, context.get("event_type", "unknown"), "failed").inc()
        attempt = failed_attempts(properties) + 1
        if isinstance(exc, InvalidEvent):
            # A handler found data no event could have: retrying can never succeed.
            log.warning("invalid event dead-lettered", exc_info=exc, extra=context)
            return self._dead_letter(properties, f"invalid_event: {exc}", attempt)
        last = attempt >= self.max_attempts
        log.log(
            logging.ERROR if last else logging.WARNING,
            "handler failed; the message goes to the dead-letter queue"
            if last
            else "handler failed; the message will be retried",
            exc_info=exc,
            extra={**context, "attempt": attempt, "max_attempts": self.max_attempts},
        )
        if last:
            return self._dead_letter(properties, f"handler_failed: {describe(exc)}", attempt)
        self.stats.retried += 1
        return Verdict(
            Disposition.RETRY, {ATTEMPTS_HEADER: attempt, LAST_ERROR_HEADER: describe(exc)}
        )

    def _database_answers(self) -> bool:
        try:
            with self.transaction() as session:
                session.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def _wait_for_database(self, context: dict[str, Any]) -> bool:
        """Wait (answering heartbeats) until the database answers; False if stopping."""
        assert self._connection is not None
        log.warning("database unreachable; holding the message until it is back", extra=context)
        backoff = Backoff(initial=self.backoff.initial, maximum=self.backoff.maximum)
        while not self.stop_signal.is_set():
            # In short slices, so that a stop request is seen promptly.
            remaining = backoff.next_delay()
            while remaining > 0 and not self.stop_signal.is_set():
                slice_ = min(remaining, self.idle_timeout)
                pump(self._connection, slice_, channel=self._channel)
                remaining -= slice_
            if self._database_answers():
                log.info("database is back", extra=context)
                return True
        return False

    def _close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        self._copies = None
        close_connection(connection)
