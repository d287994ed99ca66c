"""TokenVerifier remembers verified tokens: never past exp, never a failure, never a dropped key.

Keys are real RSA keys and the JWKS is served by a real local HTTP server; whether a call
was answered from the cache is seen through the key resolver (asked only on a miss).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import ACCESS_TOKEN_TYPE, TokenVerifier
from shared.errors import Unauthorized
from tests.support.local_http import JsonHandler, serving

ISSUER, AUDIENCE = "pedidos-auth", "pedidos"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY_A, KEY_B = new_key(), new_key()


def sign(key: rsa.RSAPrivateKey, kid: str = "a", *, exp: float | None = None, **claims) -> str:
    now = int(time.time())
    body = {
        "sub": "user-1",
        "role": "staff",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 900 if exp is None else exp,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid, "typ": ACCESS_TOKEN_TYPE})


class CountingResolver:
    """The key resolver of an issuer that knows key A as kid "a"; counts lookups (misses)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, kid: str) -> Any:
        self.calls += 1
        return KEY_A.public_key() if kid == "a" else None


@pytest.fixture
def resolver() -> CountingResolver:
    return CountingResolver()


def verifier(resolver: CountingResolver, **kwargs) -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, key_resolver=resolver, **kwargs)


def refusal(verifier: TokenVerifier, token: str) -> dict[str, Any]:
    """What the 401 envelope is made of."""
    with pytest.raises(Unauthorized) as caught:
        verifier.verify(token)
    error = caught.value
    return {
        "status": error.status,
        "code": error.code,
        "message": error.message,
        "errors": error.errors,
    }


def test_a_verified_token_is_answered_from_the_cache(resolver):
    tokens = verifier(resolver)
    token = sign(KEY_A)

    first = tokens.verify(token)
    second = tokens.verify(token)

    assert first == second
    assert first["sub"] == "user-1"
    assert resolver.calls == 1


def test_claims_from_the_cache_are_a_copy(resolver):
    tokens = verifier(resolver)
    token = sign(KEY_A)

    tokens.verify(token)["role"] = "admin"

    assert tokens.verify(token)["role"] == "staff"


def test_a_cached_token_stops_being_accepted_exactly_when_it_expires(resolver):
    tokens = verifier(resolver)
    uncached = verifier(CountingResolver(), cache_size=0)
    exp = int(time.time()) + 2
    token = sign(KEY_A, exp=exp)
    tokens.verify(token)

    while time.time() < exp - 0.15:
        time.sleep(0.05)
    assert tokens.verify(token)["exp"] == exp  # still valid: from the cache
    assert resolver.calls == 1

    while time.time() < exp:
        time.sleep(0.01)
    expired = refusal(tokens, token)
    assert expired == refusal(uncached, token)  # the very same error body
    assert expired["code"] == "token_expired"
    assert refusal(tokens, token)["code"] == "token_expired"  # and it stays refused


def test_the_leeway_applies_to_cached_tokens_as_pyjwt_applies_it(resolver):
    token = sign(KEY_A, exp=int(time.time()) - 1)
    lenient = verifier(resolver, leeway=30)

    assert lenient.verify(token)["sub"] == "user-1"
    assert lenient.verify(token)["sub"] == "user-1"
    assert resolver.calls == 1
    assert refusal(verifier(resolver), token)["code"] == "token_expired"


def test_a_forged_token_with_the_same_claims_is_refused_after_the_real_one_was_cached(
    resolver,
):
    tokens = verifier(resolver)
    jti = uuid.uuid4().hex
    exp = int(time.time()) + 900
    genuine = sign(KEY_A, exp=exp, jti=jti)
    forged = sign(new_key(), exp=exp, jti=jti)  # same header and claims, other signature
    header_and_claims, _, signature = genuine.rpartition(".")
    tampered = f"{header_and_claims}.{signature[:-4]}AAAA"
    tokens.verify(genuine)

    assert forged.rpartition(".")[0] == header_and_claims
    assert refusal(tokens, forged)["code"] != "token_expired"
    assert refusal(tokens, tampered)["code"] != "token_expired"
    assert tokens.verify(genuine)["jti"] == jti


def test_failures_are_never_cached(resolver):
    tokens = verifier(resolver)
    bad = sign(new_key())
    expired = sign(KEY_A, exp=int(time.time()) - 5)

    for _ in range(2):
        refusal(tokens, bad)
        refusal(tokens, expired)

    assert resolver.calls == 4
    assert len(tokens._verified) == 0


def test_the_cache_is_bounded_and_the_oldest_go_first(resolver):
    tokens = verifier(resolver, cache_size=3)
    issued = [sign(KEY_A, sub=f"user-{n}") for n in range(10)]
    for token in issued:
        tokens.verify(token)

    assert len(tokens._verified) == 3
    calls = resolver.calls
    tokens.verify(issued[-1])
    assert resolver.calls == calls  # the newest is remembered
    tokens.verify(issued[0])
    assert resolver.calls == calls + 1  # the oldest was dropped


def test_clear_cache_forgets_every_token(resolver):
    tokens = verifier(resolver)
    token = sign(KEY_A)
    tokens.verify(token)

    tokens.clear_cache()
    tokens.verify(token)

    assert resolver.calls == 2


# -- JWKS: a refetch that drops a key clears the cache -----------------------------------


def jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    return {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": kid}


class Jwks(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _JwksHandler)
        self.keys: list[dict[str, Any]] = []
        self.fetches = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/.well-known/jwks.json"


class _JwksHandler(JsonHandler):
    server: Jwks

    def do_GET(self) -> None:
        self.server.fetches += 1
        self.send_json(200, json.dumps({"keys": self.server.keys}).encode())


@pytest.fixture
def jwks() -> Iterator[Jwks]:
    with serving(Jwks()) as server:
        yield server


def jwks_verifier(jwks: Jwks) -> TokenVerifier:
    # A one-second key-set cache, so the test sees a refetch without waiting minutes.
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url=jwks.url, cache_seconds=1)


def test_a_token_of_a_withdrawn_key_is_refused_once_the_key_set_is_refetched(jwks):
    jwks.keys = [jwk(KEY_A, "a")]
    tokens = jwks_verifier(jwks)
    old = sign(KEY_A, "a")
    tokens.verify(old)
    assert tokens.verify(old)["sub"] == "user-1"  # cached
    assert jwks.fetches == 1

    # Rotation that withdraws A (e.g. a leaked key): B signs from now on.
    jwks.keys = [jwk(KEY_B, "b")]
    time.sleep(1.1)  # the key-set cache expires; the next unknown kid refetches it
    assert tokens.verify(sign(KEY_B, "b"))["sub"] == "user-1"
    assert jwks.fetches == 2

    assert refusal(tokens, old)["code"] != "token_expired"  # neither cache keeps A alive


def test_a_refetch_that_only_adds_a_key_keeps_the_cache(jwks):
    jwks.keys = [jwk(KEY_A, "a")]
    tokens = jwks_verifier(jwks)
    old = sign(KEY_A, "a")
    tokens.verify(old)

    jwks.keys = [jwk(KEY_A, "a"), jwk(KEY_B, "b")]
    time.sleep(1.1)
    tokens.verify(sign(KEY_B, "b"))

    assert jwks.fetches == 2
    assert len(tokens._verified) == 2
    assert tokens.verify(old)["sub"] == "user-1"
