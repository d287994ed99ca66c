"""The pure parts of shared.messaging: no broker, no database."""

import json
import threading
import time
from types import SimpleNamespace

import pika
import pytest

from shared.messaging import (
    Backoff,
    BatchResult,
    OutgoingMessage,
    StopSignal,
    connection_parameters,
    dead_letter_queue,
    failed_attempts,
    outgoing_message,
    queue_arguments,
)
from shared.messaging.pacing import (
    BUSY_AT,
    BUSY_FROM,
    BatchPacer,
    CpuPressure,
    paced_interval,
)
from shared.messaging.publisher import message_properties
from shared.messaging.settlement import copy_properties
from shared.messaging.worker import batch_pacer


def test_work_queue_is_a_quorum_queue_dead_lettering_to_its_dlq_after_the_limit():
    arguments = queue_arguments("novos_pedidos", delivery_limit=3)

    assert arguments["x-queue-type"] == "quorum"
    assert arguments["x-delivery-limit"] == 3
    assert arguments["x-dead-letter-exchange"] == "pedidos.dlx"
    assert arguments["x-dead-letter-routing-key"] == "novos_pedidos"
    assert dead_letter_queue("novos_pedidos") == "novos_pedidos.dlq"


def test_connection_parameters_bound_every_network_wait():
    params = connection_parameters("amqp://u:p@broker:5673/%2F", connection_name="relay")

    assert (params.host, params.port, params.virtual_host) == ("broker", 5673, "/")
    assert params.heartbeat == 30
    assert params.socket_timeout == 5
    assert params.blocked_connection_timeout == 30
    assert params.connection_attempts == 1
    assert params.client_properties == {"connection_name": "relay"}


def test_settings_in_the_url_query_win_over_the_defaults():
    params = connection_parameters("amqp://u:p@broker/vh?heartbeat=7&socket_timeout=2")

    assert params.heartbeat == 7
    assert params.socket_timeout == 2
    assert params.blocked_connection_timeout == 30


def test_a_paced_worker_starts_the_first_batch_at_once_and_then_one_per_interval():
    pacer = BatchPacer(0.02)

    assert pacer.pause(now=100.0) == 0.0  # nothing before: a lone event goes at once
    pacer.started(100.0)
    assert pacer.pause(now=100.005) == pytest.approx(0.015)  # a stream gathers meanwhile
    assert pacer.pause(now=100.02) == 0.0
    assert pacer.pause(now=105.0) == 0.0  # after a quiet moment: at once again
    pacer.started(105.0)
    assert pacer.pause(now=105.001) == pytest.approx(0.019)


def test_a_pacer_without_an_interval_never_waits():
    pacer = BatchPacer(0.0)
    pacer.started(1.0)
    assert pacer.pause(now=1.0) == 0.0
    assert BatchPacer(-1.0).pause(now=0.0) == 0.0


@pytest.mark.parametrize(
    ("pressure", "interval"),
    [
        (None, 0.01),  # PSI not available
        (0.0, 0.01),
        (BUSY_FROM - 0.2, 0.01),
        (BUSY_FROM, 0.01),
        ((BUSY_FROM + BUSY_AT) / 2, 0.02),
        (BUSY_AT, 0.03),
        (1.0, 0.03),
    ],
)
def test_the_interval_grows_from_quiet_to_busy_only_while_the_cpu_is_contended(pressure, interval):
    assert paced_interval(pressure, quiet=0.01, busy=0.03) == pytest.approx(interval)


def test_a_pacer_batches_longer_under_cpu_pressure_and_goes_back_when_it_eases():
    readings = iter([0.95, 0.95, 0.2])
    pacer = BatchPacer(0.0, busy_interval=0.03, pressure=lambda: next(readings))
    pacer.started(10.0)

    assert pacer.pause(now=10.01) == pytest.approx(0.02)  # contended: gather for 30 ms
    assert pacer.pause(now=10.03) == 0.0
    assert pacer.pause(now=10.01) == 0.0  # eased: no wait at all


def test_a_deployment_sets_where_the_pressure_ramp_starts_and_ends(monkeypatch):
    pacer = BatchPacer(0.0, busy_interval=0.03, pressure=lambda: 0.7, busy_from=0.6, busy_at=0.8)
    assert pacer.interval() == pytest.approx(0.015)

    monkeypatch.setenv("BUSY_PRESSURE_FROM", "0.5")
    monkeypatch.setenv("BUSY_PRESSURE_AT", "0.6")
    from_env = batch_pacer("CONSUMER_BATCH_INTERVAL", 0.0)
    assert (from_env.busy_from, from_env.busy_at) == (0.5, 0.6)


def psi_file(path, total_us):
    path.write_text(
        f"some avg10=1.00 avg60=1.00 avg300=1.00 total={total_us}\n"
        "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    )


def test_cpu_pressure_is_the_stalled_share_of_wall_time_between_readings(tmp_path):
    psi = tmp_path / "cpu"
    psi_file(psi, 1_000_000)
    now = [100.0]
    pressure = CpuPressure((tmp_path / "absent", psi), every=0.25, clock=lambda: now[0])

    assert pressure() is None  # one reading so far: no period to speak of
    psi_file(psi, 1_400_000)  # 0.4 s of stall ...
    now[0] = 100.5  # ... in 0.5 s of wall time
    assert pressure() == pytest.approx(0.8)
    psi_file(psi, 1_500_000)
    now[0] = 100.6  # sooner than `every`: the last value, the file not read
    assert pressure() == pytest.approx(0.8)


def test_without_psi_there_is_no_pressure_and_the_quiet_interval_holds(tmp_path):
    pressure = CpuPressure((tmp_path / "absent",))
    pacer = BatchPacer(0.01, busy_interval=0.03, pressure=pressure)

    assert pressure() is None
    assert pacer.interval() == 0.01


def test_backoff_doubles_up_to_its_cap_and_starts_over_after_reset():
    backoff = Backoff(initial=0.5, maximum=2.0, jitter=0.0)

    delays = [backoff.next_delay() for _ in range(5)]
    backoff.reset()

    assert delays == [0.5, 1.0, 2.0, 2.0, 2.0]
    assert backoff.next_delay() == 0.5


def test_backoff_jitter_only_shortens_the_delay():
    backoff = Backoff(initial=1.0, maximum=1.0, jitter=0.2)

    delays = [backoff.next_delay() for _ in range(50)]

    assert all(0.8 <= delay <= 1.0 for delay in delays)


@pytest.mark.parametrize(
    ("headers", "failures"),
    [
        (None, 0),
        ({}, 0),
        ({"x-pedidos-attempts": 0}, 0),
        ({"x-pedidos-attempts": 2}, 2),
        ({"x-pedidos-attempts": "junk"}, 0),
        ({"x-pedidos-attempts": -4}, 0),
        # The broker's count of returns is not a handler failure: a crash is not a failure.
        ({"x-delivery-count": 4}, 0),
    ],
)
def test_failed_attempts_are_our_own_count_not_the_brokers_deliveries(headers, failures):
    assert failed_attempts(pika.BasicProperties(headers=headers)) == failures


def test_a_copy_keeps_the_message_identity_and_drops_the_brokers_delivery_headers():
    original = pika.BasicProperties(
        content_type="application/json",
        message_id="m-1",
        type="order.created",
        correlation_id="c-1",
        timestamp=1700000000,
        headers={"x-request-id": "r-1", "x-delivery-count": 3, "x-death": [{}],
                 "x-pedidos-attempts": 1},
    )  # fmt: skip

    copy = copy_properties(original, {"x-pedidos-attempts": 2})

    assert (copy.message_id, copy.type, copy.correlation_id, copy.timestamp) == (
        "m-1", "order.created", "c-1", 1700000000)  # fmt: skip
    assert copy.delivery_mode == 2
    assert copy.headers == {"x-request-id": "r-1", "x-pedidos-attempts": 2}


def test_an_outbox_row_becomes_a_message_with_its_id_type_routing_key_and_headers():
    row = SimpleNamespace(
        id="6f1c1c8e-52a4-4c55-9d0f-9f35c2b1f5aa",
        event_type="order.created",
        routing_key="order.created",
        payload={"id": "6f1c1c8e-52a4-4c55-9d0f-9f35c2b1f5aa", "correlation_id": "c-1", "data": {}},
        headers={"x-request-id": "r-1"},
    )

    message = outgoing_message(row)

    assert json.loads(message.body) == row.payload
    assert message.message_id == row.id
    assert message.event_type == "order.created"
    assert message.routing_key == "order.created"
    assert message.correlation_id == "c-1"
    assert message.headers == {"x-request-id": "r-1"}


def test_every_message_is_persistent_json_with_its_ids():
    message = OutgoingMessage(
        routing_key="order.created",
        body=b"{}",
        message_id="m-1",
        event_type="order.created",
        correlation_id="c-1",
        headers={"x-request-id": "r-1"},
    )

    properties = message_properties(message)

    assert properties.delivery_mode == 2
    assert properties.content_type == "application/json"
    assert (properties.message_id, properties.type) == ("m-1", "order.created")
    assert properties.correlation_id == "c-1"
    assert properties.headers == {"x-request-id": "r-1"}


def test_batch_result_lists_what_was_neither_confirmed_nor_rejected():
    result = BatchResult(size=4, confirmed=[0, 2], rejected={3: pika.exceptions.NackError([])})

    assert result.unconfirmed == [1]


def test_stop_signal_wakes_a_waiting_worker_at_once():
    stop = StopSignal()
    threading.Timer(0.1, stop.set).start()
    started = time.monotonic()

    stop.wait(10)

    assert stop.is_set()
    assert time.monotonic() - started < 2
    stop.close()
