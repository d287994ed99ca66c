"""GET /orders/{id}?with_details=true: each line with its supplier's name, CNPJ, WhatsApp
and e-mail, from the stock service (requirement 003)."""

from __future__ import annotations

from order_service.app import create_app
from order_service.stock_catalogue import HttpStockCatalogue


def test_each_line_carries_its_suppliers_block(
    client, admin, placed, make_client, make_product, make_supplier
):
    boa = make_supplier(email="vendas@boasafra.com.br", whatsapp="11987654321")
    rice = make_product(supplier_id=boa["id"])
    salt = make_product()  # no supplier
    order = placed(make_client()["id"], (rice["id"], 1), (salt["id"], 2))
    url = f"/api/v1/orders/{order['id']}"

    detailed = client.get(url, query_string={"with_details": "true"}, headers=admin)
    plain = client.get(url, headers=admin)

    assert detailed.status_code == 200, detailed.get_data(as_text=True)
    first, second = detailed.json["data"]["items"]
    assert first["supplier"] == {
        "id": boa["id"],
        "name": boa["name"],
        "cnpj": boa["cnpj"],
        "whatsapp": "11987654321",
        "email": "vendas@boasafra.com.br",
        "known": True,
    }
    assert second["supplier"] is None
    assert all("supplier" not in item for item in plain.json["data"]["items"])


def test_a_supplier_the_stock_no_longer_knows_keeps_the_captured_name(
    client, admin, placed, make_client, make_product, make_supplier, stock_app, tokens
):
    gone = make_supplier()
    order = placed(make_client()["id"], (make_product(supplier_id=gone["id"])["id"], 1))
    stock_app.test_client().delete(
        f"/api/v1/suppliers/{gone['id']}", headers=tokens.headers("admin")
    )

    data = client.get(
        f"/api/v1/orders/{order['id']}", query_string={"with_details": "true"}, headers=admin
    ).json["data"]

    assert data["items"][0]["supplier"] == {"id": gone["id"], "name": gone["name"], "known": False}


def test_without_the_stock_service_details_are_a_503(
    order_settings, tokens, placed, make_client, make_product, make_supplier
):
    order = placed(make_client()["id"], (make_product(supplier_id=make_supplier()["id"])["id"], 1))
    dead = HttpStockCatalogue(
        "http://127.0.0.1:9",
        token=lambda: tokens.service_token("order_service"),
        connect_timeout=0.5,
    )
    app = create_app(order_settings, verifier=tokens.verifier(), stock=dead)
    url = f"/api/v1/orders/{order['id']}"

    detailed = app.test_client().get(
        url, query_string={"with_details": "true"}, headers=tokens.headers("admin")
    )
    plain = app.test_client().get(url, headers=tokens.headers("admin"))

    assert detailed.status_code == 503
    assert detailed.json["code"] == "stock_unavailable"
    assert plain.status_code == 200  # the order itself is ours to show


def test_a_bad_flag_is_a_400(client, admin, placed, make_client, make_product):
    order = placed(make_client()["id"], (make_product()["id"], 1))

    response = client.get(
        f"/api/v1/orders/{order['id']}", query_string={"with_details": "talvez"}, headers=admin
    )

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "with_details"
