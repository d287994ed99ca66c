"""Clients: the customers who order. records.py changes them, queries.py reads them."""
