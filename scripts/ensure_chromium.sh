#!/usr/bin/env bash
# The browser tests drive Debian's chromium (never a downloaded browser build).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[pedidos] instalando o chromium do Debian para os testes no navegador..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null && exit 0
fi
echo "[pedidos] chromium não encontrado: instale o pacote 'chromium' (apt-get install -y chromium)." >&2
exit 1
