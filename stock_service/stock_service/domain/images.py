"""Which images we accept, recognised by their first bytes, never by name or declared type."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImageKind:
    content_type: str
    extension: str


JPEG = ImageKind("image/jpeg", ".jpg")
PNG = ImageKind("image/png", ".png")
WEBP = ImageKind("image/webp", ".webp")

ACCEPTED = (JPEG, PNG, WEBP)
CONTENT_TYPES = tuple(kind.content_type for kind in ACCEPTED)

# How many leading bytes `detect_image` needs to look at.
SIGNATURE_BYTES = 12


def detect_image(head: bytes) -> ImageKind | None:
    """The kind of image `head` (the file's first bytes) starts, or None if it is none of ours."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None
