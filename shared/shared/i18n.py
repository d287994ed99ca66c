"""Texts people read: Brazilian Portuguese by default, English when Accept-Language prefers it."""

from __future__ import annotations

from flask import has_request_context, request

from shared.texts import FieldMessage, Text  # defined without Flask, rendered here

SUPPORTED = ("pt-BR", "pt", "en")


def preferred_language() -> str:
    if not has_request_context():
        return "pt"
    best = request.accept_languages.best_match(SUPPORTED, default="pt")
    return "en" if best == "en" else "pt"


def localize(message: Text | str) -> str:
    if isinstance(message, Text):
        return message.en if preferred_language() == "en" else message.pt
    return message


# marshmallow/webargs default messages, translated for the per-field error list.
_FIELD_MESSAGES_PT = {
    "Missing data for required field.": "Campo obrigatório.",
    "Field may not be null.": "O campo não pode ser nulo.",
    "Unknown field.": "Campo desconhecido.",
    "Not a valid string.": "Não é um texto válido.",
    "Not a valid integer.": "Não é um número inteiro válido.",
    "Not a valid number.": "Não é um número válido.",
    "Not a valid boolean.": "Não é um booleano válido.",
    "Not a valid UUID.": "Não é um UUID válido.",
    "Not a valid email address.": "Não é um e-mail válido.",
    "Not a valid date.": "Não é uma data válida (use AAAA-MM-DD).",
    "Not a valid datetime.": "Não é uma data e hora válida (ISO 8601).",
    "Not a valid list.": "Não é uma lista válida.",
    "Not a valid mapping type.": "Não é um objeto válido.",
    "Invalid input type.": "Tipo de entrada inválido.",
    "Invalid value.": "Valor inválido.",
    "Shorter than minimum length {min}.": "Menor que o tamanho mínimo {min}.",
    "Invalid JSON body.": "Corpo JSON inválido.",
}


def localize_field_message(message: str) -> str:
    """A field error in the caller's language: ours (FieldMessage) or marshmallow's."""
    if isinstance(message, FieldMessage):
        return message.en if preferred_language() == "en" else str(message)
    return localize(field_message_text(message))


def field_message_text(message: str) -> Text:
    """A marshmallow message in both languages (kept, e.g. in an import's stored report)."""
    if message in _FIELD_MESSAGES_PT:
        return Text(_FIELD_MESSAGES_PT[message], message)
    for prefix, pt in (
        ("Must be one of:", "Deve ser um de:"),
        ("Must be greater than or equal to", "Deve ser maior ou igual a"),
        ("Must be less than or equal to", "Deve ser menor ou igual a"),
        ("Must be greater than", "Deve ser maior que"),
        ("Must be less than", "Deve ser menor que"),
        ("Length must be between", "O tamanho deve estar entre"),
        ("Shorter than minimum length", "Menor que o tamanho mínimo"),
        ("Longer than maximum length", "Maior que o tamanho máximo"),
    ):
        if message.startswith(prefix):
            return Text(_translate_connectors(pt + message[len(prefix) :]), message)
    # Our own schema messages are written in Portuguese.
    return Text(message, message)


# The second half of marshmallow's two-sided messages ("… and less than or equal to 9.").
_CONNECTORS_PT = (
    (" and less than or equal to ", " e menor ou igual a "),
    (" and less than ", " e menor que "),
    (" and ", " e "),  # "Length must be between 1 and 200."
)


def _translate_connectors(message: str) -> str:
    for english, pt in _CONNECTORS_PT:
        if english in message:
            return message.replace(english, pt)
    return message
