"""Request and response examples shown in the OpenAPI document (Swagger UI)."""

from __future__ import annotations

from typing import Any

from shared.api import example_error, example_success

# The envelopes every example is wrapped in.
success = example_success
failure = example_error

USER_ID = "5b0e5f9e-3c1e-4d8a-9a53-2f3f4c1d7e21"
ACCESS_TOKEN = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6IkxwS...IiwidHlwIjoiYXQrand0In0.eyJzdWIiOi...In0.c2ln..."
)
REFRESH_TOKEN = "q5mX0l8b2Y1oV6n3dZ9sQw4tR7uE2aH0cK5jL8pF1gM"

CLIENT_USER: dict[str, Any] = {
    "id": USER_ID,
    "name": "Maria Souza",
    "email": "maria@example.com",
    "role": "client",
    "document": "52998224725",
    "phone": "11912345678",
    "client_id": None,
    "supplier_id": None,
    "active": True,
    "created_at": "2026-11-23T10:15:00+00:00",
    "updated_at": "2026-11-23T10:15:00+00:00",
}
STAFF_USER: dict[str, Any] = {
    **CLIENT_USER,
    "id": "0c9a3f57-1d2b-4f6e-8a10-77b2c4d5e6f7",
    "name": "Ana Lima",
    "email": "ana@pedidos.local",
    "role": "staff",
    "document": None,
    "phone": None,
}


REGISTER_REQUEST = {
    "name": "Maria Souza",
    "email": "maria@example.com",
    "password": "Segura#2026",
    "document": "529.982.247-25",
    "phone": "(11) 91234-5678",
}
LOGIN_REQUEST = {"email": "maria@example.com", "password": "Segura#2026"}
REFRESH_REQUEST = {"refresh_token": REFRESH_TOKEN}
TOKEN_PAIR = {
    "access_token": ACCESS_TOKEN,
    "refresh_token": REFRESH_TOKEN,
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_expires_in": 604800,
    "user": CLIENT_USER,
}
SERVICE_TOKEN_REQUEST = {
    "grant_type": "client_credentials",
    "client_id": "order_service",
    "client_secret": "gerado-por-make-run-ou-definido-em-SERVICE_CLIENTS",
}
SERVICE_TOKEN = {"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 900}
JWKS = {
    "keys": [
        {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4...",
            "e": "AQAB",
        }
    ]
}
USER_CREATE_REQUEST = {
    "name": "Ana Lima",
    "email": "ana@pedidos.local",
    "password": "Segura#2026",
    "role": "staff",
    "active": True,
}
USER_UPDATE_REQUEST = {"role": "supplier", "supplier_id": "2f6d1c8e-4b3a-4e2f-9d1c-0a7b6c5d4e3f"}

INVALID_CREDENTIALS = failure("E-mail ou senha inválidos.", "invalid_credentials")
RATE_LIMITED = failure(
    "Muitas tentativas de login. Tente novamente em 240 segundos.", "rate_limited"
)
VALIDATION = failure(
    "Dados inválidos.",
    "validation_error",
    [
        {"field": "document", "message": "CPF inválido: dígito verificador incorreto."},
        {"field": "password", "message": "A senha deve ter pelo menos 8 caracteres."},
    ],
)
DUPLICATE_EMAIL = failure(
    "Já existe um usuário com este e-mail.",
    "duplicate",
    [{"field": "email", "message": "Já existe um usuário com este e-mail."}],
)
REFRESH_REUSED = failure(
    "Refresh token já utilizado: por segurança a sessão foi encerrada. Entre novamente.",
    "refresh_token_reused",
)
UNAUTHORIZED = failure("Token de acesso ausente.", "unauthorized")
FORBIDDEN = failure("Você não tem permissão para esta operação.", "forbidden")
NOT_FOUND = failure("Usuário não encontrado.", "not_found")
ADMIN_LOCKOUT = failure(
    "Você não pode remover o seu próprio acesso de administrador (rebaixar, desativar ou "
    "excluir a si mesmo). Peça a outro administrador.",
    "admin_lockout",
)
INVALID_CLIENT = failure("Credenciais do cliente inválidas.", "invalid_client")
