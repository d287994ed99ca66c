"""Every forged, expired or misdirected token is a 401 in the error envelope."""

import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from auth_service.extension import current_auth


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(obj: dict) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


@pytest.fixture
def ring(app):
    with app.app_context():
        return current_auth().keys


@pytest.fixture
def claims(make_account):
    account = make_account(role="staff", login=False)
    now = int(time.time())
    return {
        "sub": account.id,
        "role": "staff",
        "iss": "pedidos-auth",
        "aud": "pedidos",
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
    }


def _assert_refused(response, code="unauthorized"):
    assert response.status_code == 401
    assert response.json["status"] == "error"
    assert response.json["code"] == code
    assert response.json["request_id"]


def test_a_token_we_signed_is_accepted(api, ring, claims):
    assert api.me(ring.sign(claims)).status_code == 200


def test_a_tampered_token_is_refused(api, ring, claims):
    header, payload, signature = ring.sign(claims).split(".")
    forged_payload = _segment({**claims, "role": "admin"})

    _assert_refused(api.me(f"{header}.{forged_payload}.{signature}"))


def test_an_unsigned_alg_none_token_is_refused(api, ring, claims):
    header = {"alg": "none", "typ": "at+jwt", "kid": ring.signer.kid}
    token = f"{_segment(header)}.{_segment(claims)}."

    _assert_refused(api.me(token))


def test_hs256_signed_with_our_public_key_is_refused(api, ring, claims):
    # The classic algorithm-confusion attack: HMAC keyed with the published RSA public key.
    public_pem = ring.signer.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "at+jwt", "kid": ring.signer.kid}
    signing_input = f"{_segment(header)}.{_segment(claims)}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()

    _assert_refused(api.me(f"{signing_input}.{_b64(signature)}"))


def test_an_expired_token_is_refused(api, ring, claims):
    expired = {**claims, "iat": claims["iat"] - 3600, "exp": claims["iat"] - 60}

    _assert_refused(api.me(ring.sign(expired)), code="token_expired")


def test_a_token_for_another_audience_is_refused(api, ring, claims):
    _assert_refused(api.me(ring.sign({**claims, "aud": "some-other-api"})))


def test_a_token_from_another_issuer_is_refused(api, ring, claims):
    _assert_refused(api.me(ring.sign({**claims, "iss": "someone-else"})))


def test_a_token_without_jti_is_refused(api, ring, claims):
    _assert_refused(api.me(ring.sign({k: v for k, v in claims.items() if k != "jti"})))


def test_a_token_signed_by_a_key_we_do_not_publish_is_refused(api, ring, claims, rsa_keys):
    foreign = jwt.encode(
        claims, rsa_keys[2], algorithm="RS256", headers={"kid": ring.signer.kid, "typ": "at+jwt"}
    )

    _assert_refused(api.me(foreign))


def test_a_plain_jwt_typ_is_not_an_access_token(api, ring, claims):
    token = jwt.encode(
        claims, ring.signer.private_key, algorithm="RS256", headers={"kid": ring.signer.kid}
    )

    _assert_refused(api.me(token))


def test_a_refresh_token_is_not_a_bearer_token(api, make_account):
    account = make_account()

    _assert_refused(api.me(account.refresh_token))


@pytest.mark.parametrize("header", [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer   "])
def test_a_missing_or_other_scheme_authorization_is_refused(client, header):
    headers = {"Authorization": header} if header else {}

    _assert_refused(client.get("/api/v1/auth/me", headers=headers))


def test_issued_access_tokens_carry_the_agreed_header_and_claims(app, ring, make_account):
    client_id = uuid.uuid4()
    account = make_account(role="client", client_id=client_id)

    header = jwt.get_unverified_header(account.access_token)
    with app.app_context():
        claims = app.extensions["token_verifier"].verify(account.access_token)

    assert header["alg"] == "RS256"
    assert header["typ"] == "at+jwt"
    assert header["kid"] == ring.signer.kid
    assert claims["sub"] == account.id
    assert claims["role"] == "client"
    assert claims["client_id"] == str(client_id)
    assert "supplier_id" not in claims
    assert claims["iss"] == "pedidos-auth"
    assert claims["aud"] == "pedidos"
    assert claims["exp"] - claims["iat"] == 900
    assert claims["jti"]


def test_a_supplier_token_carries_its_supplier_id(app, make_account):
    supplier_id = uuid.uuid4()
    account = make_account(role="supplier", supplier_id=supplier_id)

    claims = jwt.decode(account.access_token, options={"verify_signature": False})

    assert claims["supplier_id"] == str(supplier_id)
    assert "client_id" not in claims
