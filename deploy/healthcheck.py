"""Container health check: exit 0 when this container's HTTP service is ready.

    python /app/deploy/healthcheck.py [URL]

Without URL it asks this container's gunicorn on the port of $BIND (as
deploy/gunicorn.conf.py reads it, e.g. 0.0.0.0:5001), at $HEALTHCHECK_PATH (default /ready,
which checks the service's dependencies). Any non-2xx answer, timeout or refused connection is
unhealthy. Standard library only, so it works in the slim image without curl.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("BIND", "127.0.0.1:5000").rpartition(":")[2]
    path = os.environ.get("HEALTHCHECK_PATH", "/ready")
    url = sys.argv[1] if len(sys.argv) > 1 else f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=float(os.environ.get("HEALTHCHECK_TIMEOUT", "4"))):
            return 0  # urlopen raises HTTPError for anything outside 2xx/3xx
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
