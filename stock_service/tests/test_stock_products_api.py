"""Products and their images through the HTTP API (Flask test client, real PostgreSQL)."""

from __future__ import annotations

import io
import struct
import uuid
import zlib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from shared.clock import business_today
from stock_service.models import Product, ProductImage, StockLedgerEntry

PRODUCTS = "/api/v1/products"


def tiny_png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def product_body(barcode: str, **fields) -> dict:
    return {
        "name": "Feijão carioca tipo 1 (1 kg)",
        "description": "Pacote de 1 kg.",
        "price": 8.49,
        "barcode": barcode,
        "section": "Mercearia",
        "category": "Grãos",
        "unit": "pct",
        "seasonality": "ano todo",
        "expiry_date": (business_today() + timedelta(days=200)).isoformat(),
        "ideal_quantity": 100,
        "initial_stock": 60,
        **fields,
    }


# -- create and read --------------------------------------------------------------------


def test_a_product_is_created_with_its_stock_and_initial_ledger_row(
    client, tokens, session, new_barcode, make_supplier
):
    supplier = make_supplier()
    body = product_body(new_barcode(), supplier_id=str(supplier.id), price="27.9")

    response = client.post(PRODUCTS, json=body, headers=tokens.headers("staff"))

    assert response.status_code == 201, response.json
    data = response.json["data"]
    assert data["stock"] == {
        "on_hand": 60,
        "reserved": 0,
        "available": 60,
        "percent_of_ideal": 60.0,  # of the ideal 100
        "low_stock": False,
    }
    assert data["supplier_name"] == supplier.name
    assert data["price"] == 27.9
    assert b'"price":27.90' in response.data  # a JSON number with two decimals
    assert data["images"] == []
    [entry] = session.scalars(
        select(StockLedgerEntry).where(StockLedgerEntry.product_id == uuid.UUID(data["id"]))
    ).all()
    assert (entry.cause, entry.delta_on_hand, entry.on_hand_after) == ("initial", 60, 60)
    fetched = client.get(f"{PRODUCTS}/{data['id']}", headers=tokens.headers("supplier"))
    assert fetched.status_code == 200
    assert fetched.json["data"] == data


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"barcode": "7891000100104"}, "barcode"),  # wrong check digit
        ({"barcode": "78910001"}, "barcode"),
        ({"price": 0}, "price"),
        ({"price": -3.5}, "price"),
        ({"price": "1.999"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": 1.4e240}, "price"),  # was a 500: too many digits to round to cents
        ({"expiry_date": (business_today() - timedelta(days=2)).isoformat()}, "expiry_date"),
        ({"unit": "litro"}, "unit"),
        ({"initial_stock": -1}, "initial_stock"),
        ({"initial_stock": 1.5}, "initial_stock"),
        ({"ideal_quantity": -5}, "ideal_quantity"),
        ({"ideal_quantity": 10**10}, "ideal_quantity"),  # past the database's integers
        ({"initial_stock": 10**10}, "initial_stock"),
        ({"name": ""}, "name"),
        ({"name": "Arroz\x00"}, "name"),  # text PostgreSQL cannot hold
        ({"supplier_id": "nope"}, "supplier_id"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_product_input_is_400_with_the_field(client, tokens, new_barcode, changes, field):
    response = client.post(
        PRODUCTS, json={**product_body(new_barcode()), **changes}, headers=tokens.headers("admin")
    )

    assert response.status_code == 400
    assert response.json["code"] == "validation_error"
    assert field in {e["field"] for e in response.json["errors"]}, response.json


def test_a_missing_required_field_is_named(client, tokens, new_barcode):
    body = product_body(new_barcode())
    del body["section"]

    response = client.post(PRODUCTS, json=body, headers=tokens.headers("admin"))

    assert response.status_code == 400
    assert response.json["errors"] == [{"field": "section", "message": "Campo obrigatório."}]


def test_an_unknown_supplier_is_400_on_supplier_id(client, tokens, new_barcode):
    response = client.post(
        PRODUCTS,
        json=product_body(new_barcode(), supplier_id=str(uuid.uuid4())),
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "supplier_id"


def test_malformed_json_is_400(client, tokens):
    response = client.post(
        PRODUCTS,
        data='{"name": "Arroz", ',
        content_type="application/json",
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 400
    assert response.json["status"] == "error"
    assert response.json["code"] == "malformed_json"


def test_a_duplicate_barcode_is_409_even_written_with_leading_zeros(client, tokens, new_barcode):
    ean13 = new_barcode()
    first = client.post(PRODUCTS, json=product_body(ean13), headers=tokens.headers("admin"))
    same = client.post(PRODUCTS, json=product_body(ean13), headers=tokens.headers("admin"))
    padded = client.post(PRODUCTS, json=product_body("0" + ean13), headers=tokens.headers("admin"))

    assert first.status_code == 201
    assert same.status_code == 409 and same.json["code"] == "duplicate_barcode"
    assert padded.status_code == 409


# -- update and delete ------------------------------------------------------------------


def test_a_product_is_updated_field_by_field(client, tokens, make_product, make_supplier):
    product = make_product(on_hand=7, price=Decimal("5.00"))
    supplier = make_supplier()
    url = f"{PRODUCTS}/{product.id}"

    response = client.put(
        url,
        json={"price": "5.5", "supplier_id": str(supplier.id), "active": False},
        headers=tokens.headers("staff"),
    )

    assert response.status_code == 200, response.json
    data = response.json["data"]
    assert (data["price"], data["supplier_id"], data["active"]) == (5.5, str(supplier.id), False)
    assert data["name"] == product.name
    assert data["stock"]["on_hand"] == 7


def test_stock_cannot_be_changed_through_product_update(client, tokens, make_product):
    product = make_product(on_hand=7)

    response = client.put(
        f"{PRODUCTS}/{product.id}", json={"initial_stock": 99}, headers=tokens.headers("admin")
    )

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "initial_stock"


def test_a_product_expiring_today_is_accepted_at_every_hour(
    business_hour, client, tokens, new_barcode
):
    today = business_hour.business_day.isoformat()
    yesterday = (business_hour.business_day - timedelta(days=1)).isoformat()

    fresh = client.post(
        PRODUCTS,
        json=product_body(new_barcode(), expiry_date=today),
        headers=tokens.headers("admin"),
    )
    expired = client.post(
        PRODUCTS,
        json=product_body(new_barcode(), expiry_date=yesterday),
        headers=tokens.headers("admin"),
    )

    assert fresh.status_code == 201, fresh.get_data(as_text=True)
    assert fresh.json["data"]["expiry_date"] == today
    assert expired.status_code == 400
    assert [e["field"] for e in expired.json["errors"]] == ["expiry_date"]


def test_an_expiry_date_is_checked_only_when_it_changes(
    business_hour, client, tokens, session, make_product
):
    product = make_product()
    # An expired product (created long ago) keeps its date when other fields change.
    session.execute(
        update(Product)
        .where(Product.id == product.id)
        .values(expiry_date=business_today() - timedelta(days=30))
    )
    session.commit()
    url = f"{PRODUCTS}/{product.id}"
    past = (business_today() - timedelta(days=30)).isoformat()

    kept = client.put(
        url, json={"expiry_date": past, "name": "Renomeado"}, headers=tokens.headers("admin")
    )
    moved = client.put(
        url,
        json={"expiry_date": (business_today() - timedelta(days=1)).isoformat()},
        headers=tokens.headers("admin"),
    )

    assert kept.status_code == 200
    assert moved.status_code == 400 and moved.json["errors"][0]["field"] == "expiry_date"


def test_delete_hides_the_product_keeps_its_ledger_and_removes_its_images(
    client, tokens, session, make_product, stock_settings
):
    product = make_product(on_hand=4)
    url = f"{PRODUCTS}/{product.id}"
    upload = client.post(
        f"{url}/images",
        data={"file": (io.BytesIO(tiny_png()), "foto.png")},
        content_type="multipart/form-data",
        headers=tokens.headers("admin"),
    )
    image_id = upload.json["data"]["id"]
    stored = Path(stock_settings.images_dir) / session.get(ProductImage, image_id).file_name
    assert stored.is_file()

    staff = client.delete(url, headers=tokens.headers("staff"))
    deleted = client.delete(url, headers=tokens.headers("admin"))

    assert upload.status_code == 201
    assert staff.status_code == 403
    assert deleted.status_code == 200
    assert client.get(url, headers=tokens.headers("admin")).status_code == 404
    assert client.delete(url, headers=tokens.headers("admin")).status_code == 404
    listed = client.get(f"{PRODUCTS}?q={product.name}", headers=tokens.headers("admin"))
    assert listed.json["meta"]["total"] == 0
    ledger = session.scalars(
        select(StockLedgerEntry.cause).where(StockLedgerEntry.product_id == product.id)
    ).all()
    assert ledger == ["initial"]
    assert not stored.exists()
    assert (
        client.get(f"{url}/images/{image_id}", headers=tokens.headers("admin")).status_code == 404
    )


def test_a_product_with_reserved_units_cannot_be_deleted(client, tokens, make_product, hold):
    product = make_product(on_hand=4)
    hold({product.id: 1})

    response = client.delete(f"{PRODUCTS}/{product.id}", headers=tokens.headers("admin"))

    assert response.status_code == 409
    assert response.json["code"] == "product_has_reservations"


# -- images -----------------------------------------------------------------------------


def test_an_image_is_stored_served_and_removed(
    client, tokens, session, make_product, stock_settings
):
    product = make_product()
    png = tiny_png()
    url = f"{PRODUCTS}/{product.id}/images"

    created = client.post(
        url,
        data={"file": (io.BytesIO(png), "../../etc/passwd.jpg", "image/jpeg")},
        content_type="multipart/form-data",
        headers=tokens.headers("staff"),
    )
    image = created.json["data"]
    stored = Path(stock_settings.images_dir) / session.get(ProductImage, image["id"]).file_name
    served = client.get(image["url"], headers=tokens.headers("client"))
    anonymous = client.get(image["url"])
    listed = client.get(f"{PRODUCTS}/{product.id}", headers=tokens.headers("client"))
    removed = client.delete(image["url"], headers=tokens.headers("staff"))
    gone = client.get(image["url"], headers=tokens.headers("client"))

    assert created.status_code == 201, created.json
    assert (image["content_type"], image["size_bytes"]) == ("image/png", len(png))
    assert served.status_code == 200
    assert served.mimetype == "image/png"  # from the content, not the declared type
    assert served.data == png
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert anonymous.status_code == 401
    assert [i["id"] for i in listed.json["data"]["images"]] == [image["id"]]
    assert removed.status_code == 200
    assert gone.status_code == 404
    assert stored.name.endswith(".png") and "passwd" not in stored.name
    assert not stored.exists()


def test_a_text_file_named_png_is_415(client, tokens, make_product):
    product = make_product()

    response = client.post(
        f"{PRODUCTS}/{product.id}/images",
        data={"file": (io.BytesIO(b"hello, I am text"), "photo.png", "image/png")},
        content_type="multipart/form-data",
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 415
    assert response.json["code"] == "unsupported_media_type"


@pytest.mark.parametrize("extra", [1, 3 * 64 * 1024])
def test_an_image_over_the_limit_is_413(client, tokens, make_product, stock_settings, extra):
    product = make_product()
    too_big = tiny_png() + b"\x00" * (stock_settings.images_max_bytes + extra)

    response = client.post(
        f"{PRODUCTS}/{product.id}/images",
        data={"file": (io.BytesIO(too_big), "big.png")},
        content_type="multipart/form-data",
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 413
    assert response.json["status"] == "error"
    assert response.json["code"] == "payload_too_large"


def test_an_upload_without_a_file_is_400(client, tokens, make_product):
    product = make_product()

    response = client.post(
        f"{PRODUCTS}/{product.id}/images",
        data={"other": "x"},
        content_type="multipart/form-data",
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "file"


# -- filters, sorting, pagination -------------------------------------------------------


@pytest.fixture
def catalogue(session, section, make_product, make_supplier):
    """Six products in a section of their own: prices, categories, stock and suppliers vary."""
    green, fresh = make_supplier(), make_supplier()
    specs = [
        ("Arroz agulhinha", "Grãos", "27.90", 10, green, True),
        ("Feijão preto", "Grãos", "8.49", 0, green, True),
        ("Banana prata", "Frutas", "6.99", 35, fresh, True),
        ("Maçã fuji", "Frutas", "9.90", 0, fresh, True),
        ("Leite integral", "Laticínios", "5.29", 12, None, True),
        ("Arroz integral", "Grãos", "12.00", 5, None, False),
    ]
    products = {}
    for name, category, price, stock, supplier, active in specs:
        products[name] = make_product(
            name=name,
            section=section,
            category=category,
            price=Decimal(price),
            on_hand=stock,
            supplier_id=supplier.id if supplier else None,
            active=active,
        )
    products["_suppliers"] = (green, fresh)
    return products


def names(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [p["name"] for p in response.json["data"]]


def test_filters_return_exactly_the_matching_products(client, tokens, section, catalogue):
    green, _ = catalogue["_suppliers"]
    headers = tokens.headers("client")

    def get(query: str) -> list[str]:
        return names(client.get(f"{PRODUCTS}?section={section}&{query}", headers=headers))

    assert get("category=grãos") == ["Arroz agulhinha", "Arroz integral", "Feijão preto"]
    assert get("min_price=6.99&max_price=9.90") == ["Banana prata", "Feijão preto", "Maçã fuji"]
    assert get("available=true") == [
        "Arroz agulhinha",
        "Arroz integral",
        "Banana prata",
        "Leite integral",
    ]
    assert get("available=false") == ["Feijão preto", "Maçã fuji"]
    assert get(f"supplier_id={green.id}") == ["Arroz agulhinha", "Feijão preto"]
    assert get("q=ARROZ") == ["Arroz agulhinha", "Arroz integral"]
    assert get("q=arroz&active=true&available=true") == ["Arroz agulhinha"]
    barcode = catalogue["Leite integral"].barcode
    assert get(f"q={barcode[:9]}") == ["Leite integral"]
    assert get("q=100%") == []  # % is a literal, not a wildcard


def test_products_are_sorted_and_paginated_with_correct_meta(client, tokens, section, catalogue):
    headers = tokens.headers("staff")

    by_price = client.get(f"{PRODUCTS}?section={section}&sort=-price", headers=headers)
    page_two = client.get(
        f"{PRODUCTS}?section={section}&sort=price&page=2&page_size=4", headers=headers
    )
    beyond = client.get(f"{PRODUCTS}?section={section}&page=5&page_size=4", headers=headers)

    assert names(by_price)[:3] == ["Arroz agulhinha", "Arroz integral", "Maçã fuji"]
    assert [p["price"] for p in by_price.json["data"]] == [27.9, 12.0, 9.9, 8.49, 6.99, 5.29]
    assert by_price.json["meta"] == {"page": 1, "page_size": 20, "total": 6, "pages": 1}
    assert names(page_two) == ["Arroz integral", "Arroz agulhinha"]
    assert page_two.json["meta"] == {"page": 2, "page_size": 4, "total": 6, "pages": 2}
    assert beyond.json["data"] == [] and beyond.json["meta"]["total"] == 6
    every = client.get(f"{PRODUCTS}?section={section}", headers=headers).json["data"]
    stock_fields = {"on_hand", "reserved", "available", "percent_of_ideal", "low_stock"}
    assert all(set(p["stock"]) == stock_fields for p in every)


@pytest.mark.parametrize(
    "query",
    [
        "page_size=101",
        "page=0",
        "page=1000000000000000000000000000000",
        "q=arroz%00",
        "sort=colour",
        "min_price=10&max_price=5",
        "available=maybe",
        "supplier_id=123",
        "min_price=-1",
    ],
)
def test_bad_list_parameters_are_400(client, tokens, query):
    response = client.get(f"{PRODUCTS}?{query}", headers=tokens.headers("admin"))

    assert response.status_code == 400
    assert response.json["code"] == "validation_error"


def test_a_search_leaves_out_the_excluded_and_the_newer_products(
    client, tokens, session, section, catalogue
):
    """POST /products/search: GET's filters in the body, plus created_before and exclude_ids
    (what the performance report asks: old active products without recent orders)."""
    old = [catalogue[name].id for name in ("Arroz agulhinha", "Banana prata", "Arroz integral")]
    session.execute(
        update(Product)
        .where(Product.id.in_(old))
        .values(created_at=Product.created_at - timedelta(days=40))
    )
    session.commit()
    body = {
        "section": section,
        "active": True,
        "created_before": (business_today() - timedelta(days=30)).isoformat() + "T00:00:00Z",
        "exclude_ids": [str(catalogue["Banana prata"].id), str(uuid.uuid4())],
        "sort": "created_at",
    }

    found = client.post(f"{PRODUCTS}/search", json=body, headers=tokens.headers("staff"))
    as_service = client.post(
        f"{PRODUCTS}/search", json=body, headers=tokens.service_headers("order_service")
    )

    # Inactive "Arroz integral" and excluded "Banana prata" are out; the rest are too new.
    assert names(found) == ["Arroz agulhinha"]
    assert found.json["meta"]["total"] == 1
    assert names(as_service) == ["Arroz agulhinha"]


@pytest.mark.parametrize(
    "body",
    [
        {"exclude_ids": ["not-an-id"]},
        {"exclude_ids": [str(uuid.uuid4()) for _ in range(10_001)]},
        {"created_before": "2026-01-01T00:00:00"},  # no time zone
        {"page_size": 101},
        {"colour": "blue"},
    ],
)
def test_a_bad_search_is_400(client, tokens, body):
    response = client.post(f"{PRODUCTS}/search", json=body, headers=tokens.headers("admin"))

    assert response.status_code == 400, response.json
    assert response.json["code"] == "validation_error"


def test_a_search_is_closed_to_services_without_its_scope(client, tokens):
    response = client.post(
        f"{PRODUCTS}/search", json={}, headers=tokens.service_headers("auth_service")
    )

    assert response.status_code == 403


# -- permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["client", "supplier", "service"])
def test_only_admin_and_staff_write_products(client, tokens, make_product, new_barcode, role):
    product = make_product()
    headers = tokens.headers(role)
    url = f"{PRODUCTS}/{product.id}"

    created = client.post(PRODUCTS, json=product_body(new_barcode()), headers=headers)
    updated = client.put(url, json={"name": "X"}, headers=headers)
    deleted = client.delete(url, headers=headers)
    uploaded = client.post(
        f"{url}/images",
        data={"file": (io.BytesIO(tiny_png()), "a.png")},
        content_type="multipart/form-data",
        headers=headers,
    )

    assert [r.status_code for r in (created, updated, deleted, uploaded)] == [403] * 4
    assert created.json["code"] == "forbidden"


def test_staff_cannot_delete_products(client, tokens, make_product):
    product = make_product()

    response = client.delete(f"{PRODUCTS}/{product.id}", headers=tokens.headers("staff"))

    assert response.status_code == 403


def test_unauthenticated_requests_are_401(client, make_product):
    product = make_product()

    assert client.get(PRODUCTS).status_code == 401
    assert client.get(f"{PRODUCTS}/{product.id}").status_code == 401
    assert client.post(PRODUCTS, json={}).status_code == 401


def test_malformed_and_missing_product_ids_are_404_envelopes(client, tokens):
    malformed = client.get(f"{PRODUCTS}/12345", headers=tokens.headers("admin"))
    missing = client.get(f"{PRODUCTS}/{uuid.uuid4()}", headers=tokens.headers("admin"))
    missing_update = client.put(
        f"{PRODUCTS}/{uuid.uuid4()}", json={"name": "X"}, headers=tokens.headers("admin")
    )

    assert malformed.status_code == 404 and malformed.json["status"] == "error"
    assert missing.status_code == 404 and missing.json["message"] == "Produto não encontrado."
    assert missing_update.status_code == 404


def test_messages_follow_accept_language(client, tokens):
    response = client.get(
        f"{PRODUCTS}/{uuid.uuid4()}",
        headers={**tokens.headers("admin"), "Accept-Language": "en"},
    )

    assert response.json["message"] == "Product not found."


def test_a_product_says_how_full_its_stock_is(client, tokens, make_product):
    product = make_product(on_hand=15, ideal_quantity=100)

    stock = client.get(f"{PRODUCTS}/{product.id}", headers=tokens.headers("staff")).json["data"][
        "stock"
    ]

    assert (stock["available"], stock["percent_of_ideal"], stock["low_stock"]) == (15, 15.0, True)
