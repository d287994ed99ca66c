"""Reading an import's CSV file into orders, line by line, without Flask or the database.

A CSV file has one order *item* per line under a header (`TEMPLATE_COLUMNS`); consecutive
lines with the same `order_ref` are one order, a line without one is an order of its own.
"""

from __future__ import annotations

import codecs
import csv
import io
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from order_service.domain.errors import InvalidInput
from order_service.domain.items import (
    MAX_ITEMS_PER_ORDER,
    MAX_QUANTITY,
    NOT_A_UUID,
    PAST_DELIVERY_DATE,
    TOO_MANY_ITEMS,
)
from order_service.imports.imported_orders import (
    ORDER_REF_MAX,
    REQUIRED_FIELD,
    ImportedOrder,
    ImportItem,
    LineError,
)
from shared import clock
from shared.i18n import Text

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

NOTES_MAX = 2000


class ImportFileError(InvalidInput):
    """The file as a whole cannot be read (header, encoding, shape): nothing is imported."""

    code = "invalid_import_file"


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


# -- one value at a time -------------------------------------------------------------------


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _uuid(value: str | None, name: str, item: ImportItem) -> uuid.UUID | None:
    value = _text(value)
    if value is None:
        item.errors.append(LineError(name, REQUIRED_FIELD))
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        item.errors.append(LineError(name, NOT_A_UUID))
        return None


def _quantity(value: str | None, item: ImportItem) -> int | None:
    value = _text(value)
    if value is None:
        item.errors.append(LineError("quantity", REQUIRED_FIELD))
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
