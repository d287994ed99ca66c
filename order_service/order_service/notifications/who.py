"""Who hears what: each event's recipients and template, as plain data (no I/O).

The texts are the WhatsApp templates' bodies (pt-BR), with their parameters in order; they
are registered with Meta under these names, and docs/notifications.md lists them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import phonenumbers

from order_service.domain.statuses import OrderStatus
from shared.texts import Text

DEFAULT_REGION = "BR"  # a number without +55 is Brazilian


class Template(StrEnum):
    ORDER_APPROVED = "pedido_aprovado"
    ORDER_SHIPPED = "pedido_enviado"
    ORDER_DELIVERED = "pedido_entregue"
    ORDER_CANCELLED = "pedido_cancelado"
    ORDER_WITHOUT_STOCK = "pedido_sem_estoque"
    REPLENISHMENT_ORDERED = "reposicao_pedida"
    REPLENISHMENT_CANCELLED = "reposicao_cancelada"
    STOCK_LOW = "estoque_baixo"


# Each template's body and its parameters, in the order the template numbers them.
TEXTS: Mapping[Template, tuple[str, tuple[str, ...]]] = {
    Template.ORDER_APPROVED: (
        "Olá, {name}! Seu pedido nº {number} ({total}) foi aprovado.",
        ("name", "number", "total"),
    ),
    Template.ORDER_SHIPPED: (
        "Olá, {name}! Seu pedido nº {number} ({total}) saiu para entrega.",
        ("name", "number", "total"),
    ),
    Template.ORDER_DELIVERED: (
        "Olá, {name}! Seu pedido nº {number} ({total}) foi entregue.",
        ("name", "number", "total"),
    ),
    Template.ORDER_CANCELLED: (
        "Olá, {name}. Seu pedido nº {number} ({total}) foi cancelado.",
        ("name", "number", "total"),
    ),
    Template.ORDER_WITHOUT_STOCK: (
        "Olá, {name}. Não há estoque para o seu pedido nº {number} ({total}); nossa equipe "
        "vai entrar em contato.",
        ("name", "number", "total"),
    ),
    Template.REPLENISHMENT_ORDERED: (
        "Olá, {name}! Novo pedido de reposição nº {number} ({total}) para vocês.",
        ("name", "number", "total"),
    ),
    Template.REPLENISHMENT_CANCELLED: (
        "Olá, {name}. O pedido de reposição nº {number} ({total}) foi cancelado.",
        ("name", "number", "total"),
    ),
    Template.STOCK_LOW: (
        "Estoque baixo: {product} tem {available} disponível(is), abaixo de 20% do ideal "
        "({ideal}).",
        ("product", "available", "ideal"),
    ),
}

# The sale order's statuses its client hears about.
CLIENT_STATUS_TEMPLATES: Mapping[OrderStatus, Template] = {
    OrderStatus.APPROVED: Template.ORDER_APPROVED,
    OrderStatus.SHIPPED: Template.ORDER_SHIPPED,
    OrderStatus.DELIVERED: Template.ORDER_DELIVERED,
    OrderStatus.CANCELLED: Template.ORDER_CANCELLED,
}


class RecipientKind(StrEnum):
    CLIENT = "client"
    SUPPLIER = "supplier"
    STAFF = "staff"


@dataclass(frozen=True)
class Recipient:
    kind: RecipientKind
    ref: uuid.UUID | None  # the client or supplier; None for staff
    name: str
    phone: str | None  # as registered (any format)
    opted_out: bool = False


@dataclass(frozen=True)
class Notice:
    """One message to one recipient, before it is recorded."""

    recipient: Recipient
    template: Template
    parameters: Mapping[str, str]


class Skip(StrEnum):
    """Why nothing was sent; the stored reason is the Portuguese text (the value)."""

    NO_NUMBER = "Sem número de WhatsApp válido no cadastro."
    OPTED_OUT = "O destinatário optou por não receber notificações."
    NOT_CONFIGURED = (
        "WhatsApp não configurado (WHATSAPP_ACCESS_TOKEN e WHATSAPP_PHONE_NUMBER_ID); "
        "nada foi enviado."
    )

    @property
    def text(self) -> Text:
        return _SKIP_TEXTS[self]


_SKIP_TEXTS = {
    Skip.NO_NUMBER: Text(Skip.NO_NUMBER.value, "No valid WhatsApp number on record."),
    Skip.OPTED_OUT: Text(Skip.OPTED_OUT.value, "The recipient opted out of notifications."),
    Skip.NOT_CONFIGURED: Text(
        Skip.NOT_CONFIGURED.value,
        "WhatsApp is not configured (WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID); "
        "nothing was sent.",
    ),
}

NO_ANSWER = Text("sem resposta da API do WhatsApp", "no answer from the WhatsApp API")
# An answer that is not the Cloud API's (an HTML page, a 200 without a message id).
ODD_ANSWER = Text(
    "resposta inesperada da API do WhatsApp", "unexpected answer from the WhatsApp API"
)
# Our reasons that are followed by the exception's text: shown in the reader's language.
_PREFIXED_REASONS = (NO_ANSWER, ODD_ANSWER)


def reason_text(reason: str | None) -> Text | str | None:
    """A stored reason in both languages when it is ours; the provider's own text as it is."""
    if reason is None:
        return None
    if reason in Skip._value2member_map_:
        return Skip(reason).text
    for prefix in _PREFIXED_REASONS:
        if reason.startswith(prefix.pt):
            return Text(reason, prefix.en + reason.removeprefix(prefix.pt))
    return reason


def e164(phone: str | None) -> str | None:
    """The number in E.164 (+5511987654321), or None when it is not a valid number."""
    if not phone or not phone.strip():
        return None
    try:
        parsed = phonenumbers.parse(phone, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def why_skipped(recipient: Recipient, *, configured: bool) -> Skip | None:
    """Why this recipient gets nothing (None: the message is queued to be sent)."""
    if e164(recipient.phone) is None:
        return Skip.NO_NUMBER
    if recipient.opted_out:
        return Skip.OPTED_OUT
    if not configured:
        return Skip.NOT_CONFIGURED
    return None


def money(value: Decimal) -> str:
    """R$ 1.234,56 — how people read money in the messages."""
    whole, cents = f"{value:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"R$ {grouped},{cents}"


def order_notice(
    recipient: Recipient, template: Template, *, number: int, total: Decimal
) -> Notice:
    return Notice(
        recipient, template, {"name": recipient.name, "number": str(number), "total": money(total)}
    )


def stock_low_notices(
    staff_phones: Sequence[str], *, product: str, available: int, ideal: int
) -> list[Notice]:
    """One notice per staff number (stock.low comes once per crossing below the threshold)."""
    parameters = {"product": product, "available": str(available), "ideal": str(ideal)}
    return [
        Notice(
            Recipient(RecipientKind.STAFF, None, "Equipe", phone), Template.STOCK_LOW, parameters
        )
        for phone in staff_phones
    ]


def rendered(template: Template, parameters: Mapping[str, str]) -> str:
    """The message as the recipient reads it (for the API and the logs)."""
    text, names = TEXTS[template]
    return text.format(**{name: parameters.get(name, "") for name in names})
