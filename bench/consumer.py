"""Part 3, consumer throughput: a backlog of order.created events, then the stock consumer.

With the stock consumer stopped, bench/queued_orders.sql writes MESSAGES orders and their
outbox rows; the order relay publishes them into `novos_pedidos`. Once the whole backlog is
queued the stock consumer starts (as the table starts it) and the reservations are counted
until the queue is empty, or until TIME_LIMIT_S: the rate is then taken over what was done and
what is left is purged (and those orders removed), so the part stays bounded in time.
Reference: a bare pika consumer that only acks, on a quorum queue declared like
`novos_pedidos`, same broker, same message bodies, same prefetch.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from typing import Any

import pika

from bench.environment import ROOT, BenchFailure, World, say, wait_settled
from bench.resources import HostCpu, Sampler, cpu_used
from shared.db import array_literal
from shared.events import NEW_ORDERS_QUEUE, new_event
from shared.messaging.publisher import OutgoingMessage, Publisher
from shared.messaging.topology import queue_arguments
from stock_service.config import CONSUMER_PREFETCH

MESSAGES = 20_000
TIME_LIMIT_S = 90.0
QUEUE_TIMEOUT_S = 180.0
REPLIES_TIMEOUT_S = 240.0
ACK_ONLY_QUEUE = "bench.ack_only"
SQL = ROOT / "bench" / "queued_orders.sql"


def queue_backlog(bench: World, tag: str, count: int) -> float:
    """Write `count` orders with their outbox rows; wait until all are queued. Seconds taken."""
    started = time.monotonic()
    result = subprocess.run(
        [
            "psql",
            bench.admin_url,
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"n={count}",
            "-v",
            f"tag={tag}",
            "-v",
            f"products={array_literal(bench.product_ids)}",
            "-v",
            f"clients={array_literal(bench.client_ids)}",
            "-f",
            str(SQL),
        ],
        capture_output=True,
        text=True,
        timeout=QUEUE_TIMEOUT_S,
    )
    if result.returncode != 0:
        raise BenchFailure(f"queued_orders.sql falhou: {result.stderr[-800:]}")
    while (queued := bench.queue_depth(NEW_ORDERS_QUEUE)) < count:
        if time.monotonic() - started > QUEUE_TIMEOUT_S:
            raise BenchFailure(f"só {queued} de {count} eventos chegaram a {NEW_ORDERS_QUEUE}")
        time.sleep(0.25)
    return time.monotonic() - started


def reservations_since(bench: World, since: Any) -> tuple[int, float]:
    """Reservations recorded after `since`: how many, and seconds from the first to the last."""
    with bench.connect() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*), extract(epoch FROM max(created_at) - min(created_at))"
            " FROM stock.reservations WHERE created_at > %s",
            (since,),
        )
        count, span = cur.fetchone()
    conn.close()
    return count, float(span or 0.0)


def stock_consumer(bench: World, sampler: Sampler, *, count: int = MESSAGES) -> dict[str, Any]:
    """Queue `count` events with the stock consumer stopped, then time the reservations.

    The CPU each process group used from the consumer's start until the queue is empty is
    kept too: the replies flow back to the order service in the same window.
    """
    stack = bench.running
    consumers = stack.named("stock_consumer")
    stack.stop(consumers)
    tag = f"bench-{uuid.uuid4().hex[:8]}"
    say(f"consumidor: {count} eventos order.created na fila, consumidor parado")
    queued_in = queue_backlog(bench, tag, count)
    say(f"  na fila em {queued_in:.1f} s; iniciando o consumidor de estoque")
    since = bench.scalar("SELECT now()")
    started = time.monotonic()
    host_before = HostCpu.now()
    cpu_before = sampler.cpu_snapshot()
    stack.start(consumers)
    while True:
        depth = bench.queue_depth(NEW_ORDERS_QUEUE)
        elapsed = time.monotonic() - started
        if depth == 0 or elapsed > TIME_LIMIT_S:
            break
        time.sleep(0.5)
    host = HostCpu.now().share_since(host_before)
    cpu = cpu_used(cpu_before, sampler.cpu_snapshot())
    done, span = reservations_since(bench, since)
    drained = depth == 0
    # An empty queue can still have a batch in flight (delivered, not yet committed).
    settle_by = time.monotonic() + 10
    while drained and done < count and time.monotonic() < settle_by:
        time.sleep(0.2)
        done, span = reservations_since(bench, since)
    if not drained:
        stack.stop(consumers)
        done, span = reservations_since(bench, since)
        purge(bench, tag, count)
        stack.start(consumers)
    rate = (done - 1) / span if span > 0 and done > 1 else 0.0
    say(f"  {done} reservas em {span:.1f} s: {rate:.0f}/s" + ("" if drained else " (limitado)"))
    return {
        "messages": count,
        "consumers": len(consumers),
        "relay_rate": round(count / queued_in, 1),
        "reservations": done,
        "seconds": round(span, 2),
        "wall_s_from_start": round(elapsed, 1),
        "drained": drained,
        "rate": round(rate, 1),
        "host_cpu": host,
        "cpu_s_by_process": {k: round(v, 2) for k, v in sorted(cpu.items())},
    }


def purge(bench: World, tag: str, count: int) -> None:
    """Drop what the time limit left in the queue, and those orders: later parts start clean."""
    connection = pika.BlockingConnection(pika.URLParameters(bench.amqp_url))
    try:
        connection.channel().queue_purge(NEW_ORDERS_QUEUE)
    finally:
        connection.close()
    bench.scalar(
        "DELETE FROM orders.orders WHERE stock_status = 'awaiting' AND id IN"
        " (SELECT md5(%s || '-order-' || g)::uuid FROM generate_series(1, %s) AS g)",
        (tag, count),
    )


def ack_only(bench: World, *, count: int = MESSAGES) -> dict[str, Any]:
    """The broker's side alone: a pika consumer that acks each message, nothing else."""
    body = sample_body(bench)
    with Publisher(bench.amqp_url, exchange="") as publisher:
        channel_setup = pika.BlockingConnection(pika.URLParameters(bench.amqp_url))
        channel_setup.channel().queue_declare(
            ACK_ONLY_QUEUE, durable=True, arguments=queue_arguments(ACK_ONLY_QUEUE)
        )
        channel_setup.close()
        for offset in range(0, count, 1000):
            batch = [
                OutgoingMessage(ACK_ONLY_QUEUE, body, str(uuid.uuid4()), "order.created")
                for _ in range(min(1000, count - offset))
            ]
            result = publisher.publish_many(batch)
            if result.error or len(result.confirmed) != len(batch):
                raise BenchFailure(f"publicação para {ACK_ONLY_QUEUE} falhou: {result.error!r}")
    connection = pika.BlockingConnection(pika.URLParameters(bench.amqp_url))
    received = 0
    first = last = 0.0
    try:
        channel = connection.channel()
        channel.basic_qos(prefetch_count=CONSUMER_PREFETCH)

        def on_message(ch: Any, method: Any, _properties: Any, _body: bytes) -> None:
            """Ack, count, stop at the last one."""
            nonlocal received, first, last
            if received == 0:
                first = time.monotonic()
            ch.basic_ack(method.delivery_tag)
            received += 1
            last = time.monotonic()
            if received >= count:
                ch.stop_consuming()

        channel.basic_consume(ACK_ONLY_QUEUE, on_message)
        channel.start_consuming()
        channel.queue_delete(ACK_ONLY_QUEUE)
    finally:
        connection.close()
    span = last - first
    return {
        "messages": received,
        "seconds": round(span, 2),
        "rate": round((received - 1) / span, 1) if span > 0 else 0.0,
    }


def sample_body(bench: World) -> bytes:
    """An order.created body of the real size (three lines), for the ack-only reference."""
    event = new_event(
        "order.created",
        {
            "order_id": str(uuid.uuid4()),
            "order_version": 1,
            "order_type": "sale",
            "client_id": bench.client_ids[0],
            "items": [{"product_id": p, "quantity": 1} for p in bench.product_ids[:3]],
        },
        source="order_service",
        correlation_id=uuid.uuid4().hex,
    )
    return event.to_json()  # the bytes the order relay publishes for it


def consumer(bench: World, sampler: Sampler) -> dict[str, Any]:
    """Both runs: the stock consumer on a backlog, and the ack-only reference."""
    result = {"stock_consumer": stock_consumer(bench, sampler)}
    # The 20,000 replies still flow back to the order service: let them land before the
    # reference (it would share the CPU with them) and before the next part (its orders
    # would queue behind them).
    result["stock_consumer"]["replies_settled_s"] = round(
        wait_settled(bench, timeout=REPLIES_TIMEOUT_S), 1
    )
    say(f"referência: consumidor pika que só faz ack, {MESSAGES} mensagens")
    result["ack_only"] = ack_only(bench)
    say(f"  {result['ack_only']['rate']:.0f} mensagens/s")
    return result
