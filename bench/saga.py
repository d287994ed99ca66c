"""Part 2, saga latency: orders at a steady rate, time from the 201 to stock_status = reserved.

An open-loop generator sends POST /orders through the gateway on a fixed schedule (order i at
t0 + i / rate, whatever the previous answers took). A watcher polls the orders table every
POLL_S for the accepted orders still awaiting and notes when each becomes `reserved`: that is
when GET /orders/{id} would show it, since the API reads the same committed row.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bench.environment import BenchFailure, World, say
from bench.report import percentile
from bench.resources import HostCpu

POLL_S = 0.005  # the watcher's resolution: latencies are late by half of it on average
SENDERS = 16
SETTLE_TIMEOUT = 60.0


class Client:
    """One keep-alive HTTP/1.1 connection with the admin's token (one per thread)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 60.0) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        """(status, body) of one request; reconnects once if the server closed the socket."""
        payload = None if body is None else json.dumps(body)
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=payload, headers=self.headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def order_body(bench: World, index: int, items: int = 3) -> dict[str, Any]:
    """An order of `items` distinct products, rotating over the seeded ones."""
    products = bench.product_ids
    return {
        "client_id": bench.client_ids[index % len(bench.client_ids)],
        "items": [
            {"product_id": products[(index * items + k) % len(products)], "quantity": 1}
            for k in range(items)
        ],
    }


@dataclass
class Watch:
    """Accepted orders still awaiting (id -> when the 201 came back) and their outcomes."""

    pending: dict[str, float] = field(default_factory=dict)
    reserved: dict[str, float] = field(default_factory=dict)  # id -> saga latency, s
    other: dict[str, str] = field(default_factory=dict)  # id -> rejected, ...
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, order_id: str, returned_at: float) -> None:
        """Watch `order_id`, accepted at `returned_at` (monotonic seconds)."""
        with self.lock:
            self.pending[order_id] = returned_at


def watch(bench: World, state: Watch, done: threading.Event) -> None:
    """Poll the orders still awaiting until `done` and none is left."""
    conn = bench.connect()
    try:
        with conn.cursor() as cur:
            while True:
                with state.lock:
                    ids = list(state.pending)
                if not ids and done.is_set():
                    return
                if ids:
                    cur.execute(
                        "SELECT id::text, stock_status FROM orders.orders"
                        " WHERE id = ANY(%s::uuid[]) AND stock_status <> 'awaiting'",
                        (ids,),
                    )
                    seen = time.monotonic()
                    with state.lock:
                        for order_id, status in cur.fetchall():
                            returned = state.pending.pop(order_id)
                            if status == "reserved":
                                state.reserved[order_id] = seen - returned
                            else:
                                state.other[order_id] = status
                time.sleep(POLL_S)
    finally:
        conn.close()


def saga(bench: World, *, rate: float, seconds: float) -> dict[str, Any]:
    """Send rate x seconds orders on schedule; the POST and saga latency percentiles."""
    total = max(int(rate * seconds), 1)
    token = bench.fresh_token()
    state = Watch()
    done = threading.Event()
    post_latency: list[float] = []
    statuses: dict[int, int] = {}
    next_index = [0]
    index_lock = threading.Lock()
    started = time.monotonic() + 0.2
    host_before = HostCpu.now()

    def send() -> None:
        """One sender thread: take the next scheduled order, wait for its time, POST it."""
        client = Client(bench.gateway, token)
        try:
            while True:
                with index_lock:
                    index = next_index[0]
                    next_index[0] += 1
                if index >= total:
                    return
                delay = started + index / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                sent = time.monotonic()
                status, body = client.request("POST", "/api/v1/orders", order_body(bench, index))
                returned = time.monotonic()
                with index_lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    post_latency.append(returned - sent)
                if status == 201:
                    state.add(json.loads(body)["data"]["id"], returned)
        finally:
            client.close()

    say(f"saga: {total} pedidos a {rate:.1f}/s pelo gateway")
    watcher = threading.Thread(target=watch, args=(bench, state, done), daemon=True)
    watcher.start()
    senders = [threading.Thread(target=send, daemon=True) for _ in range(SENDERS)]
    for thread in senders:
        thread.start()
    deadline = started + seconds + SETTLE_TIMEOUT
    for thread in senders:
        thread.join(max(deadline - time.monotonic(), 0.0))
    if any(thread.is_alive() for thread in senders):
        raise BenchFailure("saga: pedidos ainda sem resposta após o limite")
    sent_for = time.monotonic() - started
    host = HostCpu.now().share_since(host_before)
    done.set()
    watcher.join(SETTLE_TIMEOUT)
    if watcher.is_alive():
        raise BenchFailure(f"saga: {len(state.pending)} pedidos sem reserva após o limite")
    saga_ms = [1000 * v for v in state.reserved.values()]
    post_ms = [1000 * v for v in post_latency]
    return {
        "rate_offered": round(rate, 1),
        "rate_achieved": round(total / sent_for, 1),
        "orders": total,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "reserved": len(state.reserved),
        "not_reserved": dict(sorted(state.other.items())[:5]),
        "poll_ms": POLL_S * 1000,
        "host_cpu": host,
        "saga_ms": {
            "p50": round(percentile(saga_ms, 50), 1),
            "p95": round(percentile(saga_ms, 95), 1),
            "p99": round(percentile(saga_ms, 99), 1),
            "max": round(max(saga_ms, default=0.0), 1),
        },
        "post_ms": {
            "p50": round(percentile(post_ms, 50), 1),
            "p95": round(percentile(post_ms, 95), 1),
            "p99": round(percentile(post_ms, 99), 1),
        },
    }
