"""Sign-up, login, token refresh and revocation, the caller, service tokens and the JWKS."""

from __future__ import annotations

from flask import request

from auth_service import registration, service_tokens, sessions, users
from auth_service.api import examples as ex
from auth_service.api.schemas import (
    JwksSchema,
    LoginSchema,
    RefreshTokenSchema,
    RegisterSchema,
    ServiceTokenRequestSchema,
    ServiceTokenSchema,
    TokenPairSchema,
    UserSchema,
)
from auth_service.extension import current_auth
from auth_service.models import db
from shared.api import ApiBlueprint, EmptySchema, ErrorEnvelopeSchema, envelope, ok
from shared.auth import current_principal, public
from shared.i18n import Text

blp = ApiBlueprint(
    "auth",
    __name__,
    url_prefix="/api/v1/auth",
    description="Cadastro, login, renovação e revogação de tokens, chaves públicas (JWKS).",
)

JWKS_CACHE_SECONDS = 300


@blp.route("/register", methods=["POST"])
@public
@blp.doc(security=[])
@blp.arguments(RegisterSchema, example=ex.REGISTER_REQUEST)
@blp.response(201, envelope(UserSchema), example=ex.success(ex.CLIENT_USER, "Cadastro realizado."))
@blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
@blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.DUPLICATE_EMAIL)
def register(data: dict):
    """Cadastrar-se (cria um usuário com papel client)

    Público. Quem se cadastra é sempre `client`: o papel não pode ser escolhido (campos
    extras, como `role`, são ignorados). O documento é um CPF ou CNPJ com
    dígitos verificadores válidos (pontuação opcional) e é guardado só com dígitos; o
    telefone precisa de DDD. A senha tem pelo menos 8 caracteres e não pode ser só números.
    E-mail (sem diferenciar maiúsculas) e documento são únicos: 409 se já existirem.
    Não devolve tokens: em seguida, faça `POST /auth/login`.
    """
    auth = current_auth()
    user = registration.register(
        session=db.session,
        **data,
        passwords=auth.passwords,
        client_directory=auth.client_directory,
    )
    return ok(user, Text("Cadastro realizado.", "Signed up."))


@blp.route("/login", methods=["POST"])
@public
@blp.doc(security=[])
@blp.arguments(LoginSchema, example=ex.LOGIN_REQUEST)
@blp.response(200, envelope(TokenPairSchema), example=ex.success(ex.TOKEN_PAIR, "Login realizado."))
@blp.alt_response(401, schema=ErrorEnvelopeSchema, example=ex.INVALID_CREDENTIALS)
@blp.alt_response(
    429,
    schema=ErrorEnvelopeSchema,
    example=ex.RATE_LIMITED,
    headers={
        "Retry-After": {
            "description": "Segundos até poder tentar de novo.",
            "schema": {"type": "integer"},
        }
    },
)
def login(data: dict):
    """Entrar com e-mail e senha

    Público. Devolve um access token (JWT RS256, 15 minutos, envie como
    `Authorization: Bearer ...`) e um refresh token opaco (7 dias, uso único) para
    `POST /auth/refresh-token`. E-mail desconhecido e senha errada dão o mesmo 401;
    usuário desativado também é 401. Bloqueio por conta **e** endereço: depois de 5
    falhas de uma conta vindas de um endereço, esse endereço espera 30 s para tentar de
    novo naquela conta, e a espera dobra a cada nova falha (até 15 min) — 429 com
    `Retry-After`, mesmo com a senha certa. Um endereço sem falhas para a conta nunca é
    bloqueado (o dono entra de outro lugar; outras contas do mesmo endereço também). Com
    50 falhas da conta em 1 hora, de quaisquer endereços, todo endereço que já falhou
    para ela espera 15 min. Um login bem-sucedido zera a contagem daquele endereço.
    O gateway também limita as requisições por endereço (docs/security.md).
    """
    auth = current_auth()
    issued = sessions.login(
        session=db.session,
        email=data["email"],
        password=data["password"],
        address=request.remote_addr,
        passwords=auth.passwords,
        issuer=auth.issuer,
        sessions=auth.sessions,
        lockout=auth.login_lockout,
    )
    return ok(issued, Text("Login realizado.", "Logged in."))


@blp.route("/refresh-token", methods=["POST"])
@public
@blp.doc(security=[])
@blp.arguments(RefreshTokenSchema, example=ex.REFRESH_REQUEST)
@blp.response(
    200, envelope(TokenPairSchema), example=ex.success(ex.TOKEN_PAIR, "Tokens renovados.")
)
@blp.alt_response(401, schema=ErrorEnvelopeSchema, example=ex.REFRESH_REUSED)
def refresh_token(data: dict):
    """Trocar o refresh token por um novo par (rotação)

    Público (o refresh token é a credencial). Cada refresh token vale uma única vez: a
    resposta traz um novo access token e um novo refresh token, e o enviado deixa de valer.
    Reapresentar um refresh token já trocado indica roubo ou repetição: responde 401 e
    encerra a sessão inteira (a família de tokens), inclusive o refresh token mais novo.
    Refresh token desconhecido, expirado ou de sessão encerrada (logout, senha trocada,
    usuário desativado): 401. A sessão dura no máximo 30 dias desde o login.
    """
    auth = current_auth()
    issued = sessions.refresh(
        session=db.session,
        refresh_token=data["refresh_token"],
        issuer=auth.issuer,
        sessions=auth.sessions,
    )
    return ok(issued, Text("Tokens renovados.", "Tokens refreshed."))


@blp.route("/logout", methods=["POST"])
@blp.arguments(RefreshTokenSchema, example=ex.REFRESH_REQUEST)
@blp.response(200, envelope(EmptySchema), example=ex.success(None, "Sessão encerrada."))
@blp.alt_response(401, schema=ErrorEnvelopeSchema, example=ex.UNAUTHORIZED)
def logout(data: dict):
    """Sair (revogar o refresh token e a sua sessão)

    Exige um access token válido. Revoga o refresh token enviado e toda a sua família;
    um token desconhecido ou já revogado também responde 200 (idempotente). Um refresh
    token de outro usuário é 403. O access token atual continua válido até expirar
    (no máximo 15 minutos): descarte-o no cliente.
    """
    sessions.logout(
        session=db.session, refresh_token=data["refresh_token"], actor=current_principal()
    )
    return ok(None, Text("Sessão encerrada.", "Logged out."))


@blp.route("/me")
@blp.response(
    200, envelope(UserSchema), example=ex.success(ex.CLIENT_USER, "Operação realizada com sucesso.")
)
@blp.alt_response(401, schema=ErrorEnvelopeSchema, example=ex.UNAUTHORIZED)
def me():
    """O usuário autenticado

    Devolve o usuário do `sub` do access token, lido do banco: 401 se ele não existe mais
    ou foi desativado (mesmo com o token ainda dentro da validade).
    """
    return ok(users.current_user(session=db.session, actor=current_principal()))


@blp.route("/token", methods=["POST"])
@public
@blp.doc(security=[])
@blp.arguments(ServiceTokenRequestSchema, example=ex.SERVICE_TOKEN_REQUEST)
@blp.response(
    200, envelope(ServiceTokenSchema), example=ex.success(ex.SERVICE_TOKEN, "Token emitido.")
)
@blp.alt_response(401, schema=ErrorEnvelopeSchema, example=ex.INVALID_CLIENT)
def service_token(data: dict):
    """Token de serviço (OAuth2 client_credentials)

    Só na rede interna: o gateway **não** encaminha esta rota (404). Para chamadas entre
    serviços do Pedidos; os clientes e segredos são exatamente os de SERVICE_CLIENTS
    (`order_service:segredo,...`, gerados por `make run`), em qualquer ambiente — não há
    segredo padrão. O token tem papel `service`, `sub` = `service:<client_id>`, `scope`
    com as permissões daquele serviço (ex.: `stock:availability suppliers:read`) e
    validade de 15 minutos; não há refresh token (peça outro). Cliente desconhecido ou
    segredo errado: 401.
    """
    auth = current_auth()
    token = service_tokens.issue_service_token(
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        clients=auth.service_clients,
        issuer=auth.issuer,
    )
    return ok(token, Text("Token emitido.", "Token issued."))


@blp.route("/.well-known/jwks.json")
@public
@blp.doc(security=[])
@blp.response(200, JwksSchema, example=ex.JWKS)
def jwks():
    """Chaves públicas de verificação (JWKS)

    Público. O documento JWKS padrão (RFC 7517), **sem** o envelope de sucesso, porque os
    clientes JWKS (PyJWKClient, gateways) esperam `{"keys": [...]}` na raiz. Lista a chave
    que assina hoje (a última) e as anteriores ainda válidas (rotação); o `kid` é o
    thumbprint RFC 7638. Pode ser guardado em cache por 5 minutos; ao ver um `kid`
    desconhecido, busque de novo.
    """
    headers = {"Cache-Control": f"public, max-age={JWKS_CACHE_SECONDS}"}
    return current_auth().keys.jwks(), 200, headers
