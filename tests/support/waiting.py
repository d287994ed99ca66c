"""Polling for what happens asynchronously (a reservation, a relay's publish), one way."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest


def wait_until(predicate: Callable[[], Any], *, timeout: float = 10, interval: float = 0.05) -> Any:
    """Poll `predicate` until it is truthy and return that; fail the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout}s (last: {result!r})", pytrace=False)
        time.sleep(interval)
