"""Start-up objects frozen; what is made afterwards is still collected."""

from __future__ import annotations

import gc
import weakref

from shared.heap import tune_gc_after_startup


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_startup_objects_are_frozen_and_later_cycles_still_collected():
    kept = _Node()  # alive at "start-up": frozen, never collected even once unreachable
    thresholds = gc.get_threshold()
    try:
        tune_gc_after_startup()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 10_000
        frozen_ids = {id(o) for o in gc.get_objects()}
        assert id(kept) not in frozen_ids  # out of the collector's generations

        a, b = _Node(), _Node()
        a.other, b.other = b, a  # a cycle made after start-up: garbage once dropped
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()  # the rest of the test run keeps the collector as it was
        gc.set_threshold(*thresholds)
