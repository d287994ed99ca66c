"""Demo data: a supplier and a small school-meal/grocery catalogue with stock (idempotent).

    DATABASE_URL=... python -m stock_service.seed
    {"supplier_id": "..."}

Prints only that JSON line on stdout, so the dev script can bind the demo supplier user to
the supplier; everything else goes to stderr. Running it again creates nothing new.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from shared.clock import business_today
from shared.db import sqlalchemy_url
from stock_service import services
from stock_service.config import DEFAULT_LOW_STOCK_PERCENT, StockSettings
from stock_service.domain.catalogue import gtin_key
from stock_service.models import Product, Supplier

log = logging.getLogger("pedidos.stock.seed")

ACTOR = "seed"

DEMO_SUPPLIER: dict[str, Any] = {
    "name": "Distribuidora Boa Safra Ltda (demonstração)",
    "cnpj": "11222333000181",
    "email": "vendas@boasafra.example.com",
    "whatsapp": "11987654321",
    "active": True,
}

# name, barcode (EAN-13, valid check digit), price, section, category, unit,
# seasonality, days until expiry (None: not perishable), ideal quantity, initial stock
# fmt: off
DEMO_CATALOGUE: tuple[tuple[Any, ...], ...] = (
    ("Arroz branco tipo 1 (5 kg)", "7898765000105", "27.90", "Mercearia", "Grãos", "pct",
     "ano todo", 365, 200, 150),
    ("Feijão carioca tipo 1 (1 kg)", "7898765000204", "8.49", "Mercearia", "Grãos", "pct",
     "ano todo", 300, 300, 240),
    ("Macarrão espaguete (500 g)", "7898765000303", "4.79", "Mercearia", "Massas", "pct",
     "ano todo", 540, 150, 120),
    ("Óleo de soja (900 ml)", "7898765000402", "7.99", "Mercearia", "Óleos", "un",
     "ano todo", 400, 80, 60),
    ("Farinha de mandioca (1 kg)", "7898765000501", "6.49", "Mercearia", "Farinhas", "pct",
     "ano todo", 240, 60, 45),
    ("Leite UHT integral (1 L)", "7898765000600", "5.29", "Laticínios", "Leites", "l",
     "ano todo", 120, 500, 420),
    ("Ovos brancos (cartela com 30)", "7898765000709", "19.90", "Proteínas", "Ovos", "cx",
     "ano todo", 25, 40, 30),
    ("Peito de frango congelado", "7898765000808", "17.90", "Proteínas", "Aves", "kg",
     "ano todo", 180, 120, 90),
    ("Banana prata", "7898765000907", "6.99", "Hortifruti", "Frutas", "kg",
     "ano todo", 7, 100, 70),
    # Below 20% of its ideal quantity on purpose: the low-stock flows have something to show.
    ("Maçã fuji", "7898765001003", "9.90", "Hortifruti", "Frutas", "kg",
     "fevereiro a maio", 20, 80, 12),
)
# fmt: on


def seed_demo_catalogue(
    session: Session, *, low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT
) -> Supplier:
    """Create the demo supplier and catalogue where missing; return the supplier."""
    supplier = session.scalars(
        select(Supplier).where(
            Supplier.cnpj == DEMO_SUPPLIER["cnpj"], Supplier.deleted_at.is_(None)
        )
    ).one_or_none()
    if supplier is None:
        supplier = services.create_supplier(session, data=DEMO_SUPPLIER)
        log.info("demo supplier created", extra={"supplier_id": str(supplier.id)})
    today = business_today()
    for (
        name,
        barcode,
        price,
        section,
        category,
        unit,
        seasonality,
        shelf_days,
        ideal,
        initial,
    ) in DEMO_CATALOGUE:
        exists = session.scalar(
            select(Product.id).where(
                func.lpad(Product.barcode, 14, "0") == gtin_key(barcode),
                Product.deleted_at.is_(None),
            )
        )
        if exists is not None:
            continue
        services.create_product(
            session,
            data={
                "name": name,
                "description": None,
                "price": Decimal(price),
                "barcode": barcode,
                "section": section,
                "category": category,
                "unit": unit,
                "seasonality": seasonality,
                "expiry_date": today + timedelta(days=shelf_days) if shelf_days else None,
                "supplier_id": supplier.id,
                "ideal_quantity": ideal,
                "initial_stock": initial,
                "active": True,
            },
            actor=ACTOR,
            low_stock_percent=low_stock_percent,
        )
        log.info("demo product created", extra={"product_name": name})
    session.commit()
    return supplier


def main(settings: StockSettings | None = None) -> uuid.UUID:
    """Seed the database of `settings` (the environment by default) and print the supplier."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO)
    settings = settings or StockSettings.from_env()
    engine = create_engine(sqlalchemy_url(settings.database_url))
    try:
        with Session(engine, expire_on_commit=False) as session:
            supplier = seed_demo_catalogue(session, low_stock_percent=settings.low_stock_percent)
    finally:
        engine.dispose()
    print(json.dumps({"supplier_id": str(supplier.id)}), flush=True)
    return supplier.id


if __name__ == "__main__":
    main()
