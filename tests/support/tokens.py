"""Access tokens for in-process tests: a throwaway RSA key and a verifier that trusts it.

End-to-end tests log in through the real auth service instead; this is for a service's own
tests built with `create_app(settings, verifier=tokens.verifier())`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from auth_service.tokens import SERVICE_CLIENT_SCOPES
from shared.auth import ACCESS_TOKEN_TYPE, TokenVerifier

ISSUER = "pedidos-auth"
AUDIENCE = "pedidos"


@dataclass
class TokenFactory:
    kid: str = "test-key"
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def verifier(self) -> TokenVerifier:
        public_key = self.key.public_key()
        return TokenVerifier(
            issuer=ISSUER,
            audience=AUDIENCE,
            key_resolver=lambda kid: public_key if kid == self.kid else None,
        )

    def token(
        self,
        role: str,
        *,
        sub: str | None = None,
        client_id: str | None = None,
        supplier_id: str | None = None,
        scope: str | None = None,
        ttl: int = 900,
    ) -> str:
        now = int(time.time())
        claims = {
            "sub": sub or str(uuid.uuid4()),
            "role": role,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
        }
        if client_id:
            claims["client_id"] = client_id
        if supplier_id:
            claims["supplier_id"] = supplier_id
        if scope is not None:
            claims["scope"] = scope
        return jwt.encode(
            claims, self.key, algorithm="RS256", headers={"kid": self.kid, "typ": ACCESS_TOKEN_TYPE}
        )

    def headers(self, role: str, **kwargs) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, **kwargs)}"}

    def service_token(self, service: str) -> str:
        """The token the auth service would give `service`: its real scopes, no more."""
        scopes = sorted(SERVICE_CLIENT_SCOPES.get(service, frozenset()))
        return self.token("service", sub=f"service:{service}", scope=" ".join(scopes))

    def service_headers(self, service: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.service_token(service)}"}
