"""Who calls: roles, service-token scopes and the Principal a verified access token names."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.errors import Unauthorized
from shared.i18n import Text


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    CLIENT = "client"
    SUPPLIER = "supplier"
    # Another Pedidos service calling with client credentials, never a person.
    SERVICE = "service"


class Scope(StrEnum):
    """What a service token may do. A service token reaches only the routes that name one of
    its scopes (`allow_services`); every other route answers it 403 (docs/security.md)."""

    # order_service asks the stock service whether an order's lines can be reserved.
    STOCK_AVAILABILITY = "stock:availability"
    # order_service's performance report lists the products in critical stock.
    STOCK_LEVELS = "stock:levels"
    # order_service names a supplier in its order lists.
    SUPPLIERS_READ = "suppliers:read"
    # order_service's performance report finds catalogue products without recent orders.
    PRODUCTS_SEARCH = "products:search"
    # auth_service creates the client record of a user who signs up.
    CLIENTS_REGISTER = "clients:register"


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the verified access token says."""

    subject: str
    role: Role
    client_id: str | None = None
    supplier_id: str | None = None
    token_id: str | None = None
    # Only service tokens carry scopes (the `scope` claim, space-separated as in RFC 8693).
    scopes: frozenset[str] = frozenset()

    @property
    def is_staff_or_admin(self) -> bool:
        return self.role in {Role.ADMIN, Role.STAFF}

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        try:
            role = Role(claims["role"])
        except (KeyError, ValueError) as exc:
            raise Unauthorized(Text("Token sem papel válido.", "Token has no valid role.")) from exc
        return cls(
            subject=str(claims["sub"]),
            role=role,
            client_id=claims.get("client_id"),
            supplier_id=claims.get("supplier_id"),
            token_id=claims.get("jti"),
            scopes=frozenset(str(claims.get("scope") or "").split()),
        )
