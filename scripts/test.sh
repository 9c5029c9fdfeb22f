#!/usr/bin/env bash
# Install the project with its test dependencies and run the suite.
#   scripts/test.sh            SQLite (embedded default)
#   scripts/test.sh --all      SQLite, then PostgreSQL (fresh database, 127.0.0.1:5432) with Redis
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

echo "== tests on SQLite =="
run_pytest "$@"

if [[ $ALL -eq 1 ]]; then
  PG_HOST=${PGHOST:-127.0.0.1}
  DB="tongban_ci_$(date +%s)_$$"
  psql -q -h "$PG_HOST" -U postgres -c "CREATE DATABASE \"$DB\"" postgres
  trap 'psql -q -h "$PG_HOST" -U postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" postgres || true' EXIT
  echo "== tests on PostgreSQL ($DB) with Redis =="
  TONGBAN_TEST_POSTGRES_URL="postgresql+psycopg://postgres@$PG_HOST:5432/$DB" \
  TONGBAN_TEST_REDIS_URL="redis://127.0.0.1:6379/0" \
    run_pytest "$@"
fi
