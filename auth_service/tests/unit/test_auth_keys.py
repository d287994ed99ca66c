import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from auth_service.keys import (
    GENERATED_KEY_NAME,
    jwk_thumbprint,
    load_key_ring,
    read_private_key,
)
from shared.config import ConfigError


def _int(b64: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)), "big")


def test_kid_is_the_rfc7638_thumbprint():
    # The example key and thumbprint of RFC 7638, section 3.1.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_B"
        "JECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_F"
        "DW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4"
        "vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    public_key = rsa.RSAPublicNumbers(e=_int("AQAB"), n=_int(n)).public_key()

    assert jwk_thumbprint(public_key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_keys_shorter_than_2048_bits_stop_start_up():
    from cryptography.hazmat.primitives import serialization

    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = short.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )

    with pytest.raises(ConfigError, match="mínimo é 2048"):
        read_private_key(pem, source="short.pem")


def test_garbage_is_not_a_key():
    with pytest.raises(ConfigError, match="não é uma chave privada PEM"):
        read_private_key(b"-----BEGIN NOTHING-----", source="x.pem")


def test_without_keys_outside_development_start_up_stops(tmp_path):
    with pytest.raises(ConfigError, match="Nenhuma chave de assinatura"):
        load_key_ring(
            keys_dir=str(tmp_path / "none"), private_key_pem="", signing_key="", development=False
        )


def test_development_generates_one_key_and_reuses_it(tmp_path):
    first = load_key_ring(
        keys_dir=str(tmp_path), private_key_pem="", signing_key="", development=True
    )
    second = load_key_ring(
        keys_dir=str(tmp_path), private_key_pem="", signing_key="", development=True
    )

    assert [p.name for p in tmp_path.iterdir()] == [GENERATED_KEY_NAME]
    assert first.signer.kid == second.signer.kid
    assert (tmp_path / GENERATED_KEY_NAME).stat().st_mode & 0o077 == 0  # owner-only


def test_an_unknown_pinned_signing_key_stops_start_up(tmp_path):
    load_key_ring(keys_dir=str(tmp_path), private_key_pem="", signing_key="", development=True)

    with pytest.raises(ConfigError, match="JWT_SIGNING_KEY"):
        load_key_ring(
            keys_dir=str(tmp_path), private_key_pem="", signing_key="nope.pem", development=True
        )
