"""The envelope of a list: {status, message, data, meta}, whose meta says whether the
total is exact (order_service.pages)."""

from __future__ import annotations

from marshmallow import Schema, fields

from shared.pagination import PageMetaSchema


class ListMetaSchema(PageMetaSchema):
    total_exact = fields.Boolean(
        metadata={"description": "false: acima de 1.000, o total é uma estimativa do banco."}
    )


def listed(schema: type[Schema], *, many: bool) -> type[Schema]:
    """An envelope {status, message, data, meta} whose meta says whether the total is exact."""
    name = schema.__name__.removesuffix("Schema") + ("Page" if many else "") + "EnvelopeSchema"
    return type(
        name,
        (Schema,),
        {
            "status": fields.String(metadata={"example": "success"}),
            "message": fields.String(),
            "data": fields.Nested(schema, many=many),
            "meta": fields.Nested(ListMetaSchema),
        },
    )
