#!/usr/bin/env bash
# Run a command with every Python process's clock moved to a given instant (and ticking from
# there), e.g. the whole suite at the hours when Brasília's day and UTC's differ
# (docs/testing.md):
#   scripts/test_at_hour.sh "2026-12-07 00:30 UTC" make test
#   TZ=America/Sao_Paulo scripts/test_at_hour.sh "2026-12-06 23:59 -03:00" make test
# Each process is moved by the same offset (tests/support/clock_shift/sitecustomize.py), so
# the gateway, the services and the tests agree on the time; the servers keep the real one.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "uso: $0 'AAAA-MM-DD HH:MM zona' comando..." >&2; exit 2
fi
target=$(date -d "$1" +%s) || { echo "data inválida: $1" >&2; exit 2; }
shift
here=$(cd "$(dirname "$0")/.." && pwd)
offset=$(( target - $(date +%s) ))
echo "relógio deslocado ${offset}s: agora é $(date -u -d "@$target" '+%Y-%m-%d %H:%M UTC')" >&2
export TEST_CLOCK_OFFSET_SECONDS="$offset"
export PYTHONPATH="$here/tests/support/clock_shift${PYTHONPATH:+:$PYTHONPATH}"
exec "$@"
