#!/usr/bin/env bash
# Install the project with its test dependencies and run the suite.
#   scripts/test.sh            SQLite (embedded default)
#   scripts/test.sh --all      SQLite and, side by side, PostgreSQL (fresh database, 127.0.0.1:5432) with Redis
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=0
if [[ "${1:-}" == "--all" ]]; then ALL=1; shift; fi

bash scripts/system-deps.sh  # CJK fonts, HarfBuzz subsetter, Chromium (Debian packages; installs what is missing)
if [[ ! -x .venv/bin/python ]]; then python3 -m venv .venv; fi
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'

run_pytest() {
  set +e
  .venv/bin/pytest "$@"
  local rc=$?
  set -e
  if [[ $rc -eq 5 ]]; then echo "pytest collected no tests"; return 1; fi
  return $rc
}

if [[ $ALL -eq 0 ]]; then
  echo "== tests on SQLite =="
  run_pytest "$@"
  exit 0
fi

# --all: both passes at once (each has its own database and free ports; only the PostgreSQL pass uses
# Redis), printed when both have ended; the run fails if either fails.
PG_HOST=${PGHOST:-127.0.0.1}
DB="tongban_ci_$(date +%s)_$$"
LOGS=$(mktemp -d)
psql -q -h "$PG_HOST" -U postgres -c "CREATE DATABASE \"$DB\"" postgres
# a throw-away database: commits need not wait for the disk
psql -q -h "$PG_HOST" -U postgres -c "ALTER DATABASE \"$DB\" SET synchronous_commit = off" postgres
trap 'psql -q -h "$PG_HOST" -U postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" postgres || true; rm -rf "$LOGS"' EXIT

echo "== tests on SQLite, and on PostgreSQL ($DB) with Redis, side by side =="
( if run_pytest "$@" >"$LOGS/sqlite.log" 2>&1; then echo 0; else echo $?; fi >"$LOGS/sqlite.rc" ) &
( export TONGBAN_TEST_POSTGRES_URL="postgresql+psycopg://postgres@$PG_HOST:5432/$DB" \
         TONGBAN_TEST_REDIS_URL="redis://127.0.0.1:6379/0"
  if run_pytest "$@" >"$LOGS/postgres.log" 2>&1; then echo 0; else echo $?; fi >"$LOGS/postgres.rc" ) &
wait
status=0
for pass in sqlite postgres; do
  echo "== tests on $pass (exit $(cat "$LOGS/$pass.rc")) =="
  cat "$LOGS/$pass.log"
  [[ $(cat "$LOGS/$pass.rc") -eq 0 ]] || status=1
done
exit $status
