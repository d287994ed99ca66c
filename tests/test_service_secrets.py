"""The shared secrets of our processes: generated once, kept private, never a default."""

import stat

from scripts.compose_env import missing_lines
from scripts.processes import Ports, ServiceSecrets, process_table, service_environment


def test_make_run_generates_the_secrets_once_and_keeps_them_private(tmp_path, monkeypatch):
    for variable in ServiceSecrets.ENVIRONMENT.values():
        monkeypatch.delenv(variable, raising=False)
    path = tmp_path / "var" / "service-secrets.json"

    first = ServiceSecrets.load_or_create(path)
    again = ServiceSecrets.load_or_create(path)

    assert first == again
    assert (
        len(first.order_service_client) >= 40 and first.order_service_client != first.forwarded_for
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ServiceSecrets.generate() != ServiceSecrets.generate()


def test_a_variable_overrides_its_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("ORDER_SERVICE_CLIENT_SECRET", "from-the-operator-0123456789")

    secrets = ServiceSecrets.load_or_create(tmp_path / "secrets.json")

    assert secrets.order_service_client == "from-the-operator-0123456789"


def test_each_process_gets_its_part_and_the_auth_service_knows_the_client():
    secrets = ServiceSecrets(order_service_client="o" * 20, forwarded_for="f" * 20)

    env = service_environment(
        Ports(), database_urls={s: "" for s in ("auth_service", "order_service", "stock_service")},
        rabbitmq_url="", secrets=secrets,
    )  # fmt: skip

    assert env["auth_service"]["SERVICE_CLIENTS"] == "order_service:" + "o" * 20
    assert env["order_service"]["SERVICE_CLIENT_SECRET"] == "o" * 20
    assert env["auth_service"]["FORWARDED_FOR_SECRET"] == env["gateway"]["FORWARDED_FOR_SECRET"]
    assert "SERVICE_CLIENT_SECRET" not in env["stock_service"]  # it calls nobody


def test_make_up_appends_only_the_missing_variables_to_dot_env():
    secrets = ServiceSecrets(order_service_client="o" * 20, forwarded_for="f" * 20)

    assert missing_lines("", secrets) == [
        "ORDER_SERVICE_CLIENT_SECRET=" + "o" * 20,
        "FORWARDED_FOR_SECRET=" + "f" * 20,
    ]
    assert missing_lines("FORWARDED_FOR_SECRET=kept\n", secrets) == [
        "ORDER_SERVICE_CLIENT_SECRET=" + "o" * 20
    ]


def test_the_replenisher_is_a_process_only_when_scheduled():
    secrets = ServiceSecrets.generate()
    urls = {s: "" for s in ("auth_service", "order_service", "stock_service")}

    def names(**kwargs):
        return {spec.name: spec for spec in process_table(
            Ports(), database_urls=urls, rabbitmq_url="", secrets=secrets, **kwargs)}  # fmt: skip

    assert "replenisher" not in names()
    scheduled = names(replenish_every_hours=24)["replenisher"]
    assert scheduled.env["REPLENISH_EVERY_HOURS"] == "24"
    assert scheduled.env["SERVICE_CLIENT_SECRET"] == secrets.order_service_client
