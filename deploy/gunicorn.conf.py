"""gunicorn settings shared by every HTTP service.

    gunicorn -c deploy/gunicorn.conf.py pkg.wsgi:app

Threads (gthread) let one worker overlap requests that wait on PostgreSQL or an upstream;
workers use the cores. Everything is overridable from the environment.
"""

import os
import shutil
import tempfile

bind = os.environ.get("BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is a bug or a stuck upstream: kill the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "10"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Our apps log each request as a JSON line; gunicorn's access log would say it twice.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# No gunicornc control socket: by default every gunicorn of a user shares
# $HOME/.gunicorn/gunicorn.ctl, and in the container image $HOME is not writable.
control_socket_disable = True

# Prometheus under several worker processes: each writes its counters into one directory and
# /metrics adds them up (shared/metrics.py). A fresh directory per gunicorn master, unless
# PROMETHEUS_MULTIPROC_DIR is given (then emptied at start: stale files would add old counts).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)
    _created_metrics_dir = None
else:
    _created_metrics_dir = tempfile.mkdtemp(prefix="pedidos-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _created_metrics_dir


def post_worker_init(worker):
    """The app is loaded in the worker (no preload): its objects live as long as the worker."""
    from shared.long_running import settle_after_startup

    settle_after_startup()


def child_exit(server, worker):
    """A worker that exits takes its live gauges with it (its counters stay summed)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """The directory this master made for the metrics goes with it."""
    if _created_metrics_dir:
        shutil.rmtree(_created_metrics_dir, ignore_errors=True)
