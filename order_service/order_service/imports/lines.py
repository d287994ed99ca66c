"""Reading an import file into orders, line by line, without Flask or the database.

A CSV file has one order *item* per line under a header (`TEMPLATE_COLUMNS`); consecutive
lines with the same `order_ref` are one order, a line without one is an order of its own.
A JSON body is `{"orders": [...]}`, each order shaped like the body of `POST /orders` and
counted as one line (its position, from 1).

Every line is checked on its own and carries its own errors: a bad line never hides the
good ones. An order is created only if all of its lines are good (a school's order missing
an item is worse than no order: the user fixes the line and uploads it again), so the other
lines of an order with a bad line fail too, naming the line at fault.
"""

from __future__ import annotations

import codecs
import csv
import io
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from order_service.domain.errors import InvalidInput
from order_service.domain.orders import (
    MAX_ITEMS_PER_ORDER,
    MAX_QUANTITY,
    NOT_A_UUID,
    PAST_DELIVERY_DATE,
    TOO_MANY_ITEMS,
)
from shared import clock
from shared.i18n import Text, field_message_text

REQUIRED_COLUMNS = ("client_id", "product_id", "quantity")
OPTIONAL_COLUMNS = ("order_ref", "desired_delivery_date", "notes")
# The template's order: who and what first, then how to group and the optional fields.
TEMPLATE_COLUMNS = (
    "order_ref",
    "client_id",
    "product_id",
    "quantity",
    "desired_delivery_date",
    "notes",
)
ERROR_COLUMN = "error"
ORDER_REF_MAX = 100
NOTES_MAX = 2000


@dataclass(frozen=True)
class LineError:
    field: str
    message: Text

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "pt": self.message.pt, "en": self.message.en}


@dataclass
class ImportItem:
    """One product line of an order to import, as read, with what is wrong with it."""

    line: int  # the file line (header = 1), or the order's position in a JSON body
    product_id: uuid.UUID | None
    quantity: int | None
    raw: dict[str, str]  # the values as given, for the failed-lines CSV
    errors: list[LineError] = field(default_factory=list)


@dataclass
class ImportedOrder:
    """Consecutive lines that make one order; created only when none of them has an error."""

    ref: str | None
    client_id: uuid.UUID | None
    desired_delivery_date: date | None
    notes: str | None
    items: list[ImportItem]

    @property
    def lines(self) -> list[int]:
        return sorted({item.line for item in self.items})

    @property
    def first_bad_line(self) -> int | None:
        return next((item.line for item in self.items if item.errors), None)

    def fail(self, field_name: str, message: Text) -> None:
        """Put an error on every line (a shortage, an unknown client: the whole order fails)."""
        for item in self.items:
            item.errors.append(LineError(field_name, message))

    def fail_siblings(self) -> None:
        """The good lines of an order with a bad line fail too, naming the bad line."""
        bad = self.first_bad_line
        if bad is None:
            return
        for item in self.items:
            if not item.errors:
                item.errors.append(
                    LineError(
                        "order_ref",
                        Text(
                            f"Pedido não criado: a linha {bad} do mesmo pedido tem erro.",
                            f"Order not created: line {bad} of the same order has an error.",
                        ),
                    )
                )

    @property
    def valid(self) -> bool:
        return not any(item.errors for item in self.items)


class OrderRejected(ValueError):
    """One JSON order failed its schema: {field: [messages]}, as marshmallow reports them."""

    def __init__(self, messages: Any) -> None:
        super().__init__("order rejected")
        self.messages = messages


class ImportFileError(InvalidInput):
    """The file as a whole cannot be read (header, encoding, shape): nothing is imported."""

    code = "invalid_import_file"


# -- CSV ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvHeader:
    columns: tuple[str, ...]
    delimiter: str


def read_header(first_line: str) -> CsvHeader:
    """The header's columns (trimmed, lower case); `;` is accepted as Excel in pt-BR writes it."""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    row = next(csv.reader([first_line], delimiter=delimiter), [])
    columns = tuple(name.strip().lower() for name in row)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    # The failed-lines CSV adds an `error` column: it may come back, and is ignored.
    unknown = [name for name in columns if name not in (*TEMPLATE_COLUMNS, ERROR_COLUMN)]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    errors = [
        *(_file_error(name, _MISSING_COLUMN) for name in missing),
        *(_file_error(name or "(vazia)", _UNKNOWN_COLUMN) for name in unknown),
        *(_file_error(name, _REPEATED_COLUMN) for name in repeated),
    ]
    if errors:
        raise ImportFileError(
            Text(
                "O cabeçalho do arquivo não é o do modelo: "
                + ", ".join(TEMPLATE_COLUMNS)
                + " (client_id, product_id e quantity são obrigatórias).",
                "The file's header is not the template's: "
                + ", ".join(TEMPLATE_COLUMNS)
                + " (client_id, product_id and quantity are required).",
            ),
            errors=errors,
        )
    return CsvHeader(columns, delimiter)


def csv_records(header: CsvHeader, text_lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """The data records after the header, with the file line each starts on; blanks skipped.

    `text_lines` yields the file's physical lines after the header, with their line ends;
    a quoted field may span lines.
    """
    reader = csv.reader(text_lines, delimiter=header.delimiter)
    previous_end = 1  # the header
    for row in reader:
        line = previous_end + 1
        previous_end = reader.line_num + 1
        if any(value.strip() for value in row):  # spreadsheets leave blank lines at the end
            yield line, row


def parse_record(header: CsvHeader, line: int, row: list[str]) -> tuple[dict, ImportItem]:
    """One data record → (its order's fields, its item with what is wrong with it)."""
    # PostgreSQL cannot store U+0000 in text: refused here, and dropped from what is kept.
    with_nul = [name for name, value in zip(header.columns, row, strict=False) if "\x00" in value]
    row = [value.replace("\x00", "") for value in row]
    raw = dict(zip(header.columns, row, strict=False))
    item = ImportItem(line=line, product_id=None, quantity=None, raw=raw)
    item.errors.extend(LineError(name, _NUL) for name in with_nul)
    if len(row) != len(header.columns):
        item.errors.append(
            LineError(
                "line",
                Text(
                    f"A linha tem {len(row)} colunas; o cabeçalho tem {len(header.columns)}.",
                    f"The line has {len(row)} columns; the header has {len(header.columns)}.",
                ),
            )
        )
        return {"ref": (_text(raw.get("order_ref")) or "")[:ORDER_REF_MAX] or None}, item
    return _order_fields(raw, item), _item_fields(raw, item)


def read_csv_orders(
    header: CsvHeader, records: Iterable[tuple[int, list[str]]]
) -> Iterator[ImportedOrder]:
    """Data records → orders (consecutive lines with one order_ref), lazily."""
    return group_orders(parse_record(header, line, row) for line, row in records)


def _order_fields(raw: Mapping[str, str], item: ImportItem) -> dict[str, Any]:
    ref = _text(raw.get("order_ref"))
    if ref is not None and len(ref) > ORDER_REF_MAX:
        item.errors.append(LineError("order_ref", _TOO_LONG.format(size=ORDER_REF_MAX)))
        ref = ref[:ORDER_REF_MAX]  # still groups its lines; kept as long as its column
    notes = _text(raw.get("notes"))
    if notes is not None and len(notes) > NOTES_MAX:
        item.errors.append(LineError("notes", _TOO_LONG.format(size=NOTES_MAX)))
    return {
        "ref": ref,
        "client_id": _uuid(raw.get("client_id"), "client_id", item),
        "desired_delivery_date": _delivery_date(raw.get("desired_delivery_date"), item),
        "notes": notes,
    }


def _item_fields(raw: Mapping[str, str], item: ImportItem) -> ImportItem:
    item.product_id = _uuid(raw.get("product_id"), "product_id", item)
    item.quantity = _quantity(raw.get("quantity"), item)
    return item


def group_orders(lines: Iterable[tuple[dict, ImportItem]]) -> Iterator[ImportedOrder]:
    """Consecutive lines with the same order_ref → one order; a line without a ref is alone.

    A ref that comes back after other lines is an error on that line (an order's lines
    must be together, so a large file is grouped without being held in memory).
    """
    current: ImportedOrder | None = None
    closed: dict[str, int] = {}  # ref → its first line, for refs whose order has ended
    for fields_, item in lines:
        ref = fields_.get("ref")
        if current is not None and ref is not None and ref == current.ref:
            _join(current, fields_, item)
            continue
        if current is not None:
            closed_order = _closed(current)
            if closed_order.ref is not None:
                closed.setdefault(closed_order.ref, closed_order.items[0].line)
            yield closed_order
        if ref is not None and ref in closed:
            item.errors.append(
                LineError(
                    "order_ref",
                    Text(
                        f"As linhas do pedido {ref} devem ser consecutivas (começou na linha "
                        f"{closed[ref]}).",
                        f"The lines of order {ref} must be consecutive (it began on line "
                        f"{closed[ref]}).",
                    ),
                )
            )
            ref = None  # an order of its own, failed
        current = ImportedOrder(
            ref=ref,
            client_id=fields_.get("client_id"),
            desired_delivery_date=fields_.get("desired_delivery_date"),
            notes=fields_.get("notes"),
            items=[item],
        )
    if current is not None:
        yield _closed(current)


def _join(order: ImportedOrder, fields_: Mapping[str, Any], item: ImportItem) -> None:
    """Add a line to its order: the order's fields must agree, each product once."""
    for name in ("client_id", "desired_delivery_date", "notes"):
        value = fields_.get(name)
        if value is not None and getattr(order, name) is None:
            setattr(order, name, value)
        elif value is not None and value != getattr(order, name):
            item.errors.append(LineError(name, _DIFFERS.format(line=order.items[0].line)))
    if item.product_id is not None and any(o.product_id == item.product_id for o in order.items):
        item.errors.append(LineError("product_id", _REPEATED_PRODUCT))
    if len(order.items) >= MAX_ITEMS_PER_ORDER:
        item.errors.append(LineError("order_ref", TOO_MANY_ITEMS))
    order.items.append(item)


def _closed(order: ImportedOrder) -> ImportedOrder:
    order.fail_siblings()
    return order


# -- JSON --------------------------------------------------------------------------------


def read_json_orders(
    orders: list[Any], load_order: Callable[[Any], dict[str, Any]]
) -> Iterator[ImportedOrder]:
    """Each element of `orders` (the POST /orders body) → an order counted as one line.

    `load_order(element)` validates one element (the API's schema) and returns its data, or
    raises OrderRejected; its messages become the line's errors.
    """
    for position, element in enumerate(orders, start=1):
        raw = _json_raw(element)
        try:
            data = load_order(element)
        except OrderRejected as exc:
            item = ImportItem(line=position, product_id=None, quantity=None, raw=raw)
            item.errors.extend(_schema_errors(exc.messages))
            yield ImportedOrder(_json_ref(element), None, None, None, [item])
            continue
        items = [
            ImportItem(
                line=position, product_id=line["product_id"], quantity=line["quantity"], raw=raw
            )
            for line in data["items"]
        ]
        order = ImportedOrder(
            ref=_json_ref(element),
            client_id=data.get("client_id"),
            desired_delivery_date=data.get("desired_delivery_date"),
            notes=data.get("notes"),
            items=items,
        )
        if order.client_id is None:
            order.fail("client_id", _REQUIRED)
        elif (
            order.desired_delivery_date is not None
            and order.desired_delivery_date < clock.business_today()
        ):
            order.fail("desired_delivery_date", PAST_DELIVERY_DATE)
        yield order


def _json_ref(element: Any) -> str | None:
    ref = element.get("order_ref") if isinstance(element, Mapping) else None
    return str(ref)[:ORDER_REF_MAX] if ref not in (None, "") else None


def _json_raw(element: Any) -> dict[str, str]:
    """A JSON order flattened to the template's columns (first item), for the failed lines."""
    if not isinstance(element, Mapping):
        return {}
    items = element.get("items")
    first = items[0] if isinstance(items, list) and items and isinstance(items[0], Mapping) else {}
    values = {
        "order_ref": element.get("order_ref"),
        "client_id": element.get("client_id"),
        "product_id": first.get("product_id"),
        "quantity": first.get("quantity"),
        "desired_delivery_date": element.get("desired_delivery_date"),
        "notes": element.get("notes"),
    }
    return {
        name: str(value).replace("\x00", "") for name, value in values.items() if value is not None
    }


def _schema_errors(messages: Any, prefix: str = "") -> Iterator[LineError]:
    if isinstance(messages, Mapping):
        for name, nested in messages.items():
            yield from _schema_errors(nested, f"{prefix}.{name}" if prefix else str(name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield LineError(prefix or "line", field_message_text(message))
    elif isinstance(messages, list):
        for nested in messages:
            yield from _schema_errors(nested, prefix)
    else:
        yield LineError(prefix or "line", Text(str(messages), str(messages)))


# -- one value at a time -------------------------------------------------------------------


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _uuid(value: str | None, name: str, item: ImportItem) -> uuid.UUID | None:
    value = _text(value)
    if value is None:
        item.errors.append(LineError(name, _REQUIRED))
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        item.errors.append(LineError(name, NOT_A_UUID))
        return None


def _quantity(value: str | None, item: ImportItem) -> int | None:
    value = _text(value)
    if value is None:
        item.errors.append(LineError("quantity", _REQUIRED))
        return None
    try:
        quantity = int(value)
    except ValueError:
        item.errors.append(LineError("quantity", _NOT_WHOLE.format(value=value)))
        return None
    if not 1 <= quantity <= MAX_QUANTITY:
        item.errors.append(LineError("quantity", _QUANTITY_RANGE.format(value=value)))
        return None
    return quantity


def _delivery_date(value: str | None, item: ImportItem) -> date | None:
    value = _text(value)
    if value is None:
        return None
    try:
        desired = date.fromisoformat(value)
    except ValueError:
        desired = None
    if desired is None or len(value) != 10:
        item.errors.append(LineError("desired_delivery_date", _BAD_DATE.format(value=value)))
        return None
    if desired < clock.business_today():
        item.errors.append(LineError("desired_delivery_date", PAST_DELIVERY_DATE))
        return None
    return desired


def _file_error(name: str, message: Text) -> dict[str, Any]:
    return {"field": name, "message": message}


_MISSING_COLUMN = Text("Coluna obrigatória ausente no cabeçalho.", "Required column missing.")
_UNKNOWN_COLUMN = Text(
    "Coluna desconhecida (veja o modelo CSV).", "Unknown column (see the template)."
)
_REPEATED_COLUMN = Text("Coluna repetida no cabeçalho.", "Column repeated in the header.")
_REQUIRED = Text("Campo obrigatório.", "Required field.")
_NUL = Text("Não pode conter o caractere nulo (\\u0000).", "May not hold the NUL character.")
_NOT_WHOLE = Text(
    "A quantidade deve ser um número inteiro: '{value}'.",
    "Quantity must be a whole number: '{value}'.",
)
_QUANTITY_RANGE = Text(
    f"A quantidade deve estar entre 1 e {MAX_QUANTITY}: '{{value}}'.",
    f"Quantity must be between 1 and {MAX_QUANTITY}: '{{value}}'.",
)
_BAD_DATE = Text(
    "Data inválida '{value}': use AAAA-MM-DD.", "Invalid date '{value}': use YYYY-MM-DD."
)
_TOO_LONG = Text("No máximo {size} caracteres.", "At most {size} characters.")
_DIFFERS = Text(
    "Difere do valor da linha {line}, a primeira do mesmo pedido.",
    "Differs from line {line}, the first of the same order.",
)
_REPEATED_PRODUCT = Text(
    "Produto repetido no pedido: junte as quantidades em uma só linha.",
    "Product repeated on the order: put the quantities on one line.",
)


# -- bytes to lines ---------------------------------------------------------------------------


class _RawReader(io.RawIOBase):
    """Any object with read(n) (a request stream, an uploaded file) as a raw binary stream."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._source.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def text_lines(source: BinaryIO) -> Iterator[str]:
    """The physical lines of a UTF-8 file (BOM allowed), read as they arrive, ends kept.

    Decoded line by line (a newline byte never falls inside a UTF-8 character), so a byte
    that is not UTF-8 is reported on its own line. \n, \r\n and \r all end lines.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    line = 0
    for raw in io.BufferedReader(_RawReader(source), buffer_size=64 * 1024):
        try:
            text = decoder.decode(raw)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                Text(
                    f"O arquivo não está em UTF-8 (linha {line + 1}). No Excel, salve como "
                    "'CSV UTF-8'.",
                    f"The file is not UTF-8 (line {line + 1}). Save it as 'CSV UTF-8'.",
                )
            ) from exc
        for piece in io.StringIO(text, newline=""):
            line += 1
            yield piece
