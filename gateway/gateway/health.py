"""GET /api/v1/health: the gateway and the readiness of every service behind it."""

from __future__ import annotations

from typing import Any

import requests
from flask import g

from gateway.upstreams import Upstreams
from shared.api import ApiBlueprint
from shared.errors import error_response
from shared.i18n import Text, localize

ALL_READY = Text("Todos os serviços estão prontos.", "Every service is ready.")
READY_WITH_WARNINGS = Text(
    "Todos os serviços estão prontos, com avisos: {warnings}",
    "Every service is ready, with warnings: {warnings}",
)
OUTBOX_LAGGING = Text(
    "{service}: {waiting} evento(s) aguardando publicação, o mais antigo há {age} s"
    " (o relay alcança o RabbitMQ?). Os pedidos continuam sendo aceitos e nada se perde.",
    "{service}: {waiting} event(s) waiting to be published, the oldest for {age} s"
    " (can the relay reach RabbitMQ?). Orders are still accepted and nothing is lost.",
)
ORDERS_STUCK = Text(
    "{service}: {count} pedido(s) aguardando o estoque há mais de {seconds} s, o mais antigo"
    " há {oldest} s (o consumidor de estoque está rodando? a mensagem está numa DLQ?)."
    " docs/operations.md diz o que fazer.",
    "{service}: {count} order(s) awaiting the stock service for over {seconds} s, the oldest"
    " for {oldest} s (is the stock consumer running? is the message in a DLQ?)."
    " docs/operations.md says what to do.",
)
DEAD_LETTERS = Text(
    "{service}: {count} mensagem(ns) em filas de mensagens mortas ({queues}):"
    " `make dlq` lista cada uma com o motivo.",
    "{service}: {count} message(s) in dead-letter queues ({queues}):"
    " `make dlq` lists each with its reason.",
)
NOT_READY = Text("Serviços indisponíveis: {services}.", "Services unavailable: {services}.")


def service_readiness(upstreams: Upstreams, service: str, request_id: str | None) -> dict[str, Any]:
    """Ask one service's /ready; a failure to answer is reported, never raised."""
    try:
        response = upstreams.probe(service, "/ready", request_id=request_id)
    except requests.Timeout:
        return {"ready": False, "error": "timeout"}
    except requests.ConnectionError:
        return {"ready": False, "error": "unreachable"}
    except requests.RequestException as exc:
        return {"ready": False, "error": type(exc).__name__}
    try:
        data = response.json().get("data") or {}
    except (ValueError, AttributeError):
        data = {}
    if not isinstance(data, dict) or "checks" not in data:
        return {"ready": False, "error": f"unexpected answer (HTTP {response.status_code})"}
    ready = response.status_code == 200 and data.get("ready") is True
    result = {"ready": ready, "checks": data["checks"]}
    if isinstance(data.get("backlog"), dict):
        result["backlog"] = data["backlog"]
    return result


def backlog_warnings(report: dict[str, dict[str, Any]], threshold: float) -> list[Text]:
    """What an operator must look at, per service: an outbox whose oldest event has waited
    `threshold` s or more, orders stuck awaiting the stock service, dead-lettered messages.
    Each has its procedure in docs/operations.md."""
    warnings = []
    for service, result in report.items():
        backlog = result.get("backlog") or {}
        outbox = backlog.get("outbox") or {}
        age = outbox.get("oldest_age_seconds")
        if isinstance(age, int | float) and age >= threshold:
            waiting = f"{outbox.get('waiting', 0)}{'+' if outbox.get('waiting_capped') else ''}"
            warnings.append(OUTBOX_LAGGING.format(service=service, waiting=waiting, age=round(age)))
        stuck = backlog.get("stuck_orders") or {}
        if isinstance(stuck.get("count"), int) and stuck["count"] > 0:
            warnings.append(
                ORDERS_STUCK.format(
                    service=service,
                    count=stuck["count"],
                    seconds=stuck.get("awaiting_stock_over_seconds"),
                    oldest=stuck.get("oldest_seconds"),
                )
            )
        letters = backlog.get("dead_letters") or {}
        if isinstance(letters.get("messages"), int) and letters["messages"] > 0:
            queues = ", ".join(q for q, n in (letters.get("queues") or {}).items() if n)
            warnings.append(
                DEAD_LETTERS.format(service=service, count=letters["messages"], queues=queues)
            )
    return warnings


def health_blueprint(upstreams: Upstreams, *, outbox_lag_warning_seconds: float) -> ApiBlueprint:
    """GET /api/v1/health, documented in the merged OpenAPI document."""
    blp = ApiBlueprint(
        "gateway_health", __name__, description="Readiness of the whole API, seen from the gateway."
    )

    @blp.route("/api/v1/health")
    @blp.doc(security=[])
    def health():
        """The gateway answers and every service is ready (503 names those that are not).

        Services with an outbox also report their unpublished events (`backlog.outbox`:
        how many, how old the oldest is). When the oldest has waited OUTBOX_LAG_WARNING_SECONDS
        (30 s) or more, the answer stays 200 and `warnings` says which service: its relay
        cannot publish (RabbitMQ unreachable?). Orders are still accepted and kept. Also a
        warning, never a failure: orders awaiting the stock service past STUCK_ORDER_SECONDS
        (`backlog.stuck_orders`) and messages in a dead-letter queue (`backlog.dead_letters`).
        """
        request_id = g.request_id
        services = list(upstreams.urls)
        # Concurrently, so the answer takes one probe timeout at most, not one per service.
        results = upstreams.executor.map(
            lambda service: service_readiness(upstreams, service, request_id), services
        )
        report = dict(zip(services, results, strict=True))
        data: dict[str, Any] = {"gateway": "ok", "services": report}
        warnings = backlog_warnings(report, outbox_lag_warning_seconds)
        if warnings:
            data["warnings"] = [localize(warning) for warning in warnings]
        failing = [name for name, result in report.items() if not result["ready"]]
        if failing:
            message = NOT_READY.format(services=", ".join(failing))
            return error_response(503, message, code="service_unavailable", data=data)
        if warnings:
            message = READY_WITH_WARNINGS.format(warnings=" ".join(data["warnings"]))
            return {"status": "success", "message": localize(message), "data": data}
        return {"status": "success", "message": localize(ALL_READY), "data": data}

    return blp
