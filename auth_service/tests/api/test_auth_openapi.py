"""The OpenAPI document describes every route with its rules and examples."""

AUTH_ROUTES = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh-token"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/auth/me"),
    ("post", "/api/v1/auth/token"),
    ("get", "/api/v1/auth/.well-known/jwks.json"),
    ("get", "/api/v1/auth/users"),
    ("post", "/api/v1/auth/users"),
    ("get", "/api/v1/auth/users/{user_id}"),
    ("patch", "/api/v1/auth/users/{user_id}"),
    ("delete", "/api/v1/auth/users/{user_id}"),
}
PUBLIC = {
    "/api/v1/auth/register",
    "/api/v1/auth/login",
    "/api/v1/auth/refresh-token",
    "/api/v1/auth/token",
    "/api/v1/auth/.well-known/jwks.json",
}


def test_every_route_has_a_description_and_examples(client):
    spec = client.get("/api/openapi.json").json

    assert spec["info"]["title"] == "Pedidos — autenticação"
    documented = {
        (method, path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in {"get", "post", "patch", "delete"}
    }
    assert AUTH_ROUTES <= documented
    for method, path in AUTH_ROUTES:
        operation = spec["paths"][path][method]
        assert operation["summary"], (method, path)
        assert len(operation["description"]) > 60, (method, path)
        success = next(v for k, v in operation["responses"].items() if k.startswith("2"))
        assert success["content"]["application/json"]["example"], (method, path)
        if "requestBody" in operation:
            assert operation["requestBody"]["content"]["application/json"]["example"]
        assert (operation.get("security") == []) == (path in PUBLIC), (method, path)


def test_the_login_documents_429_with_retry_after(client):
    login = client.get("/api/openapi.json").json["paths"]["/api/v1/auth/login"]["post"]

    assert "Retry-After" in login["responses"]["429"]["headers"]
    assert login["responses"]["401"]["content"]["application/json"]["example"]["code"] == (
        "invalid_credentials"
    )
