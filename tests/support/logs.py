"""Reading what a process logged: its JSON lines, whatever their spacing."""

from __future__ import annotations

import json


def logged_messages(text: str | bytes) -> list[str]:
    """The `message` of every JSON log line in `text`; other lines (gunicorn's) are skipped."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    messages = []
    for line in text.splitlines():
        if not line.startswith("{"):
            continue
        try:
            fields = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash
        if isinstance(fields, dict) and "message" in fields:
            messages.append(fields["message"])
    return messages
