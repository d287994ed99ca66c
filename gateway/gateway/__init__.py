"""The Pedidos API gateway: the only public entry of the API (port 5000)."""
