"""`make run`'s supervisor: a crashed process is started again; a stop stops it for good."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from scripts.processes import ROOT
from tests.support.waiting import wait_until

# Counts its starts in a file; crashes the first two times, then stays up.
CHILD = """
import pathlib, sys, time
runs = pathlib.Path(sys.argv[1])
count = int(runs.read_text() or 0) + 1 if runs.exists() else 1
runs.write_text(str(count))
if count <= 2:
    sys.exit(3)
time.sleep(60)
"""


def supervised(tmp_path: Path, child: str, *args: str) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(child)
    return subprocess.Popen(
        [sys.executable, "-m", "scripts.supervise", "--name", "teste", "--first-wait", "0.1",
         "--", sys.executable, str(script), *args],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def test_a_crashed_process_is_restarted_and_a_stop_ends_it(tmp_path):
    runs = tmp_path / "runs"
    supervisor = supervised(tmp_path, CHILD, str(runs))
    try:
        wait_until(lambda: runs.exists() and runs.read_text() == "3", timeout=10)
        time.sleep(0.3)
        assert supervisor.poll() is None  # still supervising the third, healthy run
        supervisor.send_signal(signal.SIGTERM)
        code = supervisor.wait(timeout=10)
    finally:
        supervisor.kill()
    stderr = supervisor.stderr.read()
    assert stderr.count("caiu (código 3)") == 2
    assert code == 128 + signal.SIGTERM  # the child's own end (by SIGTERM), passed on
    assert runs.read_text() == "3"  # not restarted after the stop


def test_a_clean_exit_is_not_restarted(tmp_path):
    supervisor = supervised(tmp_path, "import sys; sys.exit(0)")
    assert supervisor.wait(timeout=10) == 0
    assert "não será reiniciado" in supervisor.stderr.read()
