"""A text in both languages, without Flask: domain rules and validators can carry one, and
`shared.i18n` renders it for the request (Accept-Language)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A message in both languages; rendered for the current request by `localize`."""

    pt: str
    en: str

    def format(self, **values: object) -> Text:
        return Text(self.pt.format(**values), self.en.format(**values))


class FieldMessage(str):
    """A validation message of ours in both languages: marshmallow keeps it as the string
    it is (Portuguese), the error envelope renders it in the caller's language."""

    en: str

    def __new__(cls, text: Text) -> FieldMessage:
        message = super().__new__(cls, text.pt)
        message.en = text.en
        return message
