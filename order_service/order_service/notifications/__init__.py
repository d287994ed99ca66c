"""Notifications: who hears what (WhatsApp templates), recorded per event and recipient.

`who.py` decides, without I/O, which recipients an event concerns and with which template;
`recording.py` (the consumer's handlers) gathers the facts and writes one row per (event,
recipient) — never two for a redelivered event; `tables.py` is that row. Sending the queued
rows through the WhatsApp Cloud API comes next (docs/notifications.md).
"""
