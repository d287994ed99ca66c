"""Crashes under `make run`'s own supervision (docs/reliability.md).

A stack of its own (database, vhost, every process under scripts/supervise.py exactly as
`make run` starts them), because these tests SIGKILL its processes:

- a stream of 300 orders while the stock consumer, the order relay and the order service's
  gunicorn master are killed in turn: each comes back, every accepted order ends reserved
  or rejected, none lost, none reserved twice;
- the stock consumer killed six times while it holds orders (more returns than the queue's
  delivery limit): no healthy order is dead-lettered;
- an order whose event the broker lost: the order relay's sweep sends it again;
- a real poison message (a handler bug): dead-lettered with its reason, listed by the DLQ
  command, and processed once when replayed after the fix.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator

import pika
import pytest
import requests
from sqlalchemy import create_engine, text

from scripts.processes import Ports
from shared.bootstrap import bootstrap, drop_database, with_database
from tests.support import servers
from tests.support.api_client import ApiClient
from tests.support.e2e_builders import new_client, new_product, ok
from tests.support.infra import TestDatabase, migrate_all
from tests.support.logs import logged_messages
from tests.support.stack import ROOT, Stack, declare_topology, free_port, seed_admin
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

ADMIN_EMAIL = "admin-crash@pedidos.local"
ADMIN_PASSWORD = "Admin#Crash-2026"


@pytest.fixture(scope="module")
def crash_stack(pg_admin_url, vhost_admin, tmp_path_factory) -> Iterator[Stack]:
    """Every process supervised, on a database and vhost of this module's own."""
    name = servers.unique_name("pedidos_test")
    admin_url = with_database(pg_admin_url, name)
    vhost = servers.unique_name("pedidos_test")
    amqp_url = vhost_admin.create(vhost)
    stack = None
    try:
        urls = bootstrap(admin_url, passwords={})
        migrate_all(urls)
        database = TestDatabase(admin_url=admin_url, name=name, service_urls=urls)
        ports = Ports(*(free_port() for _ in range(5)))
        stack = Stack(
            ports=ports,
            database_urls=database.service_urls,
            rabbitmq_url=amqp_url,
            workdir=tmp_path_factory.mktemp("crash-stack"),
            extra_env={
                "ADMIN_EMAIL": ADMIN_EMAIL,
                "ADMIN_PASSWORD": ADMIN_PASSWORD,
                "RATE_LIMIT_EXEMPT": "127.0.0.1",
                # The relay's sweep re-sends an order's event after 4 s without a reply,
                # looking every second (in production: after 5 min, every minute).
                "STUCK_ORDER_SECONDS": "4",
                "OUTBOX_SWEEP_SECONDS": "1",
            },
            supervised=True,
        )
        stack.keys_dir.mkdir()
        declare_topology(amqp_url)
        seed_admin(stack, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
        stack.start()
        yield stack
    except Exception:
        if stack is not None:
            print(stack.logs())
        raise
    finally:
        if stack is not None:
            stack.stop()
        vhost_admin.delete(vhost)
        drop_database(pg_admin_url, name)


@pytest.fixture(scope="module")
def crash_admin(crash_stack: Stack) -> ApiClient:
    return ApiClient(crash_stack.api).logged_in(ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture(scope="module")
def stock_db(crash_stack: Stack):
    engine = create_engine(crash_stack.database_urls["stock_service"])
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def orders_db(crash_stack: Stack):
    engine = create_engine(crash_stack.database_urls["order_service"])
    yield engine
    engine.dispose()


def sigkill(stack: Stack, name: str) -> int:
    """SIGKILL the process a supervisor runs now; wait until the supervisor started another."""
    killed = wait_until(lambda: stack.supervised_child(name), timeout=30)
    os.kill(killed, signal.SIGKILL)
    wait_until(lambda: stack.supervised_child(name) not in (None, killed), timeout=60)
    return killed


def stock_states(orders_db, order_ids: list[str]) -> dict[str, str]:
    with orders_db.connect() as conn:
        rows = conn.execute(
            text("SELECT id::text, stock_status FROM orders WHERE id = ANY(CAST(:ids AS uuid[]))"),
            {"ids": order_ids},
        )
        return dict(rows.all())


def settled(orders_db, order_ids: list[str]) -> dict[str, str] | None:
    states = stock_states(orders_db, order_ids)
    if len(states) == len(order_ids) and set(states.values()) <= {"reserved", "rejected"}:
        return states
    return None


def reservations_per_order(stock_db, product_id: str) -> dict[str, int]:
    """How many times the stock service reserved each order of `product_id` (ledger rows)."""
    with stock_db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT order_id::text, count(*) FROM stock_ledger WHERE product_id = :p"
                " AND cause = 'order_reserved' GROUP BY order_id"
            ),  # fmt: skip
            {"p": product_id},
        )
        return dict(rows.all())


def stock_row(stock_db, product_id: str) -> tuple[int, int]:
    with stock_db.connect() as conn:
        return tuple(
            conn.execute(
                text("SELECT on_hand, reserved FROM stock_levels WHERE product_id = :p"),
                {"p": product_id},
            ).one()
        )


def dlq(stack: Stack, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "shared.messaging.dlq", *args],
        env={**os.environ, "RABBITMQ_URL": stack.rabbitmq_url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class OrderStream:
    """Sends `count` orders of one unit each, one after another; each is retried with the
    same Idempotency-Key until it is answered 201, or 409 once the product is sold out (a
    killed service answers 502 meanwhile), so every order is placed at most once."""

    def __init__(self, admin: ApiClient, client_id: str, product_id: str, count: int) -> None:
        self.admin, self.client_id, self.product_id, self.count = (
            admin, client_id, product_id, count)  # fmt: skip
        self.accepted: list[str] = []
        self.sold_out = 0  # answered 409: the stock service's availability said no
        self.refused_meanwhile = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            for _ in range(self.count):
                order_id = self._place()
                if order_id is None:
                    self.sold_out += 1
                else:
                    self.accepted.append(order_id)
                time.sleep(0.02)
        except BaseException as exc:  # reported by the test
            self.error = exc

    def _place(self) -> str | None:
        key = str(uuid.uuid4())
        body = {"client_id": self.client_id,
                "items": [{"product_id": self.product_id, "quantity": 1}]}  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                response = self.admin.post("/orders", json=body, headers={"Idempotency-Key": key})
            except requests.RequestException:
                response = None
            if response is not None and response.status_code in (200, 201):
                return response.json()["data"]["id"]
            if response is not None and response.status_code == 409:
                assert response.json()["code"] == "insufficient_stock", response.text
                return None
            self.refused_meanwhile += 1
            time.sleep(0.2)
        raise AssertionError(f"order not accepted within 60 s (last: {response!r})")


def test_300_orders_survive_sigkill_of_a_consumer_a_relay_and_a_gunicorn_master(
    crash_stack, crash_admin, orders_db, stock_db
):
    client = new_client(crash_admin)
    product = new_product(crash_admin, on_hand=250)
    stream = OrderStream(crash_admin, client["id"], product["id"], 300)
    stream.thread.start()

    killed = {}
    for name, after in (("stock_consumer", 40), ("order_relay", 120), ("orders", 200)):
        wait_until(lambda after=after: len(stream.accepted) >= after or stream.error, timeout=90)
        killed[name] = sigkill(crash_stack, name)
    stream.thread.join(timeout=180)

    assert stream.error is None, stream.error
    assert len(set(stream.accepted)) == len(stream.accepted) == 300 - stream.sold_out
    states = wait_until(lambda: settled(orders_db, stream.accepted), timeout=120)
    # 250 units for 300 one-unit orders: the first 250 to reach the stock service get one;
    # the others were accepted and then rejected by the reservation, or refused at once.
    assert list(states.values()).count("reserved") == 250
    assert stream.sold_out >= 1
    reserved = [order for order, state in states.items() if state == "reserved"]
    assert reservations_per_order(stock_db, product["id"]) == {order: 1 for order in reserved}
    assert stock_row(stock_db, product["id"]) == (250, 250)
    print(
        f"\n300 orders: {len(stream.accepted)} accepted, {stream.sold_out} refused sold out,"
        f" {stream.refused_meanwhile} attempts refused while a process was down;"
        f" {len(reserved)} reserved, {len(stream.accepted) - len(reserved)} rejected"
    )
    for name, pid in killed.items():
        assert crash_stack.supervised_child(name) not in (None, pid)
        assert f"[supervisor] {name}: caiu" in crash_stack.log_tail(name, lines=400)


def waiting_for_a_lock(stock_db) -> list[int]:
    """Backends of the stock database waiting for a row lock (the consumer's, here)."""
    with stock_db.connect() as conn:
        return list(
            conn.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock'"
                )  # fmt: skip
            )
        )


def test_a_consumer_killed_six_times_while_holding_orders_dead_letters_none_of_them(
    crash_stack, crash_admin, orders_db, stock_db
):
    client = new_client(crash_admin)
    product = new_product(crash_admin, on_hand=100)
    # Hold the product's stock row: the consumer takes the orders, then waits on the lock
    # with all of them unacknowledged, which is when we kill it.
    holder = stock_db.connect()
    lock = holder.begin()
    holder.execute(
        text("SELECT 1 FROM stock_levels WHERE product_id = :p FOR UPDATE"), {"p": product["id"]}
    )
    try:
        body = {"client_id": client["id"], "items": [{"product_id": product["id"], "quantity": 1}]}
        orders = [ok(crash_admin.post("/orders", json=body), 201)["id"] for _ in range(20)]
        ended: set[int] = set()  # backends of killed consumers (they take a moment to go)

        def a_live_consumer_waits() -> list[int]:
            return [pid for pid in waiting_for_a_lock(stock_db) if pid not in ended]

        for _ in range(6):  # the queue's delivery limit is 5: six returns would dead-letter
            waiting = wait_until(a_live_consumer_waits, timeout=60)
            sigkill(crash_stack, "stock_consumer")
            with stock_db.connect() as conn:  # the dead consumer's backends, still queued
                for pid in waiting:
                    conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            ended.update(waiting)
        wait_until(a_live_consumer_waits, timeout=60)
    finally:
        lock.rollback()
        holder.close()

    states = wait_until(lambda: settled(orders_db, orders), timeout=60)
    assert set(states.values()) == {"reserved"}
    assert reservations_per_order(stock_db, product["id"]) == {order: 1 for order in orders}
    assert stock_row(stock_db, product["id"]) == (100, 20)
    assert "nenhuma mensagem" in dlq(crash_stack, "list", "--queue", "novos_pedidos")
    # Seven consumers held them in turn; near the broker's limit they were renewed instead
    # of dead-lettered.
    log = crash_stack.log_tail("stock_consumer", lines=5000)
    assert logged_messages(log).count("consuming") >= 7
    assert "renewed" in log


def test_a_poison_message_is_dead_lettered_with_its_reason_and_replayed_once_after_the_fix(
    crash_stack, crash_admin, orders_db, stock_db
):
    client = new_client(crash_admin)
    product = new_product(crash_admin, on_hand=10)
    # A bug deployed in the stock service: reserving this product always fails.
    bug = (
        "CREATE FUNCTION crash_test_bug() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN RAISE EXCEPTION 'bug: cannot reserve %', NEW.product_id; END $$"
    )
    trigger = (
        "CREATE TRIGGER crash_test_bug BEFORE INSERT ON reservation_lines FOR EACH ROW"
        f" WHEN (NEW.product_id = '{product['id']}') EXECUTE FUNCTION crash_test_bug()"
    )
    with stock_db.begin() as conn:
        conn.execute(text(bug))
        conn.execute(text(trigger))
    try:
        body = {"client_id": client["id"], "items": [{"product_id": product["id"], "quantity": 2}]}
        order_id = ok(crash_admin.post("/orders", json=body), 201)["id"]

        listing = wait_until(
            lambda: (
                (out := dlq(crash_stack, "list", "--queue", "novos_pedidos"))
                and order_id in out
                and out
            ),
            timeout=60,
        )
        line = next(row for row in listing.splitlines() if order_id in row)
        queue, _, event_type, listed_order, attempts, _, *reason = line.split()
        assert (queue, event_type, listed_order, attempts) == (
            "novos_pedidos", "order.created", order_id, "5")  # fmt: skip
        assert " ".join(reason).startswith("handler_failed: InternalError: ")
        assert "bug: cannot reserve" in " ".join(reason)
        assert stock_states(orders_db, [order_id]) == {order_id: "awaiting"}
    finally:
        with stock_db.begin() as conn:  # the fix
            conn.execute(text("DROP TRIGGER IF EXISTS crash_test_bug ON reservation_lines"))
            conn.execute(text("DROP FUNCTION IF EXISTS crash_test_bug()"))

    replayed = dlq(crash_stack, "replay", "--order-id", order_id)
    assert "1 mensagem(ns) reenviada(s)" in replayed
    wait_until(lambda: stock_states(orders_db, [order_id]) == {order_id: "reserved"}, timeout=30)
    again = dlq(crash_stack, "replay", "--order-id", order_id)
    assert "0 mensagem(ns) reenviada(s)" in again
    time.sleep(1)
    assert reservations_per_order(stock_db, product["id"]) == {order_id: 1}
    assert stock_row(stock_db, product["id"]) == (10, 2)


def test_an_order_whose_event_the_broker_lost_is_sent_again_by_the_sweep_and_reserved_once(
    crash_stack, crash_admin, orders_db, stock_db
):
    client = new_client(crash_admin)
    product = new_product(crash_admin, on_hand=10)
    crash_stack.stop(["stock_consumer"])
    connection = pika.BlockingConnection(pika.URLParameters(crash_stack.rabbitmq_url))
    try:
        channel = connection.channel()
        body = {"client_id": client["id"], "items": [{"product_id": product["id"], "quantity": 3}]}
        order_id = ok(crash_admin.post("/orders", json=body), 201)["id"]
        wait_until(
            lambda: channel.queue_declare("novos_pedidos", passive=True).method.message_count,
            timeout=30,
        )
        channel.queue_purge("novos_pedidos")  # the broker lost it
    finally:
        connection.close()
        crash_stack.start(["stock_consumer"])

    wait_until(lambda: stock_states(orders_db, [order_id]) == {order_id: "reserved"}, timeout=60)
    assert "re-queued for publishing" in crash_stack.log_tail("order_relay", lines=5000)
    time.sleep(6)  # more sweeps: the order is answered now, nothing is sent again
    assert reservations_per_order(stock_db, product["id"]) == {order_id: 1}
    assert stock_row(stock_db, product["id"]) == (10, 3)
