"""The demo seed: idempotent, and its stdout is one JSON line with the supplier id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import func, select

from shared.documents import is_valid_cnpj, is_valid_gtin
from stock_service.models import Product, StockLedgerEntry, Supplier
from stock_service.seed import DEMO_CATALOGUE, DEMO_SUPPLIER, main

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_data_is_valid():
    assert is_valid_cnpj(DEMO_SUPPLIER["cnpj"])
    assert all(is_valid_gtin(row[1]) for row in DEMO_CATALOGUE)
    assert len({row[1] for row in DEMO_CATALOGUE}) == len(DEMO_CATALOGUE) >= 10


def test_seeding_twice_creates_the_catalogue_once(stock_settings, session, capsys):
    first = main(stock_settings)
    printed = capsys.readouterr().out
    env = {**os.environ, "DATABASE_URL": stock_settings.database_url}
    second = subprocess.run(
        [sys.executable, "-m", "stock_service.seed"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(printed) == {"supplier_id": str(first)}
    assert json.loads(second.stdout) == {"supplier_id": str(first)}
    barcodes = [row[1] for row in DEMO_CATALOGUE]
    products = session.scalars(select(Product).where(Product.barcode.in_(barcodes))).all()
    assert len(products) == len(DEMO_CATALOGUE)
    assert {p.supplier_id for p in products} == {first}
    initial_rows = session.scalar(
        select(func.count()).where(
            StockLedgerEntry.product_id.in_([p.id for p in products]),
            StockLedgerEntry.cause == "initial",
        )
    )
    assert initial_rows == len(DEMO_CATALOGUE)
    suppliers = session.scalar(select(func.count()).where(Supplier.cnpj == DEMO_SUPPLIER["cnpj"]))
    assert suppliers == 1
    assert isinstance(first, uuid.UUID)
