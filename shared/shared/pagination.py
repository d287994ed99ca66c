"""One pagination for every list: `page` 1..1,000,000, `page_size` 1..100 (default 20)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# Far past any real list, and small enough that (page - 1) × page_size stays a valid
# OFFSET: a page number of 30 digits would otherwise reach the database and fail there.
MAX_PAGE = 1_000_000


class PaginationQuerySchema(Schema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Página, de 1 a 1.000.000."},
    )
    page_size = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={
            "description": f"Itens por página (padrão {DEFAULT_PAGE_SIZE}, máximo {MAX_PAGE_SIZE})."
        },
    )


class PageMetaSchema(Schema):
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    page_size: int
    total: int

    def map(self, view: Callable[[Any], Any]) -> Page:
        """The same page with each item passed through `view` (rows → what the API shows)."""
        return Page([view(item) for item in self.items], self.page, self.page_size, self.total)

    @property
    def meta(self) -> dict[str, int]:
        pages = math.ceil(self.total / self.page_size) if self.total else 0
        return {"page": self.page, "page_size": self.page_size, "total": self.total, "pages": pages}


def paginate(session: Session, stmt: Select, *, page: int, page_size: int) -> Page:
    """Run `stmt` for one page and count the whole result set (ORDER BY dropped for the count)."""
    total = session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()
    rows = session.execute(stmt.limit(page_size).offset((page - 1) * page_size))
    # column_descriptions counts selected entities/columns: select(User) is one, not 12 columns.
    items = list(rows.scalars().all()) if len(stmt.column_descriptions) == 1 else list(rows.all())
    return Page(items=items, page=page, page_size=page_size, total=total)
