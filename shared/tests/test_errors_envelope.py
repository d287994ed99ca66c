"""Every failure leaves a service in the one error envelope, in Portuguese or English."""

from __future__ import annotations

import subprocess
import sys

import pytest
from marshmallow import Schema, fields, validate

from shared.api import ApiBlueprint, Matches, envelope, ok
from shared.auth import public
from shared.config import ServiceSettings
from shared.domain_errors import DomainError, ErrorKind
from shared.errors import Conflict, flatten_field_errors
from shared.i18n import Text
from shared.service_app import accepts_body, create_service_app


class ShelfFull(DomainError):
    kind = ErrorKind.CONFLICT
    code = "shelf_full"
    message = Text("A prateleira está cheia.", "The shelf is full.")


class WarehouseAway(DomainError):
    kind = ErrorKind.UNAVAILABLE
    code = "warehouse_unavailable"
    retry_after = 7


def refusal_of(kind: ErrorKind) -> DomainError:
    """A bare refusal of `kind`: the HTTP edge alone picks its status."""
    return type(f"{kind.title()}Refusal", (DomainError,), {"kind": kind})()


class ItemSchema(Schema):
    product_id = fields.UUID(required=True)
    quantity = fields.Integer(required=True, validate=validate.Range(min=1))


class OrderInSchema(Schema):
    items = fields.List(fields.Nested(ItemSchema), required=True)
    note = fields.String(validate=validate.Length(min=1, max=5))


class TagHeaderSchema(Schema):
    tag = fields.String(data_key="X-Tag")


class SearchSchema(Schema):
    q = fields.String()
    page = fields.Integer(validate=validate.Range(min=1, max=100))
    month = fields.String(validate=Matches(r"^\d{4}-\d{2}$", Text("Use AAAA-MM.", "Use YYYY-MM.")))


@pytest.fixture
def client():
    app, api = create_service_app(
        ServiceSettings(service_name="test_service", max_json_body_bytes=1024),
        title="t",
        description="d",
    )
    blp = ApiBlueprint("things", __name__, url_prefix="/api/v1/things")

    @blp.route("", methods=["POST"])
    @public
    @blp.arguments(OrderInSchema)
    @blp.response(201, envelope(OrderInSchema))
    def create(data):
        return ok(data, Text("Criado.", "Created."))

    @blp.route("/search")
    @public
    @blp.arguments(SearchSchema, location="query")
    def search(args):
        return ok(args, Text("Encontrado.", "Found."))

    @blp.route("/tagged")
    @public
    @blp.arguments(TagHeaderSchema, location="headers")
    def tagged(args):
        return ok(args, Text("Marcado.", "Tagged."))

    @blp.route("/conflict", methods=["POST"])
    @public
    def conflict():
        raise Conflict(
            Text("Já existe.", "Already exists."),
            errors=[{"field": "email", "message": "duplicado"}],
        )

    @blp.route("/refused/<kind>")
    @public
    def refused(kind):
        raise refusal_of(ErrorKind(kind))

    @blp.route("/shelf", methods=["POST"])
    @public
    def shelf():
        raise ShelfFull(data={"free": 0})

    @blp.route("/past-date", methods=["POST"])
    @public
    def past_date():
        raise DomainError(
            Text("A data já passou.", "The date has passed."), code="past_date", field="date"
        )

    @blp.route("/many", methods=["POST"])
    @public
    def many():
        raise DomainError(
            errors=[
                {"field": "a", "message": Text("A errado.", "A is wrong.")},
                {"field": "b"},  # no message of its own: the error's
            ]
        )

    @blp.route("/warehouse")
    @public
    def warehouse():
        raise WarehouseAway()

    @blp.route("/upload", methods=["POST"])
    @public
    @accepts_body("multipart/form-data")
    def upload():
        return {"status": "success", "message": "ok", "data": None}

    @blp.route("/boom")
    @public
    def boom():
        raise RuntimeError("secret detail")

    api.register_blueprint(blp)
    return app.test_client()


def test_validation_errors_list_each_field_in_portuguese(client):
    response = client.post(
        "/api/v1/things", json={"items": [{"product_id": "x", "quantity": 0}], "extra": 1}
    )

    assert response.status_code == 400
    body = response.json
    assert body["code"] == "validation_error"
    assert body["message"] == "Dados inválidos."
    assert {"field": "items.0.product_id", "message": "Não é um UUID válido."} in body["errors"]
    assert {"field": "items.0.quantity", "message": "Deve ser maior ou igual a 1."} in body[
        "errors"
    ]
    assert {"field": "extra", "message": "Campo desconhecido."} in body["errors"]


def test_a_two_sided_range_or_length_message_is_all_portuguese(client):
    response = client.post(
        "/api/v1/things",
        json={"items": [], "note": "longer than five"},
    )
    search = client.get("/api/v1/things/search?page=101")

    assert response.json["errors"] == [
        {"field": "note", "message": "O tamanho deve estar entre 1 e 5."}
    ]
    assert search.json["errors"] == [
        {"field": "page", "message": "Deve ser maior ou igual a 1 e menor ou igual a 100."}
    ]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "field"),
    [
        ("POST", "/api/v1/things", {"json": {"items": [], "note": "a\x00b"}}, "note"),
        (
            "POST",
            "/api/v1/things",
            {"json": {"items": [{"product_id": "\x00", "quantity": 1}]}},
            "items.0.product_id",
        ),
        ("GET", "/api/v1/things/search?q=a%00b", {}, "q"),
        ("GET", "/api/v1/things/tagged", {"headers": {"X-Tag": "a\x00b"}}, "X-Tag"),
    ],
)
def test_a_nul_character_is_refused_with_its_field(client, method, path, kwargs, field):
    # PostgreSQL cannot store U+0000 in text: refused here, it never reaches a query (500).
    response = client.open(path, method=method, **kwargs)

    assert response.status_code == 400
    assert response.json["code"] == "validation_error"
    assert response.json["errors"] == [
        {"field": field, "message": "Não pode conter o caractere nulo (\\u0000)."}
    ]


def test_only_what_a_schema_reads_is_looked_at_for_a_nul_character(client):
    # A header no schema reads is not an argument. Six characters that spell the escape are
    # text, not U+0000: the body holds the escape's bytes, so its values are walked, and the
    # only fault found is the length.
    tagged = client.get("/api/v1/things/tagged", headers={"X-Other": "a\x00b", "X-Tag": "ok"})
    spelled = client.post("/api/v1/things", json={"items": [], "note": "\\u0000"})

    assert tagged.status_code == 200, tagged.json
    assert tagged.json["data"] == {"tag": "ok"}
    assert spelled.status_code == 400
    assert spelled.json["errors"] == [
        {"field": "note", "message": "O tamanho deve estar entre 1 e 5."}
    ]


def test_english_when_the_client_prefers_it(client):
    response = client.post("/api/v1/things", json={}, headers={"Accept-Language": "en-US,en;q=0.9"})

    assert response.json["message"] == "Invalid data."
    assert response.json["errors"] == [
        {"field": "items", "message": "Missing data for required field."}
    ]


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Use YYYY-MM."), ("pt-BR", "Use AAAA-MM.")]
)
def test_a_pattern_message_of_ours_follows_the_language(client, language, message):
    response = client.get("/api/v1/things/search?month=2026", headers={"Accept-Language": language})

    assert response.status_code == 400
    assert response.json["errors"] == [{"field": "month", "message": message}]


def test_malformed_json_is_400(client):
    response = client.post("/api/v1/things", data=b"{nope", content_type="application/json")

    assert response.status_code == 400
    assert response.json["code"] == "malformed_json"
    assert response.json["errors"] == []


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("GET", "/api/v1/unknown", {}, 404, "not_found"),
        ("DELETE", "/api/v1/things", {}, 405, "method_not_allowed"),
        (
            "POST",
            "/api/v1/things",
            {"data": "a=b", "content_type": "text/plain"},
            415,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/api/v1/things",
            {"data": "x" * 2048, "content_type": "application/json"},
            413,
            "payload_too_large",
        ),
        ("POST", "/api/v1/things/conflict", {}, 409, "conflict"),
        ("GET", "/api/v1/things/boom", {}, 500, "internal_error"),
    ],
)
def test_every_status_uses_the_envelope(client, method, path, kwargs, status, code):
    response = client.open(path, method=method, headers={"X-Request-ID": "req-1"}, **kwargs)

    assert response.status_code == status
    assert response.is_json
    assert response.json["status"] == "error"
    assert response.json["code"] == code
    assert response.json["request_id"] == "req-1"
    assert "secret detail" not in response.get_data(as_text=True)


def test_conflict_keeps_its_field_errors(client):
    response = client.post("/api/v1/things/conflict")

    assert response.json["message"] == "Já existe."
    assert response.json["errors"] == [{"field": "email", "message": "duplicado"}]


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (ErrorKind.INVALID, 400),
        (ErrorKind.FORBIDDEN, 403),
        (ErrorKind.NOT_FOUND, 404),
        (ErrorKind.CONFLICT, 409),
        (ErrorKind.TOO_LARGE, 413),
        (ErrorKind.UNSUPPORTED_MEDIA, 415),
        (ErrorKind.UNAVAILABLE, 503),
    ],
)
def test_a_domain_error_gets_the_status_of_its_kind(client, kind, status):
    response = client.get(f"/api/v1/things/refused/{kind}", headers={"X-Request-ID": "req-1"})

    assert response.status_code == status
    assert response.json == {
        "status": "error",
        "message": "Operação recusada.",
        "code": "domain_error",
        "errors": [],
        "request_id": "req-1",
    }


def test_a_domain_error_keeps_its_code_message_and_data_in_the_callers_language(client):
    portuguese = client.post("/api/v1/things/shelf", headers={"X-Request-ID": "req-1"})
    english = client.post("/api/v1/things/shelf", headers={"Accept-Language": "en"})

    assert portuguese.status_code == 409
    assert portuguese.json == {
        "status": "error",
        "message": "A prateleira está cheia.",
        "code": "shelf_full",
        "errors": [],
        "request_id": "req-1",
        "data": {"free": 0},
    }
    assert english.json["message"] == "The shelf is full."


def test_a_domain_error_about_one_field_names_it(client):
    response = client.post("/api/v1/things/past-date", headers={"Accept-Language": "en"})

    assert response.status_code == 400
    assert response.json["code"] == "past_date"
    assert response.json["message"] == "The date has passed."
    assert response.json["errors"] == [{"field": "date", "message": "The date has passed."}]


def test_a_domain_errors_field_errors_default_to_its_message(client):
    response = client.post("/api/v1/things/many")

    assert response.json["errors"] == [
        {"field": "a", "message": "A errado."},
        {"field": "b", "message": "Operação recusada."},
    ]


def test_an_unavailable_dependency_says_when_to_try_again(client):
    response = client.get("/api/v1/things/warehouse")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"
    assert response.json["code"] == "warehouse_unavailable"
    assert "data" not in response.json


def test_the_domain_error_base_does_not_need_flask():
    # Domain rules import it; they must stay usable (and testable) without a web framework.
    script = "import sys, shared.domain_errors; sys.exit('flask' in sys.modules)"

    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 0


def test_multipart_is_accepted_where_declared(client):
    response = client.post(
        "/api/v1/things/upload", data={"f": "x"}, content_type="multipart/form-data"
    )

    assert response.status_code == 200


def test_success_envelope_is_documented_and_returned(client):
    pid = "6f1c2b9e-1d2a-4b8a-9a0e-0e7d5b1c2a3f"
    response = client.post("/api/v1/things", json={"items": [{"product_id": pid, "quantity": 2}]})

    assert response.status_code == 201
    assert response.json == {
        "status": "success",
        "message": "Criado.",
        "data": {"items": [{"product_id": pid, "quantity": 2}]},
    }


def test_unsafe_request_ids_are_replaced(client):
    response = client.get("/health", headers={"X-Request-ID": "bad id <script>"})

    assert response.headers["X-Request-ID"] != "bad id <script>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_flatten_field_errors_handles_nesting():
    messages = {"json": {"a": ["m1"], "b": {"0": {"c": ["m2"]}}, "_schema": ["m3"]}}

    assert flatten_field_errors(messages) == [
        {"field": "a", "message": "m1"},
        {"field": "b.0.c", "message": "m2"},
        {"field": None, "message": "m3"},
    ]


def test_our_field_messages_speak_the_callers_language():
    from flask import Flask

    from shared.i18n import FieldMessage, Text, localize_field_message

    message = FieldMessage(
        Text("date_from não pode ser depois de date_to.", "date_from cannot be after date_to.")
    )
    app = Flask(__name__)

    with app.test_request_context(headers={"Accept-Language": "en"}):
        english = localize_field_message(message)
    with app.test_request_context(headers={"Accept-Language": "pt-BR"}):
        portuguese = localize_field_message(message)

    assert (english, portuguese) == (
        "date_from cannot be after date_to.",
        "date_from não pode ser depois de date_to.",
    )
    assert message == "date_from não pode ser depois de date_to."  # marshmallow keeps a str
