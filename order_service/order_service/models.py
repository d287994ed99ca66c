"""Tables of schema "orders"."""

from __future__ import annotations

from shared.db import create_db
from shared.inbox import processed_messages_table
from shared.outbox import outbox_table

SCHEMA = "orders"

db = create_db(SCHEMA)

outbox = outbox_table(db.metadata)
processed_messages = processed_messages_table(db.metadata)
