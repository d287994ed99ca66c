"""The stock service through the gateway: catalogue, images, adjustments and the ledger."""

from __future__ import annotations

import io
import struct
import uuid
import zlib

import pytest

from tests.support.api_client import ApiClient
from tests.support.documents import random_cnpj, random_gtin13

pytestmark = pytest.mark.e2e


def tiny_png() -> bytes:
    """A valid 1×1 PNG, built by hand so the test needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def create_product(admin: ApiClient, **fields) -> dict:
    supplier = admin.post(
        "/suppliers", json={"name": f"Fornecedor {uuid.uuid4().hex[:6]}", "cnpj": random_cnpj()}
    )
    assert supplier.status_code == 201, supplier.text
    body = {
        "name": f"Feijão carioca {uuid.uuid4().hex[:6]}",
        "price": 8.49,
        "barcode": random_gtin13(),
        "section": f"Mercearia {uuid.uuid4().hex[:6]}",
        "unit": "kg",
        "supplier_id": supplier.json()["data"]["id"],
        "ideal_quantity": 50,
        "initial_stock": 20,
        **fields,
    }
    response = admin.post("/products", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_catalogue_adjustments_and_ledger_through_the_gateway(admin: ApiClient):
    product = create_product(admin)
    assert product["stock"] == {
        "on_hand": 20,
        "reserved": 0,
        "available": 20,
        "percent_of_ideal": 40.0,  # of its ideal 50
        "low_stock": False,
    }
    assert product["price"] == 8.49

    listed = admin.get("/products", params={"section": product["section"], "available": "true"})
    assert [p["id"] for p in listed.json()["data"]] == [product["id"]]
    assert listed.json()["meta"] == {"page": 1, "page_size": 20, "total": 1, "pages": 1}

    loss = admin.post(
        f"/stock/{product['id']}/adjustments",
        json={"delta": -5, "reason": "loss", "note": "avaria"},
    )
    assert loss.status_code in (200, 201), loss.text
    too_much = admin.post(
        f"/stock/{product['id']}/adjustments", json={"delta": -16, "reason": "loss"}
    )
    assert too_much.status_code == 409
    assert too_much.json()["status"] == "error"

    level = admin.get(f"/stock/{product['id']}").json()["data"]
    assert (level["on_hand"], level["reserved"], level["available"]) == (15, 0, 15)
    movements = admin.get(f"/stock/{product['id']}/movements").json()["data"]
    assert [m["cause"] for m in movements] == ["loss", "initial"]
    assert movements[0]["note"] == "avaria"


def test_images_go_through_the_gateway_and_content_is_checked(admin: ApiClient):
    product = create_product(admin)
    png = tiny_png()

    uploaded = admin.post(
        f"/products/{product['id']}/images",
        files={"file": ("foto.png", io.BytesIO(png), "image/png")},
    )
    assert uploaded.status_code == 201, uploaded.text
    image = uploaded.json()["data"]
    served = admin.get(f"/products/{product['id']}/images/{image['id']}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.content == png

    fake = admin.post(
        f"/products/{product['id']}/images",
        files={"file": ("foto.png", io.BytesIO(b"just some text, not an image"), "image/png")},
    )
    assert fake.status_code in (400, 415)
    assert fake.json()["status"] == "error"

    removed = admin.delete(f"/products/{product['id']}/images/{image['id']}")
    assert removed.status_code in (200, 204)
    assert admin.get(f"/products/{product['id']}/images/{image['id']}").status_code == 404


def test_roles_on_the_catalogue(api: ApiClient, admin: ApiClient):
    product = create_product(admin)
    staff = api.logged_in(*admin.create_user("staff"))
    supplier = api.logged_in(*admin.create_user("supplier"))

    assert staff.get(f"/products/{product['id']}").status_code == 200
    assert supplier.get(f"/products/{product['id']}").status_code == 200
    assert supplier.post("/products", json={"name": "x"}).status_code == 403
    assert staff.delete(f"/products/{product['id']}").status_code == 403
    assert admin.delete(f"/products/{product['id']}").status_code in (200, 204)
    assert admin.get(f"/products/{product['id']}").status_code == 404
    assert api.get("/products").status_code == 401
