#!/bin/bash
# test_serve_postgres.sh: the PostgreSQL backend against a real server that this test starts
# (initdb + pg_ctl in a temporary folder, on 127.0.0.1 with a free port; as the postgres user
# when run as root, since PostgreSQL refuses to run as root):
#   1. the store's unit tests (tests/unit/store/test_store.c) with HC_TEST_PG_URL,
#   2. the service suites of test_serve.sh and test_serve_faults.sh with --db postgres://...,
#   3. two service instances sharing the database (a revocation on one is REVOKED on the other).
# Skipped (exit 77) only when the PostgreSQL server binaries are missing; `scripts/install-deps.sh
# --test` installs them, so CI runs it.
set -u
src=${HC_SOURCE_DIR:?run through ctest}
build=${HC_BUILD_DIR:?}

pg_bin=""
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && pg_bin=$d
done
if [ -z "$pg_bin" ]; then
    echo "SKIP: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin); sh scripts/install-deps.sh --test"
    exit 77
fi

tmp=$(mktemp -d /tmp/hc-pg-XXXXXX)
if [ "$(id -u)" = 0 ]; then
    user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$tmp"
    as_pg() { runuser -u "$user" -- "$@"; }
else
    as_pg() { "$@"; }
fi
stop_pg() {
    as_pg "$pg_bin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$tmp"
}
trap stop_pg EXIT

if ! as_pg "$pg_bin/initdb" -D "$tmp/data" -U hc --auth=trust -E UTF8 --no-sync >"$tmp/initdb.log" 2>&1; then
    echo "FAIL: initdb"; cat "$tmp/initdb.log"; exit 1
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if ! as_pg "$pg_bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c max_connections=100" start >/dev/null; then
    echo "FAIL: pg_ctl start"; cat "$tmp/server.log"; exit 1
fi
for db in store basic faults multi; do
    "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U hc "hc_$db" || { echo "FAIL: createdb"; exit 1; }
done
url="postgres://hc@127.0.0.1:$port"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

fails=0
HC_TEST_PG_URL="$url/hc_store" "$build/tests/test_store" || fails=$((fails + 1))
python3 "$src/tests/cli/serve_test.py" basic --db "$url/hc_basic" || fails=$((fails + 1))
python3 "$src/tests/cli/serve_test.py" faults --db "$url/hc_faults" || fails=$((fails + 1))
python3 "$src/tests/cli/serve_test.py" multi --db "$url/hc_multi" || fails=$((fails + 1))
# security.md J11: the database server's own log holds no certificate identifier (a duplicate is
# an ON CONFLICT no-op, not a logged unique violation with the key's value).
if grep -q "URN:UVCI" "$tmp/server.log"; then
    echo "FAIL: the PostgreSQL log holds UVCIs:"; grep -m3 "URN:UVCI" "$tmp/server.log"
    fails=$((fails + 1))
fi
if [ "$fails" -ne 0 ]; then
    echo "--- server log (tail)"; tail -20 "$tmp/server.log"
fi
echo "postgres suites: $((5 - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
