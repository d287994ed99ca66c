"""Access-token check at the edge, before any service is contacted.

The services verify the token again (nothing trusts the network). Verifying is cheap on
the hot path because shared.auth.TokenVerifier remembers the tokens it has verified until
they expire, and forgets them all as soon as a JWKS refetch shows a withdrawn key. The
gateway keeps no memory of its own: one that outlived the verifier's would accept a token
signed with a withdrawn key after every service had stopped accepting it.
"""

from __future__ import annotations

from shared.auth import Principal, Role, TokenVerifier, bearer_token_of
from shared.errors import Forbidden, Unauthorized
from shared.i18n import Text


class EdgeAuthenticator:
    """Verifies the caller's access token: who is calling, or why not."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal of an `Authorization` header's bearer token, or Unauthorized (401)."""
        token = bearer_token_of(authorization)
        if token is None:
            raise Unauthorized(Text("Token de acesso ausente.", "Missing access token."))
        # Raises Unauthorized, or ServiceUnavailable while the keys cannot be fetched.
        principal = Principal.from_claims(self.verifier.verify(token))
        if principal.role == Role.SERVICE:
            # Services call each other on the internal network, never through the edge: a
            # service token arriving here has leaked.
            raise Forbidden(
                Text(
                    "Tokens de serviço não são aceitos no gateway.",
                    "Service tokens are not accepted at the gateway.",
                )
            )
        return principal
