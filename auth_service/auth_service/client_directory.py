"""Where self-registered users get their client record: the seam towards order_service.

Registration calls `ClientDirectory.register_client` inside its transaction and stores the
returned id as the user's client_id. Today nothing creates the record (`NoClientDirectory`);
an HTTP implementation calling order_service's POST /clients will be passed to create_app().
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class NewClient:
    """What a self-registered user told us about the client they are."""

    user_id: uuid.UUID
    name: str
    email: str
    document: str
    phone: str


class ClientDirectory(Protocol):
    def register_client(self, client: NewClient) -> uuid.UUID | None:
        """Create (or find) the client record for a new user; its id, or None for none yet."""
        ...


class NoClientDirectory:
    """No client records yet: registered users stay unbound (client_id null)."""

    def register_client(self, client: NewClient) -> uuid.UUID | None:
        """Bind nothing."""
        return None
