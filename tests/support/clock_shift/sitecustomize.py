"""Moves this Python process's clock by TEST_CLOCK_OFFSET_SECONDS from its very start.

Python imports `sitecustomize` at start-up from any folder on PYTHONPATH; only
scripts/test_at_hour.sh puts this one there. Every process of the run (pytest, the gateway,
the services, the workers) is moved by the same offset with time-machine, as the
`business_hour` fixture moves one test, so they agree with each other on the time. Monotonic
clocks, sleeps and timeouts are left alone (libfaketime moves those too, and Python's
threads then never wake). The servers (PostgreSQL, RabbitMQ) and the browser keep the real
time.
"""

import os
import sys

_offset = os.environ.get("TEST_CLOCK_OFFSET_SECONDS")
if _offset:
    try:
        import time

        import time_machine
    except ImportError:  # a Python without the project's packages (not one of ours)
        print("sitecustomize: time-machine ausente; relógio não deslocado", file=sys.stderr)
    else:
        _travel = time_machine.travel(time.time() + float(_offset), tick=True)
        _travel.start()
