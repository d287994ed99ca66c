"""The sales rollups, kept equal to the orders: the fold redoes every day that changed.

Triggers (migration 0009) log the instant of every sale whose order or lines changed in
`report_changes`. A fold takes those rows out of the log, turns them into business days and
recomputes each such day's rows (grain `D`) from the orders and their lines, then each
affected half-month (grain `F`) from its days. A change committed while a fold runs is in
the log for the next one, so a report that folds first (the report routes do) always sees
every committed change. Folds run one at a time (an advisory lock).

Two kinds of fold share that work. A report's folds the days only (~35 ms for a day at a
million orders) and lists their half-months in `report_stale_half_months`, which readers
take as days until redone; the order relay's, every OUTBOX_SWEEP_SECONDS, folds days and
every stale half-month (another ~55 ms per half-month), so the log stays short and reads
go back to half-months when nobody reads reports.

A fold in another business time zone than the last one (or the first fold after the
migration) rebuilds every rollup: days are the zone's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import Connection, Table, create_engine, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from order_service.domain.reports import NOT_VOLUME, half_month_of, next_half_month
from order_service.reports.rollup_tables import (
    DAY,
    HALF_MONTH,
    ROLLUPS,
    report_changes,
    report_rollup_state,
    report_stale_half_months,
)
from shared import clock
from shared.db import sqlalchemy_url

log = logging.getLogger("pedidos.orders.reports")

# Days recomputed per statement: a month of lines at a million orders is ~1 s. Rows are
# inserted in day order, so a day's rows stay together on disk (a report reads them so).
DAYS_PER_STATEMENT = 31
HALF_MONTHS_PER_STATEMENT = 24
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('orders.sales_rollups'))"
_NOT_VOLUME = ", ".join(f"'{status.value}'" for status in NOT_VOLUME)

# The days to redo, with their first and last-but-one instants as the business clock
# computes them (the same bounds the reports use).
_DAYS = """days AS (
    SELECT * FROM unnest(CAST(:days AS date[]), CAST(:starts AS timestamptz[]),
                         CAST(:ends AS timestamptz[])) AS d(day, s, e))"""
_SALE_LINES = """orders.order_items i ON i.order_live AND i.client_id IS NOT NULL
      AND i.order_created_at >= d.s AND i.order_created_at < d.e"""
_SALES = """orders.orders o ON o.deleted_at IS NULL AND o.type = 'sale'
      AND o.created_at >= d.s AND o.created_at < d.e"""

_FOLD_DAYS = {
    "sales_rollup_status": f"""
WITH {_DAYS},
o AS (SELECT d.day, o.status, count(*) AS orders, sum(o.total) AS value,
             count(o.approved_at) AS approved,
             coalesce(sum(extract(epoch FROM o.approved_at - o.created_at)), 0) AS seconds
        FROM days d JOIN {_SALES} GROUP BY d.day, o.status),
l AS (SELECT d.day, i.order_status AS status, sum(i.quantity) AS quantity
        FROM days d JOIN {_SALE_LINES} GROUP BY d.day, i.order_status)
INSERT INTO orders.sales_rollup_status
       (grain, starts, status, orders, value, quantity, approved, approval_seconds)
SELECT 'D', o.day, o.status, o.orders, o.value, coalesce(l.quantity, 0), o.approved, o.seconds
  FROM o LEFT JOIN l ON l.day = o.day AND l.status = o.status
 ORDER BY 2""",
    "sales_rollup_client": f"""
WITH {_DAYS},
o AS (SELECT d.day, o.client_id, o.status NOT IN ({_NOT_VOLUME}) AS counted,
             count(*) AS orders, sum(o.total) AS value,
             count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled
        FROM days d JOIN {_SALES} GROUP BY 1, 2, 3),
l AS (SELECT d.day, i.client_id, i.order_status NOT IN ({_NOT_VOLUME}) AS counted,
             sum(i.quantity) AS quantity
        FROM days d JOIN {_SALE_LINES} GROUP BY 1, 2, 3)
INSERT INTO orders.sales_rollup_client
       (grain, starts, client_id, counted, orders, value, quantity, cancelled)
SELECT 'D', o.day, o.client_id, o.counted, o.orders, o.value, coalesce(l.quantity, 0),
       o.cancelled
  FROM o LEFT JOIN l ON l.day = o.day AND l.client_id = o.client_id AND l.counted = o.counted
 ORDER BY 2""",
    "sales_rollup_product": f"""
WITH {_DAYS}
INSERT INTO orders.sales_rollup_product
       (grain, starts, product_id, unit_price, counted, lines, quantity, value)
SELECT 'D', d.day, i.product_id, i.unit_price, i.order_status NOT IN ({_NOT_VOLUME}),
       count(*), sum(i.quantity), sum(i.line_total)
  FROM days d JOIN {_SALE_LINES}
 GROUP BY 2, 3, 4, 5 ORDER BY 2""",
    "sales_rollup_supplier": f"""
WITH {_DAYS}
INSERT INTO orders.sales_rollup_supplier
       (grain, starts, supplier_id, counted, orders, quantity, value)
SELECT 'D', d.day, i.supplier_id, i.order_status NOT IN ({_NOT_VOLUME}),
       count(*) FILTER (WHERE i.supplier_first), sum(i.quantity), sum(i.line_total)
  FROM days d JOIN {_SALE_LINES}
 GROUP BY 2, 3, 4 ORDER BY 2""",
}

# Each rollup's keys and sums: a half-month is the sum of its days.
_KEYS_AND_SUMS = {
    "sales_rollup_status": (
        ("status",),
        ("orders", "value", "quantity", "approved", "approval_seconds"),
    ),
    "sales_rollup_client": (
        ("client_id", "counted"),
        ("orders", "value", "quantity", "cancelled"),
    ),
    "sales_rollup_product": (
        ("product_id", "unit_price", "counted"),
        ("lines", "quantity", "value"),
    ),
    "sales_rollup_supplier": (("supplier_id", "counted"), ("orders", "quantity", "value")),
}


def _fold_half_months_sql(table: str) -> str:
    keys, sums = _KEYS_AND_SUMS[table]
    key_list = ", ".join(keys)
    return f"""
INSERT INTO orders.{table} (grain, starts, {key_list}, {", ".join(sums)})
SELECT 'F', h.starts, {", ".join(f"r.{k}" for k in keys)},
       {", ".join(f"sum(r.{s})" for s in sums)}
  FROM unnest(CAST(:starts AS date[]), CAST(:ends AS date[])) AS h(starts, ends)
  JOIN orders.{table} r ON r.grain = 'D' AND r.starts >= h.starts AND r.starts < h.ends
 GROUP BY h.starts, {", ".join(f"r.{k}" for k in keys)}"""


_FOLD_HALF_MONTHS = {table.name: _fold_half_months_sql(table.name) for table in ROLLUPS}

_WORK_WAITING = text(
    "SELECT EXISTS (SELECT 1 FROM orders.report_changes)"
    " OR (:half_months AND EXISTS (SELECT 1 FROM orders.report_stale_half_months))"
)
_MARK_STALE = text(
    "INSERT INTO orders.report_stale_half_months (starts)"
    " SELECT unnest(CAST(:starts AS date[])) ON CONFLICT DO NOTHING"
)
_TAKE_CHANGED_DAYS = text(
    "WITH taken AS (DELETE FROM orders.report_changes RETURNING at)"
    " SELECT DISTINCT CAST(at AT TIME ZONE :zone AS date) FROM taken"
)
# Every day with a live sale, for a rebuild (index-only on the orders' report index).
_EVERY_SALES_DAY = text(
    "SELECT DISTINCT CAST(created_at AT TIME ZONE :zone AS date) FROM orders.orders"
    " WHERE deleted_at IS NULL AND type = 'sale'"
)


def fold_report_changes(conn: Connection, *, rebuild: bool = True, half_months: bool = True) -> int:
    """Bring the rollups up to date with every committed change; the number of days redone.

    Runs in the caller's transaction (commit it to publish the fold). A report passes
    `half_months=False`: it redoes the changed days only and lists their half-months as
    stale (read as days until a fold with half-months redoes them — the order relay's, every
    sweep). The relay passes `rebuild=False`: a fold that would rebuild everything is left to
    the next report or to `python -m order_service.reports.rollup`, so publishing never
    waits for it.
    """
    zone = clock.business_timezone().key
    folded_zone = conn.scalar(text("SELECT timezone FROM orders.report_rollup_state"))
    if folded_zone != zone and not rebuild:
        return 0
    if folded_zone == zone and not conn.scalar(_WORK_WAITING, {"half_months": half_months}):
        return 0  # the common case of a quiet system: no lock taken
    started = time.monotonic()
    conn.execute(text(_LOCK))
    conn.execute(text("SET LOCAL work_mem = '64MB'"))
    conn.execute(text("SET LOCAL jit = off"))
    # Read again under the lock: another fold may have just done the work.
    folded_zone = conn.scalar(text("SELECT timezone FROM orders.report_rollup_state"))
    rebuilt = folded_zone != zone
    if rebuilt:
        for table in (report_changes, report_stale_half_months, *ROLLUPS):
            conn.execute(table.delete())
        days = sorted(conn.scalars(_EVERY_SALES_DAY, {"zone": zone}))
    else:
        days = sorted(conn.scalars(_TAKE_CHANGED_DAYS, {"zone": zone}))
    refold_days(conn, days)
    halves = {half_month_of(day) for day in days}
    if rebuilt or half_months:
        stale = report_stale_half_months
        halves.update(conn.scalars(stale.delete().returning(stale.c.starts)))
        refold_half_months(conn, sorted(halves))
    elif halves:
        conn.execute(_MARK_STALE, {"starts": sorted(halves)})
    if rebuilt:  # the planner must not take millions of new rows for an empty table
        for table in ROLLUPS:
            conn.execute(text(f"ANALYZE orders.{table.name}"))
    conn.execute(
        text(
            "INSERT INTO orders.report_rollup_state (id, timezone, folded_at)"
            " VALUES (1, :zone, now()) ON CONFLICT (id) DO UPDATE"
            " SET timezone = EXCLUDED.timezone, folded_at = EXCLUDED.folded_at"
        ),
        {"zone": zone},
    )
    if days or halves:
        log.info(
            "sales rollups folded",
            extra={
                "days": len(days),
                "half_months": len(halves) if (rebuilt or half_months) else 0,
                "rebuilt": rebuilt,
                "seconds": round(time.monotonic() - started, 3),
            },
        )
    return len(days)


def refold_days(conn: Connection, days: Sequence[date]) -> None:
    """Recompute these business days' rollup rows."""
    for chunk in _chunks(days, DAYS_PER_STATEMENT):
        bounds = {
            "days": list(chunk),
            "starts": [clock.start_of_business_day(day) for day in chunk],
            "ends": [clock.start_of_business_day(day + timedelta(days=1)) for day in chunk],
        }
        for table in ROLLUPS:
            _forget_spans(conn, table, DAY, chunk)
            conn.execute(text(_FOLD_DAYS[table.name]), bounds)


def refold_half_months(conn: Connection, halves: Sequence[date]) -> None:
    """Recompute these half-months' rows from their days' rows."""
    for chunk in _chunks(halves, HALF_MONTHS_PER_STATEMENT):
        spans = {"starts": list(chunk), "ends": [next_half_month(h) for h in chunk]}
        for table in ROLLUPS:
            _forget_spans(conn, table, HALF_MONTH, chunk)
            conn.execute(text(_FOLD_HALF_MONTHS[table.name]), spans)


def stale_half_months(conn: Connection | Session) -> frozenset[date]:
    """Half-months whose rows lag their days (a report reads their days instead)."""
    return frozenset(conn.scalars(select(report_stale_half_months.c.starts)))


def _forget_spans(conn: Connection, table: Table, grain: str, starts: Sequence[date]) -> None:
    conn.execute(table.delete().where(table.c.grain == grain, table.c.starts.in_(starts)))


def forget_rollups(conn: Connection) -> None:
    """Make the next fold rebuild every rollup (e.g. after loading orders without triggers)."""
    conn.execute(report_rollup_state.delete())


def _chunks(items: Sequence[date], size: int) -> Iterable[Sequence[date]]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def fold_now(database_url: str) -> int:
    """One fold on its own connection, without a statement timeout (a rebuild takes ~30 s
    per million orders): after migrations, after a bulk load, by hand."""
    engine = create_engine(sqlalchemy_url(database_url), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            return fold_report_changes(conn)
    finally:
        engine.dispose()


def main() -> int:
    """`python -m order_service.reports.rollup`: fold now, with the service's settings."""
    from order_service.config import OrderSettings
    from shared.logging import configure_logging

    settings = OrderSettings.from_env()
    configure_logging(settings.service_name, settings.log_level)
    print(f"dias refeitos: {fold_now(settings.database_url)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
