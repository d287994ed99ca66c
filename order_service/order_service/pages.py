"""One page of a list and its total: counted exactly up to COUNT_CAP, past that the
planner's estimate (`meta.total_exact` false) — counting a million rows costs more than the
page itself.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.visitors import InternalTraversal

log = logging.getLogger("pedidos.orders.queries")

# Counting a million rows costs more than the page itself: exact up to here, then estimated.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class ListPage:
    """One page of a list and its meta (total exact, or estimated past COUNT_CAP)."""

    items: list[Any]
    page: int
    page_size: int
    total: int
    total_exact: bool = True

    @property
    def meta(self) -> dict[str, Any]:
        pages = math.ceil(self.total / self.page_size) if self.total else 0
        return {
            "page": self.page,
            "page_size": self.page_size,
            "total": self.total,
            "pages": pages,
            "total_exact": self.total_exact,
        }


def count_rows(session: Session, stmt: Select[Any]) -> tuple[int, bool]:
    """Rows of `stmt`: exact up to COUNT_CAP, then the planner's estimate."""
    capped = session.scalar(
        select(func.count()).select_from(stmt.order_by(None).limit(COUNT_CAP + 1).subquery())
    )
    if capped is None or capped <= COUNT_CAP:
        return int(capped or 0), True
    return max(estimated_rows(session, Explain(stmt.order_by(None))), COUNT_CAP + 1), False


class Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a statement, which runs nothing.

    A statement of its own, so its values are bound parameters (never rendered into the
    SQL) and its compiled form is cached like any other statement's.
    """

    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]
    inherit_cache = True

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(Explain)
def _compile_explain(element: Explain, compiler: Any, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def estimated_rows(
    session: Session, explain: Explain, params: Mapping[str, Any] | None = None
) -> int:
    """The planner's row estimate (the Plan Rows of the EXPLAIN)."""
    try:
        plan = session.execute(explain, dict(params or {})).scalar_one()
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])
    except Exception:  # an estimate is a nicety: never fail a list over it
        log.warning("row estimate failed", exc_info=True)
        return COUNT_CAP + 1
