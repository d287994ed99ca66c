"""Install and start a local PostgreSQL and RabbitMQ on a fresh Debian/Ubuntu machine.

    python -m scripts.install_servers [--dry-run] [postgres] [rabbitmq]

`make run` (scripts/dev.py) and `make test` (tests/support/servers.py) call ensure_installed()
with the local servers that do not answer. As root on Debian/Ubuntu with apt-get, it installs
the OS packages, starts them without systemd (containers have none), and sets up a cluster it
created so that the defaults (postgresql://postgres@127.0.0.1:5432, amqp://guest:guest@
127.0.0.1:5672) work. Anywhere else it raises CannotInstall with the exact commands to run.
`--dry-run` prints the plan and executes nothing. See docs/fresh-machine.md.

Standard library only: it has to run before the virtualenv exists (`sudo python3 -m ...`).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parents[1]
# Module-level so that the tests can point them at fake files.
OS_RELEASE = Path("/etc/os-release")
ETC_POSTGRESQL = Path("/etc/postgresql")
INIT_D = Path("/etc/init.d")

# The placeholder for the PostgreSQL major version, known only once apt-get has installed it.
VERSION = "<versão>"
# The default URL of the tests (tests/support/servers.py); the app's DEFAULT_DATABASE_URL
# (shared/shared/config.py, scripts/dev.py) is the same server and user, database `pedidos`.
# Both connect over TCP as `postgres` without a password: that is what pg_hba must allow.
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_HBA_LINES = (
    "# pedidos (scripts/install_servers.py): desenvolvimento local, sem senha só no loopback",
    "host    all             all             127.0.0.1/32            trust",
    "host    all             all             ::1/128                 trust",
)
# Our machines also have a `root` superuser, so `psql` as root (peer auth on the socket)
# works as it does there; the defaults themselves only need `postgres`. Idempotent, for a
# second run; `$n$root$n$` is the string 'root' without single quotes, so that the command
# printed by --dry-run stays readable.
CREATE_ROOT_ROLE = (
    "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = $n$root$n$) "
    "THEN CREATE ROLE root SUPERUSER LOGIN; END IF; END$$"
)
WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class Server:
    label: str
    package: str  # Debian/Ubuntu
    port: int
    url_var: str  # what to set instead for `make run`; the tests read TEST_<url_var>
    log_dir: str


SERVERS: dict[str, Server] = {
    "postgres": Server("PostgreSQL", "postgresql", 5432, "DATABASE_URL", "/var/log/postgresql"),
    "rabbitmq": Server("RabbitMQ", "rabbitmq-server", 5672, "RABBITMQ_URL", "/var/log/rabbitmq"),
}


class InstallError(RuntimeError):
    """str() is the whole message for the user."""


class CannotInstall(InstallError):
    """Not root on Debian/Ubuntu with apt-get: the message says what to run instead.

    Callers may fall back (Docker, testcontainers) before showing it.
    """


class InstallFailed(InstallError):
    """A step failed or a server did not answer in time: the machine needs a look."""


def say(message: str) -> None:
    print(f"[pedidos] {message}", flush=True)


def port_answers(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), 2):
            return True
    except OSError:
        return False


def docker_answers() -> bool:
    """A Docker engine is there: then containers come first (SPEC §5), nothing is installed."""
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


# -- the steps ----------------------------------------------------------------------------


class Context:
    """Values found while running (the PostgreSQL version), filled into later steps."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def fill(self, text: str) -> str:
        for placeholder, value in self.values.items():
            text = text.replace(placeholder, value)
        return text


class Step(Protocol):
    def describe(self) -> str: ...

    def run(self, context: Context) -> None: ...


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    # pg_ctlcluster exits 2 for "already running": apt's postinst may have started it.
    ok_codes: tuple[int, ...] = (0,)
    # `rabbitmq-server -detached` is not idempotent: run it only when nothing listens.
    unless_port: int | None = None
    # The management UI is a convenience: without it the broker still serves the system.
    required: bool = True
    timeout: float = 300.0
    note: str = ""

    def describe(self) -> str:
        words = [*(f"{k}={v}" for k, v in self.env.items()), *self.argv]
        # The placeholder unquoted, so that it reads `pg_ctlcluster 15 main` once filled in.
        text = " ".join(w if w == VERSION else shlex.quote(w) for w in words)
        if self.unless_port is not None:
            text += f"  (só se 127.0.0.1:{self.unless_port} não responder)"
        if self.note:
            text += f"  ({self.note})"
        return text

    def run(self, context: Context) -> None:
        argv = [context.fill(arg) for arg in self.argv]
        if self.unless_port is not None and port_answers(self.unless_port):
            say(f"127.0.0.1:{self.unless_port} já responde: `{shlex.join(argv)}` dispensado.")
            return
        try:
            result = subprocess.run(argv, env={**os.environ, **self.env}, timeout=self.timeout)
            returncode = result.returncode
            problem = f"terminou com código {returncode}"
        except FileNotFoundError:
            returncode, problem = -1, "comando não encontrado"
        except subprocess.TimeoutExpired:
            returncode, problem = -1, f"não terminou em {self.timeout:.0f} s"
        if returncode in self.ok_codes:
            return
        if not self.required:
            say(f"aviso: `{shlex.join(argv)}` {problem}; seguindo sem ele.")
            return
        raise InstallFailed(f"[pedidos] `{shlex.join(argv)}` {problem}; a instalação parou aqui.")


@dataclass(frozen=True)
class Cluster:
    version: str
    name: str
    port: int

    def __str__(self) -> str:
        return f"{self.version}/{self.name}"

    def sort_key(self) -> tuple[int, ...]:
        # "15" and "9.6" both: compare as numbers, so 15 wins over 9.6.
        return tuple(int(part) for part in re.findall(r"\d+", self.version))


def clusters() -> list[Cluster]:
    """Debian's PostgreSQL clusters, from /etc/postgresql/<version>/<name>/postgresql.conf.

    Read from the files rather than `pg_lsclusters`, so that planning (and --dry-run) runs no
    command at all.
    """
    found = []
    for conf in sorted(ETC_POSTGRESQL.glob("*/*/postgresql.conf")):
        port = 5432
        try:
            match = re.search(r"^\s*port\s*=\s*(\d+)", conf.read_text(), re.MULTILINE)
        except OSError:
            match = None
        if match:
            port = int(match.group(1))
        found.append(Cluster(conf.parent.parent.name, conf.parent.name, port))
    return found


@dataclass(frozen=True)
class FindNewCluster:
    """Resolves <versão>: the `main` cluster that `apt-get install postgresql` created."""

    before: tuple[str, ...] = ()  # clusters that existed when the plan was made

    def describe(self) -> str:
        return (
            f"descobrir {VERSION}: o cluster {ETC_POSTGRESQL}/{VERSION}/main criado pela "
            "instalação (nenhum existia antes; um cluster existente nunca é alterado)"
        )

    def run(self, context: Context) -> None:
        new = [c for c in clusters() if c.name == "main" and str(c) not in self.before]
        on_port = [c for c in new if c.port == SERVERS["postgres"].port]
        if not on_port:
            raise InstallFailed(
                "[pedidos] o apt-get não criou o cluster main do PostgreSQL na porta 5432 "
                f"(encontrados: {', '.join(f'{c} porta {c.port}' for c in new) or 'nenhum'}). "
                "Crie-o com `pg_createcluster <versão> main --port 5432` e rode de novo."
            )
        context.values[VERSION] = max(on_port, key=Cluster.sort_key).version


@dataclass(frozen=True)
class PrependLines:
    """pg_hba.conf is first-match: lines at the top win over Debian's scram-sha-256 ones."""

    path: str
    lines: tuple[str, ...]

    def describe(self) -> str:
        return f"inserir no início de {self.path}:" + "".join(f"\n       {x}" for x in self.lines)

    def run(self, context: Context) -> None:
        path = Path(context.fill(self.path))
        text = path.read_text()
        if self.lines[0] in text.splitlines():
            say(f"{path} já tem as linhas do pedidos.")
            return
        # Written in place: the file keeps its owner (postgres) and mode (0640).
        path.write_text("\n".join(self.lines) + "\n" + text)


@dataclass(frozen=True)
class WaitPort:
    server: Server
    timeout: float = WAIT_SECONDS

    def describe(self) -> str:
        return (
            f"esperar o {self.server.label} responder em 127.0.0.1:{self.server.port} "
            f"(até {self.timeout:g} s)"
        )

    def run(self, context: Context) -> None:
        deadline = time.monotonic() + self.timeout
        while not port_answers(self.server.port):
            if time.monotonic() > deadline:
                raise InstallFailed(
                    f"[pedidos] o {self.server.label} foi instalado e iniciado mas não respondeu "
                    f"em 127.0.0.1:{self.server.port} em {self.timeout:g} s; "
                    f"veja os logs em {self.server.log_dir}/."
                )
            time.sleep(0.5)


# -- deciding -----------------------------------------------------------------------------


def os_ids() -> list[str]:
    """ID and ID_LIKE of /etc/os-release (ID_LIKE="ubuntu debian" on Mint and friends)."""
    try:
        text = OS_RELEASE.read_text()
    except OSError:
        return []
    ids: list[str] = []
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("ID", "ID_LIKE"):
            try:
                value = " ".join(shlex.split(value))  # unquoted: "ubuntu debian" is two IDs
            except ValueError:  # an unbalanced quote: still worth a guess
                value = value.strip("\"'")
            ids += value.lower().split()
    return ids


def is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)  # Windows has none
    return geteuid is not None and geteuid() == 0


def _manual_instructions(missing: Sequence[str], ids: Sequence[str]) -> list[str]:
    """The commands for this kind of system; all of them when it is not recognised."""
    servers = [SERVERS[name] for name in missing]
    hba = " e ".join(f'"{line}"' for line in PG_HBA_LINES[1:])
    debian = bool({"debian", "ubuntu"} & set(ids))
    fedora = bool({"fedora", "rhel", "centos"} & set(ids))
    mac = sys.platform == "darwin"
    lines: list[str] = []
    if debian or not (fedora or mac):
        lines += [
            "Debian/Ubuntu (este script, como root; faz tudo o que o `make run` precisa):",
            f"    cd {shlex.quote(str(ROOT))} && sudo python3 -m scripts.install_servers "
            + " ".join(missing),
        ]
    if fedora or not (debian or mac):
        dnf = {"postgres": "postgresql-server", "rabbitmq": "rabbitmq-server"}
        units = {"postgres": "postgresql", "rabbitmq": "rabbitmq-server"}
        lines += [
            "Fedora:",
            "    sudo dnf install -y " + " ".join(dnf[name] for name in missing),
        ]
        if "postgres" in missing:
            lines += [
                "    sudo postgresql-setup --initdb",
                f"    (no início de /var/lib/pgsql/data/pg_hba.conf: {hba})",
            ]
        lines.append("    sudo systemctl enable --now " + " ".join(units[n] for n in missing))
    if mac or not (debian or fedora):
        brew = {"postgres": "postgresql@15", "rabbitmq": "rabbitmq"}
        lines += [
            "macOS (Homebrew):",
            "    brew install " + " ".join(brew[name] for name in missing),
            *(f"    brew services start {brew[name]}" for name in missing),
        ]
        if "postgres" in missing:
            lines.append('    "$(brew --prefix postgresql@15)/bin/createuser" -s postgres')
    app_vars = " e ".join(server.url_var for server in servers)
    test_vars = " e ".join(f"TEST_{server.url_var}" for server in servers)
    lines.append(
        f"Ou defina {app_vars} (nos testes: {test_vars}) com servidores que já existem, "
        "ou instale o Docker para que `make run` / `make test` os iniciem em contêineres."
    )
    return lines


def blocker(missing: Sequence[str]) -> str | None:
    """None when this machine can install; else the message with what to run instead."""
    ids = os_ids()
    if not {"debian", "ubuntu"} & set(ids):
        found = f"ID {' '.join(ids)}" if ids else "sem /etc/os-release"
        reason = f"o sistema não é Debian/Ubuntu ({found})"
    elif shutil.which("apt-get") is None:
        reason = "apt-get não foi encontrado no PATH"
        ids = []  # this script cannot help then: show every system's commands
    elif not is_root():
        reason = "só root instala pacotes e este processo não é root"
    else:
        return None
    labels = " e ".join(SERVERS[name].label for name in missing)
    head = f"[pedidos] não dá para instalar {labels} aqui: {reason}. Para instalar e iniciar:"
    return "\n".join([head, *_manual_instructions(missing, ids)])


def plan(missing: Sequence[str]) -> list[Step]:
    """The steps for the servers named; runs nothing. Raises CannotInstall when it can't."""
    unknown = set(missing) - set(SERVERS)
    if unknown:
        raise ValueError(f"servidores desconhecidos: {sorted(unknown)}")
    missing = [name for name in SERVERS if name in missing]  # one order, no repeats
    message = blocker(missing)
    if message:
        raise CannotInstall(message)

    existing = clusters()
    existing_pg = [c for c in existing if c.port == SERVERS["postgres"].port]
    if "postgres" in missing and existing and not existing_pg:
        listed = ", ".join(f"{c} (porta {c.port})" for c in existing)
        raise CannotInstall(
            f"[pedidos] já há clusters do PostgreSQL ({listed}) mas nenhum na porta 5432; "
            "este script não mexe neles. Inicie um (pg_ctlcluster <versão> <nome> start) e "
            "defina DATABASE_URL / TEST_DATABASE_URL com a porta dele."
        )
    # A package is installed when its server is: a PostgreSQL cluster, rabbitmq-server.
    # Then the plan only starts it, with no apt-get (that needs the network).
    packages = [
        SERVERS[name].package
        for name in missing
        if (name == "postgres" and not existing_pg)
        or (name == "rabbitmq" and shutil.which("rabbitmq-server") is None)
    ]
    steps: list[Step] = []
    if packages:
        steps += [
            Command(("apt-get", "update"), timeout=600),
            Command(
                ("apt-get", "install", "-y", *packages),
                env={"DEBIAN_FRONTEND": "noninteractive"},
                timeout=1800,
            ),
        ]
    if "postgres" in missing:
        steps += _postgres_steps(existing_pg, before=tuple(str(c) for c in existing))
    if "rabbitmq" in missing:
        steps += _rabbitmq_steps(installed="rabbitmq-server" not in packages)
    return steps


def created_here(cluster: Cluster) -> bool:
    """Whether this script set the cluster up: its pg_hba.conf starts with our marker line."""
    try:
        text = (ETC_POSTGRESQL / cluster.version / cluster.name / "pg_hba.conf").read_text()
    except OSError:
        return False
    return text.startswith(PG_HBA_LINES[0] + "\n")


def _postgres_steps(existing_pg: Sequence[Cluster], before: tuple[str, ...]) -> list[Step]:
    postgres = SERVERS["postgres"]
    # Also proves the default URL (postgres over TCP, no password) works.
    root_role = Command(
        ("psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", POSTGRES_URL, "-c", CREATE_ROOT_ROLE)
    )
    if existing_pg:
        cluster = max(existing_pg, key=Cluster.sort_key)
        version, name = cluster.version, cluster.name
        if not created_here(cluster):
            # Not ours: start it as it is. Its pg_hba.conf and roles are whoever set it up's.
            return [
                Command(
                    ("pg_ctlcluster", version, name, "start"),
                    ok_codes=(0, 2),
                    note=f"cluster existente {cluster}: pg_hba.conf e papéis não são alterados",
                ),
                WaitPort(postgres),
            ]
        # Ours, from a run that stopped half-way (say, a timeout): finish the setup.
        return [
            Command(
                ("pg_ctlcluster", version, name, "start"),
                ok_codes=(0, 2),
                note=f"cluster {cluster}, criado por este script",
            ),
            Command(("pg_ctlcluster", version, name, "reload")),
            WaitPort(postgres),
            root_role,
        ]
    return [
        FindNewCluster(before),
        PrependLines(f"{ETC_POSTGRESQL}/{VERSION}/main/pg_hba.conf", PG_HBA_LINES),
        # No systemd in containers: pg_ctlcluster starts the server itself.
        Command(("pg_ctlcluster", VERSION, "main", "start"), ok_codes=(0, 2)),
        # In case apt's postinst had already started it: the new pg_hba lines take effect.
        Command(("pg_ctlcluster", VERSION, "main", "reload")),
        WaitPort(postgres),
        root_role,
    ]


def _rabbitmq_steps(*, installed: bool) -> list[Step]:
    # Debian's and Ubuntu's rabbitmq-server ship /etc/init.d/rabbitmq-server, which `service`
    # runs when there is no systemd; it waits for the node and is idempotent. Builds without
    # the script (RabbitMQ's own packages) start with -detached.
    has_init = not installed or (INIT_D / "rabbitmq-server").exists()
    if shutil.which("service") and has_init:
        start = Command(("service", "rabbitmq-server", "start"))
    else:
        start = Command(("rabbitmq-server", "-detached"), unless_port=SERVERS["rabbitmq"].port)
    return [
        start,
        WaitPort(SERVERS["rabbitmq"]),
        # As scripts/dev.py's enable_management_ui: the UI on :15672 (guest/guest).
        Command(("rabbitmq-plugins", "enable", "rabbitmq_management"), required=False),
    ]


def describe_plan(steps: Sequence[Step]) -> list[str]:
    return [f"{n:>3}. {step.describe()}" for n, step in enumerate(steps, start=1)]


# -- doing --------------------------------------------------------------------------------


def execute(steps: Sequence[Step]) -> None:
    context = Context()
    for n, step in enumerate(steps, start=1):
        say(f"[{n}/{len(steps)}] {context.fill(step.describe())}")
        step.run(context)


def ensure_installed(missing: list[str], *, dry_run: bool = False) -> None:
    """Install and start the servers named ("postgres", "rabbitmq"), or raise.

    CannotInstall: not root on Debian/Ubuntu with apt-get (the message says what to run).
    InstallFailed: a step failed or a server did not answer in time.
    The caller passes only local servers that do not answer on their default port.
    """
    if not missing:
        return
    steps = plan(missing)
    labels = ", ".join(SERVERS[name].label for name in SERVERS if name in missing)
    if dry_run:
        say(f"simulação (--dry-run), nada é executado. Para {labels}, rodaria:")
        for line in describe_plan(steps):
            say(line)
        return
    say(f"instalando/iniciando {labels} (docs/fresh-machine.md)...")
    execute(steps)
    say(f"{labels} pronto(s).")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dry-run", action="store_true", help="só mostra o plano")
    parser.add_argument(
        "--if-missing",
        metavar="VAR_PREFIX",
        nargs="?",
        const="",
        help="só os servidores locais que não respondem e cuja URL (PREFIXO + DATABASE_URL/"
        "RABBITMQ_URL) não foi definida; sem poder instalar, só avisa (o passo seguinte "
        "decide: Docker ou uma mensagem de erro). `make test` usa --if-missing TEST_",
    )
    # No `choices`: with nargs="*" argparse would check the empty default against them.
    parser.add_argument("servers", nargs="*", metavar="{postgres,rabbitmq}", help="padrão: os dois")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.servers) - set(SERVERS))
    if unknown:
        parser.error(f"servidor desconhecido: {', '.join(unknown)} (use postgres e/ou rabbitmq)")
    chosen = args.servers or list(SERVERS)
    if args.if_missing is not None:
        chosen = [
            name
            for name in chosen
            if not os.environ.get(args.if_missing + SERVERS[name].url_var)
            and not port_answers(SERVERS[name].port)
        ]
        if not chosen or docker_answers():  # containers will be started instead
            return 0
    try:
        ensure_installed(chosen, dry_run=args.dry_run)
    except CannotInstall as exc:
        print(exc, file=sys.stderr, flush=True)
        # With --if-missing the caller's own check decides (Docker, or a clear failure).
        return 0 if args.if_missing is not None else 1
    except InstallError as exc:
        print(exc, file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
