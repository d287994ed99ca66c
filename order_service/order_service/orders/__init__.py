"""Orders: placing them, their lifecycle, their items, the events they record, and the reads.

Writing: each use case is one function and one transaction. Every change and the event that
announces it are written together (the outbox row is in the same transaction), so an event
is never lost and never sent for a rolled-back change. Calls to the stock service happen
*before* the transaction opens: no connection or row lock is held while waiting on the
network.

    placement.py     place_order: a new sale order, checked against the stock first
    idempotency.py   the Idempotency-Key: claimed, its response stored, replayed
    availability.py  what the stock's answer means for an order (unknown, inactive, short)
    rows.py          a new sale order as rows, the Core INSERTs, a line capturing its product
    lifecycle.py     update_order, move_order, delete_order; the live order, read or locked
    items.py         an order's lines added, changed, removed (while pending)
    events.py        the events an order records in the outbox

Reading: reads never change anything.

    criteria.py      a list's filters as SQL: conditions and index walks, built per shape
    lists.py         list_orders and one page of orders (two queries by id), counted
    views.py         an order as the API shows it: in a list or in full

A client's orders are in clients/queries.py, a supplier's in supplier_orders.py; one page of
any list and its count in pages.py.
"""
