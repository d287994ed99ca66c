"""Part 4, contention: 1,000 concurrent one-unit orders for one product with 500 units.

All 1,000 requests leave at once (one connection each, released by a barrier) through the
gateway. The synchronous availability check lets through those that arrive before the
reservations catch up; the saga then reserves exactly 500 and rejects the rest. The same
1,000 orders spread over the seeded products (plenty of stock each) give the uncontended
throughput. Throughput = orders decided (refused with 409, reserved or rejected) per second,
from the release to the last decision.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from bench.environment import BenchFailure, World, new_product, say
from bench.saga import Client

ORDERS = 1000
UNITS = 500
SETTLE_TIMEOUT = 180.0


def fire(bench: World, bodies: list[dict[str, Any]]) -> tuple[list[tuple[int, str]], float]:
    """POST every body at once, one thread and connection each; (status, order id), start."""
    token = bench.fresh_token()
    clients = [Client(bench.gateway, token, timeout=120) for _ in bodies]
    results: list[tuple[int, str]] = [(0, "")] * len(bodies)
    barrier = threading.Barrier(len(bodies) + 1)

    def send(index: int) -> None:
        """One order, released with all the others."""
        barrier.wait()
        try:
            status, body = clients[index].request("POST", "/api/v1/orders", bodies[index])
            order_id = json.loads(body)["data"]["id"] if status == 201 else ""
            results[index] = (status, order_id)
        except Exception as exc:  # a failed request is a result too: it fails the assertion
            results[index] = (-1, repr(exc))
        finally:
            clients[index].close()

    threads = [threading.Thread(target=send, args=(i,), daemon=True) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(max(started + SETTLE_TIMEOUT - time.monotonic(), 0.0))
    return results, started


def wait_decided(bench: World, order_ids: list[str]) -> dict[str, int]:
    """Wait until none of `order_ids` awaits its reservation; count by stock_status."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        with bench.connect() as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT stock_status, count(*) FROM orders.orders"
                " WHERE id = ANY(%s::uuid[]) GROUP BY 1",
                (order_ids,),
            )
            counts = dict(cur.fetchall())
        conn.close()
        if not counts.get("awaiting"):
            return counts
        if time.monotonic() > deadline:
            raise BenchFailure(f"contenção: pedidos ainda aguardando: {counts}")
        time.sleep(0.05)


def run(bench: World, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """Fire `bodies` at once and follow them until every order is decided."""
    results, started = fire(bench, bodies)
    answered = time.monotonic() - started
    accepted = [order_id for status, order_id in results if status == 201]
    statuses: dict[str, int] = {}
    for status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    outcome = wait_decided(bench, accepted) if accepted else {}
    decided = time.monotonic() - started
    return {
        "orders": len(bodies),
        "statuses": statuses,
        "stock_status": outcome,
        "answered_s": round(answered, 2),
        "decided_s": round(decided, 2),
        "throughput": round(len(bodies) / decided, 1),
        "errors": [order_id for status, order_id in results if status not in (201, 409)][:3],
    }


def stock_of(bench: World, product_id: str) -> dict[str, int]:
    """The product's stock level and how many reservations hold it."""
    with bench.connect() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT on_hand, reserved, available FROM stock.stock_levels WHERE product_id = %s",
            (product_id,),
        )
        on_hand, reserved, available = cur.fetchone()
        cur.execute(
            "SELECT count(*) FROM stock.reservations r"
            " JOIN stock.reservation_lines l ON l.order_id = r.order_id"
            " WHERE l.product_id = %s AND r.status = 'reserved'",
            (product_id,),
        )
        reservations = cur.fetchone()[0]
    conn.close()
    return {
        "on_hand": on_hand,
        "reserved": reserved,
        "available": available,
        "reservations": reservations,
    }


def contention(bench: World) -> dict[str, Any]:
    """The contended run, its checks, then the uncontended one; raises if oversold."""
    client = bench.client_ids[0]
    product = new_product(bench, 10_000, UNITS)["id"]
    say(f"contenção: {ORDERS} pedidos simultâneos de 1 unidade, um produto com {UNITS}")
    one_product = [
        {"client_id": client, "items": [{"product_id": product, "quantity": 1}]}
        for _ in range(ORDERS)
    ]
    contended = run(bench, one_product)
    contended["stock"] = stock_of(bench, product)
    say(f"  {contended['stock_status']}, estoque {contended['stock']}")

    say(f"sem contenção: {ORDERS} pedidos simultâneos de 1 unidade, produtos variados")
    spread = [
        {
            "client_id": client,
            "items": [{"product_id": bench.product_ids[i % len(bench.product_ids)], "quantity": 1}],
        }
        for i in range(ORDERS)
    ]
    uncontended = run(bench, spread)
    stock = contended["stock"]
    checks = {
        "reserved_orders": contended["stock_status"].get("reserved", 0) == UNITS,
        "stock_reserved": stock["reserved"] == UNITS and stock["available"] == 0,
        "reservations": stock["reservations"] == UNITS,
        "no_errors": not contended["errors"] and not uncontended["errors"],
    }
    return {
        "contended": contended,
        "uncontended": uncontended,
        "checks": checks,
        "passed": all(checks.values()),
    }
