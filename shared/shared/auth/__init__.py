"""Access tokens in every Pedidos service: who calls, how the token is verified, the Flask
guards on each route and this service's own client-credentials token.

The public API is imported from here (`from shared.auth import ...`); the modules are
principals (Role, Scope, Principal), verification (TokenVerifier, the watched JWKS client
and its token cache), guards (the Flask before_request check and view decorators) and
service_tokens (ServiceTokenClient). principals and verification do not import Flask.
"""

from shared.auth.guards import (
    SERVICE_SCOPE_MISSING,
    allow_services,
    bearer_token,
    bearer_token_of,
    current_principal,
    init_auth,
    public,
    require_roles,
    roles_required,
)
from shared.auth.principals import Principal, Role, Scope
from shared.auth.service_tokens import ServiceTokenClient, service_token_client
from shared.auth.verification import (
    ACCESS_TOKEN_TYPE,
    ALGORITHMS,
    DEFAULT_TOKEN_CACHE_SIZE,
    TokenVerifier,
    verifier_from_settings,
)

__all__ = [
    "ACCESS_TOKEN_TYPE",
    "ALGORITHMS",
    "DEFAULT_TOKEN_CACHE_SIZE",
    "SERVICE_SCOPE_MISSING",
    "Principal",
    "Role",
    "Scope",
    "ServiceTokenClient",
    "TokenVerifier",
    "allow_services",
    "bearer_token",
    "bearer_token_of",
    "current_principal",
    "init_auth",
    "public",
    "require_roles",
    "roles_required",
    "service_token_client",
    "verifier_from_settings",
]
