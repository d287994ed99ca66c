"""Reading an import file, without HTTP or the database: lines, numbers, grouping."""

from __future__ import annotations

import io
import uuid

import pytest

from order_service.imports.csv_format import (
    ImportFileError,
    csv_records,
    read_csv_orders,
    read_header,
    text_lines,
)

CLIENT, RICE, BEANS = (str(uuid.uuid4()) for _ in range(3))


def orders_of(text: str):
    lines = text_lines(io.BytesIO(text.encode()))
    header = read_header(next(lines))
    return list(read_csv_orders(header, csv_records(header, lines)))


def test_line_numbers_are_file_lines_even_with_a_quoted_field_over_two_lines_and_blanks():
    text = (
        "client_id,product_id,quantity,notes\r\n"
        f'{CLIENT},{RICE},1,"entrega\r\npela manhã"\r\n'  # lines 2-3
        "\r\n"  # line 4, blank
        f"{CLIENT},{BEANS},2,\r\n"  # line 5
    )

    orders = orders_of(text)

    assert [order.lines for order in orders] == [[2], [5]]
    assert orders[0].notes == "entrega\r\npela manhã"
    assert all(order.valid for order in orders)


def test_excel_in_portuguese_semicolons_and_a_bom_are_read():
    text = (
        "\ufeffOrder_Ref; Client_ID ;product_id;quantity\n"
        f"A;{CLIENT};{RICE};3\n"
        f"A;{CLIENT};{BEANS};4\n"
    )

    [order] = orders_of(text)

    assert order.ref == "A"
    assert [(str(i.product_id), i.quantity) for i in order.items] == [(RICE, 3), (BEANS, 4)]


def test_a_line_of_an_order_disagreeing_on_the_client_fails_the_order():
    other = str(uuid.uuid4())
    text = f"order_ref,client_id,product_id,quantity\nA,{CLIENT},{RICE},1\nA,{other},{BEANS},1\n"

    [order] = orders_of(text)

    first, second = order.items
    assert [e.field for e in second.errors] == ["client_id"]
    assert [e.field for e in first.errors] == ["order_ref"]
    assert "linha 3" in first.errors[0].message.pt


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        ("client_id,product_id", ["quantity"]),
        ("client_id,product_id,quantity,quantidade", ["quantidade"]),
        ("client_id,product_id,quantity,quantity", ["quantity"]),
    ],
)
def test_a_header_not_the_templates_names_each_fault(header, fields):
    with pytest.raises(ImportFileError) as raised:
        read_header(header + "\n")
    assert [e["field"] for e in raised.value.errors] == fields


def test_a_file_not_in_utf8_names_the_line():
    data = (
        "client_id,product_id,quantity\n" + f"{CLIENT},{RICE},1\n" * 3 + "Jo\xe3o,x,1\n"
    ).encode("latin-1")
    with pytest.raises(ImportFileError) as raised:
        list(text_lines(io.BytesIO(data)))
    assert "linha 5" in raised.value.message.pt
