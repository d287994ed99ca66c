"""The hot path's statements on the driver (shared.db): same rows, same errors as the ORM's."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import Engine, Table, bindparam, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import array_literal, driver_execute, driver_insert, unit_of_work
from shared.events import new_event
from shared.outbox import _insert_in_order, record_event


def test_a_statement_on_the_driver_gives_the_rows_and_uuids_as_uuids(
    orders_engine: Engine, outbox: Table
):
    first, second = (
        new_event("test.driver", {}, source="tests"),
        new_event("test.driver", {}, source="tests"),
    )
    with Session(orders_engine) as session, unit_of_work(session):
        record_event(session, outbox, first)
        record_event(session, outbox, second)
        rows = driver_execute(
            session,
            select(outbox.c.id, outbox.c.payload).where(outbox.c.event_type == bindparam("type")),
            {"type": "test.driver"},
        )
        unpublished = driver_execute(
            session,
            outbox.update()
            .where(outbox.c.event_type == bindparam("type"))
            .values(attempts=outbox.c.attempts + 1),
            {"type": "test.driver"},
        )

    assert sorted(rows, key=lambda row: str(row[0])) == sorted(
        [(uuid.UUID(first.id), first.to_dict()), (uuid.UUID(second.id), second.to_dict())],
        key=lambda row: str(row[0]),
    )
    assert unpublished == []  # no RETURNING: no rows
    with orders_engine.connect() as conn:
        attempts = conn.execute(select(outbox.c.attempts)).scalars().all()
    assert attempts == [1, 1]


def test_a_constraint_broken_on_the_driver_is_sqlalchemys_integrity_error_and_nothing_stays(
    orders_engine: Engine, outbox: Table
):
    taken = new_event("test.driver", {}, source="tests")
    with Session(orders_engine) as session, unit_of_work(session):
        record_event(session, outbox, taken)

    with Session(orders_engine) as session:
        with pytest.raises(IntegrityError) as raised, unit_of_work(session):
            record_event(session, outbox, new_event("test.other", {}, source="tests"))
            driver_insert(
                session,
                _insert_in_order(outbox),
                {
                    "id": taken.id,  # the primary key again
                    "event_type": "test.driver",
                    "routing_key": "test.driver",
                    "payload": {},
                    "headers": {},
                },
            )
        # The session rolled back and works on: the same connection is usable again.
        assert session.execute(text("SELECT 1")).scalar() == 1

    assert raised.value.orig.pgcode == "23505"  # unique_violation, from psycopg2 itself
    with orders_engine.connect() as conn:
        types = conn.execute(select(outbox.c.event_type)).scalars().all()
    assert types == ["test.driver"]  # the other event of the failed transaction is gone


def test_a_list_goes_as_one_array_literal_and_comes_back_element_for_element(
    orders_engine: Engine,
):
    texts = ["plain", 'a "quoted" word', "back\\slash", "comma, {brace}", "", "NULL", None, "ç"]
    ids = [uuid.uuid4(), uuid.uuid4()]
    with Session(orders_engine) as session, unit_of_work(session):
        (row,) = driver_execute(
            session,
            text(
                "SELECT CAST(:texts AS text[]), CAST(:ids AS uuid[]), CAST(:counts AS int[]),"
                " CAST(:none AS int[]), CAST(:flags AS boolean[])"
            ),
            {
                "texts": texts,
                "ids": ids,
                "counts": [1, -2, 30],
                "none": [],
                "flags": [True, False],
            },
        )

    assert row == (texts, ids, [1, -2, 30], [], [True, False])


def test_an_array_literal_quotes_text_and_refuses_nested_values():
    some_id = uuid.UUID("0f6c5a52-1c1d-4c8e-9a43-2f3e6e1b7a10")
    assert array_literal(["a", 'b"', "c\\", None, 3, False, some_id, Decimal("1.50")]) == (
        '{"a","b\\"","c\\\\",NULL,3,f,0f6c5a52-1c1d-4c8e-9a43-2f3e6e1b7a10,"1.50"}'
    )
    with pytest.raises(TypeError):
        array_literal([[1, 2]])


_TRANSACTION_ID = text("SELECT txid_current()")


def test_driver_statements_run_in_the_sessions_current_transaction_a_new_one_after_each_end(
    orders_engine: Engine,
):
    # The driver keeps the transaction's connection once looked up: it must follow the
    # session from one transaction to the next (commit, rollback) and see the ORM's writes.
    with Session(orders_engine) as session:
        with unit_of_work(session):
            first = driver_execute(session, _TRANSACTION_ID, {})
            assert driver_execute(session, _TRANSACTION_ID, {}) == first
            assert session.execute(_TRANSACTION_ID).all() == first
        with unit_of_work(session):
            second = driver_execute(session, _TRANSACTION_ID, {})
        session.execute(text("CREATE TEMP TABLE driver_seen (n int)"))
        session.execute(text("INSERT INTO driver_seen VALUES (1)"))
        assert driver_execute(session, text("SELECT n FROM driver_seen"), {}) == [(1,)]
        session.rollback()
        third = driver_execute(session, _TRANSACTION_ID, {})
        assert session.execute(_TRANSACTION_ID).all() == third
        session.rollback()

    assert len({first[0][0], second[0][0], third[0][0]}) == 3
