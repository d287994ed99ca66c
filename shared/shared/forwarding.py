"""The caller's address behind the gateway: X-Forwarded-For, believed only when the gateway
signed it.

A service that rate-limits by address (the auth service's login lockout) must not let a
caller choose its address. The gateway appends the connection's address to
X-Forwarded-For and signs the header's exact value with HMAC-SHA256 under a secret only it
and the services share (FORWARDED_FOR_SECRET); a request that reaches a service directly
with a forged header has no valid signature, so the header is dropped and the address is
the connection's own. The signature binds the value, so it cannot be moved to another one.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from typing import Any

FORWARDED_FOR_HEADER = "X-Forwarded-For"
SIGNATURE_HEADER = "X-Forwarded-For-Signature"
_FORWARDED_FOR_KEY = "HTTP_X_FORWARDED_FOR"
_SIGNATURE_KEY = "HTTP_X_FORWARDED_FOR_SIGNATURE"


def sign_forwarded_for(secret: str, value: str) -> str:
    """The signature the gateway sends beside X-Forwarded-For."""
    return hmac.new(secret.encode(), value.encode("latin-1"), hashlib.sha256).hexdigest()


class SignedForwardedFor:
    """WSGI middleware: REMOTE_ADDR becomes the last X-Forwarded-For hop when the gateway's
    signature over the header is valid; otherwise the header is removed, never believed."""

    def __init__(self, app: Callable[..., Iterable[bytes]], secret: str) -> None:
        self.app = app
        self.secret = secret

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        forwarded = environ.pop(_FORWARDED_FOR_KEY, None)
        signature = environ.pop(_SIGNATURE_KEY, None)
        if forwarded is not None and self._signed(forwarded, signature):
            last_hop = forwarded.rsplit(",", 1)[-1].strip()
            if last_hop:
                environ[_FORWARDED_FOR_KEY] = forwarded
                environ["pedidos.connection_addr"] = environ.get("REMOTE_ADDR")
                environ["REMOTE_ADDR"] = last_hop
        return self.app(environ, start_response)

    def _signed(self, forwarded: str, signature: str | None) -> bool:
        if not self.secret or not signature:
            return False
        return hmac.compare_digest(signature, sign_forwarded_for(self.secret, forwarded))
