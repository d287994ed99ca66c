"""/metrics: requests by route template and status, backlogs as gauges (one process)."""

from __future__ import annotations

from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from shared.metrics import init_metrics


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_requests_are_counted_by_route_template_and_backlogs_are_gauges():
    app = Flask(__name__)
    init_metrics(app, "test_service", {"outbox": lambda: {"waiting": 3, "capped": False}})

    @app.get("/things/<int:thing_id>")
    def thing(thing_id: int):
        return {"id": thing_id}, 200 if thing_id else 404

    client = app.test_client()
    before = samples(client.get("/metrics").get_data(as_text=True))
    for thing_id in (1, 2, 0):
        client.get(f"/things/{thing_id}")
    after = samples(client.get("/metrics").get_data(as_text=True))

    def count(status: str, seen: dict) -> float:
        labels = (("method", "GET"), ("route", "/things/<int:thing_id>"),
                  ("service", "test_service"), ("status", status))  # fmt: skip
        return seen.get(("pedidos_http_requests_total", labels), 0.0)

    assert count("200", after) - count("200", before) == 2  # one series for every id
    assert count("404", after) - count("404", before) == 1
    gauge = (("backlog", "outbox"), ("field", "waiting"), ("service", "test_service"))
    assert after[("pedidos_backlog", gauge)] == 3
    assert not any(name == "pedidos_http_requests_total" and ("route", "/metrics") in labels
                   for name, labels in after)  # fmt: skip
