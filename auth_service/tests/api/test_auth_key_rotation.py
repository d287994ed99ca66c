"""Signing keys: rotation by adding a file, JWKS publishing, keys from the environment."""

import jwt
import pytest

from auth_service.keys import jwk_thumbprint
from shared.config import ConfigError

JWKS = "/api/v1/auth/.well-known/jwks.json"


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def test_jwks_is_the_raw_standard_document_and_public(client):
    response = client.get(JWKS)

    assert response.status_code == 200
    assert set(response.json) == {"keys"}  # no envelope: JWKS clients expect this shape
    (key,) = response.json["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert key["e"] == "AQAB" and key["kid"] and key["n"]
    assert "d" not in key and "p" not in key  # nothing private
    assert "max-age" in response.headers["Cache-Control"]


def test_a_jwks_client_verifies_our_tokens_with_the_published_key(client, make_account):
    account = make_account()
    published = client.get(JWKS).json["keys"][0]

    key = jwt.PyJWK(published).key
    claims = jwt.decode(account.access_token, key, algorithms=["RS256"], audience="pedidos")

    assert claims["sub"] == account.id


def test_rotation_new_key_signs_old_tokens_still_verify(
    make_app, keys_dir_with, key_pem, account_in, api_for
):
    keys_dir = keys_dir_with(("2026-01-01.pem", 0))
    before = make_app(keys_dir)
    account = account_in(before, role="staff")
    old_kid = _kid(account.access_token)

    (keys_dir / "2026-06-01.pem").write_bytes(key_pem(1))  # the operator drops a new key in
    after = make_app(keys_dir)  # ... and restarts
    api = api_for(after)

    assert api.me(account.access_token).status_code == 200
    fresh = api.login(account.email, account.password).json["data"]
    new_kid = _kid(fresh["access_token"])
    assert new_kid != old_kid
    published = [k["kid"] for k in after.test_client().get(JWKS).json["keys"]]
    assert published == [old_kid, new_kid]  # file order: the signing key is the last
    assert api.refresh(account.refresh_token).status_code == 200  # sessions survive rotation


def test_a_pinned_signing_key_lets_a_new_key_be_published_first(
    make_app, keys_dir_with, rsa_keys, account_in
):
    keys_dir = keys_dir_with(("2026-01-01.pem", 0), ("2026-06-01.pem", 1))
    app = make_app(keys_dir, jwt_signing_key="2026-01-01.pem")

    account = account_in(app)
    published = [k["kid"] for k in app.test_client().get(JWKS).json["keys"]]

    pinned_kid = jwk_thumbprint(rsa_keys[0].public_key())
    assert _kid(account.access_token) == pinned_kid
    assert published == [pinned_kid, jwk_thumbprint(rsa_keys[1].public_key())]  # both published


def test_a_key_from_the_environment_signs(make_app, tmp_path, key_pem, rsa_keys, account_in):
    one_line = key_pem(2).decode().replace("\n", "\\n")  # as .env files carry it
    app = make_app(tmp_path / "empty", jwt_private_key=one_line)

    account = account_in(app)
    (published,) = app.test_client().get(JWKS).json["keys"]

    assert (
        _kid(account.access_token) == published["kid"] == jwk_thumbprint(rsa_keys[2].public_key())
    )
    assert not (tmp_path / "empty").exists()  # nothing generated


def test_outside_development_a_missing_key_stops_start_up(make_app, tmp_path):
    with pytest.raises(ConfigError, match="JWT_PRIVATE_KEY"):
        make_app(
            tmp_path / "none",
            environment="production",
            service_clients={"gateway": "a-long-enough-secret"},
        )
