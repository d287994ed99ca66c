"""Nobody asks the machine which day it is: days come from the business clock (shared.clock).

The machine's clock is UTC here and in production; our users' calendar is Brasília's. A bare
`date.today()` or a naive `datetime.now()` is right 21 hours a day and wrong at night
(issue 12). ruff's flake8-datetimez rules (DTZ) find the naive calls; the patterns below find
what ruff does not know: a second time zone definition, and SQL that takes "today" from the
database session's zone.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [
    "shared",
    "auth_service",
    "order_service",
    "stock_service",
    "gateway",
    "scripts",
    "bench",
    "tests",
]
CLOCK = Path("shared/shared/clock.py")
_THIS_FILE = Path("tests/test_business_clock_usage.py")  # its samples of offences

# Outside the clock, a zone is named only in tests (which say which zone they compare with).
_ZONE = re.compile(r"\bZoneInfo\(|\bpytz\b|America/Sao_Paulo")
# The database's "today" is the session time zone's (UTC by default), not our users'.
_SQL_DAY = re.compile(
    r"\bCURRENT_DATE\b|\bLOCALTIMESTAMP\b|\bLOCALTIME\b|now\(\)\s*::\s*date", re.IGNORECASE
)


def ruff_naive_datetime_calls(root: Path, paths: list[str]) -> list[str]:
    """`file:line rule message` for every call ruff's DTZ rules flag under `paths`."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "DTZ",
         "--output-format", "json", "--exit-zero", *paths],
        cwd=root, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return [
        f"{Path(v['filename']).relative_to(root)}:{v['location']['row']} {v['code']} {v['message']}"
        for v in json.loads(result.stdout)
    ]


def pattern_violations(root: Path, paths: list[str]) -> list[str]:
    found = []
    for top in paths:
        for path in sorted((root / top).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts or relative in (CLOCK, _THIS_FILE):
                continue
            is_test = "tests" in relative.parts
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if not is_test and _ZONE.search(line):
                    found.append(f"{relative}:{number} names a time zone: use shared.clock")
                if _SQL_DAY.search(line):
                    found.append(f"{relative}:{number} takes the day from the database session")
    return found


def test_production_and_test_code_take_days_and_instants_from_the_business_clock():
    violations = ruff_naive_datetime_calls(ROOT, CHECKED) + pattern_violations(ROOT, CHECKED)

    assert violations == [], "\n".join(violations)


def test_the_check_finds_each_kind_of_offence(tmp_path):
    """The check above cannot pass by finding nothing: each offence here is reported."""
    offender = tmp_path / "order_service" / "order_service" / "late.py"
    offender.parent.mkdir(parents=True)
    offender.write_text(
        "from datetime import date, datetime\n"
        "from zoneinfo import ZoneInfo\n"
        "a = date.today()\n"
        "b = datetime.now()\n"
        "c = datetime.utcnow()\n"
        'd = ZoneInfo("America/Sao_Paulo")\n'
        'e = "SELECT * FROM orders WHERE created_at::date = CURRENT_DATE"\n'
        "f = datetime(2026, 12, 7)\n"
    )

    ruff_found = ruff_naive_datetime_calls(tmp_path, ["order_service"])
    patterns_found = pattern_violations(tmp_path, ["order_service"])

    assert sorted(v.split()[1] for v in ruff_found) == ["DTZ001", "DTZ003", "DTZ005", "DTZ011"]
    assert [v.split(":")[1].split()[0] for v in patterns_found] == ["6", "7"]
