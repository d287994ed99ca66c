"""The stacks' ports: free now, and never the same one twice in one run."""

from __future__ import annotations

from tests.support.stack import LISTEN_PORTS, free_port


def test_free_port_never_hands_out_the_same_port_twice():
    # A stack picks its services' and workers' ports before any of them listens; 600 random
    # picks among 12,000 ports repeat one almost surely unless the picks are remembered.
    ports = [free_port() for _ in range(600)]
    assert len(set(ports)) == len(ports)
    assert all(port in LISTEN_PORTS for port in ports)
