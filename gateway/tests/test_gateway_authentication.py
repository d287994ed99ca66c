"""The edge authenticator: a bearer token in, the caller's principal out, or a 401."""

import pytest

from gateway.authentication import EdgeAuthenticator
from shared.errors import Unauthorized
from tests.support.tokens import TokenFactory


class CountingVerifier:
    """A real TokenVerifier, counting the tokens it is asked about."""

    def __init__(self, tokens: TokenFactory) -> None:
        self.inner = tokens.verifier()
        self.calls = 0

    def verify(self, token: str) -> dict:
        self.calls += 1
        return self.inner.verify(token)


@pytest.fixture(scope="module")
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture
def verifier(tokens: TokenFactory) -> CountingVerifier:
    return CountingVerifier(tokens)


def authenticate(authenticator: EdgeAuthenticator, token: str | None):
    return authenticator.authenticate(f"Bearer {token}" if token else None)


def test_a_valid_token_gives_its_principal(tokens, verifier):
    token = tokens.token("client", sub="user-7", client_id="c-1")

    principal = authenticate(EdgeAuthenticator(verifier), token)

    assert (principal.subject, principal.role.value, principal.client_id) == (
        "user-7",
        "client",
        "c-1",
    )


def test_every_request_asks_the_verifier_which_alone_remembers_tokens(tokens, verifier):
    # TokenVerifier's cache is the only one: it forgets every token when a key is withdrawn.
    authenticator = EdgeAuthenticator(verifier)
    token = tokens.token("staff")

    authenticate(authenticator, token)
    authenticate(authenticator, token)

    assert verifier.calls == 2
    assert not hasattr(authenticator, "_verified")


def test_a_refused_token_is_a_401(verifier):
    with pytest.raises(Unauthorized):
        authenticate(EdgeAuthenticator(verifier), "not-a-token")


def test_a_missing_token_is_refused_without_verifying(verifier):
    with pytest.raises(Unauthorized) as refused:
        authenticate(EdgeAuthenticator(verifier), None)

    assert refused.value.message.pt == "Token de acesso ausente."
    assert verifier.calls == 0
