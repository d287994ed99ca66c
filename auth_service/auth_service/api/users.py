"""User management, for admins only."""

from __future__ import annotations

from auth_service import queries, user_management
from auth_service.api import examples as ex
from auth_service.api.schemas import UserCreateSchema, UserQuerySchema, UserSchema, UserUpdateSchema
from auth_service.extension import current_auth
from auth_service.models import db
from shared.api import ApiBlueprint, ErrorEnvelopeSchema, envelope, ok, ok_page
from shared.auth import Role, current_principal, roles_required
from shared.i18n import Text

blp = ApiBlueprint(
    "users",
    __name__,
    url_prefix="/api/v1/auth/users",
    description="Gestão de usuários, papéis e vínculos (somente admin).",
)

_PAGE_EXAMPLE = {
    **ex.success([ex.STAFF_USER, ex.CLIENT_USER], "Usuários encontrados."),
    "meta": {"page": 1, "page_size": 20, "total": 2, "pages": 1},
}
_USER_ID = [
    {
        "in": "path",
        "name": "user_id",
        "required": True,
        "description": "UUID do usuário (um id malformado responde 404).",
        "schema": {"type": "string", "format": "uuid"},
    }
]


@blp.route("", methods=["GET"])
@roles_required(Role.ADMIN)
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, envelope(UserSchema, paginated=True), example=_PAGE_EXAMPLE)
@blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
def list_users(args: dict):
    """Listar usuários

    Somente admin (403 para os demais papéis). Mais recentes primeiro. Filtros: `role`
    (papel exato), `email` (exato, sem diferenciar maiúsculas), `q` (trecho do nome ou do
    e-mail), `active`. Paginação: `page` (desde 1) e `page_size` (padrão 20, máximo 100).
    """
    page = queries.list_users(session=db.session, **args)
    return ok_page(page, Text("Usuários encontrados.", "Users found."))


@blp.route("", methods=["POST"])
@roles_required(Role.ADMIN)
@blp.arguments(UserCreateSchema, example=ex.USER_CREATE_REQUEST)
@blp.response(201, envelope(UserSchema), example=ex.success(ex.STAFF_USER, "Usuário criado."))
@blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
@blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.DUPLICATE_EMAIL)
def create_user(data: dict):
    """Criar usuário

    Somente admin. Qualquer papel (`admin`, `staff`, `client`, `supplier`). `client_id` só
    para papel `client` e `supplier_id` só para `supplier` (400 caso contrário). E-mail
    único sem diferenciar maiúsculas (409). A senha segue a mesma política do cadastro.
    """
    user = user_management.create_user(
        session=db.session,
        actor=current_principal(),
        passwords=current_auth().passwords,
        **data,
    )
    return ok(user, Text("Usuário criado.", "User created."))


@blp.route("/<user_id>", methods=["GET"], parameters=_USER_ID)
@roles_required(Role.ADMIN)
@blp.response(
    200, envelope(UserSchema), example=ex.success(ex.STAFF_USER, "Operação realizada com sucesso.")
)
@blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.NOT_FOUND)
def get_user(user_id: str):
    """Ver um usuário

    Somente admin. 404 para um id desconhecido ou que não é um UUID.
    """
    return ok(queries.get_user(session=db.session, user_id=user_id))


@blp.route("/<user_id>", methods=["PATCH"], parameters=_USER_ID)
@roles_required(Role.ADMIN)
@blp.arguments(UserUpdateSchema, example=ex.USER_UPDATE_REQUEST)
@blp.response(200, envelope(UserSchema), example=ex.success(ex.STAFF_USER, "Usuário atualizado."))
@blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
@blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.NOT_FOUND)
@blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.ADMIN_LOCKOUT)
def update_user(data: dict, user_id: str):
    """Alterar usuário

    Somente admin. Muda só os campos enviados: `name`, `email`, `password`, `role`,
    `active`, `client_id`, `supplier_id` (`null` remove o vínculo). Os vínculos precisam
    combinar com o papel final (ao trocar um client para staff, envie `client_id: null`).
    Um admin não pode rebaixar nem desativar a si mesmo, e o último admin ativo não pode
    deixar de sê-lo (409). Trocar a senha ou desativar encerra as sessões do usuário
    (refresh tokens); o novo papel vale a partir do próximo access token.
    """
    user = user_management.update_user(
        session=db.session,
        actor=current_principal(),
        user_id=user_id,
        changes=data,
        passwords=current_auth().passwords,
    )
    return ok(user, Text("Usuário atualizado.", "User updated."))


@blp.route("/<user_id>", methods=["DELETE"], parameters=_USER_ID)
@roles_required(Role.ADMIN)
@blp.response(
    200,
    envelope(UserSchema),
    example=ex.success({**ex.STAFF_USER, "active": False}, "Usuário desativado."),
)
@blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.NOT_FOUND)
@blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.ADMIN_LOCKOUT)
def delete_user(user_id: str):
    """Excluir (desativar) usuário

    Somente admin. O usuário é desativado, não apagado: pedidos e históricos continuam
    apontando para ele, e `PATCH {"active": true}` o reativa. Todas as suas sessões
    (refresh tokens) são revogadas; não consegue mais entrar. Repetir é inofensivo (200).
    Um admin não pode excluir a si mesmo nem o último admin ativo (409).
    """
    user = user_management.deactivate_user(
        session=db.session, actor=current_principal(), user_id=user_id
    )
    return ok(user, Text("Usuário desativado.", "User deactivated."))
