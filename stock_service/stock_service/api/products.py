"""Products (the catalogue) and their images."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request, send_file
from flask.views import MethodView

from shared.api import ApiBlueprint, EmptySchema, ErrorEnvelopeSchema, envelope, ok, ok_page
from shared.auth import Role, Scope, allow_services, current_principal, roles_required
from shared.i18n import Text
from shared.service_app import accepts_body
from stock_service import queries, services
from stock_service.api import examples as ex
from stock_service.api.product_schemas import (
    ImageSchema,
    ImageUploadSchema,
    ProductCreateSchema,
    ProductQuerySchema,
    ProductSchema,
    ProductSearchSchema,
    ProductUpdateSchema,
)
from stock_service.config import StockSettings
from stock_service.domain.errors import ImageNotFound
from stock_service.image_files import ImageFiles
from stock_service.models import db

blp = ApiBlueprint(
    "products",
    __name__,
    url_prefix="/api/v1/products",
    description="Catálogo: produtos com preço, código de barras, seção, unidade, validade, "
    "fornecedor, quantidade ideal, estoque e imagens.",
)

# Room for the multipart framing around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def _settings() -> StockSettings:
    return current_app.config["SETTINGS"]


def _images() -> ImageFiles:
    return current_app.extensions["stock_images"]


def _write_context() -> dict[str, Any]:
    return {
        "actor": current_principal().subject,
        "correlation_id": g.get("correlation_id"),
        "low_stock_percent": _settings().low_stock_percent,
    }


def image_body_limit(view: Callable) -> Callable:
    """Let this route read bodies up to IMAGES_MAX_BYTES (the app allows only JSON-sized ones)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = _settings().images_max_bytes + MULTIPART_OVERHEAD
        return view(*args, **kwargs)

    return wrapper


@blp.route("")
class Products(MethodView):
    @blp.arguments(ProductQuerySchema, location="query")
    @blp.response(
        200,
        envelope(ProductSchema, paginated=True),
        example=ex.success([ex.PRODUCT], "Produtos encontrados.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    def get(self, args: dict):
        """Listar produtos

        Qualquer usuário autenticado. Produtos excluídos não aparecem; inativos aparecem
        com `active: false` (filtre com `active=true` para a vitrine de pedidos).
        Filtros, todos combináveis: `section` e `category` (valor exato, sem diferenciar
        maiúsculas), `min_price`/`max_price` (inclusivos), `available` (true: disponível >
        0; false: nada livre), `supplier_id`, `q` (parte do nome ou início do código de
        barras). Ordenação `sort`: `name` (padrão), `price`, `created_at`, `available`,
        com `-` para inverter. Paginado (`page`, `page_size` ≤ 100); `meta.total` conta
        todos os que passam nos filtros. Cada produto traz `stock: {on_hand, reserved,
        available}`.

        Exemplo: `GET /api/v1/products?section=Mercearia&available=true&sort=-price`.
        """
        page_number, page_size, sort = args.pop("page"), args.pop("page_size"), args.pop("sort")
        page = queries.list_products(
            db.session,
            queries.ProductFilters(**args),
            page=page_number,
            page_size=page_size,
            sort=sort,
        )
        return ok_page(page, Text("Produtos encontrados.", "Products found."))

    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.arguments(ProductCreateSchema, example=ex.PRODUCT_REQUEST)
    @blp.response(
        201,
        envelope(ProductSchema),
        example=ex.success(
            {
                **ex.PRODUCT,
                "images": [],
                "stock": {
                    "on_hand": 150,
                    "reserved": 0,
                    "available": 150,
                    "percent_of_ideal": 75.0,
                    "low_stock": False,
                },
            },
            "Produto cadastrado.",
        ),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.DUPLICATE_BARCODE)
    def post(self, data: dict):
        """Cadastrar produto

        `admin` e `staff`. Regras: `price` > 0 com no máximo duas casas decimais;
        `barcode` opcional, EAN-8, EAN-13 ou GTIN-12/14 com dígito verificador válido e único
        entre os produtos não excluídos (409; o mesmo GTIN com zeros à esquerda conta como
        repetido); `unit` em un, kg, g, l, ml, cx, pct; `expiry_date` opcional e não no
        passado (dia de hoje no horário de Brasília); `supplier_id` de um fornecedor
        existente; `ideal_quantity` ≥ 0; `initial_stock` ≥ 0 (só na criação) vira o
        estoque inicial, registrado no razão com a causa `initial`. Se o estoque inicial já
        nasce abaixo de 20% da quantidade ideal, um evento `stock.low` é registrado.
        """
        product = services.create_product(db.session, data=data, **_write_context())
        return ok(
            queries.get_product(db.session, product.id),
            Text("Produto cadastrado.", "Product created."),
        )


@blp.route("/search")
class ProductSearch(MethodView):
    @allow_services(Scope.PRODUCTS_SEARCH)
    @blp.arguments(ProductSearchSchema, example=ex.PRODUCT_SEARCH_REQUEST)
    @blp.response(
        200,
        envelope(ProductSchema, paginated=True),
        example=ex.success([ex.PRODUCT], "Produtos encontrados.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    def post(self, data: dict):
        """Buscar produtos com os filtros no corpo

        Os filtros, a ordenação e a paginação de `GET /products`, num corpo JSON, e mais
        dois que não caberiam numa URL: `created_before` (só produtos cadastrados antes
        desse instante) e `exclude_ids` (até 10.000 ids a deixar de fora). Não muda nada.
        Qualquer usuário autenticado; um token de serviço só com o escopo
        `products:search` — o relatório de desempenho do serviço de pedidos pergunta assim
        pelos produtos ativos, cadastrados há 30 dias ou mais, fora dos que tiveram pedido
        nesse tempo (o alerta de produtos sem pedidos, inclusive os que nunca tiveram um).
        """
        page_number, page_size, sort = data.pop("page"), data.pop("page_size"), data.pop("sort")
        page = queries.list_products(
            db.session,
            queries.ProductFilters(**data),
            page=page_number,
            page_size=page_size,
            sort=sort,
        )
        return ok_page(page, Text("Produtos encontrados.", "Products found."))


@blp.route("/<uuid:product_id>")
class ProductById(MethodView):
    @blp.response(
        200, envelope(ProductSchema), example=ex.success(ex.PRODUCT, "Produto encontrado.")
    )
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    def get(self, product_id: uuid.UUID):
        """Ver produto

        Qualquer usuário autenticado. Traz o estoque (`on_hand`, `reserved`, `available`),
        o nome do fornecedor e as imagens (cada uma com a `url` para baixá-la). 404 se não
        existe ou foi excluído.
        """
        return ok(
            queries.get_product(db.session, product_id),
            Text("Produto encontrado.", "Product found."),
        )

    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.arguments(ProductUpdateSchema(partial=True), example=ex.PRODUCT_UPDATE_REQUEST)
    @blp.response(
        200, envelope(ProductSchema), example=ex.success(ex.PRODUCT, "Produto atualizado.")
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.DUPLICATE_BARCODE)
    def put(self, changes: dict, product_id: uuid.UUID):
        """Alterar produto

        `admin` e `staff`. Envie só os campos que mudam; as regras são as do cadastro,
        exceto que uma validade já vencida pode ser mantida (só uma data nova não pode estar
        no passado). O estoque não muda aqui (`initial_stock` é recusado): use
        `POST /stock/{product_id}/adjustments`. Mudar `ideal_quantity` pode disparar
        `stock.low`. Desativar (`active: false`) faz novas reservas do produto falharem.
        """
        product = services.update_product(
            db.session, product_id, changes=changes, **_write_context()
        )
        return ok(
            queries.get_product(db.session, product.id),
            Text("Produto atualizado.", "Product updated."),
        )

    @roles_required(Role.ADMIN)
    @blp.response(200, envelope(EmptySchema), example=ex.success(None, "Produto excluído."))
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.HAS_RESERVATIONS)
    def delete(self, product_id: uuid.UUID):
        """Excluir produto

        Só `admin`. Exclusão lógica: o produto some das listas e leituras (404 depois),
        mas o razão de estoque e o histórico de reservas ficam; os arquivos de imagem são
        apagados. 409 se houver unidades reservadas para pedidos (cancele-os antes).
        """
        services.delete_product(db.session, product_id, files=_images())
        return ok(None, Text("Produto excluído.", "Product deleted."))


@blp.route("/<uuid:product_id>/images")
class ProductImages(MethodView):
    @image_body_limit
    @roles_required(Role.ADMIN, Role.STAFF)
    @accepts_body("multipart/form-data")
    @blp.arguments(ImageUploadSchema, location="files")
    @blp.response(201, envelope(ImageSchema), example=ex.success(ex.IMAGE, "Imagem adicionada."))
    @blp.alt_response(400, schema=ErrorEnvelopeSchema)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema)
    @blp.alt_response(413, schema=ErrorEnvelopeSchema, example=ex.IMAGE_TOO_LARGE)
    @blp.alt_response(415, schema=ErrorEnvelopeSchema, example=ex.UNSUPPORTED_IMAGE)
    def post(self, files: dict, product_id: uuid.UUID):
        """Adicionar imagem ao produto

        `admin` e `staff`. Corpo `multipart/form-data` com o campo `file`. Aceita JPEG, PNG
        e WebP reconhecidos pelo conteúdo (os primeiros bytes), nunca pelo nome ou pelo tipo
        declarado: um texto chamado `.png` recebe 415. Tamanho máximo IMAGES_MAX_BYTES
        (padrão 5 MiB; acima disso, 413). O arquivo é guardado fora do banco com um nome
        gerado; até 10 imagens por produto (409 depois disso).

        Exemplo: `curl -F file=@arroz.jpg -H "Authorization: Bearer …"
        /api/v1/products/{product_id}/images`.
        """
        upload = files["file"]
        limit = _settings().images_max_bytes
        # Read one byte past the limit: enough to know it is too large, never the whole body.
        content = upload.stream.read(limit + 1)
        image = services.add_product_image(
            db.session, product_id, content=content, files=_images(), max_bytes=limit
        )
        return ok(image, Text("Imagem adicionada.", "Image added."))


@blp.route("/<uuid:product_id>/images/<uuid:image_id>")
class ProductImageById(MethodView):
    @blp.doc(
        responses={
            "200": {
                "description": "O arquivo da imagem.",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in ("image/jpeg", "image/png", "image/webp")
                },
            }
        }
    )
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    def get(self, product_id: uuid.UUID, image_id: uuid.UUID):
        """Baixar imagem do produto

        Qualquer usuário autenticado (com o mesmo token das outras leituras). Devolve o
        arquivo com o tipo de conteúdo verificado no envio. 404 se o produto ou a imagem
        não existem.
        """
        image = queries.get_product_image(db.session, product_id, image_id)
        path = _images().path(image.file_name)
        if not path.is_file():  # the row outlived its file (a lost volume): nothing to serve
            raise ImageNotFound()
        response = send_file(
            path,
            mimetype=image.content_type,
            conditional=True,
            etag=True,
            max_age=3600,
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.cache_control.private = True
        return response

    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.response(200, envelope(EmptySchema), example=ex.success(None, "Imagem removida."))
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    def delete(self, product_id: uuid.UUID, image_id: uuid.UUID):
        """Remover imagem do produto

        `admin` e `staff`. Apaga o registro e o arquivo.
        """
        services.delete_product_image(db.session, product_id, image_id, files=_images())
        return ok(None, Text("Imagem removida.", "Image removed."))
