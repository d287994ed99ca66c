"""Part 5, reads at scale: GET /orders (each main filter, a deep page), GET /orders/{id} and
the reports (issue 14).

bench/data.sql generates 100,000 orders (about 300,000 items), then 900,000 more. After each
load, VACUUM (ANALYZE) leaves the tables as autovacuum would and CHECKPOINT flushes the load;
the report rollups are rebuilt (timed); then every query is timed through the gateway, one
request at a time, rotating over ROTATION values of its parameter. The period report is also
timed right after a change to one day of its window, as a live system sees it: the request
then folds that day (and its half-month) before reading.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from bench.environment import ROOT, SECTIONS, BenchFailure, World, say
from bench.report import percentile
from bench.saga import Client
from order_service.reports.rollup import fold_now
from shared.clock import business_today, start_of_business_day

SQL = ROOT / "bench" / "data.sql"
SCALES = (100_000, 1_000_000)
STATUSES = ("pending", "approved", "processing", "shipped", "delivered", "cancelled", "returned")
ROTATION = 20
REQUESTS = 100  # per query, at most
QUERY_BUDGET_S = 8.0  # per query: a slow one is still measured, with fewer requests
DEEP_PAGE = 1000  # page_size 20: rows 19,981-20,000 of the newest-first list
GENERATE_TIMEOUT_S = 900  # each load; about 2 minutes for 900,000 orders here


def md5_uuid(text: str) -> str:
    """PostgreSQL's md5(text)::uuid, computed here."""
    return str(uuid.UUID(hashlib.md5(text.encode()).hexdigest()))


def generate(bench: World, first: int, last: int) -> float:
    """Orders first..last by bench/data.sql and VACUUM (ANALYZE); seconds taken."""
    started = time.monotonic()
    result = subprocess.run(
        [
            "psql",
            bench.admin_url,
            "-q",
            "-1",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"first={first}",
            "-v",
            f"last={last}",
            "-f",
            str(SQL),
        ],
        capture_output=True,
        text=True,
        timeout=GENERATE_TIMEOUT_S,
    )
    if result.returncode != 0:
        raise BenchFailure(f"data.sql falhou: {result.stderr[-800:]}")
    bench.scalar(
        "VACUUM (ANALYZE) orders.orders, orders.order_items, orders.order_status_history,"
        " orders.clients"
    )
    return time.monotonic() - started


def rebuild_rollups(bench: World) -> float:
    """The first fold after a load rebuilds every rollup (data.sql forgets them); seconds.
    Then VACUUM sets the new rows' hint bits and CHECKPOINT flushes them, as for the load:
    otherwise the first reads, and background writes, would pay for it during the timing."""
    started = time.monotonic()
    fold_now(bench.service_urls["order_service"])
    seconds = time.monotonic() - started
    bench.scalar(
        "VACUUM (ANALYZE) orders.sales_rollup_status, orders.sales_rollup_client,"
        " orders.sales_rollup_product, orders.sales_rollup_supplier"
    )
    # The load leaves a gigabyte of dirty pages: flush them now, or the checkpoint they
    # trigger writes them out while the reads are being timed.
    bench.scalar("CHECKPOINT")
    return seconds


def queries(total: int, rng: random.Random) -> dict[str, Callable[[int], str]]:
    """Each figure's request path for the i-th request (parameters rotate)."""
    clients = [md5_uuid(f"bench-client-{1 + rng.randrange(2000)}") for _ in range(ROTATION)]
    products = [md5_uuid(f"bench-product-{rng.randrange(2000)}") for _ in range(ROTATION)]
    suppliers = [md5_uuid(f"bench-supplier-{rng.randrange(50)}") for _ in range(ROTATION)]
    starts = [business_today() - timedelta(days=rng.randrange(7, 720)) for _ in range(ROTATION)]
    orders = [md5_uuid(f"bench-order-{1 + rng.randrange(total)}") for _ in range(ROTATION * 3)]
    months = [
        (business_today() - timedelta(days=rng.randrange(120, 700))).strftime("%Y-%m")
        for _ in range(ROTATION)
    ]
    base = "/api/v1/orders"
    return {
        "status": lambda i: f"{base}?status={STATUSES[i % len(STATUSES)]}",
        "client_id": lambda i: f"{base}?client_id={clients[i % ROTATION]}",
        "date range (7 days)": lambda i: (
            f"{base}?date_from={starts[i % ROTATION]}"
            f"&date_to={starts[i % ROTATION] + timedelta(days=6)}"
        ),
        "product_id": lambda i: f"{base}?product_id={products[i % ROTATION]}",
        "supplier_id": lambda i: f"{base}?supplier_id={suppliers[i % ROTATION]}",
        "section": lambda i: f"{base}?section={quote(SECTIONS[i % len(SECTIONS)])}",
        f"deep page ({DEEP_PAGE})": lambda i: f"{base}?page={DEEP_PAGE + i % ROTATION}",
        "GET /orders/{id}": lambda i: f"{base}/{orders[i % len(orders)]}",
        # Issue 14: the reports, over the windows people ask for.
        "report: period, 30 days, 4 groupings": lambda i: (
            f"{base}/reports/period?date_from={starts[i % ROTATION]}"
            f"&date_to={starts[i % ROTATION] + timedelta(days=29)}"
            "&group_by=client,product,supplier,status"
        ),
        "report: performance, 3 months": lambda i: (
            f"{base}/reports/performance?months=3&until={months[i % ROTATION]}"
        ),
    }


def measure(
    client: Client, path_for: Callable[[int], str], before: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Sequential requests (2 warm-up): p50/p95 in ms; fails on anything but 200. `before`
    runs ahead of each request, untimed."""
    for i in range(2):
        client.request("GET", path_for(i))
    latencies: list[float] = []
    started = time.monotonic()
    while len(latencies) < REQUESTS and time.monotonic() - started < QUERY_BUDGET_S:
        path = path_for(len(latencies))
        if before is not None:
            before(len(latencies))
        sent = time.monotonic()
        status, body = client.request("GET", path)
        latencies.append(1000 * (time.monotonic() - sent))
        if status != 200:
            raise BenchFailure(f"GET {path}: {status} {body[:300]!r}")
    rows = len(json.loads(body)["data"]) if path.count("?") else 1
    return {
        "requests": len(latencies),
        "p50": round(percentile(latencies, 50), 1),
        "p95": round(percentile(latencies, 95), 1),
        "max": round(max(latencies), 1),
        "rows_last_page": rows,
    }


def reads(bench: World) -> dict[str, Any]:
    """Generate each scale in turn and time every query at it."""
    result: dict[str, Any] = {}
    generated = 0
    for scale in SCALES:
        say(f"leituras: gerando pedidos {generated + 1}..{scale} em SQL")
        seconds = generate(bench, generated + 1, scale)
        generated = scale
        rollup_s = rebuild_rollups(bench)
        say(f"  gerados em {seconds:.0f} s, resumos refeitos em {rollup_s:.0f} s; medindo")
        client = Client(bench.gateway, bench.fresh_token())
        try:
            timings = {
                name: measure(client, path_for)
                for name, path_for in queries(scale, random.Random(scale)).items()
            }
            timings[LIVE_REPORT] = live_period_report(bench, client, random.Random(scale))
        finally:
            client.close()
        result[str(scale)] = {
            "generate_s": round(seconds, 1),
            "rollup_rebuild_s": round(rollup_s, 1),
            "queries": timings,
        }
    return result


LIVE_REPORT = "report: period, 30 days, right after a change in it"


def live_period_report(bench: World, client: Client, rng: random.Random) -> dict[str, Any]:
    """The period report when one day of its window changed just before: what the report
    trigger logs for an order change is written, so the request folds that day first."""
    starts = [business_today() - timedelta(days=rng.randrange(7, 720)) for _ in range(ROTATION)]

    def path_for(i: int) -> str:
        start = starts[i % ROTATION]
        return (
            f"/api/v1/orders/reports/period?date_from={start}"
            f"&date_to={start + timedelta(days=29)}&group_by=client,product,supplier,status"
        )

    conn = bench.connect()

    def change_one_day(i: int) -> None:
        day = starts[i % ROTATION] + timedelta(days=i % 30)
        noon = start_of_business_day(day) + timedelta(hours=12)
        with conn.cursor() as cur:
            cur.execute("INSERT INTO orders.report_changes (at) VALUES (%s)", (noon,))

    try:
        return measure(client, path_for, before=change_one_day)
    finally:
        conn.close()
