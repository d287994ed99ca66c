"""The order service's copy of the catalogue (product data and free stock), kept from the
stock service's events so that placing an order asks nobody over the network.

`tables` is the row, `updates` applies the events (newest revision wins), `local` answers
"could these lines be ordered now?" from it, and `docs/orders.md` says how stale it can be.
"""
