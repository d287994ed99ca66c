"""Part 8: an order import of 100,000 CSV lines through the gateway, upload to done.

The file has one item per line, ten lines per order (10,000 orders), over the seeded
clients and products. Measured: from the first byte sent to the job's `done`, as a user
waits for it; the upload alone and the worker's share are reported beside it.
"""

from __future__ import annotations

import time
from typing import Any

import requests

from bench.environment import BenchFailure, World, say, wait_settled

LINES = 100_000
LINES_PER_ORDER = 10
HEADER = "order_ref,client_id,product_id,quantity,desired_delivery_date,notes\r\n"
DONE_TIMEOUT = 600.0
SETTLE_TIMEOUT = 600.0


def csv_file(bench: World, lines: int = LINES) -> bytes:
    """`lines` lines, ten per order, clients and products taken in turn."""
    clients, products = bench.client_ids, bench.product_ids
    rows = [HEADER]
    for n in range(lines):
        order = n // LINES_PER_ORDER
        rows.append(
            f"bench-{order},{clients[order % len(clients)]},"
            f"{products[(order + n) % len(products)]},{1 + n % 3},,\r\n"
        )
    return "".join(rows).encode()


def imports(bench: World) -> dict[str, Any]:
    body = csv_file(bench)
    headers = {"Authorization": f"Bearer {bench.fresh_token()}", "Content-Type": "text/csv"}
    say(f"importação: {LINES} linhas ({len(body) / 1e6:.1f} MB) pelo gateway")
    started = time.monotonic()
    response = requests.post(
        f"{bench.gateway}/api/v1/orders/import", data=body, headers=headers, timeout=120
    )
    uploaded = time.monotonic() - started
    if response.status_code != 202:
        raise BenchFailure(f"importação: {response.status_code} {response.text[:300]}")
    job_url = f"{bench.gateway}{response.headers['Location']}"
    polls = 0
    while True:
        job = requests.get(
            job_url,
            params={"page_size": 1},
            headers={"Authorization": f"Bearer {bench.fresh_token()}"},
            timeout=30,
        ).json()["data"]
        polls += 1
        if job["state"] in ("done", "failed"):
            break
        if time.monotonic() - started > DONE_TIMEOUT:
            raise BenchFailure(f"importação não terminou em {DONE_TIMEOUT:.0f} s: {job}")
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    if job["state"] != "done" or job["failed"]:
        raise BenchFailure(f"importação: {job['state']}, {job['failed']} linhas com erro")
    rate = LINES / elapsed
    say(f"  {rate:.0f} linhas/s ({elapsed:.1f} s; envio {uploaded:.1f} s)")
    drain = wait_settled(bench, timeout=SETTLE_TIMEOUT)
    say(f"  saga em dia {drain:.1f} s depois (reservas dos {job['orders_created']} pedidos)")
    return {
        "lines": LINES,
        "orders": job["orders_created"],
        "bytes": len(body),
        "upload_s": round(uploaded, 2),
        "seconds": round(elapsed, 2),
        "lines_per_s": round(rate, 1),
        "saga_drain_s": round(drain, 1),
        "polls": polls,
    }
