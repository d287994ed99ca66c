# syntax=docker/dockerfile:1
# One image for every Pedidos Python process: the HTTP services, the gateway, the outbox
# relays, the consumers and the one-shot `migrate` step. docker-compose.yml chooses the
# process with `command`; by default the image runs the gateway under gunicorn.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- dependencies: the locked requirements in a virtualenv, copied whole into the runtime --
FROM ${PYTHON_IMAGE} AS deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
# Our own packages (pedidos-*) are not on PyPI: they come from the source tree (.pth below).
RUN grep -viE '^pedidos-' /tmp/requirements.lock > /tmp/requirements.txt \
 && /opt/venv/bin/pip install --require-virtualenv -r /tmp/requirements.txt

# --- runtime ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# APP_ENV=production: a missing secret stops start-up. docker-compose.yml sets development.
# BIND: where deploy/gunicorn.conf.py listens; all interfaces, as a container must.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    BIND=0.0.0.0:5000

RUN groupadd --system --gid 10001 pedidos \
 && useradd --system --uid 10001 --gid pedidos --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin pedidos

COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY . /app

# Our packages are imported from the source tree, exactly as `make install` does it: one
# .pth line per package folder. var/ holds what the processes write (JWT keys, product
# images); the named volumes mounted there start with its owner and mode.
RUN site="$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
 && for p in shared auth_service order_service stock_service gateway; do echo "/app/$p"; done \
      > "$site/pedidos.pth" \
 && python -c "import shared.config" \
 && python -m compileall -q shared auth_service order_service stock_service gateway scripts \
 && mkdir -p /app/var/keys /app/var/images \
 && chown -R pedidos:pedidos /app/var \
 && chmod 700 /app/var/keys

USER pedidos
EXPOSE 5000 5001 5002 5003
CMD ["gunicorn", "--config", "/app/deploy/gunicorn.conf.py", "gateway.wsgi:app"]
