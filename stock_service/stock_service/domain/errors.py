"""What can go wrong in the catalogue and the stock, as exceptions; each kind maps to one HTTP
status in `shared.errors`."""

from __future__ import annotations

from shared.domain_errors import DomainError, ErrorKind
from shared.texts import Text


class StockDomainError(DomainError):
    """A business rule of the catalogue or the stock refused the operation (see `DomainError`)."""

    code = "stock_error"


# -- missing ----------------------------------------------------------------------------


class NotFoundError(StockDomainError):
    kind = ErrorKind.NOT_FOUND
    code = "not_found"


class SupplierNotFound(NotFoundError):
    message = Text("Fornecedor não encontrado.", "Supplier not found.")


class ProductNotFound(NotFoundError):
    message = Text("Produto não encontrado.", "Product not found.")


class ImageNotFound(NotFoundError):
    message = Text("Imagem não encontrada.", "Image not found.")


# -- conflicts with the current state ---------------------------------------------------


class ConflictError(StockDomainError):
    kind = ErrorKind.CONFLICT
    code = "conflict"


class DuplicateCnpj(ConflictError):
    code = "duplicate_cnpj"
    message = Text("Já existe um fornecedor com este CNPJ.", "A supplier has this CNPJ already.")


class DuplicateBarcode(ConflictError):
    code = "duplicate_barcode"
    message = Text(
        "Já existe um produto com este código de barras.", "A product has this barcode already."
    )


class InsufficientStock(ConflictError):
    code = "insufficient_stock"
    message = Text(
        "Estoque livre insuficiente para esta saída.", "Not enough free stock for this removal."
    )


class StockLimitExceeded(ConflictError):
    code = "stock_limit_exceeded"
    message = Text(
        "O estoque ficaria acima do máximo permitido.", "Stock would exceed the allowed maximum."
    )


class ProductHasReservations(ConflictError):
    code = "product_has_reservations"
    message = Text(
        "O produto tem unidades reservadas para pedidos; cancele ou conclua esses pedidos antes.",
        "The product has units reserved for orders; cancel or complete them first.",
    )


class TooManyImages(ConflictError):
    code = "too_many_images"
    message = Text(
        "O produto já tem o número máximo de imagens.", "The product has too many images."
    )


# -- input that breaks a rule -----------------------------------------------------------


class InvalidInput(StockDomainError):
    """Input that is well formed but breaks a rule; reported against `field`."""

    kind = ErrorKind.INVALID

    code = "validation_error"
    message = Text("Dados inválidos.", "Invalid data.")


class InvalidAdjustment(InvalidInput):
    pass


class ExpiryInPast(InvalidInput):
    pass


class UnknownSupplier(InvalidInput):
    pass


# -- images -----------------------------------------------------------------------------


class UnsupportedImage(StockDomainError):
    kind = ErrorKind.UNSUPPORTED_MEDIA
    code = "unsupported_media_type"
    message = Text(
        "Envie uma imagem JPEG, PNG ou WebP (o conteúdo do arquivo é verificado).",
        "Send a JPEG, PNG or WebP image (the file content is checked).",
    )


class ImageTooLarge(StockDomainError):
    kind = ErrorKind.TOO_LARGE
    code = "payload_too_large"
    message = Text("Imagem grande demais.", "Image too large.")
