"""scripts/install_servers.py: what it plans on each kind of machine, and that --dry-run runs
nothing. The machine is faked (os-release, euid, PATH, /etc/postgresql); no test installs,
starts or reconfigures a server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scripts import install_servers as inst
from scripts.install_servers import CannotInstall, InstallFailed

ROOT = Path(__file__).resolve().parents[1]
DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'
UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n'
MINT = 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n'
FEDORA = 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n'
DEBIAN_PG_HBA = (
    "local   all             postgres                                peer\n"
    "host    all             all             127.0.0.1/32            scram-sha-256\n"
)
HBA = [
    "       # pedidos (scripts/install_servers.py): desenvolvimento local, sem senha só no "
    "loopback",
    "       host    all             all             127.0.0.1/32            trust",
    "       host    all             all             ::1/128                 trust",
]
ROOT_ROLE = (
    "psql -X -v ON_ERROR_STOP=1 -d postgresql://postgres@127.0.0.1:5432/postgres -c "
    "'DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = $n$root$n$) "
    "THEN CREATE ROLE root SUPERUSER LOGIN; END IF; END$$'"
)


class FakeMachine:
    """Root on Debian with apt-get and `service`, nothing of PostgreSQL or RabbitMQ yet."""

    def __init__(self, tmp_path: Path) -> None:
        self.os_release = tmp_path / "os-release"
        self.os_release.write_text(DEBIAN)
        self.etc_postgresql = tmp_path / "etc-postgresql"
        self.etc_postgresql.mkdir()
        self.init_d = tmp_path / "init.d"
        self.init_d.mkdir()
        self.euid = 0
        self.on_path = {"apt-get", "service"}

    def which(self, command: str, *args: object, **kwargs: object) -> str | None:
        return f"/usr/bin/{command}" if command in self.on_path else None

    def add_cluster(self, version: str, port: int = 5432, hba: str = DEBIAN_PG_HBA) -> Path:
        directory = self.etc_postgresql / version / "main"
        directory.mkdir(parents=True)
        (directory / "postgresql.conf").write_text(f"data_directory = '/x'\nport = {port}\n")
        (directory / "pg_hba.conf").write_text(hba)
        return directory


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeMachine:
    fake = FakeMachine(tmp_path)
    monkeypatch.setattr(inst, "OS_RELEASE", fake.os_release)
    monkeypatch.setattr(inst, "ETC_POSTGRESQL", fake.etc_postgresql)
    monkeypatch.setattr(inst, "INIT_D", fake.init_d)
    monkeypatch.setattr(os, "geteuid", lambda: fake.euid)
    monkeypatch.setattr(shutil, "which", fake.which)
    monkeypatch.setattr(sys, "platform", "linux")
    return fake


def dry_run(capsys: pytest.CaptureFixture[str], *servers: str) -> list[str]:
    inst.ensure_installed(list(servers), dry_run=True)
    return capsys.readouterr().out.splitlines()


# -- the plan as root on Debian/Ubuntu ----------------------------------------------------


def test_fresh_debian_as_root_plans_install_start_configure_and_wait(machine, capsys):
    etc = machine.etc_postgresql
    assert dry_run(capsys, "postgres", "rabbitmq") == [
        "[pedidos] simulação (--dry-run), nada é executado. Para PostgreSQL, RabbitMQ, rodaria:",
        "[pedidos]   1. apt-get update",
        "[pedidos]   2. DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql "
        "rabbitmq-server",
        f"[pedidos]   3. descobrir <versão>: o cluster {etc}/<versão>/main criado pela "
        "instalação (nenhum existia antes; um cluster existente nunca é alterado)",
        f"[pedidos]   4. inserir no início de {etc}/<versão>/main/pg_hba.conf:",
        *HBA,
        "[pedidos]   5. pg_ctlcluster <versão> main start",
        "[pedidos]   6. pg_ctlcluster <versão> main reload",
        "[pedidos]   7. esperar o PostgreSQL responder em 127.0.0.1:5432 (até 60 s)",
        f"[pedidos]   8. {ROOT_ROLE}",
        "[pedidos]   9. service rabbitmq-server start",
        "[pedidos]  10. esperar o RabbitMQ responder em 127.0.0.1:5672 (até 60 s)",
        "[pedidos]  11. rabbitmq-plugins enable rabbitmq_management",
    ]


@pytest.mark.parametrize("os_release", [UBUNTU, MINT], ids=["ubuntu", "id_like"])
def test_ubuntu_and_its_derivatives_count_as_debian(machine, capsys, os_release):
    machine.os_release.write_text(os_release)
    assert dry_run(capsys, "rabbitmq")[1:] == [
        "[pedidos]   1. apt-get update",
        "[pedidos]   2. DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server",
        "[pedidos]   3. service rabbitmq-server start",
        "[pedidos]   4. esperar o RabbitMQ responder em 127.0.0.1:5672 (até 60 s)",
        "[pedidos]   5. rabbitmq-plugins enable rabbitmq_management",
    ]


def test_an_existing_cluster_is_only_started_never_reconfigured(machine, capsys):
    machine.add_cluster("15")
    assert dry_run(capsys, "postgres")[1:] == [
        "[pedidos]   1. pg_ctlcluster 15 main start  (cluster existente 15/main: pg_hba.conf "
        "e papéis não são alterados)",
        "[pedidos]   2. esperar o PostgreSQL responder em 127.0.0.1:5432 (até 60 s)",
    ]


def test_a_cluster_this_script_set_up_is_finished_on_a_second_run(machine, capsys):
    machine.add_cluster("16", hba="\n".join(inst.PG_HBA_LINES) + "\n" + DEBIAN_PG_HBA)
    assert dry_run(capsys, "postgres")[1:] == [
        "[pedidos]   1. pg_ctlcluster 16 main start  (cluster 16/main, criado por este script)",
        "[pedidos]   2. pg_ctlcluster 16 main reload",
        "[pedidos]   3. esperar o PostgreSQL responder em 127.0.0.1:5432 (até 60 s)",
        f"[pedidos]   4. {ROOT_ROLE}",
    ]


def test_clusters_on_other_ports_only_are_left_alone_with_a_message(machine):
    machine.add_cluster("15", port=5433)
    with pytest.raises(CannotInstall) as raised:
        inst.plan(["postgres"])
    assert str(raised.value) == (
        "[pedidos] já há clusters do PostgreSQL (15/main (porta 5433)) mas nenhum na porta "
        "5432; este script não mexe neles. Inicie um (pg_ctlcluster <versão> <nome> start) e "
        "defina DATABASE_URL / TEST_DATABASE_URL com a porta dele."
    )


def test_rabbitmq_without_service_or_init_script_starts_detached(machine, capsys):
    machine.on_path = {"apt-get", "rabbitmq-server"}  # installed, no `service`
    assert dry_run(capsys, "rabbitmq")[1:] == [
        "[pedidos]   1. rabbitmq-server -detached  (só se 127.0.0.1:5672 não responder)",
        "[pedidos]   2. esperar o RabbitMQ responder em 127.0.0.1:5672 (até 60 s)",
        "[pedidos]   3. rabbitmq-plugins enable rabbitmq_management",
    ]
    machine.on_path.add("service")  # still no /etc/init.d/rabbitmq-server (not Debian's build)
    assert dry_run(capsys, "rabbitmq")[1].endswith(
        "rabbitmq-server -detached  (só se 127.0.0.1:5672 não responder)"
    )
    (machine.init_d / "rabbitmq-server").write_text("#!/bin/sh\n")
    assert dry_run(capsys, "rabbitmq")[1] == "[pedidos]   1. service rabbitmq-server start"


# -- where it cannot install: the exact instructions --------------------------------------

TAIL_BOTH = (
    "Ou defina DATABASE_URL e RABBITMQ_URL (nos testes: TEST_DATABASE_URL e "
    "TEST_RABBITMQ_URL) com servidores que já existem, ou instale o Docker para que "
    "`make run` / `make test` os iniciem em contêineres."
)
DEBIAN_HOWTO = [
    "Debian/Ubuntu (este script, como root; faz tudo o que o `make run` precisa):",
    f"    cd {ROOT} && sudo python3 -m scripts.install_servers postgres rabbitmq",
]
FEDORA_HOWTO = [
    "Fedora:",
    "    sudo dnf install -y postgresql-server rabbitmq-server",
    "    sudo postgresql-setup --initdb",
    '    (no início de /var/lib/pgsql/data/pg_hba.conf: "host    all             all      '
    '       127.0.0.1/32            trust" e "host    all             all             ::1/128'
    '                 trust")',
    "    sudo systemctl enable --now postgresql rabbitmq-server",
]
MAC_HOWTO = [
    "macOS (Homebrew):",
    "    brew install postgresql@15 rabbitmq",
    "    brew services start postgresql@15",
    "    brew services start rabbitmq",
    '    "$(brew --prefix postgresql@15)/bin/createuser" -s postgres',
]


def refusal(*servers: str) -> list[str]:
    with pytest.raises(CannotInstall) as raised:
        inst.ensure_installed(list(servers), dry_run=True)
    return str(raised.value).splitlines()


def test_not_root_on_debian_says_to_run_this_script_with_sudo(machine):
    machine.euid = 1000
    assert refusal("postgres", "rabbitmq") == [
        "[pedidos] não dá para instalar PostgreSQL e RabbitMQ aqui: só root instala pacotes e "
        "este processo não é root. Para instalar e iniciar:",
        *DEBIAN_HOWTO,
        TAIL_BOTH,
    ]


def test_not_debian_gives_the_dnf_commands(machine):
    machine.os_release.write_text(FEDORA)
    machine.on_path = {"dnf"}
    assert refusal("postgres", "rabbitmq") == [
        "[pedidos] não dá para instalar PostgreSQL e RabbitMQ aqui: o sistema não é "
        "Debian/Ubuntu (ID fedora). Para instalar e iniciar:",
        *FEDORA_HOWTO,
        TAIL_BOTH,
    ]


def test_macos_gives_the_brew_commands(machine, monkeypatch):
    machine.os_release.unlink()
    machine.euid = 501
    monkeypatch.setattr(sys, "platform", "darwin")
    assert refusal("postgres", "rabbitmq") == [
        "[pedidos] não dá para instalar PostgreSQL e RabbitMQ aqui: o sistema não é "
        "Debian/Ubuntu (sem /etc/os-release). Para instalar e iniciar:",
        *MAC_HOWTO,
        TAIL_BOTH,
    ]


def test_no_apt_get_gives_every_systems_commands(machine):
    machine.on_path = {"service"}
    assert refusal("postgres", "rabbitmq") == [
        "[pedidos] não dá para instalar PostgreSQL e RabbitMQ aqui: apt-get não foi "
        "encontrado no PATH. Para instalar e iniciar:",
        *DEBIAN_HOWTO,
        *FEDORA_HOWTO,
        *MAC_HOWTO,
        TAIL_BOTH,
    ]


def test_the_message_names_only_the_missing_server(machine):
    machine.euid = 1000
    assert refusal("rabbitmq") == [
        "[pedidos] não dá para instalar RabbitMQ aqui: só root instala pacotes e este processo "
        "não é root. Para instalar e iniciar:",
        "Debian/Ubuntu (este script, como root; faz tudo o que o `make run` precisa):",
        f"    cd {ROOT} && sudo python3 -m scripts.install_servers rabbitmq",
        "Ou defina RABBITMQ_URL (nos testes: TEST_RABBITMQ_URL) com servidores que já existem, "
        "ou instale o Docker para que `make run` / `make test` os iniciem em contêineres.",
    ]


def test_the_command_line_exits_1_with_the_message(machine, capsys):
    machine.euid = 1000
    assert inst.main(["--dry-run", "postgres"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("[pedidos] não dá para instalar PostgreSQL aqui: só root")


# -- running the plan (commands faked) ----------------------------------------------------


class FakeCommands:
    """Records every command; `apt-get install postgresql` creates a cluster, as Debian's does."""

    def __init__(self, machine: FakeMachine) -> None:
        self.machine = machine
        self.argvs: list[str] = []

    def run(self, argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        self.argvs.append(" ".join(argv))
        if argv[:2] == ["apt-get", "install"] and "postgresql" in argv:
            self.machine.add_cluster("15")
        return subprocess.CompletedProcess(argv, 0)


@pytest.fixture
def commands(machine, monkeypatch) -> FakeCommands:
    fake = FakeCommands(machine)
    monkeypatch.setattr(inst.subprocess, "run", fake.run)
    monkeypatch.setattr(inst, "port_answers", lambda port, host="127.0.0.1": True)
    return fake


def test_running_the_plan_fills_in_the_version_and_edits_only_the_new_cluster(
    machine, commands, capsys
):
    inst.ensure_installed(["postgres"])
    assert commands.argvs == [
        "apt-get update",
        "apt-get install -y postgresql",
        "pg_ctlcluster 15 main start",
        "pg_ctlcluster 15 main reload",
        " ".join(
            ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", inst.POSTGRES_URL, "-c"]
            + [inst.CREATE_ROOT_ROLE]
        ),
    ]
    hba = (machine.etc_postgresql / "15" / "main" / "pg_hba.conf").read_text()
    assert hba == "\n".join(inst.PG_HBA_LINES) + "\n" + DEBIAN_PG_HBA
    assert "[pedidos] [5/8] pg_ctlcluster 15 main start" in capsys.readouterr().out
    inst.ensure_installed(["postgres"])  # a second run: no second copy of the lines
    assert (machine.etc_postgresql / "15" / "main" / "pg_hba.conf").read_text() == hba


def test_running_against_an_existing_cluster_leaves_its_files_alone(machine, commands):
    directory = machine.add_cluster("15")
    inst.ensure_installed(["postgres"])
    assert commands.argvs == ["pg_ctlcluster 15 main start"]
    assert (directory / "pg_hba.conf").read_text() == DEBIAN_PG_HBA


def test_a_failing_step_stops_with_its_command(machine, commands, monkeypatch):
    monkeypatch.setattr(
        inst.subprocess, "run", lambda argv, **kw: subprocess.CompletedProcess(argv, 100)
    )
    with pytest.raises(
        InstallFailed, match=r"^\[pedidos\] `apt-get update` terminou com código 100"
    ):
        inst.ensure_installed(["rabbitmq"])


def test_a_server_that_never_answers_times_out_with_where_to_look(monkeypatch):
    monkeypatch.setattr(inst, "port_answers", lambda port, host="127.0.0.1": False)
    with pytest.raises(InstallFailed) as raised:
        inst.WaitPort(inst.SERVERS["rabbitmq"], timeout=0.2).run(inst.Context())
    assert str(raised.value) == (
        "[pedidos] o RabbitMQ foi instalado e iniciado mas não respondeu em 127.0.0.1:5672 "
        "em 0.2 s; veja os logs em /var/log/rabbitmq/."
    )


# -- the real command line, on this machine ----------------------------------------------

# Loaded into the child through PYTHONPATH: any command, network connection or file write
# ends it at once with code 97 (a dry run may only read).
NOTHING_RUNS = textwrap.dedent(
    """
    import os, sys

    WRITES = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    FORBIDDEN = {
        "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
        "os.forkpty", "pty.spawn", "socket.connect", "os.remove", "os.rename", "os.chmod",
        "os.chown", "os.mkdir", "os.truncate", "shutil.rmtree", "shutil.move",
    }

    def hook(event, args):
        if event == "open":
            _, mode, flags = args
            writes = any(c in mode for c in "wax+") if isinstance(mode, str) else flags & WRITES
        else:
            writes = event in FORBIDDEN
        if writes:
            sys.stderr.write(f"a simulação fez {event} {args!r}\\n")
            sys.stderr.flush()
            os._exit(97)

    sys.addaudithook(hook)
    """
)


def test_the_dry_run_prints_this_machines_plan_and_runs_nothing(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(NOTHING_RUNS)
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}

    def child(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )

    # The guard works: the same child running a command is stopped.
    guarded = child("-c", "import subprocess; subprocess.run(['true'])")
    assert guarded.returncode == 97, guarded.stderr

    result = child("-m", "scripts.install_servers", "--dry-run", "postgres", "rabbitmq")
    assert "a simulação fez" not in result.stderr
    refusal = inst.blocker(["postgres", "rabbitmq"])
    if refusal:  # not root on Debian/Ubuntu: no plan, the instructions
        assert (result.returncode, result.stdout, result.stderr) == (1, "", refusal + "\n")
        return
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    # The same steps the planner gives for this machine, each one printed...
    steps = inst.describe_plan(inst.plan(["postgres", "rabbitmq"]))
    assert out[1:] == "\n".join(f"[pedidos] {step}" for step in steps).splitlines()
    # ...and those are the steps that matter, whatever is installed here already.
    text = result.stdout
    assert "nada é executado" in out[0]
    assert "pg_ctlcluster " in text and " main start" in text
    assert "esperar o PostgreSQL responder em 127.0.0.1:5432 (até 60 s)" in text
    assert ("service rabbitmq-server start" in text) or ("rabbitmq-server -detached" in text)
    assert "esperar o RabbitMQ responder em 127.0.0.1:5672 (até 60 s)" in text
    assert text.rstrip().endswith("rabbitmq-plugins enable rabbitmq_management")
    # apt-get only for what is not installed yet (it needs the network).
    packages = []
    if not any(cluster.port == 5432 for cluster in inst.clusters()):
        packages.append("postgresql")
    if shutil.which("rabbitmq-server") is None:
        packages.append("rabbitmq-server")
    installs = [line.split("apt-get install -y ")[1] for line in out if "apt-get install" in line]
    assert installs == ([" ".join(packages)] if packages else [])


def test_if_missing_installs_only_what_does_not_answer_and_has_no_url_set(monkeypatch):
    """`make test` runs `--if-missing TEST_` before pytest: nothing to do on a ready machine;
    a server with a URL of its own given is never installed."""
    asked: list[list[str]] = []
    monkeypatch.setattr(inst, "ensure_installed", lambda missing, **_: asked.append(missing))
    monkeypatch.setattr(inst, "port_answers", lambda port, host="127.0.0.1": port == 5672)
    monkeypatch.setattr(inst, "docker_answers", lambda: False)
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)

    assert inst.main(["--if-missing", "TEST_"]) == 0
    monkeypatch.setenv("TEST_DATABASE_URL", "postgresql://db.example:5432/x")
    assert inst.main(["--if-missing", "TEST_"]) == 0

    assert asked == [["postgres"]]


def test_if_missing_only_warns_when_it_cannot_install(monkeypatch, capsys):
    def cannot(missing, **_):
        raise CannotInstall("instale o PostgreSQL")

    monkeypatch.setattr(inst, "ensure_installed", cannot)
    monkeypatch.setattr(inst, "port_answers", lambda port, host="127.0.0.1": False)
    monkeypatch.setattr(inst, "docker_answers", lambda: False)
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.delenv("TEST_RABBITMQ_URL", raising=False)

    # The next step decides (testcontainers, or the tests' own clear failure)...
    assert inst.main(["--if-missing", "TEST_"]) == 0
    # ...but asked directly, it is a failure.
    assert inst.main(["postgres"]) == 1
    assert capsys.readouterr().err.count("instale o PostgreSQL") == 2


def test_if_missing_leaves_it_to_docker_when_an_engine_answers(monkeypatch):
    """SPEC §5: with Docker, the servers come from containers; nothing is installed."""
    asked: list[list[str]] = []
    monkeypatch.setattr(inst, "ensure_installed", lambda missing, **_: asked.append(missing))
    monkeypatch.setattr(inst, "port_answers", lambda port, host="127.0.0.1": False)
    monkeypatch.setattr(inst, "docker_answers", lambda: True)
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.delenv("TEST_RABBITMQ_URL", raising=False)

    assert inst.main(["--if-missing", "TEST_"]) == 0
    assert asked == []
