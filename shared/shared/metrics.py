"""Prometheus metrics of an HTTP service: `GET /metrics` (SPEC §5).

Every service built by `create_service_app` counts its requests and times them by route
template (`/api/v1/orders/<uuid:order_id>`, never the raw path: one series per route, not per
order) and status, and publishes its /ready backlogs (outbox, notifications, stuck orders,
dead letters) as gauges read at scrape time.

Under gunicorn each worker is a process: with `PROMETHEUS_MULTIPROC_DIR` set (deploy/
gunicorn.conf.py sets it) every worker writes its counters there and /metrics adds them up
(prometheus_client's multiprocess mode), so a scrape sees the whole service whichever worker
answers it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "pedidos_http_requests",
    "HTTP requests answered, by service, method, route template and status.",
    ["service", "method", "route", "status"],
)
LATENCY = Histogram(
    "pedidos_http_request_duration_seconds",
    "Time to answer an HTTP request, by service, method and route template.",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
NOT_TIMED = frozenset({"/metrics"})

# The queue workers' series (served by `serve_worker_metrics` on METRICS_PORT).
CONSUMED = Counter(
    "pedidos_consumer_messages",
    "Messages a consumer settled, by queue, event type and outcome "
    "(processed, duplicate, ignored, malformed, failed, renewed, dead_lettered).",
    ["queue", "type", "outcome"],
)
BATCH_SECONDS = Histogram(
    "pedidos_consumer_batch_duration_seconds",
    "Time to handle and commit one batch of deliveries, by queue.",
    ["queue"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
PUBLISHED = Counter(
    "pedidos_outbox_published",
    "Outbox events confirmed by RabbitMQ, by relay.",
    ["relay"],
)

BacklogReport = Callable[[], Mapping[str, Any]]


class BacklogCollector(Collector):
    """The service's /ready backlogs as gauges: pedidos_backlog{backlog, field} = value."""

    def __init__(self, service: str, backlogs: Mapping[str, BacklogReport]) -> None:
        self.service = service
        self.backlogs = backlogs

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "pedidos_backlog",
            "What waits in a service (outbox events, notifications, stuck orders, dead letters).",
            labels=["service", "backlog", "field"],
        )
        for name, report in self.backlogs.items():
            try:
                values = report()
            except Exception:  # a backlog that cannot be read is left out of this scrape
                continue
            for field, value in _numbers(values):
                family.add_metric([self.service, name, field], value)
        yield family


def _numbers(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, float]]:
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            yield name, float(value)
        elif isinstance(value, Mapping):
            yield from _numbers(value, f"{name}.")


def _registry(extra: Collector) -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Everything())
    registry.register(extra)
    return registry


class _Everything(Collector):
    """The process's own registry, when not under gunicorn's multiprocess mode."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def count_request(
    service: str, method: str, route: str, status: int, started: float | None
) -> None:
    """Count one answered request and time it from `started` (time.perf_counter())."""
    if route in NOT_TIMED:
        return
    REQUESTS.labels(service, method, route, str(status)).inc()
    if started is not None:
        LATENCY.labels(service, method, route).observe(time.perf_counter() - started)


def init_metrics(app: Flask, service: str, backlogs: Mapping[str, BacklogReport]) -> None:
    """Count and time every request, and serve /metrics (no token: scraped from inside)."""
    backlog_collector = BacklogCollector(service, backlogs)

    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        count_request(
            service, request.method, route, response.status_code, g.get("metrics_started")
        )
        return response

    def metrics() -> Response:
        return Response(generate_latest(_registry(backlog_collector)), mimetype=CONTENT_TYPE_LATEST)

    metrics._public = True  # type: ignore[attr-defined]  # shared.auth: no token needed
    app.add_url_rule("/metrics", "metrics", metrics)


def serve_worker_metrics() -> int | None:
    """Serve this worker's /metrics on METRICS_PORT (127.0.0.1, or METRICS_ADDR) if set."""
    from prometheus_client import start_http_server

    port = os.environ.get("METRICS_PORT")
    if not port:
        return None
    start_http_server(int(port), addr=os.environ.get("METRICS_ADDR", "127.0.0.1"))
    return int(port)
