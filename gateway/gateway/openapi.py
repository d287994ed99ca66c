"""One OpenAPI document for the whole API, merged from each service's own, and its Swagger UI.

Every service (flask-smorest) serves its document at /api/openapi.json. The gateway merges
them with its own, keeps only the paths it really routes to each service, renames components
that clash, and caches the result briefly. A service that does not answer is left out and
named in `x-unavailable-services`; the document is still served.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import requests
from flask import Blueprint, Flask, Response, g
from flask_swagger_ui import get_swaggerui_blueprint

from gateway.routing import service_for
from gateway.upstreams import Upstreams

log = logging.getLogger("pedidos.gateway")

OPENAPI_PATH = "/api/openapi.json"
DOCS_PATH = "/api/docs"
GATEWAY = "gateway"
OPERATIONS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
# A document missing a service is kept only briefly, so the docs recover soon after it does.
PARTIAL_CACHE_SECONDS = 5.0

_COMPONENT_REF = re.compile(r"^#/components/([^/]+)/([^/]+)$")

Renames = Mapping[tuple[str, str], str]


def _renamed_ref(ref: str, renames: Renames) -> str:
    match = _COMPONENT_REF.match(ref)
    if match and (match[1], match[2]) in renames:
        return f"#/components/{match[1]}/{renames[(match[1], match[2])]}"
    return ref


def _rewrite(node: Any, renames: Renames) -> Any:
    """A copy of `node` whose references to components follow `renames`."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _renamed_ref(value, renames)
            elif key == "mapping" and isinstance(value, dict):  # discriminator mappings
                out[key] = {
                    k: _renamed_ref(v, renames) if isinstance(v, str) else _rewrite(v, renames)
                    for k, v in value.items()
                }
            elif key == "security" and isinstance(value, list):  # schemes are named, not $ref'd
                out[key] = [
                    {renames.get(("securitySchemes", n), n): s for n, s in requirement.items()}
                    if isinstance(requirement, dict)
                    else requirement
                    for requirement in value
                ]
            else:
                out[key] = _rewrite(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite(item, renames) for item in node]
    return node


def _clashing_components(
    source: str, components: Mapping[str, Any], merged: Mapping[str, dict[str, Any]]
) -> dict[tuple[str, str], str]:
    """Components of `source` named like a different merged one, mapped to prefixed names."""
    renames: dict[tuple[str, str], str] = {}
    # Renaming one component changes the components that refer to it: repeat until stable.
    while True:
        found: dict[tuple[str, str], str] = {}
        for section, items in _rewrite(components, renames).items():
            if not isinstance(items, dict):
                continue
            existing = merged.get(section, {})
            for name, definition in items.items():
                if (section, name) in renames or name not in existing:
                    continue
                if existing[name] != definition:
                    found[(section, name)] = f"{source}_{name}"
        if not found:
            return renames
        renames.update(found)


def merge_documents(
    sources: Sequence[tuple[str, Mapping[str, Any]]], *, unavailable: Sequence[str] = ()
) -> dict[str, Any]:
    """Merge (source name, document) pairs into one; the gateway's own comes first."""
    paths: dict[str, Any] = {}
    components: dict[str, dict[str, Any]] = {}
    tags: dict[str, Any] = {}
    operation_ids: set[str] = set()
    security: list[Any] | None = None
    openapi_version = "3.0.3"
    for index, (source, original) in enumerate(sources):
        renames = _clashing_components(source, original.get("components") or {}, components)
        document = _rewrite(original, renames)
        own_security = document.get("security") or []
        if index == 0:
            security = own_security
            openapi_version = document.get("openapi", openapi_version)
        for path, item in (document.get("paths") or {}).items():
            # Only what the gateway routes to this source is reachable through it.
            if path in paths or (source != GATEWAY and service_for(path) != source):
                continue
            for method, operation in item.items():
                if method not in OPERATIONS or not isinstance(operation, dict):
                    continue
                if own_security != security:
                    # The merged top-level security is the first source's; keep this one's.
                    operation.setdefault("security", own_security)
                operation_id = operation.get("operationId")
                if operation_id in operation_ids:
                    operation["operationId"] = operation_id = f"{source}_{operation_id}"
                if operation_id:
                    operation_ids.add(operation_id)
            paths[path] = item
        for section, items in (document.get("components") or {}).items():
            if isinstance(items, dict):
                merged_section = components.setdefault(section, {})
                for name, definition in items.items():
                    merged_section.setdefault(renames.get((section, name), name), definition)
        for tag in document.get("tags") or []:
            if isinstance(tag, dict) and "name" in tag:
                tags.setdefault(tag["name"], tag)

    names = ", ".join(source for source, _ in sources[1:]) or "nenhum"
    description = (
        "API pública do Pedidos, servida pelo gateway em /api/v1. "
        f"Documento combinado dos serviços: {names}."
    )
    merged: dict[str, Any] = {
        "openapi": openapi_version,
        "info": {"title": "Pedidos API", "version": "v1", "description": description},
        "paths": paths,
        "components": components,
        "tags": list(tags.values()),
        "security": security or [],
    }
    if unavailable:
        merged["info"]["description"] += (
            f"\n\n**Indisponíveis agora:** {', '.join(unavailable)} — "
            "seus caminhos foram omitidos deste documento."
        )
        merged["x-unavailable-services"] = list(unavailable)
    return merged


def public_document(document: dict[str, Any]) -> dict[str, Any]:
    """The gateway's own document, whose routes (health, readiness) all need no token."""
    for item in (document.get("paths") or {}).values():
        for method, operation in item.items():
            if method in OPERATIONS and isinstance(operation, dict):
                operation.setdefault("security", [])
    return document


def fetch_document(upstreams: Upstreams, service: str, request_id: str | None) -> dict | None:
    """A service's OpenAPI document, or None when it does not give a usable one."""
    try:
        response = upstreams.probe(service, OPENAPI_PATH, request_id=request_id)
        document = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError) as exc:
        log.warning("openapi unavailable", extra={"service": service, "error": repr(exc)})
        return None
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        log.warning("openapi unusable", extra={"service": service, "status": response.status_code})
        return None
    return document


class MergedOpenApi:
    """The merged document as JSON bytes, rebuilt at most once per cache period."""

    def __init__(
        self,
        *,
        upstreams: Upstreams,
        own_document: Callable[[], dict[str, Any]],
        cache_seconds: float,
    ) -> None:
        self._upstreams = upstreams
        self._own_document = own_document
        self._cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._body: bytes | None = None
        self._expires_at = 0.0

    def body(self, request_id: str | None) -> bytes:
        """The cached document, or a fresh one when it has expired."""
        # One rebuild at a time: the others wait for it instead of asking every service too.
        with self._lock:
            if self._body is None or time.monotonic() >= self._expires_at:
                document = self.build(request_id)
                self._body = json.dumps(document, ensure_ascii=False).encode()
                ttl = self._cache_seconds
                if "x-unavailable-services" in document:
                    ttl = min(ttl, PARTIAL_CACHE_SECONDS)
                self._expires_at = time.monotonic() + ttl
            return self._body

    def build(self, request_id: str | None) -> dict[str, Any]:
        """Fetch every service's document concurrently and merge them with the gateway's."""
        services = list(self._upstreams.urls)
        documents = self._upstreams.executor.map(
            lambda service: fetch_document(self._upstreams, service, request_id), services
        )
        sources: list[tuple[str, Mapping[str, Any]]] = [(GATEWAY, self._own_document())]
        unavailable: list[str] = []
        for service, document in zip(services, documents, strict=True):
            if document is None:
                unavailable.append(service)
            else:
                sources.append((service, document))
        return merge_documents(sources, unavailable=unavailable)


def register_docs(app: Flask, document: MergedOpenApi) -> None:
    """GET /api/openapi.json (merged) and Swagger UI at /api/docs from the bundled assets."""
    blp = Blueprint("gateway_docs", __name__)

    @blp.route(OPENAPI_PATH)
    def openapi_json() -> Response:
        """The OpenAPI document of the whole API."""
        return Response(document.body(g.request_id), mimetype="application/json")

    app.register_blueprint(blp)
    swagger = get_swaggerui_blueprint(
        DOCS_PATH,
        OPENAPI_PATH,
        config={"app_name": "Pedidos API", "displayRequestDuration": True},
    )
    app.register_blueprint(swagger)
    # Serve /api/docs itself too, rather than redirecting to /api/docs/.
    app.add_url_rule(DOCS_PATH, "swagger_ui_index", app.view_functions["swagger_ui.show"])
