"""`make run`: check the servers, prepare the database and broker, seed demo data, start everything.

    python -m scripts.dev prepare   # bootstrap roles/schemas, migrate, declare topology, seed
    python -m scripts.dev run       # prepare, then run every process in the foreground

PostgreSQL and RabbitMQ come from DATABASE_URL (the admin URL: a user that may create
databases and roles) and RABBITMQ_URL; the defaults are the local servers. When they do not
answer and a Docker engine does, `docker compose up -d postgres rabbitmq` starts them.
Ctrl-C (SIGINT) or SIGTERM stops every process this started.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from order_service.reports.rollup import fold_now
from scripts.install_servers import (
    CannotInstall,
    InstallFailed,
    docker_answers,
    ensure_installed,
    port_answers,
)
from scripts.processes import ROOT, Ports, ServiceSecrets, process_table
from shared.bootstrap import SERVICE_DATABASES, bootstrap
from shared.migrations import upgrade

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pedidos"
DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
# Generated on the first `make run` (git-ignored); delete it to rotate every secret.
SECRETS_FILE = ROOT / "var" / "service-secrets.json"
DEMO_ACCOUNTS = (
    ("admin", "ADMIN_EMAIL / ADMIN_PASSWORD (padrão admin@pedidos.local / Admin#2026)"),
    ("staff", "staff@pedidos.local / Staff#2026"),
    ("client", "cliente@pedidos.local / Cliente#2026"),
    ("supplier", "fornecedor@pedidos.local / Fornecedor#2026"),
)


def say(message: str) -> None:
    print(f"[pedidos] {message}", flush=True)


def answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    return port_answers(parts.port or default_port, parts.hostname or "127.0.0.1")


def is_local(url: str) -> bool:
    return urlsplit(url).hostname in {"127.0.0.1", "localhost", "::1"}


def ensure_servers(database_url: str, rabbitmq_url: str) -> None:
    """Start a missing server with Docker, or install it (root on Debian/Ubuntu), else fail
    clearly (docs/fresh-machine.md)."""
    missing = [
        name
        for name, url, port in (
            ("postgres", database_url, 5432),
            ("rabbitmq", rabbitmq_url, 5672),
        )
        if not answers(url, port)
    ]
    if not missing:
        return
    # SPEC §5: with a Docker engine, docker compose starts them.
    if docker_answers():
        say(f"{', '.join(missing)} não responde(m); iniciando com docker compose...")
        subprocess.run(["docker", "compose", "up", "-d", "--wait", *missing], check=True, cwd=ROOT)
        return
    # Root on Debian/Ubuntu installs and starts them (scripts/install_servers.py); only for a
    # local URL on the default port, which is where the installed server listens.
    servers = {"postgres": (database_url, 5432), "rabbitmq": (rabbitmq_url, 5672)}
    installable = [
        m
        for m, (url, port) in servers.items()
        if m in missing and is_local(url) and (urlsplit(url).port or port) == port
    ]
    advice = ""
    if installable:
        try:
            ensure_installed(installable)
            missing = [m for m in missing if m not in installable]
        except CannotInstall as exc:  # not root on Debian/Ubuntu: say what to run
            advice = f"\n{exc}"
        except InstallFailed as exc:
            raise SystemExit(str(exc)) from exc
        if not missing:
            return
    raise SystemExit(
        "[pedidos] Servidor ausente: "
        + ", ".join(f"{m} ({database_url if m == 'postgres' else rabbitmq_url})" for m in missing)
        + ". Inicie o PostgreSQL/RabbitMQ locais, defina DATABASE_URL/RABBITMQ_URL, "
        "ou instale o Docker para que `make run` os inicie." + advice
    )


def enable_management_ui(rabbitmq_url: str) -> None:
    """Operators watch queues in the management UI; enable the plugin when the broker is ours."""
    if not is_local(rabbitmq_url) or not shutil.which("rabbitmq-plugins"):
        return
    result = subprocess.run(
        ["rabbitmq-plugins", "enable", "rabbitmq_management"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        say(f"aviso: não foi possível ativar o rabbitmq_management: {result.stderr.strip()}")


def db_passwords() -> dict[str, str]:
    names = {
        "auth_service": "AUTH_DB_PASSWORD",
        "order_service": "ORDERS_DB_PASSWORD",
        "stock_service": "STOCK_DB_PASSWORD",
    }
    return {service: os.environ.get(var, "pedidos") for service, var in names.items()}


def declare_topology(rabbitmq_url: str) -> None:
    from shared.messaging.topology import declare_topology_at

    declare_topology_at(rabbitmq_url)


def _seed_json(module: str, database_url: str, *args: str) -> dict[str, str]:
    """Run `python -m <module>` (a seed printing one JSON line on stdout) and parse it."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        check=True,
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=ROOT,
        timeout=120,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def seed(database_urls: dict[str, str]) -> None:
    """Demo catalogue and supplier, demo client, then the users bound to them (idempotent)."""
    supplier_id = _seed_json("stock_service.seed", database_urls["stock_service"])["supplier_id"]
    client_id = _seed_json("order_service.seed", database_urls["order_service"])["client_id"]
    env = {**os.environ, "DATABASE_URL": database_urls["auth_service"]}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "auth_service.seed",
            "--demo",
            "--client-id",
            client_id,
            "--supplier-id",
            supplier_id,
        ],
        check=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def prepare(database_url: str, rabbitmq_url: str) -> dict[str, str]:
    ensure_servers(database_url, rabbitmq_url)
    say("criando banco, papéis e schemas...")
    urls = bootstrap(database_url, db_passwords())
    for sdb in SERVICE_DATABASES:
        say(f"migrando {sdb.schema} ({sdb.service})...")
        upgrade(ROOT / sdb.service, urls[sdb.service])
    say("atualizando os resumos dos relatórios...")
    fold_now(urls["order_service"])  # a first fold rebuilds them: not in a report's time
    say("declarando a topologia do RabbitMQ...")
    declare_topology(rabbitmq_url)
    say("carregando dados de demonstração...")
    seed(urls)
    return urls


def run(database_url: str, rabbitmq_url: str) -> None:
    from honcho.manager import Manager

    enable_management_ui(rabbitmq_url)
    urls = prepare(database_url, rabbitmq_url)
    ports = Ports(
        gateway=int(os.environ.get("GATEWAY_PORT", 5000)),
        frontend=int(os.environ.get("FRONTEND_PORT", 3000)),
    )
    manager = Manager()
    venv_bin = str(Path(sys.executable).parent)
    # Each queue worker serves /metrics on METRICS_BASE_PORT, +1, +2… (0: none).
    metrics_port = int(os.environ.get("METRICS_BASE_PORT", 9300))
    for spec in process_table(
        ports,
        database_urls=urls,
        rabbitmq_url=rabbitmq_url,
        secrets=ServiceSecrets.load_or_create(SECRETS_FILE),
        gateway_host="0.0.0.0",
        with_frontend=True,
        replenish_every_hours=float(os.environ.get("REPLENISH_EVERY_HOURS") or 0),
    ):
        env = {**os.environ, "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}", **spec.env}
        if spec.ready_url is None and metrics_port and spec.name != "frontend":
            env["METRICS_PORT"] = str(metrics_port)
            say(f"métricas de {spec.name}: http://127.0.0.1:{metrics_port}/metrics")
            metrics_port += 1
        # Each process under its supervisor: a crash restarts it instead of honcho stopping
        # everything (only Ctrl-C does).
        argv = [sys.executable, "-m", "scripts.supervise", "--name", spec.name, "--", *spec.argv]
        manager.add_process(spec.name, shlex.join(argv), env=env, cwd=str(ROOT))
    say(f"API (gateway):     http://127.0.0.1:{ports.gateway}/api/v1")
    say(f"Swagger UI:        http://127.0.0.1:{ports.gateway}/api/docs")
    say(f"Saúde:             http://127.0.0.1:{ports.gateway}/api/v1/health")
    say(f"Frontend:          http://127.0.0.1:{ports.frontend}")
    if is_local(rabbitmq_url):
        say("RabbitMQ (gestão): http://127.0.0.1:15672 (guest/guest)")
    for role, account in DEMO_ACCOUNTS:
        say(f"conta demo {role:8} {account}")
    say("Ctrl-C para parar tudo.")
    manager.loop()
    sys.exit(manager.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["prepare", "run"])
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    rabbitmq_url = os.environ.get("RABBITMQ_URL", DEFAULT_RABBITMQ_URL)
    started = time.monotonic()
    if args.command == "prepare":
        prepare(database_url, rabbitmq_url)
        say(f"pronto em {time.monotonic() - started:.1f}s")
    else:
        run(database_url, rabbitmq_url)


if __name__ == "__main__":
    main()
