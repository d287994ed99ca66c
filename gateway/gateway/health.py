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
    return {"ready": ready, "checks": data["checks"]}


def health_blueprint(upstreams: Upstreams) -> ApiBlueprint:
    """GET /api/v1/health, documented in the merged OpenAPI document."""
    blp = ApiBlueprint(
        "gateway_health", __name__, description="Readiness of the whole API, seen from the gateway."
    )

    @blp.route("/api/v1/health")
    @blp.doc(security=[])
    def health():
        """The gateway answers and every service is ready (503 names those that are not)."""
        request_id = g.request_id
        services = list(upstreams.urls)
        # Concurrently, so the answer takes one probe timeout at most, not one per service.
        results = upstreams.executor.map(
            lambda service: service_readiness(upstreams, service, request_id), services
        )
        report = dict(zip(services, results, strict=True))
        data = {"gateway": "ok", "services": report}
        failing = [name for name, result in report.items() if not result["ready"]]
        if failing:
            message = NOT_READY.format(services=", ".join(failing))
            return error_response(503, message, code="service_unavailable", data=data)
        return {"status": "success", "message": localize(ALL_READY), "data": data}

    return blp
