"""Mechanisms shared by the Pedidos services. No business rules live here."""
