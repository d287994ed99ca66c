"""gunicorn settings shared by every HTTP service.

    gunicorn -c deploy/gunicorn.conf.py pkg.wsgi:app

Threads (gthread) let one worker overlap requests that wait on PostgreSQL or an upstream;
workers use the cores. Everything is overridable from the environment.
"""

import os

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
