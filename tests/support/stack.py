"""The whole system as real processes, for end-to-end tests: gunicorn services, the gateway,
relays and consumers, started from scripts/processes.py exactly as `make run` starts them,
on free ports, against the run's own database and vhost."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from scripts.processes import ROOT, Ports, ProcessSpec, ServiceSecrets, process_table

# Below Linux's ephemeral range (32768–60999): a port chosen here and listened on minutes
# later cannot meanwhile become the local port of one of the suite's own outgoing
# connections (which made the browser test's server fail with "Address already in use").
LISTEN_PORTS = range(20000, 32000)
# Every port handed out by this process: two picks before either process listens (a stack's
# ports and its workers' metrics ports) must not be the same free port (it happened: a
# worker then failed with "Address already in use").
_handed_out: set[int] = set()


def free_port() -> int:
    """A port nothing listens on now and not handed out before, outside the range the kernel
    gives to clients."""
    for _ in range(200):
        port = random.choice(LISTEN_PORTS)
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            _handed_out.add(port)
            return port
    raise RuntimeError("no free port between 20000 and 32000")


@dataclass
class RunningProcess:
    spec: ProcessSpec
    popen: subprocess.Popen
    log_path: Path


@dataclass
class Stack:
    ports: Ports
    database_urls: dict[str, str]
    rabbitmq_url: str
    workdir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    # Fresh for every stack, as `make run` makes its own once: no secret is ever a default.
    secrets: ServiceSecrets = field(default_factory=ServiceSecrets.generate)
    processes: dict[str, RunningProcess] = field(default_factory=dict)
    # Each queue worker serves its /metrics on a port of its own, chosen once.
    metrics_ports: dict[str, int] = field(default_factory=dict)
    # Each process under scripts/supervise.py, as `make run` starts it (restarted on a crash).
    supervised: bool = False

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}"

    @property
    def api(self) -> str:
        return f"{self.gateway_url}/api/v1"

    @property
    def keys_dir(self) -> Path:
        return self.workdir / "keys"

    def specs(self) -> dict[str, ProcessSpec]:
        return {
            spec.name: spec
            for spec in process_table(
                self.ports,
                database_urls=self.database_urls,
                rabbitmq_url=self.rabbitmq_url,
                secrets=self.secrets,
            )
        }

    def environment(self, spec: ProcessSpec) -> dict[str, str]:
        venv_bin = str(Path(sys.executable).parent)
        return {
            **os.environ,
            "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}",
            "APP_ENV": "test",
            "JWT_KEYS_DIR": str(self.keys_dir),
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "4",
            "LOG_LEVEL": "INFO",
            **spec.env,
            **self.extra_env,
            **self._metrics_env(spec),
        }

    def _metrics_env(self, spec: ProcessSpec) -> dict[str, str]:
        if spec.ready_url is not None:
            return {}  # an HTTP service serves /metrics on its own port
        port = self.metrics_ports.setdefault(spec.name, free_port())
        return {"METRICS_PORT": str(port)}

    def start(self, names: Iterable[str] | None = None, *, timeout: float = 30.0) -> None:
        specs = self.specs()
        for name in names or specs:
            spec = specs[name]
            log_path = self.workdir / f"{name}.log"
            log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
            argv = spec.argv
            if self.supervised:
                argv = [sys.executable, "-m", "scripts.supervise", "--name", name,
                        "--first-wait", "0.2", "--", *spec.argv]  # fmt: skip
            popen = subprocess.Popen(
                argv,
                env=self.environment(spec),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes[name] = RunningProcess(spec, popen, log_path)
        for name in names or specs:
            self.wait_ready(name, timeout=timeout)

    def wait_ready(self, name: str, *, timeout: float) -> None:
        process = self.processes[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {process.popen.returncode}:\n{self.log_tail(name)}"
                )
            if process.spec.ready_url is None:
                return  # workers: running is ready
            try:
                if requests.get(process.spec.ready_url, timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{name} not ready after {timeout}s:\n{self.log_tail(name)}")

    def stop(self, names: Iterable[str] | None = None, *, timeout: float = 15.0) -> dict[str, int]:
        """SIGTERM (graceful), then SIGKILL after `timeout`; returns each exit code."""
        chosen = list(names or self.processes)
        for name in chosen:
            popen = self.processes[name].popen
            if popen.poll() is None:
                os.killpg(popen.pid, signal.SIGTERM)
        codes: dict[str, int] = {}
        for name in chosen:
            popen = self.processes.pop(name).popen
            try:
                codes[name] = popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(popen.pid, signal.SIGKILL)
                codes[name] = popen.wait(timeout=5)
        return codes

    def supervised_child(self, name: str) -> int | None:
        """The pid of the process a supervisor runs now (None between two runs)."""
        supervisor = self.processes[name].popen.pid
        children = Path(f"/proc/{supervisor}/task/{supervisor}/children")
        try:
            pids = children.read_text().split()
        except FileNotFoundError:
            return None
        return int(pids[0]) if pids else None

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.workdir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def logs(self) -> str:
        return "\n".join(f"--- {name} ---\n{self.log_tail(name)}" for name in self.specs())


def seed_admin(stack: Stack, *, email: str, password: str) -> None:
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": stack.database_urls["auth_service"],
        "ADMIN_EMAIL": email,
        "ADMIN_PASSWORD": password,
        "JWT_KEYS_DIR": str(stack.keys_dir),
    }
    subprocess.run(
        [sys.executable, "-m", "auth_service.seed", "--demo"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
        capture_output=True,
    )


def declare_topology(rabbitmq_url: str) -> None:
    from shared.messaging.topology import declare_topology_at

    declare_topology_at(rabbitmq_url)
