"""`make up`: write the service secrets docker compose needs to .env, once.

    python3 -m scripts.compose_env        # creates .env beside docker-compose.yml if absent

docker-compose.yml has no default for any secret (`${VAR:?...}`); compose reads .env on
its own. An existing .env keeps its values; a missing variable in it is appended.
"""

from __future__ import annotations

from scripts.processes import ROOT, ServiceSecrets

ENV_FILE = ROOT / ".env"


def missing_lines(existing: str, secrets: ServiceSecrets) -> list[str]:
    """`VAR=value` lines for each secret variable not already set in `existing`."""
    present = {line.split("=", 1)[0].strip() for line in existing.splitlines() if "=" in line}
    return [
        f"{variable}={getattr(secrets, name)}"
        for name, variable in ServiceSecrets.ENVIRONMENT.items()
        if variable not in present
    ]


def main() -> None:
    existing = ENV_FILE.read_text() if ENV_FILE.exists() else ""
    lines = missing_lines(existing, ServiceSecrets.generate())
    if not lines:
        return
    if not ENV_FILE.exists():
        ENV_FILE.touch(mode=0o600)
    separator = "" if not existing or existing.endswith("\n") else "\n"
    ENV_FILE.write_text(existing + separator + "\n".join(lines) + "\n")
    print(f"[pedidos] segredos de serviço gerados em {ENV_FILE.name}: {len(lines)}")


if __name__ == "__main__":
    main()
