"""Access-token verification from the auth service's JWKS.

Every service verifies the token itself (the gateway does too): nothing trusts the network.
Keys are fetched from the JWKS URL and cached; a token signed with a key we have not seen
(rotation) makes the client refetch the key set once. Tokens that verified are remembered
until they expire (see TokenVerifier), so a client's repeated token costs no RSA check.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import jwt

from shared.errors import ServiceUnavailable, Unauthorized
from shared.i18n import Text

ACCESS_TOKEN_TYPE = "at+jwt"
ALGORITHMS = ["RS256"]

# Verified tokens remembered per verifier (per process): ~2 KB each at most.
DEFAULT_TOKEN_CACHE_SIZE = 10_000


class _WatchedJWKClient(jwt.PyJWKClient):
    """A PyJWKClient that reports when a refetched key set no longer has a key it had."""

    def __init__(self, uri: str, *, on_keys_dropped: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(uri, **kwargs)
        self._on_keys_dropped = on_keys_dropped
        self._published: dict[Any, Any] | None = None  # kid -> JWK of the last fetch

    def fetch_data(self) -> Any:
        data = super().fetch_data()
        keys = data.get("keys") if isinstance(data, dict) else None
        published = {
            jwk.get("kid"): jwk
            for jwk in (keys if isinstance(keys, list) else [])
            if isinstance(jwk, dict)
        }
        previous, self._published = self._published, published
        if previous is not None and any(published.get(kid) != jwk for kid, jwk in previous.items()):
            # A key was withdrawn (or replaced): the per-kid LRU would keep serving it forever
            # and remembered tokens signed with it would stay accepted. Forget both.
            cache_clear = getattr(self.get_signing_key, "cache_clear", None)
            if cache_clear is not None:
                cache_clear()
            self._on_keys_dropped()
        return data


class TokenVerifier:
    """Verifies RS256 access tokens against a JWKS URL (or a fixed key set, for the issuer).

    Verified tokens are cached: a client sends the same token on every request for its whole
    lifetime, and parsing plus an RSA signature check was ~12 % of a request's CPU, in the
    gateway and again in each service. The key is the token's exact text, so any other string
    (a forged signature, other claims) misses and is fully verified; only successes are kept,
    never past their `exp` (checked on each hit as PyJWT does, with the same leeway), at most
    `cache_size` of them (the oldest go first). When a JWKS refetch shows a key was withdrawn
    the whole cache is dropped, so tokens signed with that key stop being accepted at once.
    A key_resolver's key set is taken as fixed (the auth service's ring changes on restart);
    whoever changes it must call `clear_cache()`.
    """

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
        key_resolver: Callable[[str], Any] | None = None,
        timeout: float = 3.0,
        cache_seconds: int = 300,
        cache_size: int = DEFAULT_TOKEN_CACHE_SIZE,
        leeway: float = 0,
    ) -> None:
        if not jwks_url and not key_resolver:
            raise ValueError("TokenVerifier needs a jwks_url or a key_resolver")
        self.issuer = issuer
        self.audience = audience
        self.cache_size = cache_size
        self.leeway = leeway
        self._key_resolver = key_resolver
        # token -> (claims, exp). Reads are lock-free (single OrderedDict operations are atomic
        # under the GIL); writes and clears take the lock. FIFO rather than LRU keeps hits free
        # of bookkeeping: an evicted token that is still in use costs one more verification.
        self._verified: OrderedDict[str, tuple[dict[str, Any], int]] = OrderedDict()
        self._cache_lock = threading.Lock()
        # Bumped by clear_cache(): a verification that started before a clear is not stored.
        self._generation = 0
        self._jwks = (
            _WatchedJWKClient(
                jwks_url,
                on_keys_dropped=self.clear_cache,
                cache_keys=True,
                lifespan=cache_seconds,
                timeout=timeout,
            )
            if jwks_url
            else None
        )

    def clear_cache(self) -> None:
        """Forget every verified token (the key set changed)."""
        with self._cache_lock:
            self._generation += 1
            self._verified.clear()

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
        remembered = self._verified.get(token)
        if remembered is not None:
            claims, exp = remembered
            # PyJWT's own test: expired when exp <= now - leeway.
            if exp > time.time() - self.leeway:
                return dict(claims)  # a copy: callers may not change what others get
            # Expired: verify in full, which answers exactly as an uncached token would.
            with self._cache_lock:
                self._verified.pop(token, None)
        generation = self._generation
        claims = self._verify_uncached(token)
        self._remember(token, claims, generation)
        return claims

    def _remember(self, token: str, claims: dict[str, Any], generation: int) -> None:
        if self.cache_size <= 0:
            return
        exp = int(claims["exp"])  # as PyJWT compares it
        now = time.time()
        with self._cache_lock:
            if generation != self._generation:
                return  # the key set changed while this token was being verified
            verified = self._verified
            verified.pop(token, None)
            # Tokens have similar lifetimes, so the oldest entries are the likeliest expired.
            while verified and (
                len(verified) >= self.cache_size or next(iter(verified.values()))[1] <= now
            ):
                verified.popitem(last=False)
            verified[token] = (dict(claims), exp)

    def _verify_uncached(self, token: str) -> dict[str, Any]:
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
                leeway=self.leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud", "jti"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized(
                Text("Token expirado.", "Token expired."), code="token_expired"
            ) from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(Text("Token inválido.", "Invalid token.")) from exc


def verifier_from_settings(settings: Any) -> TokenVerifier:
    """The JWKS-backed verifier every service other than auth uses."""
    return TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        jwks_url=settings.auth_jwks_url,
        timeout=settings.http_timeout,
    )
