"""The bench's table, from a real run's details: every figure the issue asks for, and each
target judged on the right side of its threshold. Pure logic, no servers."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bench.report import percentile, render
from bench.resources import HostCpu
from bench.rows import table

RUN = Path(__file__).resolve().parents[1] / "bench" / "results" / "20261128T194029Z.json"


@pytest.fixture
def details() -> dict:
    return copy.deepcopy(json.loads(RUN.read_text())["details"])


def row(rows, start: str):
    (found,) = [r for r in rows if r.figure.startswith(start)]
    return found


def test_a_full_run_has_a_row_for_every_figure_the_issue_lists(details):
    rows = table(details)

    parts = {r.part for r in rows}
    assert parts == {"1", "2", "3", "4", "5", "6", "7"}
    figures = " | ".join(r.figure for r in rows)
    for expected in (
        "Intake through the gateway",
        "Gateway rate vs straight to the order service",
        "wrk's own CPU",
        "Saga: 201 → reserved visible, p50",
        "Saga: 201 → reserved visible, p99",
        "Stock consumer on 20,000 queued order.created",
        "one product with 500: reserved",
        "Contended throughput",
        "GET /orders status at 1M orders",
        "GET /orders deep page (1000) at 1M orders",
        "GET /orders/{id} at 1M orders",
        "Peak RSS, stock_consumer",
        "CPU per order, all our processes",
        "Host CPU stolen by the hypervisor, intake window",
    ):
        assert expected in figures, expected
    # Every row with a target has a reference from the same run and a ratio.
    for r in rows:
        if r.met is not None and r.part != "6":
            assert r.reference != "—" and r.ratio is not None, r.figure
    assert "| met |" in render(rows).splitlines()[0]


@pytest.mark.parametrize(("rate", "met"), [(179.0, False), (180.0, True)])
def test_intake_is_judged_against_18_percent_of_pgbench(details, rate, met):
    details["pgbench"]["tps"] = 1000.0
    details["intake"]["gateway"]["rate"] = rate
    details["intake"]["direct"]["rate"] = rate

    assert row(table(details), "Intake through the gateway").met is met


def test_with_pgbench_run_on_both_sides_of_the_intake_the_reference_is_their_mean(details):
    details["pgbench"]["tps"] = 1200.0
    details["pgbench_after"] = {**details["pgbench"], "tps": 800.0}  # the machine slowed down
    details["intake"]["gateway"]["rate"] = 180.0

    intake = row(table(details), "Intake through the gateway")

    assert intake.reference == "pgbench, same txn: 1000/s (before 1200, after 800)"
    assert intake.ratio == pytest.approx(0.18)
    assert intake.met is True


@pytest.mark.parametrize(("p99", "met"), [(100.5, False), (100.0, True)])
def test_the_sagas_p99_at_half_the_rate_must_stay_within_100_ms(details, p99, met):
    details["saga"]["saga_ms"]["p99"] = p99

    assert row(table(details), "Saga: 201 → reserved visible, p99").met is met


@pytest.mark.parametrize(("cpu_s", "met"), [(6.01, False), (6.0, True)])
def test_our_cpu_an_order_must_stay_within_6_ms(details, cpu_s, met):
    window = details["intake"]["cpu_window"]
    window["orders_reserved"] = 1000
    window["cpu_s_by_process"] = {"orders": cpu_s, "pg:order_service": 9.0}

    assert row(table(details), "CPU per order, all our processes").met is met


@pytest.mark.parametrize(
    ("rate", "ack_only", "met"),
    [(1136.0, 9957.0, False), (900.0, 3000.0, False), (2600.0, 10000.0, True)],
)
def test_the_consumer_needs_1000_per_second_and_a_quarter_of_ack_only(details, rate, ack_only, met):
    details["consumer"]["stock_consumer"]["rate"] = rate
    details["consumer"]["ack_only"]["rate"] = ack_only

    assert row(table(details), "Stock consumer on").met is met


def test_the_contention_row_is_met_only_when_the_no_oversell_check_passed(details):
    assert row(table(details), "1,000 concurrent").met is True

    details["contention"]["passed"] = False

    assert row(table(details), "1,000 concurrent").met is False


def test_a_read_that_grows_more_than_half_from_100k_to_1m_misses(details):
    details["reads"]["1000000"]["queries"]["status"]["p95"] = 40.0
    details["reads"]["100000"]["queries"]["status"]["p95"] = 20.0

    assert row(table(details), "GET /orders status").met is False


def test_a_part_that_did_not_run_has_no_rows(details):
    del details["consumer"]

    assert not [r for r in table(details) if r.part == "3"]


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]

    assert (percentile(values, 50), percentile(values, 99), percentile([7.0], 99)) == (
        50.0,
        99.0,
        7.0,
    )


def test_host_shares_are_of_all_cpus_time_in_the_window():
    start = HostCpu(busy=1000, steal=10, total=2000)
    end = HostCpu(busy=1900, steal=60, total=3000)

    assert end.share_since(start) == {"busy": 0.9, "steal": 0.05}


def test_host_pressure_is_the_stalled_share_of_the_windows_wall_time():
    start = HostCpu(busy=1000, steal=10, total=2000, stall_us=5_000_000, at=100.0)
    end = HostCpu(busy=1900, steal=60, total=3000, stall_us=6_500_000, at=102.0)

    assert end.share_since(start)["pressure"] == 0.75


@pytest.mark.parametrize(("rate", "met"), [(999.0, False), (1000.0, True)])
def test_the_import_needs_1000_lines_per_second_beside_the_intake_rate(details, rate, met):
    details["imports"] = {
        "lines": 100_000,
        "orders": 10_000,
        "bytes": 9_000_000,
        "upload_s": 1.5,
        "seconds": 100_000 / rate,
        "lines_per_s": rate,
        "saga_drain_s": 12.0,
        "polls": 40,
    }

    found = row(table(details), "Import of 100,000 CSV lines")

    assert found.met is met
    assert found.reference.startswith("POST /orders, same run: ")
    assert found.ratio == pytest.approx(rate / details["intake"]["gateway"]["rate"])
