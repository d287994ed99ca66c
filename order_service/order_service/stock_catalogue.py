"""What the order service asks the stock service over HTTP: availability and product data.

An order captures each product's name, unit, price, section, category and supplier at
creation, from `POST /api/v1/stock/availability`, so later catalogue changes never alter it.
Calls carry this service's own access token (client credentials), use a pooled session and
always have timeouts; a stock service that does not answer is a 503, never a hang.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import requests
from requests.adapters import HTTPAdapter

from order_service.config import OrderSettings
from order_service.domain.errors import DependencyUnavailable
from shared.auth import service_token_client
from shared.i18n import Text

log = logging.getLogger("pedidos.orders.stock")

AVAILABILITY_PATH = "/api/v1/stock/availability"
SUPPLIER_PATH = "/api/v1/suppliers/{supplier_id}"


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


class StockCatalogue(Protocol):
    """The stock service as the order service uses it (an HTTP client in production)."""

    def check_availability(self, lines: Sequence[tuple[uuid.UUID, int]]) -> Availability:
        """Could these lines be reserved right now? Reserves nothing."""
        ...

    def supplier(self, supplier_id: uuid.UUID) -> SupplierInfo | None:
        """The supplier record, or None when the stock service does not know it."""
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
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = (connect_timeout, read_timeout)
        if session is None:
            session = requests.Session()
            # No proxy/netrc/CA settings from the environment: requests would read them on
            # every call (measurable CPU per order), and this internal call uses none.
            session.trust_env = False
            # One pool per host, sized for gunicorn's threads; no automatic retries: the
            # caller decides (a POST is retried by the client with its Idempotency-Key).
            adapter = HTTPAdapter(pool_connections=2, pool_maxsize=32, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        self._http = session

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

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            headers = {"Authorization": f"Bearer {self._token()}", **kwargs.pop("headers", {})}
            return self._http.request(
                method, f"{self.base_url}{path}", headers=headers, timeout=self._timeout, **kwargs
            )
        except requests.RequestException as exc:
            # The token endpoint (auth service) or the stock service itself is down or slow.
            log.warning("stock service unreachable", extra={"path": path, "error": repr(exc)})
            raise StockUnavailable() from exc

    def check_availability(self, lines: Sequence[tuple[uuid.UUID, int]]) -> Availability:
        """POST /stock/availability; 503 (StockUnavailable) when it cannot be asked."""
        response = self._call(
            "POST",
            AVAILABILITY_PATH,
            json={"items": [{"product_id": str(p), "quantity": q} for p, q in lines]},
        )
        if response.status_code != 200:
            # 4xx here is our bug or a token problem, 5xx theirs: either way not the caller's.
            log.error(
                "stock availability refused",
                extra={"status": response.status_code, "body": response.text[:500]},
            )
            raise StockUnavailable()
        return parse_availability(_json(response)["data"])

    def supplier(self, supplier_id: uuid.UUID) -> SupplierInfo | None:
        response = self._call("GET", SUPPLIER_PATH.format(supplier_id=supplier_id))
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            log.error("stock supplier lookup refused", extra={"status": response.status_code})
            raise StockUnavailable()
        data = _json(response)["data"]
        return SupplierInfo(id=uuid.UUID(data["id"]), name=data["name"])


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        # Prices stay exact: JSON numbers become Decimals, never floats.
        return json.loads(response.content, parse_float=Decimal)
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
