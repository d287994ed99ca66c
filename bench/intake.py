"""Part 1, order intake: wrk through the gateway and straight to the order service, and pgbench.

pgbench runs bench/order_txn.sql (the rows POST /orders commits) before the stack starts, on
a quiet database: the database's own limit for that transaction on this machine. It runs a
second time with the outbox's NOTIFY trigger disabled, to show what that trigger costs (see
docs/performance.md); the trigger is enabled again before anything else runs.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.environment import ROOT, BenchFailure, World, say, wait_settled
from bench.resources import HostCpu, Sampler, cpu_used, run_measured
from tests.support.logs import logged_messages

CONCURRENCY = 32
WRK_THREADS = 2  # one per core: wrk is event-driven, more threads only add switching
LUA_SCRIPT = ROOT / "bench" / "orders.lua"
PGBENCH_SCRIPT = ROOT / "bench" / "order_txn.sql"
ITEMS_PER_ORDER = 3
SETTLE_TIMEOUT = 240.0


@dataclass
class LoadResult:
    """One fixed-time wrk run: accepted orders, their rate, latency, and wrk's own CPU."""

    target: str
    seconds: float
    requests: int
    statuses: dict[str, int]
    errors: dict[str, int]
    latency_ms: dict[str, float]
    wrk_cpu_s: float

    @property
    def accepted(self) -> int:
        """Orders answered 201."""
        return self.statuses.get("201", 0)

    @property
    def rate(self) -> float:
        """Accepted orders per second."""
        return self.accepted / self.seconds

    def to_dict(self) -> dict[str, Any]:
        """For the JSON report."""
        return {**vars(self), "accepted": self.accepted, "rate": round(self.rate, 1)}


def pgbench(bench: World, sampler: Sampler, *, seconds: int, notify: bool = True) -> dict:
    """Run the order transaction with CONCURRENCY clients; tps and PostgreSQL's CPU per txn."""
    client_id = bench.scalar(
        "INSERT INTO orders.clients (id, name, email, document) VALUES"
        " (gen_random_uuid(), 'Cliente pgbench', 'pgbench@bench.example.com', '00000000000191')"
        " ON CONFLICT DO NOTHING RETURNING id"
    ) or bench.scalar("SELECT id FROM orders.clients WHERE email = 'pgbench@bench.example.com'")
    if not notify:
        bench.scalar("ALTER TABLE orders.outbox DISABLE TRIGGER outbox_notify")
    argv = [
        "pgbench",
        "-n",
        "-M",
        "simple",
        "-c",
        str(CONCURRENCY),
        "-j",
        str(WRK_THREADS),
        "-T",
        str(seconds),
        "-D",
        f"client={client_id}",
        "-f",
        str(PGBENCH_SCRIPT),
        bench.service_urls["order_service"],
    ]
    before = sampler.cpu_snapshot()
    try:
        run = run_measured(argv)
    finally:
        if not notify:
            bench.scalar("ALTER TABLE orders.outbox ENABLE TRIGGER outbox_notify")
    after = sampler.cpu_snapshot()
    found = {
        name: re.search(pattern, run.out)
        for name, pattern in (
            ("tps", r"tps = ([\d.]+)"),
            ("latency", r"latency average = ([\d.]+) ms"),
            ("done", r"actually processed: (\d+)"),
        )
    }
    if run.code != 0 or not all(found.values()):
        raise BenchFailure(f"pgbench falhou ({run.code}): {run.err[-800:]}")
    tps, latency, done = (float(m.group(1)) for m in found.values())  # type: ignore[union-attr]
    postgres_cpu = cpu_used(before, after).get("pg:pgbench", 0.0)
    # pgbench's rows would otherwise be relayed and reserved once the stack starts.
    bench.scalar(
        "TRUNCATE orders.order_items, orders.order_status_history, orders.outbox,"
        " orders.idempotency_keys, orders.orders CASCADE"
    )
    return {
        "notify_trigger": notify,
        "clients": CONCURRENCY,
        "seconds": seconds,
        "transactions": int(done),
        "tps": tps,
        "latency_avg_ms": latency,
        "pgbench_cpu_s": round(run.cpu_s, 2),
        "postgres_cpu_s": round(postgres_cpu, 2),
        "postgres_cpu_ms_per_txn": round(1000 * postgres_cpu / max(done, 1), 3),
    }


def pgbench_after_intake(bench: World, sampler: Sampler, *, seconds: int) -> dict:
    """pgbench again right after the intake runs, with the stack idle beside it.

    This VM's speed changes within minutes (the same code measured 13 and 18 ms of CPU an
    order in runs ten minutes apart, docs/performance.md), and the first pgbench ran a minute
    or more before the gateway run. The order relay is stopped meanwhile, so pgbench's outbox
    rows are not published; pgbench then truncates the orders (the intake's included: the
    later parts make their own) and the relay starts again.
    """
    assert bench.stack is not None
    relays = [name for name in bench.stack.processes if name.split("#")[0] == "order_relay"]
    bench.stack.stop(relays)
    try:
        return pgbench(bench, sampler, seconds=seconds)
    finally:
        started = {name: _relay_starts(bench, name) for name in relays}
        bench.stack.start(relays)
        # Running is not relaying yet (imports, LISTEN, the broker): the next part's first
        # orders would wait for it (a saga p99 of 912 ms in the first run that did not wait).
        deadline = time.monotonic() + 30
        while any(_relay_starts(bench, n) <= count for n, count in started.items()):
            if time.monotonic() > deadline:
                raise BenchFailure(f"o relay não voltou em 30 s: {bench.stack.log_tail(relays[0])}")
            time.sleep(0.1)
        time.sleep(RELAY_CONNECT_S)


# After "outbox relay started": its first pass opens the broker connection.
RELAY_CONNECT_S = 1.0


def _relay_starts(bench: World, name: str) -> int:
    assert bench.stack is not None
    return logged_messages(bench.stack.log_tail(name, lines=100_000)).count("outbox relay started")


def write_id_files(bench: World) -> tuple[Path, Path]:
    """The products and clients wrk rotates over, one UUID a line."""
    products = bench.workdir / "products.txt"
    clients = bench.workdir / "clients.txt"
    products.write_text("\n".join(bench.product_ids) + "\n")
    clients.write_text("\n".join(bench.client_ids) + "\n")
    return products, clients


def wrk(bench: World, base_url: str, *, seconds: int, target: str) -> LoadResult:
    """POST /orders for `seconds` with CONCURRENCY connections; statuses, latency, wrk CPU."""
    products, clients = write_id_files(bench)
    env = {
        **os.environ,
        "WRK_TOKEN": bench.fresh_token(),
        "WRK_PRODUCTS": str(products),
        "WRK_CLIENTS": str(clients),
        "WRK_ITEMS": str(ITEMS_PER_ORDER),
    }
    argv = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{CONCURRENCY}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA_SCRIPT),
        base_url,
    ]
    run = run_measured(argv, env)
    output = run.out + run.err
    line = next((ln for ln in output.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if run.code != 0 or line is None:
        raise BenchFailure(f"wrk falhou ({run.code}):\n{output[-1500:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    accepted = data["statuses"].get("201", 0)
    if accepted < 0.5 * max(data["requests"], 1):
        samples = [ln for ln in output.splitlines() if ln.startswith("BENCH_SAMPLE ")]
        raise BenchFailure(
            f"{target}: só {accepted} de {data['requests']} pedidos aceitos "
            f"(por status: {data['statuses']}); exemplo: {samples[:1]}"
        )
    return LoadResult(
        target=target,
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        statuses={str(k): v for k, v in data["statuses"].items()},
        errors=data["errors"],
        latency_ms={k: round(v / 1000, 2) for k, v in data["latency_us"].items()},
        wrk_cpu_s=round(run.cpu_s, 2),
    )


def reserved_orders(bench: World) -> int:
    """Orders whose stock is reserved, all runs together."""
    return bench.scalar("SELECT count(*) FROM orders.orders WHERE stock_status = 'reserved'")


def intake(bench: World, sampler: Sampler, *, seconds: int) -> dict[str, Any]:
    """Warm up, then the gateway run (the CPU window of part 7) and the direct run."""
    say("aquecimento: 5 s de pedidos pelo gateway")
    wrk(bench, bench.gateway, seconds=5, target="warm-up")
    wait_settled(bench, timeout=SETTLE_TIMEOUT)

    say(f"intake pelo gateway: {CONCURRENCY} conexões, {seconds} s")
    reserved_before = reserved_orders(bench)
    cpu_before = sampler.cpu_snapshot()
    host_before = HostCpu.now()
    started = time.monotonic()
    gateway = wrk(bench, bench.gateway, seconds=seconds, target="gateway")
    drain = wait_settled(bench, timeout=SETTLE_TIMEOUT)
    window = time.monotonic() - started
    cpu = cpu_used(cpu_before, sampler.cpu_snapshot())
    host = HostCpu.now().share_since(host_before)
    reserved = reserved_orders(bench) - reserved_before
    say(f"  {gateway.rate:.0f} pedidos/s; saga em dia {drain:.1f} s depois")

    say(f"intake direto no serviço de pedidos: {CONCURRENCY} conexões, {seconds} s")
    direct = wrk(bench, bench.orders_url, seconds=seconds, target="order_service")
    direct_drain = wait_settled(bench, timeout=SETTLE_TIMEOUT)
    say(f"  {direct.rate:.0f} pedidos/s; saga em dia {direct_drain:.1f} s depois")
    return {
        "gateway": gateway.to_dict(),
        "direct": direct.to_dict(),
        "drain_after_gateway_s": round(drain, 1),
        "drain_after_direct_s": round(direct_drain, 1),
        "cpu_window": {
            "seconds": round(window, 1),
            "orders_reserved": reserved,
            "cpu_s_by_process": {k: round(v, 2) for k, v in sorted(cpu.items())},
            "host_cpu": host,
        },
    }
