"""Access-token check at the edge, before any service is contacted.

The services verify the token again (nothing trusts the network), so the gateway's check
is pure overhead on the hot path. A client sends the same token for up to 15 minutes:
the gateway remembers a token it has verified — by its exact text, until it expires and
for at most a minute — instead of parsing and RSA-verifying it on every request.
"""

from __future__ import annotations

import time
from typing import Any

from flask import g

from shared.auth import Principal, TokenVerifier, bearer_token
from shared.errors import Unauthorized
from shared.i18n import Text


class EdgeAuthenticator:
    """Verifies the caller's access token, remembering tokens already verified."""

    def __init__(
        self, verifier: TokenVerifier, *, max_entries: int = 10_000, max_age: float = 60.0
    ) -> None:
        self.verifier = verifier
        self.max_entries = max_entries
        self.max_age = max_age
        # token -> (principal, valid until, wall clock). Dict reads/writes are atomic under
        # the GIL: at worst two threads verify the same new token once each.
        self._verified: dict[str, tuple[Principal, float]] = {}

    def authenticate(self) -> Principal:
        """The principal of the request's bearer token, or Unauthorized (401)."""
        token = bearer_token()
        if token is None:
            raise Unauthorized(Text("Token de acesso ausente.", "Missing access token."))
        now = time.time()
        remembered = self._verified.get(token)
        if remembered is not None and remembered[1] > now:
            principal = remembered[0]
        else:
            claims = self.verifier.verify(token)  # raises Unauthorized / ServiceUnavailable
            principal = Principal.from_claims(claims)
            self._remember(token, principal, claims, now)
        g.principal = principal
        return principal

    def _remember(
        self, token: str, principal: Principal, claims: dict[str, Any], now: float
    ) -> None:
        if len(self._verified) >= self.max_entries:
            # Cheaper than LRU bookkeeping on every hit; refilling costs one verify per token.
            self._verified.clear()
        self._verified[token] = (principal, min(float(claims["exp"]), now + self.max_age))
