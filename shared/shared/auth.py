"""Access-token verification from the auth service's JWKS, roles and scope checks.

Every service verifies the token itself (the gateway does too): nothing trusts the network.
Keys are fetched from the JWKS URL and cached; a token signed with a key we have not seen
(rotation) makes the client refetch the key set once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

import jwt
import requests
from flask import Flask, g, request

from shared.errors import Forbidden, ServiceUnavailable, Unauthorized
from shared.i18n import Text

ACCESS_TOKEN_TYPE = "at+jwt"
ALGORITHMS = ["RS256"]

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    CLIENT = "client"
    SUPPLIER = "supplier"
    # Another Pedidos service calling with client credentials, never a person.
    SERVICE = "service"


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the verified access token says."""

    subject: str
    role: Role
    client_id: str | None = None
    supplier_id: str | None = None
    token_id: str | None = None

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
        )


class TokenVerifier:
    """Verifies RS256 access tokens against a JWKS URL (or a fixed key set, for the issuer)."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
        key_resolver: Callable[[str], Any] | None = None,
        timeout: float = 3.0,
        cache_seconds: int = 300,
    ) -> None:
        if not jwks_url and not key_resolver:
            raise ValueError("TokenVerifier needs a jwks_url or a key_resolver")
        self.issuer = issuer
        self.audience = audience
        self._key_resolver = key_resolver
        self._jwks = (
            jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=cache_seconds, timeout=timeout)
            if jwks_url
            else None
        )

    def _key_for(self, token: str, kid: str | None) -> Any:
        if not kid:
            raise Unauthorized(Text("Token sem identificador de chave.", "Token has no kid."))
        if self._key_resolver is not None:
            key = self._key_resolver(kid)
            if key is None:
                raise Unauthorized(Text("Chave do token desconhecida.", "Unknown signing key."))
            return key
        assert self._jwks is not None
        try:
            return self._jwks.get_signing_key(kid).key
        except jwt.PyJWKClientConnectionError as exc:
            raise ServiceUnavailable(
                Text("Não foi possível obter as chaves de autenticação.", "Cannot fetch JWKS.")
            ) from exc
        except jwt.PyJWKClientError as exc:
            raise Unauthorized(
                Text("Chave do token desconhecida.", "Unknown signing key.")
            ) from exc

    def verify(self, token: str) -> dict[str, Any]:
        """Return the claims of a valid access token or raise Unauthorized."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized(Text("Token malformado.", "Malformed token.")) from exc
        if header.get("alg") not in ALGORITHMS:
            raise Unauthorized(Text("Algoritmo de assinatura recusado.", "Algorithm refused."))
        if header.get("typ") != ACCESS_TOKEN_TYPE:
            raise Unauthorized(Text("Este token não é um token de acesso.", "Not an access token."))
        key = self._key_for(token, header.get("kid"))
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud", "jti"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized(
                Text("Token expirado.", "Token expired."), code="token_expired"
            ) from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(Text("Token inválido.", "Invalid token.")) from exc


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def public(view: F) -> F:
    """Mark a view as reachable without an access token (login, JWKS, health...)."""
    view._public = True  # type: ignore[attr-defined]
    return view


def init_auth(app: Flask, verifier: TokenVerifier) -> None:
    """Require a valid access token on every route not marked @public."""
    app.extensions["token_verifier"] = verifier

    @app.before_request
    def _authenticate() -> None:
        g.principal = None
        view = app.view_functions.get(request.endpoint or "")
        if view is None or request.method == "OPTIONS":
            return  # 404/405 are answered by routing; CORS preflights carry no token
        view_class = getattr(view, "view_class", None)
        method_view = getattr(view_class, request.method.lower(), None) if view_class else None
        if getattr(view, "_public", False) or getattr(method_view, "_public", False):
            return
        token = bearer_token()
        if token is None:
            raise Unauthorized(Text("Token de acesso ausente.", "Missing access token."))
        g.principal = Principal.from_claims(verifier.verify(token))


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


class ServiceTokenClient:
    """Gets and caches this service's own access token (OAuth2 client_credentials)."""

    def __init__(self, *, token_url: str, client_id: str, client_secret: str, timeout: float = 3.0):
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self._http = requests.Session()

    def token(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() > self._expires_at - 60:
                response = self._http.post(
                    self.token_url,
                    json={
                        "grant_type": "client_credentials",
                        "client_id": self.client_id,
                        "client_secret": self.client_secret,
                    },
                    timeout=self.timeout,
                )
                response.raise_for_status()
                data = response.json()["data"]
                self._token = data["access_token"]
                self._expires_at = time.monotonic() + int(data["expires_in"])
            return self._token

    def authorization_header(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}


def verifier_from_settings(settings: Any) -> TokenVerifier:
    """The JWKS-backed verifier every service other than auth uses."""
    return TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        jwks_url=settings.auth_jwks_url,
        timeout=settings.http_timeout,
    )


def service_token_client(settings: Any) -> ServiceTokenClient:
    """Client credentials of this service (client id = service name)."""
    if not settings.service_client_secret and not settings.is_development:
        from shared.config import ConfigError

        raise ConfigError(
            "SERVICE_CLIENT_SECRET é obrigatório fora do ambiente de desenvolvimento."
        )
    return ServiceTokenClient(
        token_url=settings.auth_token_url,
        client_id=settings.service_name,
        client_secret=settings.service_client_secret or f"dev-secret-{settings.service_name}",
        timeout=settings.http_timeout,
    )
