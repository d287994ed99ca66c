"""The bench's own world: a database and a vhost of its own, every process of the table running.

The database `pedidos_bench_<hex>` is bootstrapped and migrated like `make run` does it, the
vhost `pedidos_bench_<hex>` gets the topology, and the processes are started by the end-to-end
tests' Stack, which runs exactly the commands of scripts/processes.py. Everything is removed at
the end, also on failure or Ctrl-C.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pika
import psycopg2
import requests

from scripts.processes import Ports, ProcessSpec
from shared.bootstrap import SERVICE_DATABASES, bootstrap, drop_database, with_database
from shared.migrations import upgrade
from tests.support.servers import VhostAdmin
from tests.support.stack import Stack, declare_topology, free_port, seed_admin

ROOT = Path(__file__).resolve().parents[1]
ADMIN_EMAIL = "admin-bench@pedidos.local"
ADMIN_PASSWORD = "Admin#Bench-2026"

# The environment of the bench's processes on top of the table's. Defaults are `make run`'s
# (deploy/gunicorn.conf.py: 2 workers x 4 threads); docs/performance.md says why each
# override is here and what it changed.
PROCESS_ENV: dict[str, str] = {
    "APP_ENV": "development",  # as under `make run` (the Stack's default is "test")
    "WEB_CONCURRENCY": "2",
    "GUNICORN_THREADS": "4",
    "LOG_LEVEL": "INFO",
}
# Settings for one process of the table only (key: its name in scripts/processes.py).
PER_PROCESS_ENV: dict[str, dict[str, str]] = {}
# Extra replicas of a process (the docs say consumers and relays may run several at once).
REPLICAS: dict[str, int] = {}

SECTIONS = (
    "Mercearia",
    "Hortifruti",
    "Laticínios",
    "Carnes",
    "Padaria",
    "Bebidas",
    "Limpeza",
    "Higiene",
    "Congelados",
    "Papelaria",
)


class BenchFailure(RuntimeError):
    """A part of the bench could not run or an assertion failed: `make bench` fails."""


def say(message: str) -> None:
    """A progress line on stderr (the table alone goes to stdout)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- tools --------------------------------------------------------------------------------


def require_tools() -> None:
    """wrk, pgbench and psql; installed from Debian when missing and root, else a clear failure."""
    missing = [
        package
        for tool, package in (
            ("wrk", "wrk"),
            ("pgbench", "postgresql-client"),
            ("psql", "postgresql-client"),
        )
        if shutil.which(tool) is None
    ]
    if not missing:
        return
    packages = sorted(set(missing))
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise BenchFailure(
            f"faltam {', '.join(packages)}: instale-os (Debian/Ubuntu: sudo apt-get install -y "
            f"{' '.join(packages)}) e rode `make bench` de novo."
        )
    say(f"instalando {', '.join(packages)} com apt-get...")
    install = ["apt-get", "install", "-y", "-q", *packages]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        result = subprocess.run(install, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchFailure(
                f"apt-get install {' '.join(packages)} falhou: {result.stderr[-500:]}"
            )


# -- the world ----------------------------------------------------------------------------


@dataclass
class World:
    """Where the bench runs: its database, its vhost, its processes and what it seeded."""

    name: str
    server_url: str  # PostgreSQL as a superuser, any database
    amqp_url: str  # the bench's vhost
    workdir: Path
    service_urls: dict[str, str] = field(default_factory=dict)
    stack: BenchStack | None = None
    token: str = ""
    token_at: float = 0.0
    client_ids: list[str] = field(default_factory=list)
    product_ids: list[str] = field(default_factory=list)
    supplier_ids: list[str] = field(default_factory=list)
    _token_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def admin_url(self) -> str:
        """The bench database as the PostgreSQL superuser (peeks, SQL data generation)."""
        return with_database(self.server_url, self.name)

    @property
    def running(self) -> BenchStack:
        """The started stack (parts run only after start_stack)."""
        assert self.stack is not None, "the stack is not started"
        return self.stack

    @property
    def gateway(self) -> str:
        """The gateway's base URL."""
        return self.running.gateway_url

    @property
    def orders_url(self) -> str:
        """The order service's own base URL (the direct intake run)."""
        return f"http://127.0.0.1:{self.running.ports.orders}"

    def connect(self) -> Any:
        """An autocommit psycopg2 connection to the bench database as the superuser."""
        conn = psycopg2.connect(self.admin_url, connect_timeout=5)
        conn.autocommit = True
        return conn

    def scalar(self, sql: str, params: Any = None) -> Any:
        """The first column of the first row (None when the statement returns no rows)."""
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                row = cur.fetchone() if cur.description else None
        finally:
            conn.close()
        return row[0] if row else None

    def fresh_token(self) -> str:
        """The admin's access token, renewed when older than 5 minutes (they last 15)."""
        with self._token_lock:  # one login at a time: logins are rate limited
            if not self.token or time.monotonic() - self.token_at > 300:
                self._login()
            return self.token

    def _login(self) -> None:
        """Log the admin in through the gateway."""
        response = requests.post(
            f"{self.gateway}/api/v1/auth/login",
            json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            timeout=10,
        )
        if response.status_code != 200:
            raise BenchFailure(f"login falhou: {response.status_code} {response.text[:300]}")
        self.token = response.json()["data"]["access_token"]
        self.token_at = time.monotonic()

    def queue_depth(self, queue: str) -> int:
        """Messages ready in `queue` (a passive declare: creates nothing)."""
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_url))
        try:
            return connection.channel().queue_declare(queue, passive=True).method.message_count
        finally:
            connection.close()


def _server_urls() -> tuple[str, str]:
    """PostgreSQL (superuser) and RabbitMQ: BENCH_*_URL, else DATABASE_URL/RABBITMQ_URL."""
    database = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    broker = os.environ.get("BENCH_RABBITMQ_URL") or os.environ.get(
        "RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"
    )
    return with_database(database, "postgres"), broker


@contextmanager
def world() -> Iterator[World]:
    """A migrated database and a vhost with the topology; both removed on the way out."""
    server_url, broker_url = _server_urls()
    name = f"pedidos_bench_{uuid.uuid4().hex[:10]}"
    vhosts = VhostAdmin(broker_url)
    workdir = Path(tempfile.mkdtemp(prefix="pedidos-bench-"))
    created_db = created_vhost = False
    bench = World(name=name, server_url=server_url, amqp_url="", workdir=workdir)
    try:
        say(f"banco e vhost {name}")
        created_db = True  # set first: a failure halfway through still drops it
        bench.service_urls = bootstrap(with_database(server_url, name), passwords={})
        for sdb in SERVICE_DATABASES:
            upgrade(ROOT / sdb.service, bench.service_urls[sdb.service])
        created_vhost = True
        bench.amqp_url = vhosts.create(name)
        declare_topology(bench.amqp_url)
        yield bench
    finally:
        if bench.stack is not None:
            failed = {n: c for n, c in bench.stack.stop().items() if c not in (0, -15)}
            if failed:
                say(f"processos que não pararam limpos: {failed}")
        if created_vhost:
            vhosts.delete(name)
        if created_db:
            try:
                drop_database(server_url, name)
            except Exception as exc:  # the message names it so nobody has to guess
                say(f"não consegui remover o banco {name}: {exc!r}; remova-o à mão")
        shutil.rmtree(workdir, ignore_errors=True)
        say(f"removidos: banco e vhost {name}")


@dataclass
class BenchStack(Stack):
    """The tests' Stack, plus per-process settings and extra replicas of a process.

    A replica "name#2" runs the table's command and environment for "name" unchanged.
    `worker_replicas` runs every queue worker of the table (no HTTP port) that many times.
    """

    per_process: dict[str, dict[str, str]] = field(default_factory=dict)
    replicas: dict[str, int] = field(default_factory=dict)
    worker_replicas: int = 1

    def specs(self) -> dict[str, ProcessSpec]:
        """The table's processes and the replicas asked for."""
        specs = super().specs()
        counts = {name: self.worker_replicas for name, s in specs.items() if s.ready_url is None}
        counts.update(self.replicas)
        for name, count in counts.items():
            for n in range(2, count + 1):
                specs[f"{name}#{n}"] = replace(specs[name], name=f"{name}#{n}")
        return specs

    def environment(self, spec: ProcessSpec) -> dict[str, str]:
        """The Stack's environment plus this process's own settings."""
        base = spec.name.split("#")[0]
        return {**super().environment(spec), **self.per_process.get(base, {})}

    def named(self, base: str) -> list[str]:
        """The process `base` and its replicas, as named in `specs()`."""
        return [name for name in self.specs() if name.split("#")[0] == base]


def start_stack(
    bench: World, env: dict[str, str] | None = None, *, worker_replicas: int = 1
) -> BenchStack:
    """Every process of scripts/processes.py on free ports against the bench's db and vhost."""
    ports = Ports(
        gateway=free_port(),
        auth=free_port(),
        orders=free_port(),
        stock=free_port(),
        frontend=free_port(),
    )
    stack = BenchStack(
        ports=ports,
        database_urls=bench.service_urls,
        rabbitmq_url=bench.amqp_url,
        workdir=bench.workdir,
        extra_env={
            **PROCESS_ENV,
            **(env or {}),
            "ADMIN_EMAIL": ADMIN_EMAIL,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
        },
        per_process=PER_PROCESS_ENV,
        replicas=REPLICAS,
        worker_replicas=worker_replicas,
    )
    stack.keys_dir.mkdir(exist_ok=True)
    seed_admin(stack, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    bench.stack = stack
    try:
        stack.start(timeout=60)
    except Exception:
        say(stack.logs())
        raise
    return stack


# -- seeding through the API --------------------------------------------------------------


def _check_digit(digits: list[int], weights: list[int]) -> int:
    """A CNPJ check digit (mod 11)."""
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def valid_cnpj(rng: random.Random) -> str:
    """A random CNPJ with valid check digits (the APIs validate them)."""
    digits = [rng.randint(0, 9) for _ in range(8)] + [0, 0, 0, 1]
    digits.append(_check_digit(digits, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]))
    digits.append(_check_digit(digits, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]))
    return "".join(map(str, digits))


def api_post(bench: World, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST through the gateway as the admin; the `data` of a 201."""
    response = requests.post(
        f"{bench.gateway}/api/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {bench.fresh_token()}"},
        timeout=30,
    )
    if response.status_code != 201:
        raise BenchFailure(f"POST {path}: {response.status_code} {response.text[:300]}")
    return response.json()["data"]


def _parallel(count: int, make: Callable[[int], dict[str, Any]]) -> list[dict[str, Any]]:
    """`make(i)` for i in range(count), eight at a time."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(make, range(count)))


def seed_catalogue(
    bench: World, *, suppliers: int, products: int, clients: int, stock: int
) -> None:
    """Suppliers, products with `stock` units each, and clients, through the gateway."""
    rng = random.Random(2026)
    cnpjs = [valid_cnpj(rng) for _ in range(suppliers + clients)]
    tag = bench.name[-6:]
    bench.supplier_ids = [
        s["id"]
        for s in _parallel(
            suppliers,
            lambda i: api_post(
                bench,
                "/suppliers",
                {"name": f"Fornecedor bench {i}", "cnpj": cnpjs[i], "active": True},
            ),
        )
    ]
    bench.product_ids = [
        p["id"] for p in _parallel(products, lambda i: new_product(bench, i, stock))
    ]
    bench.client_ids = [
        c["id"]
        for c in _parallel(
            clients,
            lambda i: api_post(
                bench,
                "/clients",
                {
                    "name": f"Escola bench {i}",
                    "email": f"escola-{tag}-{i}@bench.example.com",
                    "document": cnpjs[suppliers + i],
                    "phone": "11987654321",
                },
            ),
        )
    ]
    wait_for_catalogue_copy(bench)


def wait_for_catalogue_copy(bench: World, timeout: float = 60.0) -> None:
    """Until the order service's catalogue copy knows every seeded product (data and stock):
    the intake measures orders answered from it, not the first-sight HTTP fallback."""
    deadline = time.monotonic() + timeout
    while True:
        known = bench.scalar(
            "SELECT count(*) FROM orders.catalogue_products WHERE product_id = ANY(%s::uuid[])"
            " AND product_revision IS NOT NULL AND stock_revision IS NOT NULL",
            (bench.product_ids,),
        )
        if known == len(bench.product_ids):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the catalogue copy knows {known} of {len(bench.product_ids)} products"
            )
        time.sleep(0.2)


def new_product(bench: World, index: int, stock: int) -> dict[str, Any]:
    """One product with `stock` units on hand, of one of the seeded suppliers."""
    supplier = bench.supplier_ids[index % len(bench.supplier_ids)] if bench.supplier_ids else None
    return api_post(
        bench,
        "/products",
        {
            "name": f"Produto bench {index} {uuid.uuid4().hex[:6]}",
            "price": 10 + index % 40,
            "section": SECTIONS[index % len(SECTIONS)],
            "category": f"Categoria {index % 20}",
            "unit": "un",
            "initial_stock": stock,
            "supplier_id": supplier,
        },
    )


# -- waiting for the saga -----------------------------------------------------------------


def awaiting_orders(bench: World) -> int:
    """Orders whose reservation has not been answered yet."""
    return bench.scalar("SELECT count(*) FROM orders.orders WHERE stock_status = 'awaiting'")


def wait_settled(bench: World, *, timeout: float) -> float:
    """Wait until no order awaits its reservation; seconds waited (fails after `timeout`)."""
    started = time.monotonic()
    while (left := awaiting_orders(bench)) > 0:
        if time.monotonic() - started > timeout:
            raise BenchFailure(f"{left} pedidos ainda aguardando reserva após {timeout:.0f}s")
        time.sleep(0.1)
    return time.monotonic() - started


# -- what the sampler watches --------------------------------------------------------------


def stack_groups(bench: World) -> dict[str, int]:
    """Process name -> process group id (each process of the Stack leads its own group)."""
    if bench.stack is None:
        return {}
    return {name: p.popen.pid for name, p in list(bench.stack.processes.items())}


def backends(bench: World) -> Callable[[], dict[int, str]]:
    """A reader of the bench database's backends: pid -> "pg:<application_name>"."""
    state: dict[str, Any] = {}

    def read() -> dict[int, str]:
        """The backends now (none while the database cannot be reached)."""
        try:
            if "conn" not in state:
                state["conn"] = bench.connect()
            with state["conn"].cursor() as cur:
                cur.execute(
                    "SELECT pid, application_name FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (bench.name,),
                )
                return {pid: f"pg:{app or 'bench'}" for pid, app in cur.fetchall()}
        except psycopg2.Error:
            state.pop("conn", None)  # the database is being dropped, or restarted
            return {}

    return read
