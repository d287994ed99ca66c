"""The edge authenticator remembers verified tokens, never longer than they are valid."""

import time

import pytest
from flask import Flask

from gateway.authentication import EdgeAuthenticator
from shared.errors import Unauthorized


class CountingVerifier:
    """Stands in for TokenVerifier: accepts tokens starting with "good", counts the calls."""

    def __init__(self, lifetime: float = 900.0) -> None:
        self.calls = 0
        self.lifetime = lifetime

    def verify(self, token: str) -> dict:
        self.calls += 1
        if not token.startswith("good"):
            raise Unauthorized("Token inválido.")
        return {"sub": token, "role": "staff", "exp": time.time() + self.lifetime, "jti": "j"}


@pytest.fixture
def app():
    return Flask("edge")


def authenticate(app: Flask, authenticator: EdgeAuthenticator, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with app.test_request_context("/api/v1/orders", headers=headers):
        return authenticator.authenticate()


def test_a_verified_token_is_not_verified_again(app):
    verifier = CountingVerifier()
    authenticator = EdgeAuthenticator(verifier)

    first = authenticate(app, authenticator, "good-1")
    second = authenticate(app, authenticator, "good-1")

    assert first == second
    assert first.subject == "good-1"
    assert verifier.calls == 1


def test_a_refused_token_is_checked_every_time(app):
    verifier = CountingVerifier()
    authenticator = EdgeAuthenticator(verifier)

    for _ in range(2):
        with pytest.raises(Unauthorized):
            authenticate(app, authenticator, "bad-1")

    assert verifier.calls == 2


def test_a_missing_token_is_refused_without_verifying(app):
    verifier = CountingVerifier()

    with pytest.raises(Unauthorized):
        authenticate(app, EdgeAuthenticator(verifier), None)

    assert verifier.calls == 0


def test_a_token_is_not_remembered_past_its_expiry(app):
    verifier = CountingVerifier(lifetime=0.1)
    authenticator = EdgeAuthenticator(verifier)

    authenticate(app, authenticator, "good-1")
    time.sleep(0.15)
    authenticate(app, authenticator, "good-1")

    assert verifier.calls == 2


def test_a_token_is_not_remembered_longer_than_max_age(app):
    verifier = CountingVerifier()
    authenticator = EdgeAuthenticator(verifier, max_age=0.1)

    authenticate(app, authenticator, "good-1")
    time.sleep(0.15)
    authenticate(app, authenticator, "good-1")

    assert verifier.calls == 2


def test_the_memory_is_bounded(app):
    verifier = CountingVerifier()
    authenticator = EdgeAuthenticator(verifier, max_entries=3)

    for n in range(10):
        authenticate(app, authenticator, f"good-{n}")

    assert len(authenticator._verified) <= 3
