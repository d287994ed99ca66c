"""One OpenAPI document for the whole API, and Swagger UI from the bundled assets."""

import copy

import requests

from gateway.openapi import merge_documents

BEARER = {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
ERROR = {"type": "object", "properties": {"code": {"type": "string"}}}


def service_document(paths: dict, schemas: dict | None = None) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "a service", "version": "v1"},
        "paths": paths,
        "components": {"schemas": schemas or {}, "securitySchemes": BEARER},
        "security": [{"bearerAuth": []}],
        "tags": [{"name": "things"}],
    }


def operation(schema: str) -> dict:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    return {"get": {"responses": {"200": {"description": "ok", "content": content}}}}


GATEWAY_DOCUMENT = service_document(
    {"/api/v1/health": {"get": {"responses": {"200": {"description": "ok"}}, "security": []}}},
    {"ErrorEnvelope": ERROR},
)
ORDER_DOCUMENT = service_document(
    {
        "/api/v1/orders": operation("Item"),
        "/api/v1/suppliers/{supplier_id}/orders": operation("Item"),
        "/health": {"get": {"responses": {"200": {"description": "ok"}}}},
    },
    {
        "Item": {"type": "object", "properties": {"order_id": {"type": "string"}}},
        "ItemPage": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        "ErrorEnvelope": ERROR,
    },
)
STOCK_DOCUMENT = service_document(
    {
        "/api/v1/products": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ItemPage"}
                            }
                        },
                    }
                }
            }
        },
        # Not routed to the stock service by the gateway: must not appear as stock's.
        "/api/v1/orders/ghost": operation("Item"),
    },
    {
        "Item": {"type": "object", "properties": {"sku": {"type": "string"}}},
        "ItemPage": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        "ErrorEnvelope": ERROR,
    },
)


def test_paths_are_merged_and_kept_only_where_the_gateway_routes_them():
    merged = merge_documents(
        [
            ("gateway", GATEWAY_DOCUMENT),
            ("order_service", ORDER_DOCUMENT),
            ("stock_service", STOCK_DOCUMENT),
        ]
    )

    assert list(merged["paths"]) == [
        "/api/v1/health",
        "/api/v1/orders",
        "/api/v1/suppliers/{supplier_id}/orders",
        "/api/v1/products",
    ]
    assert "x-unavailable-services" not in merged


def test_identical_components_are_kept_once_and_clashing_ones_are_prefixed():
    merged = merge_documents(
        [
            ("gateway", GATEWAY_DOCUMENT),
            ("order_service", ORDER_DOCUMENT),
            ("stock_service", STOCK_DOCUMENT),
        ]
    )

    schemas = merged["components"]["schemas"]
    assert set(schemas) == {
        "ErrorEnvelope",
        "Item",
        "ItemPage",
        "stock_service_Item",
        "stock_service_ItemPage",  # it refers to a renamed schema, so it differs too
    }
    assert schemas["Item"]["properties"] == {"order_id": {"type": "string"}}
    assert schemas["stock_service_Item"]["properties"] == {"sku": {"type": "string"}}
    assert schemas["stock_service_ItemPage"]["items"] == {
        "$ref": "#/components/schemas/stock_service_Item"
    }
    products = merged["paths"]["/api/v1/products"]["get"]["responses"]["200"]
    assert products["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/stock_service_ItemPage"
    }
    assert merged["components"]["securitySchemes"] == BEARER
    assert merged["security"] == [{"bearerAuth": []}]


def test_merging_leaves_the_source_documents_untouched():
    before = copy.deepcopy(STOCK_DOCUMENT)

    merge_documents([("order_service", ORDER_DOCUMENT), ("stock_service", STOCK_DOCUMENT)])

    assert STOCK_DOCUMENT == before


def test_a_service_without_top_level_security_keeps_its_operations_public():
    public_service = service_document({"/api/v1/auth/login": operation("Item")})
    del public_service["security"]

    merged = merge_documents([("gateway", GATEWAY_DOCUMENT), ("auth_service", public_service)])

    assert merged["paths"]["/api/v1/auth/login"]["get"]["security"] == []


def test_unavailable_services_are_named():
    merged = merge_documents([("gateway", GATEWAY_DOCUMENT)], unavailable=["stock_service"])

    assert merged["x-unavailable-services"] == ["stock_service"]
    assert "stock_service" in merged["info"]["description"]


def test_the_gateway_serves_one_document_from_two_services_and_its_own(gateway, services):
    services["order_service"].openapi = ORDER_DOCUMENT
    services["stock_service"].openapi = STOCK_DOCUMENT
    services["auth_service"].openapi = service_document({"/api/v1/auth/login": operation("Item")})

    response = requests.get(f"{gateway.url}/api/openapi.json", timeout=5)

    document = response.json()
    assert response.status_code == 200
    assert "/api/v1/orders" in document["paths"]
    assert "/api/v1/products" in document["paths"]
    assert "/api/v1/auth/login" in document["paths"]
    assert "/api/v1/health" in document["paths"]  # the gateway's own
    assert document["paths"]["/api/v1/health"]["get"]["security"] == []
    assert document["paths"]["/ready"]["get"]["security"] == []  # the gateway's own readiness
    assert "x-unavailable-services" not in document


def test_the_document_survives_a_service_being_down(start_gateway, services, unused_port):
    services["order_service"].openapi = ORDER_DOCUMENT
    services["stock_service"].openapi = STOCK_DOCUMENT
    gateway = start_gateway(auth_service_url=f"http://127.0.0.1:{unused_port}")

    response = requests.get(f"{gateway.url}/api/openapi.json", timeout=5)

    document = response.json()
    assert response.status_code == 200
    assert "/api/v1/orders" in document["paths"]
    assert "/api/v1/products" in document["paths"]
    assert document["x-unavailable-services"] == ["auth_service"]
    assert "auth_service" in document["info"]["description"]


def test_a_service_without_a_document_is_reported_not_fatal(gateway, services):
    services["order_service"].openapi = ORDER_DOCUMENT  # the others answer 404

    document = requests.get(f"{gateway.url}/api/openapi.json", timeout=5).json()

    assert "/api/v1/orders" in document["paths"]
    assert document["x-unavailable-services"] == ["auth_service", "stock_service"]


def test_the_merged_document_is_cached(gateway, services):
    for upstream in services.values():
        upstream.openapi = service_document({})

    first = requests.get(f"{gateway.url}/api/openapi.json", timeout=5)
    second = requests.get(f"{gateway.url}/api/openapi.json", timeout=5)

    assert first.content == second.content
    assert [upstream.openapi_fetches for upstream in services.values()] == [1, 1, 1]


def test_swagger_ui_is_served_from_local_assets(gateway):
    page = requests.get(f"{gateway.url}/api/docs", timeout=5)
    script = requests.get(f"{gateway.url}/api/docs/swagger-ui-bundle.js", timeout=5)

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert 'src="/api/docs/swagger-ui-bundle.js"' in page.text
    assert 'href="/api/docs/swagger-ui.css"' in page.text
    assert '"url": "/api/openapi.json"' in page.text
    assert "unpkg" not in page.text and "cdn" not in page.text.lower()
    assert script.status_code == 200
    assert len(script.content) > 100_000
    assert requests.get(f"{gateway.url}/api/docs/", timeout=5).status_code == 200
