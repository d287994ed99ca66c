"""Every route is described in the OpenAPI document, with its rules and examples."""

from __future__ import annotations

ROUTES = {
    ("/api/v1/clients", "get"),
    ("/api/v1/clients", "post"),
    ("/api/v1/clients/{client_id}", "get"),
    ("/api/v1/clients/{client_id}", "put"),
    ("/api/v1/clients/{client_id}", "delete"),
    ("/api/v1/clients/{client_id}/orders", "get"),
    ("/api/v1/orders", "get"),
    ("/api/v1/orders", "post"),
    ("/api/v1/orders/{order_id}", "get"),
    ("/api/v1/orders/{order_id}", "put"),
    ("/api/v1/orders/{order_id}", "delete"),
    ("/api/v1/orders/{order_id}/items", "get"),
    ("/api/v1/orders/{order_id}/items", "post"),
    ("/api/v1/orders/{order_id}/items/{item_id}", "delete"),
    ("/api/v1/orders/{order_id}/items/{item_id}", "patch"),
    ("/api/v1/suppliers/{supplier_id}/orders", "get"),
    ("/api/v1/orders/reports/period", "get"),
    ("/api/v1/orders/reports/performance", "get"),
    ("/api/v1/orders/status", "put"),
    ("/api/v1/orders/auto/low-stock", "post"),
    ("/api/v1/orders/import", "post"),
    ("/api/v1/orders/import/template.csv", "get"),
    ("/api/v1/orders/imports", "get"),
    ("/api/v1/orders/imports/{import_id}", "get"),
    ("/api/v1/orders/imports/{import_id}/failed-lines.csv", "get"),
    ("/api/v1/notifications", "get"),
    ("/api/v1/notifications/{notification_id}/retry", "post"),
    ("/api/v1/notifications/whatsapp/webhook", "get"),
    ("/api/v1/notifications/whatsapp/webhook", "post"),
}


def test_every_route_has_a_summary_rules_and_examples(client):
    spec = client.get("/api/openapi.json").json
    found = {
        (path, method)
        for path, operations in spec["paths"].items()
        for method in operations
        if path.startswith("/api/v1/") and method != "parameters"
    }

    assert found == ROUTES
    for path, method in ROUTES:
        operation = spec["paths"][path][method]
        assert operation["summary"], (path, method)
        assert len(operation["description"]) > 80, (path, method)
        responses = operation["responses"]
        success = next(code for code in ("200", "201") if code in responses)
        # A download (text/csv) shows its example under its own type.
        content = responses[success]["content"]
        assert any("example" in body for body in content.values()), (path, method)
        for code, response in responses.items():
            if code.startswith(("4", "5")) and code not in {"401", "422"}:
                assert "example" in response["content"]["application/json"], (path, code)
        body = operation.get("requestBody")
        if body:
            assert "example" in body["content"]["application/json"], (path, method)


def test_the_idempotency_key_header_is_documented(client):
    spec = client.get("/api/openapi.json").json

    parameters = spec["paths"]["/api/v1/orders"]["post"]["parameters"]

    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in parameters)
