"""Delete old login attempts and ended sessions; run it daily (cron, a scheduled job).

python -m auth_service.purge [--keep-hours 24]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from auth_service import retention
from auth_service.config import AuthSettings
from shared.config import ConfigError
from shared.db import sqlalchemy_url


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m auth_service.purge", description=__doc__)
    parser.add_argument(
        "--keep-hours", type=int, default=24, help="keep login attempts this recent (hours)"
    )
    args = parser.parse_args(argv)
    try:
        settings = AuthSettings.from_env()
    except ConfigError as exc:
        print(f"purge: {exc}", file=sys.stderr)
        return 2
    # Never purge attempts the rate limit still counts.
    keep = max(timedelta(hours=args.keep_hours), timedelta(seconds=settings.login_window_seconds))
    engine = create_engine(sqlalchemy_url(settings.database_url))
    try:
        with Session(engine) as session:
            counts = retention.purge_stale_records(session=session, keep_login_attempts=keep)
    finally:
        engine.dispose()
    for table, count in counts.items():
        print(f"{table}: {count} removidos")
    return 0


if __name__ == "__main__":
    sys.exit(main())
