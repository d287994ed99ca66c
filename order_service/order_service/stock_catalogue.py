"""What the order service asks the stock service over HTTP: suppliers, stock levels for the
reports and replenishment, catalogue searches, and availability of a product the catalogue
copy (order_service/catalogue/) has not heard of yet.

An order captures each product's name, unit, price, section, category and supplier at
creation (from the copy, or `POST /api/v1/stock/availability` for such a product), so later
catalogue changes never alter it.
Calls carry this service's own access token (client credentials), reuse keep-alive
connections and always have timeouts; a stock service that does not answer is a 503, never
a hang. The call goes through urllib3 directly, as the gateway's proxy does: `requests`'
per-call machinery (prepared requests, hooks, cookie jars, settings merges) was a quarter of
an order's CPU, and this internal call uses none of it.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import quote

import certifi
import requests
import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.util import Retry, parse_url

from order_service.config import OrderSettings
from order_service.domain.errors import DependencyUnavailable
from shared.auth import service_token_client
from shared.i18n import Text

log = logging.getLogger("pedidos.orders.stock")

AVAILABILITY_PATH = "/api/v1/stock/availability"
SUPPLIER_PATH = "/api/v1/suppliers/{supplier_id}"
STOCK_LEVELS_PATH = "/api/v1/stock"
PRODUCT_SEARCH_PATH = "/api/v1/products/search"
# The stock service's longest exclusion list (POST /products/search).
MAX_EXCLUDED_PRODUCTS = 10_000
# The stock service's largest page; a report walks the pages up to this many products.
STOCK_PAGE_SIZE = 100
MAX_LOW_STOCK_PRODUCTS = 5000

# No automatic retries nor redirects: the caller decides (a POST is retried by the client with
# its Idempotency-Key), and urllib3 raises its own error at once.
NO_RETRIES = Retry(total=False, redirect=False)
# Idle keep-alive connections kept per process: more than gunicorn's threads ever are.
DEFAULT_POOL_SIZE = 32


@dataclass(frozen=True)
class CataloguedProduct:
    """A product as the stock service describes it now (captured on the order's item)."""

    id: uuid.UUID
    name: str
    unit: str
    price: Decimal
    section: str | None
    category: str | None
    supplier_id: uuid.UUID | None
    supplier_name: str | None
    active: bool
    available: int


@dataclass(frozen=True)
class Shortage:
    product_id: uuid.UUID
    requested: int
    available: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "product_id": str(self.product_id),
            "requested": self.requested,
            "available": self.available,
        }


@dataclass(frozen=True)
class Availability:
    """Whether the lines could be reserved now, and what the stock knows of each product."""

    available: bool
    shortages: tuple[Shortage, ...]
    unknown_product_ids: tuple[uuid.UUID, ...]
    products: Mapping[uuid.UUID, CataloguedProduct]


@dataclass(frozen=True)
class SupplierInfo:
    id: uuid.UUID
    name: str
    active: bool = True
    cnpj: str | None = None
    email: str | None = None
    whatsapp: str | None = None
    notify_whatsapp: bool = True


@dataclass(frozen=True)
class StockLevel:
    """A product's stock as the stock service reports it (alerts, replenishment)."""

    product_id: uuid.UUID
    name: str
    available: int
    ideal_quantity: int
    percent_of_ideal: Decimal | None
    supplier_id: uuid.UUID | None = None
    price: Decimal = Decimal("0.00")
    unit: str = "un"
    section: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class CatalogueProduct:
    """A catalogue product as a search lists it: enough to name it and date it."""

    id: uuid.UUID
    name: str
    created_at: datetime


@dataclass(frozen=True)
class CatalogueSearch:
    total: int  # every product that matched
    products: tuple[CatalogueProduct, ...]  # the first of them, oldest in the catalogue first


class StockCatalogue(Protocol):
    """The stock service as the order service uses it (an HTTP client in production)."""

    def check_availability(self, lines: Sequence[tuple[uuid.UUID, int]]) -> Availability:
        """Could these lines be reserved right now? Reserves nothing."""
        ...

    def supplier(self, supplier_id: uuid.UUID) -> SupplierInfo | None:
        """The supplier record, or None when the stock service does not know it."""
        ...

    def below_percent_of_ideal(self, percent: int, section: str | None = None) -> list[StockLevel]:
        """Active products whose available quantity is below `percent` % of their ideal."""
        ...

    def count_active(self, section: str | None = None) -> int:
        """How many active products there are (in `section`)."""
        ...

    def products_not_ordered_since(
        self, before: datetime, ordered: Sequence[str], limit: int
    ) -> CatalogueSearch:
        """Active products created before `before` that are not among `ordered` (ids)."""
        ...


class StockUnavailable(DependencyUnavailable):
    code = "stock_unavailable"
    message = Text(
        "O serviço de estoque não respondeu; nada foi gravado. Tente novamente em instantes.",
        "The stock service did not answer; nothing was saved. Try again shortly.",
    )


class HttpStockCatalogue:
    """The stock service's HTTP API, with this service's token, pooled and with timeouts."""

    def __init__(
        self,
        base_url: str,
        *,
        token: Callable[[], str],
        connect_timeout: float = 2.0,
        read_timeout: float = 5.0,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        # A base URL may carry a path prefix (behind a proxy); the pool only knows the host.
        self._prefix = (parse_url(self.base_url).path or "").rstrip("/")
        # One thread-safe pool shared by every thread. block=False: a burst beyond pool_size
        # opens extra connections instead of waiting, and only pool_size stay idle for reuse.
        tls = {"ca_certs": certifi.where()} if self.base_url.startswith("https:") else {}
        self._pool = urllib3.connection_from_url(
            self.base_url,
            maxsize=pool_size,
            block=False,
            timeout=self._timeout,
            retries=NO_RETRIES,
            **tls,  # the CA bundle requests verified against, not the system's
        )

    @classmethod
    def from_settings(cls, settings: OrderSettings) -> HttpStockCatalogue:
        """The client for STOCK_SERVICE_URL with a client-credentials token provider."""
        tokens = service_token_client(settings)
        return cls(
            settings.stock_service_url,
            token=tokens.token,
            connect_timeout=settings.stock_connect_timeout,
            read_timeout=settings.http_timeout,
        )

    def close(self) -> None:
        """Close the idle connections (tests; a gunicorn worker just exits)."""
        self._pool.close()

    def _call(self, method: str, path: str, payload: Any = None) -> urllib3.BaseHTTPResponse:
        headers = {"Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        try:
            # The token client still speaks requests (it is called once per token lifetime).
            headers["Authorization"] = f"Bearer {self._token()}"
            return self._pool.urlopen(
                method,
                self._prefix + path,
                body=body,
                headers=headers,
                retries=NO_RETRIES,
                redirect=False,
                timeout=self._timeout,
            )
        except (requests.RequestException, Urllib3Error) as exc:
            # The token endpoint (auth service) or the stock service itself is down or slow.
            log.warning("stock service unreachable", extra={"path": path, "error": repr(exc)})
            raise StockUnavailable() from exc

    def check_availability(self, lines: Sequence[tuple[uuid.UUID, int]]) -> Availability:
        """POST /stock/availability; 503 (StockUnavailable) when it cannot be asked."""
        response = self._call(
            "POST",
            AVAILABILITY_PATH,
            {"items": [{"product_id": str(p), "quantity": q} for p, q in lines]},
        )
        if response.status != 200:
            # 4xx here is our bug or a token problem, 5xx theirs: either way not the caller's.
            log.error(
                "stock availability refused",
                extra={"status": response.status, "body": _text(response.data)[:500]},
            )
            raise StockUnavailable()
        return parse_availability(_json(response.data)["data"])

    def supplier(self, supplier_id: uuid.UUID) -> SupplierInfo | None:
        response = self._call("GET", SUPPLIER_PATH.format(supplier_id=supplier_id))
        if response.status == 404:
            return None
        if response.status != 200:
            log.error("stock supplier lookup refused", extra={"status": response.status})
            raise StockUnavailable()
        data = _json(response.data)["data"]
        return SupplierInfo(
            id=uuid.UUID(data["id"]),
            name=data["name"],
            active=bool(data.get("active", True)),
            cnpj=data.get("cnpj"),
            email=data.get("email"),
            whatsapp=data.get("whatsapp"),
            notify_whatsapp=bool(data.get("notify_whatsapp", True)),
        )

    def count_active(self, section: str | None = None) -> int:
        """GET /stock?active=true&page_size=1: the list's total."""
        query = "?active=true&page_size=1" + ("&section=" + quote(section) if section else "")
        response = self._call("GET", STOCK_LEVELS_PATH + query)
        if response.status != 200:
            log.error("stock levels refused", extra={"status": response.status})
            raise StockUnavailable()
        return int(_json(response.data)["meta"]["total"])

    def products_not_ordered_since(
        self, before: datetime, ordered: Sequence[str], limit: int
    ) -> CatalogueSearch:
        """POST /products/search: one page of at most `limit` (≤ 100), `meta.total` for all."""
        if len(ordered) > MAX_EXCLUDED_PRODUCTS:
            log.warning("too many recently ordered products to ask the catalogue")
            raise StockUnavailable()
        query = {
            "active": True,
            "created_before": before.astimezone(UTC).isoformat(),
            "exclude_ids": list(ordered),
            "sort": "created_at",
            "page_size": min(limit, STOCK_PAGE_SIZE),
        }
        response = self._call("POST", PRODUCT_SEARCH_PATH, query)
        if response.status != 200:
            log.error("product search refused", extra={"status": response.status})
            raise StockUnavailable()
        body = _json(response.data)
        return CatalogueSearch(
            total=int(body["meta"]["total"]),
            products=tuple(
                CatalogueProduct(
                    id=uuid.UUID(str(raw["id"])),
                    name=raw["name"],
                    created_at=datetime.fromisoformat(raw["created_at"]),
                )
                for raw in body["data"]
            ),
        )

    def below_percent_of_ideal(self, percent: int, section: str | None = None) -> list[StockLevel]:
        """GET /stock?below_percent=… page by page (active products only)."""
        levels: list[StockLevel] = []
        page = 1
        while len(levels) < MAX_LOW_STOCK_PRODUCTS:
            query = f"?below_percent={percent}&active=true&page={page}&page_size={STOCK_PAGE_SIZE}"
            if section:
                query += "&section=" + quote(section)
            response = self._call("GET", STOCK_LEVELS_PATH + query)
            if response.status != 200:
                log.error("stock levels refused", extra={"status": response.status})
                raise StockUnavailable()
            body = _json(response.data)
            levels.extend(_stock_level(raw) for raw in body["data"])
            if page >= int(body.get("meta", {}).get("pages") or 1):
                break
            page += 1
        return levels


def _stock_level(raw: Mapping[str, Any]) -> StockLevel:
    percent = raw.get("percent_of_ideal")
    return StockLevel(
        product_id=uuid.UUID(str(raw["product_id"])),
        name=raw["product_name"],
        available=int(raw["available"]),
        ideal_quantity=int(raw["ideal_quantity"]),
        percent_of_ideal=None if percent is None else Decimal(str(percent)),
        supplier_id=uuid.UUID(str(raw["supplier_id"])) if raw.get("supplier_id") else None,
        price=Decimal(str(raw.get("price", "0"))),
        unit=raw.get("unit") or "un",
        section=raw.get("section"),
        category=raw.get("category"),
    )


def _text(content: bytes) -> str:
    return content.decode("utf-8", errors="replace")


def _json(content: bytes) -> dict[str, Any]:
    try:
        # Prices stay exact: JSON numbers become Decimals, never floats.
        return json.loads(content, parse_float=Decimal)
    except ValueError as exc:
        log.error("stock service answered something that is not JSON")
        raise StockUnavailable() from exc


def parse_availability(data: Mapping[str, Any]) -> Availability:
    """The stock service's availability answer as typed values."""
    products = {}
    for raw in data.get("products", []):
        product = CataloguedProduct(
            id=uuid.UUID(str(raw["id"])),
            name=raw["name"],
            unit=raw["unit"],
            price=Decimal(str(raw["price"])),
            section=raw.get("section"),
            category=raw.get("category"),
            supplier_id=uuid.UUID(str(raw["supplier_id"])) if raw.get("supplier_id") else None,
            supplier_name=raw.get("supplier_name"),
            active=bool(raw.get("active", True)),
            available=int(raw.get("available", 0)),
        )
        products[product.id] = product
    return Availability(
        available=bool(data["available"]),
        shortages=tuple(
            Shortage(
                product_id=uuid.UUID(str(s["product_id"])),
                requested=int(s["requested"]),
                available=int(s["available"]),
            )
            for s in data.get("shortages", [])
        ),
        unknown_product_ids=tuple(uuid.UUID(str(p)) for p in data.get("unknown_product_ids", [])),
        products=products,
    )
