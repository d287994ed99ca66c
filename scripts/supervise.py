"""Keep one process running: `python -m scripts.supervise --name N -- <command...>`.

`make run` starts every process of scripts/processes.py through this, so a worker or service
that crashes is started again instead of honcho stopping the whole stack when one process
dies. A crash (any exit but 0, or death by a signal we did not send) is restarted after a
wait that doubles from `--first-wait` (1 s) up to 30 s, and goes back to the first wait once
the process has stayed up a minute. A clean exit (0) is respected: nothing to restart.
SIGTERM or SIGINT is passed to the process, which gets 10 s to stop before SIGKILL; then the
supervisor exits with its code. Why not supervisord or circus: one more daemon and config
file to learn for what is a loop around Popen; honcho stays the one runner of `make run`.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

LONGEST_WAIT = 30.0
STAYED_UP = 60.0  # a process that ran this long was healthy: the next crash waits little
STOP_GRACE = 10.0


def say(name: str, message: str) -> None:
    print(f"[supervisor] {name}: {message}", file=sys.stderr, flush=True)


def supervise(name: str, argv: Sequence[str], *, first_wait: float = 1.0) -> int:
    stop = threading.Event()
    child: subprocess.Popen | None = None

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    wait = first_wait
    while True:
        started = time.monotonic()
        child = subprocess.Popen(list(argv))
        code = child.wait()
        while code is None:  # pragma: no cover - wait() returns the code
            code = child.wait()
        if stop.is_set():
            return _stopped(name, child, code)
        if code == 0:
            say(name, "terminou normalmente (0); não será reiniciado")
            return 0
        if time.monotonic() - started >= STAYED_UP:
            wait = first_wait
        say(name, f"caiu (código {code}); reiniciando em {wait:g} s")
        if stop.wait(wait):
            return code
        wait = min(wait * 2, LONGEST_WAIT)


def _stopped(name: str, child: subprocess.Popen, code: int) -> int:
    try:
        code = child.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        say(name, f"não parou em {STOP_GRACE:g} s; SIGKILL")
        child.kill()
        code = child.wait()
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.supervise", description=__doc__)
    parser.add_argument("--name", required=True)
    parser.add_argument("--first-wait", type=float, default=1.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("informe o comando depois de --")
    code = supervise(args.name, command, first_wait=args.first_wait)
    return 128 - code if code < 0 else code  # killed by signal N: 128 + N, as a shell says


if __name__ == "__main__":
    sys.exit(main())
