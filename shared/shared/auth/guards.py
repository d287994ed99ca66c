"""Flask guards: every route needs a verified access token unless marked @public; role and
service-scope checks on top (docs/security.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, g, request

from shared.auth.principals import Principal, Role, Scope
from shared.auth.verification import TokenVerifier
from shared.errors import Forbidden, Unauthorized
from shared.i18n import Text

F = TypeVar("F", bound=Callable[..., Any])


def bearer_token() -> str | None:
    return bearer_token_of(request.headers.get("Authorization"))


def bearer_token_of(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header value, or None."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def public(view: F) -> F:
    """Mark a view as reachable without an access token (login, JWKS, health...)."""
    view._public = True  # type: ignore[attr-defined]
    return view


def allow_services(*scopes: Scope) -> Callable[[F], F]:
    """Let a service token holding one of `scopes` reach this view (role checks still apply).

    Service tokens are refused everywhere else: a leaked or over-broad one cannot read what
    its service never needed (client records, the ledger, users).
    """

    def decorator(view: F) -> F:
        view._service_scopes = frozenset(scopes)  # type: ignore[attr-defined]
        return view

    return decorator


def _view_attribute(view: Any, method: str, name: str, default: Any) -> Any:
    """An attribute set by a decorator on a view function or on its MethodView method."""
    view_class = getattr(view, "view_class", None)
    method_view = getattr(view_class, method.lower(), None) if view_class else None
    return getattr(view, name, None) or getattr(method_view, name, None) or default


SERVICE_SCOPE_MISSING = Text(
    "Token de serviço sem permissão para esta rota.",
    "This service token may not use this route.",
)


def init_auth(app: Flask, verifier: TokenVerifier) -> None:
    """Require a valid access token on every route not marked @public."""
    app.extensions["token_verifier"] = verifier

    @app.before_request
    def _authenticate() -> None:
        g.principal = None
        view = app.view_functions.get(request.endpoint or "")
        if view is None or request.method == "OPTIONS":
            return  # 404/405 are answered by routing; CORS preflights carry no token
        if _view_attribute(view, request.method, "_public", False):
            return
        token = bearer_token()
        if token is None:
            raise Unauthorized(Text("Token de acesso ausente.", "Missing access token."))
        principal = Principal.from_claims(verifier.verify(token))
        if principal.role == Role.SERVICE:
            allowed = _view_attribute(view, request.method, "_service_scopes", frozenset())
            if not (principal.scopes & allowed):
                raise Forbidden(SERVICE_SCOPE_MISSING)
        g.principal = principal


def current_principal() -> Principal:
    principal = getattr(g, "principal", None)
    if principal is None:
        raise Unauthorized()
    return principal


def roles_required(*roles: Role | str) -> Callable[[F], F]:
    """Allow only callers whose role is one of `roles` (403 otherwise)."""
    allowed = {Role(r) for r in roles}

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_principal().role not in allowed:
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def require_roles(principal: Principal, roles: Iterable[Role]) -> None:
    if principal.role not in set(roles):
        raise Forbidden()
