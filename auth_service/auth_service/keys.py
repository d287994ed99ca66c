"""The signing key ring: RSA keys from JWT_KEYS_DIR (or JWT_PRIVATE_KEY), published as JWKS.

Rotation: add a new PEM file whose name sorts after the others (e.g. `2027-01-01.pem`) and
restart. The newest key signs from then on; the older ones stay in the JWKS, so tokens they
signed keep verifying until they expire, after which the old file can be removed. With
several replicas, first deploy the new file with JWT_SIGNING_KEY naming the current one
(the new key is published everywhere), then unset JWT_SIGNING_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import ACCESS_TOKEN_TYPE
from shared.config import ConfigError

log = logging.getLogger(__name__)

ALGORITHM = "RS256"
MIN_KEY_BITS = 2048
ENV_KEY_NAME = "JWT_PRIVATE_KEY"
# The name of a generated development key sorts before date-named keys, so any key added
# by hand (e.g. 2026-12-01.pem) takes over signing.
GENERATED_KEY_NAME = "0000-development.pem"

# enforce_minimum_key_length: PyJWT only warns about short keys unless told to refuse them.
_jwt = jwt.PyJWT(options={"enforce_minimum_key_length": True})


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """The RFC 7638 thumbprint (SHA-256, base64url) of an RSA public key: our `kid`."""
    numbers = public_key.public_numbers()
    # RFC 7638: the required members only, sorted, no whitespace.
    canonical = json.dumps(
        {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)},
        separators=(",", ":"),
        sort_keys=True,
    )
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    """One RSA key of the ring, named after where it came from."""

    name: str
    private_key: rsa.RSAPrivateKey

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    @property
    def kid(self) -> str:
        return jwk_thumbprint(self.public_key)

    def public_jwk(self) -> dict[str, str]:
        """The public half as a JWK (RFC 7517), ready for the JWKS document."""
        numbers = self.public_key.public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "alg": ALGORITHM,
            "kid": self.kid,
            "n": _b64url_uint(numbers.n),
            "e": _b64url_uint(numbers.e),
        }


class KeyRing:
    """Every key we publish, and the one that signs."""

    def __init__(self, keys: list[SigningKey], signer: SigningKey) -> None:
        self._by_kid = {key.kid: key for key in keys}
        self._by_kid.setdefault(signer.kid, signer)
        self.signer = signer

    @property
    def kids(self) -> list[str]:
        return list(self._by_kid)

    def public_key(self, kid: str) -> rsa.RSAPublicKey | None:
        """The verification key for `kid` (None when unknown): TokenVerifier's key_resolver."""
        key = self._by_kid.get(kid)
        return key.public_key if key else None

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JWKS document, in key-file order (so the signing key is last unless pinned)."""
        return {"keys": [k.public_jwk() for k in self._by_kid.values()]}

    def sign(self, claims: dict[str, Any]) -> str:
        """An RS256 access token for `claims`, with our kid and typ at+jwt."""
        return _jwt.encode(
            claims,
            self.signer.private_key,
            algorithm=ALGORITHM,
            headers={"kid": self.signer.kid, "typ": ACCESS_TOKEN_TYPE},
        )


def read_private_key(pem: bytes, *, source: str) -> rsa.RSAPrivateKey:
    """Parse an unencrypted PEM RSA private key of at least 2048 bits, or stop start-up."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"{source}: não é uma chave privada PEM sem senha ({type(exc).__name__})."
        ) from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigError(f"{source}: a chave deve ser RSA (RS256).")
    if key.key_size < MIN_KEY_BITS:
        raise ConfigError(f"{source}: chave RSA de {key.key_size} bits; o mínimo é {MIN_KEY_BITS}.")
    return key


def generate_key_file(directory: Path, *, bits: int = MIN_KEY_BITS) -> Path:
    """Write a new RSA key as `0000-development.pem` unless another process just did."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = directory / GENERATED_KEY_NAME
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(pem)
        # link() fails if the name exists: when two workers start at once, one key wins.
        os.link(tmp_name, target)
        log.warning("generated a development signing key at %s", target)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp_name)
    return target


def _keys_in(directory: Path) -> list[SigningKey]:
    if not directory.is_dir():
        return []
    return [
        SigningKey(
            name=path.name, private_key=read_private_key(path.read_bytes(), source=str(path))
        )
        for path in sorted(directory.glob("*.pem"))
    ]


def load_key_ring(
    *, keys_dir: str, private_key_pem: str, signing_key: str, development: bool
) -> KeyRing:
    """Build the ring from the environment's key, the key folder, or a generated dev key."""
    directory = Path(keys_dir)
    keys = _keys_in(directory)
    env_key: SigningKey | None = None
    if private_key_pem:
        # .env files often carry the PEM on one line with literal "\n".
        pem = private_key_pem.replace("\\n", "\n").encode("ascii")
        env_key = SigningKey(ENV_KEY_NAME, read_private_key(pem, source=ENV_KEY_NAME))
        keys.append(env_key)
    if not keys:
        if not development:
            raise ConfigError(
                f"Nenhuma chave de assinatura: defina JWT_PRIVATE_KEY ou coloque uma chave PEM "
                f"RSA (>= {MIN_KEY_BITS} bits) em JWT_KEYS_DIR={directory}."
            )
        generate_key_file(directory)
        keys = _keys_in(directory)
    signer = env_key or keys[-1]
    if signing_key:
        chosen = [k for k in keys if k.name == signing_key]
        if not chosen:
            raise ConfigError(
                f"JWT_SIGNING_KEY={signing_key!r} não está entre as chaves: "
                f"{', '.join(k.name for k in keys)}."
            )
        signer = chosen[0]
    return KeyRing(keys, signer)
