"""The routing table and the public routes, without any server."""

import pytest

from gateway.routing import is_public, service_for


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/v1/auth/login", "auth_service"),
        ("/api/v1/auth/.well-known/jwks.json", "auth_service"),
        ("/api/v1/auth/users/42", "auth_service"),
        ("/api/v1/clients", "order_service"),
        ("/api/v1/clients/7/orders", "order_service"),
        ("/api/v1/orders", "order_service"),
        ("/api/v1/orders/", "order_service"),
        ("/api/v1/orders/reports/period", "order_service"),
        ("/api/v1/suppliers/9f1c/orders", "order_service"),
        ("/api/v1/suppliers/{supplier_id}/orders", "order_service"),
        ("/api/v1/suppliers", "stock_service"),
        ("/api/v1/suppliers/9f1c", "stock_service"),
        ("/api/v1/suppliers/9f1c/products", "stock_service"),
        ("/api/v1/products", "stock_service"),
        ("/api/v1/products/1/images/2", "stock_service"),
        ("/api/v1/stock", "stock_service"),
        ("/api/v1/stock/1/movements", "stock_service"),
    ],
)
def test_each_prefix_goes_to_its_service(path, service):
    assert service_for(path) == service


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1",
        "/api/v1/",
        "/api/v1/nothing",
        "/api/v1/ordersx",
        "/api/v1/stockpile",
        "/api/v2/orders",
        "/orders",
        "/api/v1/supplier/1/orders",
        "/api/v1/health-of-something",
    ],
)
def test_unknown_paths_have_no_service(path):
    assert service_for(path) is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/auth/login"),
        ("POST", "/api/v1/auth/register"),
        ("POST", "/api/v1/auth/refresh-token"),
        ("GET", "/api/v1/auth/.well-known/jwks.json"),
        ("HEAD", "/api/v1/auth/.well-known/jwks.json"),
    ],
)
def test_login_register_refresh_token_and_jwks_are_public(method, path):
    assert is_public(method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/auth/login"),
        ("POST", "/api/v1/auth/logout"),
        ("GET", "/api/v1/auth/me"),
        ("POST", "/api/v1/auth/login/../users"),
        ("POST", "/api/v1/auth/login/"),
        ("GET", "/api/v1/orders"),
        ("GET", "/api/v1/products"),
    ],
)
def test_everything_else_needs_a_token(method, path):
    assert not is_public(method, path)
