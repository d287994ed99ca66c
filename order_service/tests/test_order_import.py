"""POST /orders/import: each line on its own, good orders as POST /orders makes them."""

from __future__ import annotations

import csv
import dataclasses
import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from order_service.api import STOCK_EXTENSION
from order_service.imports import jobs, uploads
from order_service.imports.batch import StockAllocation, batches, import_batch
from order_service.imports.csv_format import TEMPLATE_COLUMNS
from order_service.imports.tables import ImportJob, ImportLineResult, ImportUploadChunk
from order_service.imports.worker import run_pending
from order_service.models import Order, outbox
from order_service.stock_catalogue import StockUnavailable
from shared import clock

IMPORT = "/api/v1/orders/import"
IMPORTS = "/api/v1/orders/imports"
HEADER = "order_ref,client_id,product_id,quantity,desired_delivery_date,notes\n"


def csv_body(rows: list[str]) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def post_csv(client, headers, body: bytes, **extra):
    return client.post(
        IMPORT, data=body, headers={**headers, **extra}, content_type="text/csv; charset=utf-8"
    )


def count(session, stmt) -> int:
    value = session.scalar(stmt)
    session.rollback()
    return value


def orders_of(session, ids) -> dict[str, Order]:
    found = {str(o.id): o for o in session.scalars(select(Order).where(Order.id.in_(ids)))}
    return found


@pytest.fixture
def school_and_products(make_client, make_product):
    school = make_client()
    rice = make_product(price="27.90", on_hand=100_000)
    beans = make_product(price="8.45", on_hand=100_000)
    return school, rice, beans


def test_thousand_lines_seven_bad_answer_207_with_each_error_on_its_file_line(
    client, admin, session, school_and_products
):
    school, rice, beans = school_and_products
    tomorrow = (clock.business_today() + timedelta(days=1)).isoformat()
    rows = []
    for n in range(1000):
        product = rice if n % 2 else beans
        rows.append(f",{school['id']},{product['id']},{n % 5 + 1},{tomorrow},linha {n}")
    bad = {
        # file line (header = 1) → (the row, the field at fault)
        12: (f",{school['id']},{uuid.uuid4()},3,,", "product_id"),
        140: (f",{uuid.uuid4()},{rice['id']},3,,", "client_id"),
        333: (f",{school['id']},{rice['id']},0,,", "quantity"),
        500: (f",{school['id']},{rice['id']},-4,,", "quantity"),
        678: (f",{school['id']},{rice['id']},dez,,", "quantity"),
        801: (f",{school['id']},{rice['id']},3,2026-13-45,", "desired_delivery_date"),
        999: (f",{school['id']},{rice['id']},3", "line"),
    }
    for line, (row, _) in bad.items():
        rows[line - 2] = row
    expected_value = Decimal("0")
    for index, row in enumerate(rows):
        if index + 2 not in bad:
            price = Decimal(str(rice["price"] if index % 2 else beans["price"])).quantize(
                Decimal("0.01")
            )
            expected_value += price * int(row.split(",")[3])

    response = post_csv(client, admin, csv_body(rows))

    assert response.status_code == 207, response.get_data(as_text=True)[:2000]
    data = response.json["data"]
    assert (data["state"], data["total_lines"], data["processed"]) == ("done", 1000, 1000)
    assert (data["created"], data["failed"], data["orders_created"]) == (993, 7, 993)
    assert Decimal(str(data["total_value"])) == expected_value
    failed = {line["line"]: line for line in data["lines"] if line["status"] == "failed"}
    assert sorted(failed) == sorted(bad)
    for line, (_, field) in bad.items():
        assert [e["field"] for e in failed[line]["errors"]] == [field], failed[line]
    assert "não encontrado" in failed[12]["errors"][0]["message"]
    assert "dez" in failed[678]["errors"][0]["message"]
    assert "4 colunas" in failed[999]["errors"][0]["message"]
    created = [line for line in data["lines"] if line["status"] == "created"]
    ids = {line["order_id"] for line in created}
    assert len(ids) == 993
    # The orders are in the database as POST /orders makes them, and announced.
    stored = orders_of(session, ids)
    assert len(stored) == 993
    line_two = created[0]
    order = stored[line_two["order_id"]]
    assert (order.status, order.client_id, order.notes) == (
        "pending",
        uuid.UUID(school["id"]),
        "linha 0",
    )
    assert order.desired_delivery_date.isoformat() == tomorrow
    assert order.total == Decimal(str(line_two["total"])) == Decimal(str(beans["price"])) * 1
    announced = count(
        session,
        select(func.count()).where(
            outbox.c.event_type == "order.created",
            outbox.c.payload["data"]["order_id"].astext.in_(ids),
        ),
    )
    assert announced == 993
    assert sum(o.total for o in stored.values()) == expected_value
    session.rollback()


def test_every_line_bad_is_400_and_nothing_is_written(client, admin, session, school_and_products):
    school, rice, _ = school_and_products
    before = count(session, select(func.count()).select_from(Order))
    jobs_before = count(session, select(func.count()).select_from(ImportJob))
    rows = [f",{school['id']},{rice['id']},0,,", f",{uuid.uuid4()},{rice['id']},2,,"]

    response = post_csv(client, admin, csv_body(rows))

    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.json
    assert body["code"] == "import_failed"
    assert [e["field"] for e in body["errors"]] == ["lines.2.quantity", "lines.3.client_id"]
    assert body["data"]["failed"] == 2
    assert count(session, select(func.count()).select_from(Order)) == before
    assert count(session, select(func.count()).select_from(ImportJob)) == jobs_before


def test_json_all_good_is_201_one_line_per_order(client, admin, session, school_and_products):
    school, rice, beans = school_and_products
    body = {
        "orders": [
            {
                "client_id": school["id"],
                "items": [
                    {"product_id": rice["id"], "quantity": 2},
                    {"product_id": beans["id"], "quantity": 3},
                ],
                "notes": "Pedido automatizado",
            },
            {"client_id": school["id"], "items": [{"product_id": beans["id"], "quantity": 1}]},
        ]
    }

    response = client.post(IMPORT, json=body, headers=admin)

    assert response.status_code == 201, response.get_data(as_text=True)
    lines = response.json["data"]["lines"]
    assert [(line["line"], line["status"]) for line in lines] == [(1, "created"), (2, "created")]
    first = orders_of(session, [lines[0]["order_id"]])[lines[0]["order_id"]]
    expected = Decimal(str(rice["price"])) * 2 + Decimal(str(beans["price"])) * 3
    assert first.total == expected == Decimal(str(lines[0]["total"]))
    assert [
        (str(i.product_id), i.quantity) for i in sorted(first.items, key=lambda i: i.position)
    ] == [
        (rice["id"], 2),
        (beans["id"], 3),
    ]
    session.rollback()


def test_consecutive_lines_with_one_ref_are_one_order_and_fail_together(
    client, admin, session, school_and_products
):
    school, rice, beans = school_and_products
    rows = [
        f"A,{school['id']},{rice['id']},2,,",
        f"A,{school['id']},{beans['id']},4,,",
        f"B,{school['id']},{rice['id']},1,,",
        f"B,{school['id']},{beans['id']},zero,,",  # line 5: B fails as a whole
        f"A,{school['id']},{beans['id']},1,,",  # line 6: A again, not consecutive
        f"C,{school['id']},{rice['id']},1,,",
        f"C,{school['id']},{rice['id']},2,,",  # line 8: the same product twice in C
    ]

    response = post_csv(client, admin, csv_body(rows))

    assert response.status_code == 207, response.get_data(as_text=True)
    lines = {line["line"]: line for line in response.json["data"]["lines"]}
    assert lines[2]["order_id"] == lines[3]["order_id"] is not None
    order = orders_of(session, [lines[2]["order_id"]])[lines[2]["order_id"]]
    assert len(order.items) == 2
    assert order.total == Decimal(str(rice["price"])) * 2 + Decimal(str(beans["price"])) * 4
    session.rollback()
    assert lines[4]["status"] == "failed"
    assert "linha 5" in lines[4]["errors"][0]["message"]
    assert [e["field"] for e in lines[5]["errors"]] == ["quantity"]
    assert "consecutivas" in lines[6]["errors"][0]["message"]
    assert lines[7]["status"] == lines[8]["status"] == "failed"
    assert "repetido" in lines[8]["errors"][0]["message"]
    assert response.json["data"]["orders_created"] == 1


def test_a_line_short_of_stock_names_the_shortage_counting_earlier_lines(
    client, admin, make_client, make_product
):
    school = make_client()
    milk = make_product(name="Leite integral 1 L", on_hand=10)
    rows = [f",{school['id']},{milk['id']},6,,", f",{school['id']},{milk['id']},6,,"]

    response = post_csv(client, admin, csv_body(rows))

    assert response.status_code == 207, response.get_data(as_text=True)
    first, second = response.json["data"]["lines"]
    assert first["status"] == "created"
    assert second["errors"] == [
        {
            "field": "quantity",
            "message": "Estoque insuficiente: Leite integral 1 L (pedido 6, disponível 4).",
        }
    ]


def test_a_large_file_is_a_job_that_a_worker_completes_with_progress_between(
    client, admin, session, order_app, stock_catalogue, school_and_products
):
    school, rice, _ = school_and_products
    rows = [f",{school['id']},{rice['id']},1,," for _ in range(1200)]
    rows[99] = f",{school['id']},{rice['id']},x,,"  # line 101

    response = post_csv(client, admin, csv_body(rows))

    assert response.status_code == 202, response.get_data(as_text=True)
    job_id = response.json["data"]["id"]
    assert response.headers["Location"] == f"{IMPORTS}/{job_id}"
    assert response.json["data"]["state"] == "queued"
    assert response.json["data"]["total_lines"] == 1200
    assert count(session, select(func.count()).where(ImportUploadChunk.job_id == job_id)) >= 1

    # One batch by hand: the job shows its progress while running.
    with order_app.app_context():
        lease = jobs.claim_next(session)
        assert lease is not None and str(lease.job_id) == job_id
        job = session.get(ImportJob, lease.job_id)
        batch = next(batches(uploads.stored_orders(session, job)))
        session.rollback()
        import_batch(
            session, lease=lease, orders=batch, stock=stock_catalogue, allocation=StockAllocation()
        )
    midway = client.get(f"{IMPORTS}/{job_id}?status=failed", headers=admin).json
    assert midway["data"]["state"] == "running"
    assert 0 < midway["data"]["processed"] < 1200
    assert [line["line"] for line in midway["data"]["lines"]] == [101]

    with order_app.app_context():
        jobs.run(session, lease=lease, stock=stock_catalogue, in_request=False)
    done = client.get(f"{IMPORTS}/{job_id}?page_size=100&page=12", headers=admin).json
    assert done["data"]["state"] == "done"
    assert (done["data"]["processed"], done["data"]["created"], done["data"]["failed"]) == (
        1200,
        1199,
        1,
    )
    assert done["meta"]["total"] == 1200
    assert [line["line"] for line in done["data"]["lines"]] == list(range(1102, 1202))
    created = count(
        session,
        select(func.count(func.distinct(ImportLineResult.order_id))).where(
            ImportLineResult.job_id == job_id
        ),
    )
    assert created == 1199
    # Done: the stored file is dropped.
    assert count(session, select(func.count()).where(ImportUploadChunk.job_id == job_id)) == 0
    assert run_pending(order_app) == 0


def test_the_worker_runs_queued_jobs_from_start_to_done(
    client, admin, order_app, school_and_products
):
    school, rice, _ = school_and_products
    rows = [f",{school['id']},{rice['id']},1,," for _ in range(1001)]
    job_id = post_csv(client, admin, csv_body(rows)).json["data"]["id"]

    assert run_pending(order_app) == 1

    data = client.get(f"{IMPORTS}/{job_id}", headers=admin).json["data"]
    assert (data["state"], data["created"], data["orders_created"]) == ("done", 1001, 1001)


def test_a_repeated_key_replays_the_first_answer_and_another_file_is_409(
    client, admin, session, school_and_products
):
    school, rice, _ = school_and_products
    body = csv_body([f",{school['id']},{rice['id']},1,,", f",{school['id']},{rice['id']},x,,"])
    key = {"Idempotency-Key": f"importacao-{uuid.uuid4()}"}
    first = post_csv(client, admin, body, **key)
    before = count(session, select(func.count()).select_from(Order))

    again = post_csv(client, admin, body, **key)
    other = post_csv(client, admin, csv_body([f",{school['id']},{rice['id']},2,,"]), **key)

    assert first.status_code == again.status_code == 207
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 409 and other.json["code"] == "idempotency_key_reused"
    assert count(session, select(func.count()).select_from(Order)) == before


def test_failed_lines_come_back_as_csv_to_fix_and_upload_again(client, admin, school_and_products):
    school, rice, _ = school_and_products
    body = csv_body(
        [f"A,{school['id']},{rice['id']},1,,ok", f"B,{school['id']},{rice['id']},dez,,fix me"]
    )
    job = post_csv(client, admin, body).json["data"]

    response = client.get(job["links"]["failed_lines"], headers=admin)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [*TEMPLATE_COLUMNS, "error"]
    assert rows[1][:6] == ["B", school["id"], rice["id"], "dez", "", "fix me"]
    assert rows[1][6].startswith("linha 3: quantity: ")
    assert len(rows) == 2
    # Fixed and sent back as downloaded (the error column is ignored).
    rows[1][3] = "10"
    fixed = io.StringIO()
    csv.writer(fixed).writerows(rows)
    again = post_csv(client, admin, fixed.getvalue().encode())
    assert again.status_code == 201, again.get_data(as_text=True)


def test_template_and_list(client, admin):
    template = client.get(f"{IMPORT}/template.csv", headers=admin)
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert template.get_data(as_text=True).splitlines()[0] == ",".join(TEMPLATE_COLUMNS)
    listed = client.get(f"{IMPORTS}?page_size=5", headers=admin)
    assert listed.status_code == 200 and listed.json["meta"]["page_size"] == 5


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"cliente,produto,qtd\nx,y,1\n", "text/csv", 400, "invalid_import_file"),
        (HEADER.encode(), "text/csv", 400, "empty_import"),
        (b"", "text/csv", 400, "empty_import"),
        ((HEADER + "A,b,c,1,,Jo\xe3o\n").encode("latin-1"), "text/csv", 400, "invalid_import_file"),
        (b"<xml/>", "application/xml", 415, "unsupported_media_type"),
        (b'{"orders": {}}', "application/json", 400, "validation_error"),
        (b'{"orders": [', "application/json", 400, None),
    ],
)
def test_a_file_that_cannot_be_read_writes_nothing(
    client, admin, session, body, content_type, status, code
):
    jobs_before = count(session, select(func.count()).select_from(ImportJob))
    response = client.post(IMPORT, data=body, headers=admin, content_type=content_type)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.json["status"] == "error"
    if code:
        assert response.json["code"] == code
    assert count(session, select(func.count()).select_from(ImportJob)) == jobs_before


def test_multipart_upload_keeps_the_file_name(client, admin, school_and_products):
    school, rice, _ = school_and_products
    data = {"file": (io.BytesIO(csv_body([f",{school['id']},{rice['id']},1,,"])), "dezembro.csv")}
    response = client.post(IMPORT, data=data, headers=admin, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.json["data"]["file_name"] == "dezembro.csv"


def test_clients_and_suppliers_may_not_import(client, as_client, as_supplier, make_client):
    school = make_client()
    for headers in (as_client(school["id"]), as_supplier(str(uuid.uuid4()))):
        response = post_csv(client, headers, csv_body([]))
        assert response.status_code == 403
        assert client.get(f"{IMPORTS}/{uuid.uuid4()}", headers=headers).status_code == 403


def test_unknown_job_is_404(client, admin):
    response = client.get(f"{IMPORTS}/{uuid.uuid4()}", headers=admin)
    assert response.status_code == 404 and response.json["code"] == "not_found"


def test_a_csv_past_the_json_body_limit_is_read_as_it_arrives(
    client, admin, session, order_app, school_and_products
):
    school, rice, _ = school_and_products
    limit = order_app.config["SETTINGS"].max_json_body_bytes
    line = f",{school['id']},{rice['id']},1,,\n"
    body = csv_body([line.strip()] * (limit // len(line) + 100))
    assert len(body) > limit

    response = post_csv(client, admin, body)

    assert response.status_code == 202, response.get_data(as_text=True)
    job_id = response.json["data"]["id"]
    assert response.json["data"]["total_lines"] == limit // len(line) + 100
    jobs.discard(session, uuid.UUID(job_id))  # not run here: a test of reading only


class _StockAway:
    """A stock service that does not answer."""

    def check_availability(self, lines):
        raise StockUnavailable()


def test_stock_away_small_import_is_503_and_writes_nothing(
    client, admin, session, order_app, monkeypatch, school_and_products
):
    school, rice, _ = school_and_products
    monkeypatch.setitem(order_app.extensions, STOCK_EXTENSION, _StockAway())
    jobs_before = count(session, select(func.count()).select_from(ImportJob))
    orders_before = count(session, select(func.count()).select_from(Order))

    response = post_csv(client, admin, csv_body([f",{school['id']},{rice['id']},1,,"]))

    assert response.status_code == 503 and response.json["code"] == "stock_unavailable"
    assert count(session, select(func.count()).select_from(ImportJob)) == jobs_before
    assert count(session, select(func.count()).select_from(Order)) == orders_before


def test_stock_away_a_large_job_waits_and_is_resumed_later(
    client, admin, session, order_app, monkeypatch, stock_catalogue, school_and_products
):
    school, rice, _ = school_and_products
    job_id = post_csv(client, admin, csv_body([f",{school['id']},{rice['id']},1,,"] * 1001)).json[
        "data"
    ]["id"]
    monkeypatch.setitem(order_app.extensions, STOCK_EXTENSION, _StockAway())

    assert run_pending(order_app) == 0

    job = session.get(ImportJob, uuid.UUID(job_id))
    assert (job.state, job.processed_lines, job.lease_id) == ("running", 0, None)
    assert job.lease_until > clock.now()  # not retried at once
    session.execute(update(ImportJob).where(ImportJob.id == job.id).values(lease_until=clock.now()))
    session.commit()
    monkeypatch.setitem(order_app.extensions, STOCK_EXTENSION, stock_catalogue)
    assert run_pending(order_app) == 1
    assert client.get(f"{IMPORTS}/{job_id}", headers=admin).json["data"]["created"] == 1001


def test_a_nul_character_is_an_error_on_its_line_not_a_500(client, admin, school_and_products):
    school, rice, _ = school_and_products
    rows = [f",{school['id']},{rice['id']},1,,bom", f",{school['id']},{rice['id']},1,,nota\x00ruim"]

    response = post_csv(client, admin, csv_body(rows))

    assert response.status_code == 207, response.get_data(as_text=True)
    bad = response.json["data"]["lines"][1]
    assert [e["field"] for e in bad["errors"]] == ["notes"]
    json_body = {
        "orders": [
            {"client_id": school["id"], "items": [{"product_id": rice["id"], "quantity": 1}]},
            {
                "client_id": school["id"],
                "items": [{"product_id": rice["id"], "quantity": 1}],
                "notes": "x\u0000y",
            },
        ]
    }
    response = client.post(IMPORT, json=json_body, headers=admin)
    assert response.status_code == 207, response.get_data(as_text=True)
    assert response.json["data"]["lines"][1]["errors"][0]["field"] == "notes"


def test_a_csv_past_the_import_limit_is_413_and_writes_nothing(
    client, admin, session, order_app, monkeypatch
):
    settings = order_app.config["SETTINGS"]
    monkeypatch.setitem(
        order_app.config, "SETTINGS", dataclasses.replace(settings, max_import_bytes=10_000)
    )
    jobs_before = count(session, select(func.count()).select_from(ImportJob))

    response = post_csv(client, admin, csv_body([",a,b,1,,"] * 2000))

    assert response.status_code == 413, response.get_data(as_text=True)
    assert response.json["code"] == "payload_too_large"
    assert count(session, select(func.count()).select_from(ImportJob)) == jobs_before


def test_an_odd_file_name_is_kept_within_its_column(client, admin, school_and_products):
    school, rice, _ = school_and_products
    body = csv_body([f",{school['id']},{rice['id']},1,,"])
    data = {"file": (io.BytesIO(body), "pedidos-" + "ã" * 400 + ".csv")}
    response = client.post(IMPORT, data=data, headers=admin, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.json["data"]["file_name"].startswith("pedidos-ã")
    assert len(response.json["data"]["file_name"]) == 255


def test_the_longest_request_id_is_kept_with_the_job(client, admin, school_and_products):
    school, rice, _ = school_and_products
    body = csv_body([f",{school['id']},{rice['id']},1,,"])
    response = post_csv(client, admin, body, **{"X-Request-ID": "r" * 128})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_an_order_ref_too_long_fails_its_line_only(client, admin, school_and_products):
    school, rice, _ = school_and_products
    rows = [f"{'R' * 150},{school['id']},{rice['id']},1,,", f",{school['id']},{rice['id']},1,,"]
    response = post_csv(client, admin, csv_body(rows))
    assert response.status_code == 207, response.get_data(as_text=True)
    first = response.json["data"]["lines"][0]
    assert [e["field"] for e in first["errors"]] == ["order_ref"]
    assert first["order_ref"] == "R" * 100


def test_a_large_json_import_is_a_job_too(client, admin, order_app, school_and_products):
    school, rice, _ = school_and_products
    order = {"client_id": school["id"], "items": [{"product_id": rice["id"], "quantity": 1}]}
    response = client.post(IMPORT, json={"orders": [order] * 1001}, headers=admin)
    assert response.status_code == 202, response.get_data(as_text=True)
    job_id = response.json["data"]["id"]

    assert run_pending(order_app) >= 1

    data = client.get(f"{IMPORTS}/{job_id}", headers=admin).json["data"]
    assert (data["state"], data["created"], data["source_format"]) == ("done", 1001, "json")
