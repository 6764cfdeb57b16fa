#!/bin/sh
# bench_service.sh [BUILD_DIR]: load test of `healthcert serve` POST /v1/verify (issue 6).
#   1. starts the service (demo material, SQLite, access log on) on 127.0.0.1, any free port;
#   2. issues 200 distinct certificates through POST /v1/certificates;
#   3. shared cores: bench_service (bench/bench_service.c) measures the raw OpenSSL ES256 verify
#      rate on one core, then posts the codes with 32 and with 64 concurrent keep-alive
#      connections for 10 s each, client and service on all cores: every answer must be 200 and
#      valid (zero errors); the rate is reported as a share of cores x raw verify rate (target
#      >= 0.7), with the service's and the client's CPU per verification;
#   4. wrk, when installed, repeats the 32-connection run as a cross-check (the service's CPU per
#      verification from /proc around it);
#   5. dedicated cores: the service restarted on core 0 (taskset), the client on core 1, 32
#      connections: the share of one core, with no client CPU taken from the service.
# docs/service.md "Load" explains every figure. Not part of the test suite (it takes ~60 s and
# measures, not asserts); run it on a quiet machine (each run prints the CPU that other
# processes took meanwhile). Loopback only; every loop is bounded in time.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build/bench}
bin=$build/healthcert
load=$build/bench/bench_service
if [ ! -x "$bin" ] || [ ! -x "$load" ]; then
    echo "bench_service.sh: build first: cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release -DHC_BUILD_TESTS=OFF && cmake --build $build" >&2
    exit 2
fi
tmp=$(mktemp -d /tmp/hc-bench-XXXXXX)
pid=
stop() {
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        pid=
    fi
}
trap 'stop; rm -rf "$tmp"' EXIT

# start [taskset CPU list]: the service on the demo material in $tmp/demo; sets pid and port.
start() {
    rm -f "$tmp/port"
    if [ $# -gt 0 ]; then
        taskset -c "$1" "$bin" serve --demo "$tmp/demo" --listen 127.0.0.1:0 \
            --port-file "$tmp/port" --access-log "$tmp/access.log" >/dev/null 2>>"$tmp/serve.err" &
    else
        "$bin" serve --demo "$tmp/demo" --listen 127.0.0.1:0 --port-file "$tmp/port" \
            --access-log "$tmp/access.log" >/dev/null 2>>"$tmp/serve.err" &
    fi
    pid=$!
    i=0
    while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    port=$(cat "$tmp/port")
}

# CPU ticks (user + system) of process $1 so far.
ticks() {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
start
python3 - "$port" "$tmp/demo/api-token" "$tmp/codes.txt" <<'PY'
import http.client, json, sys
port, token, out = int(sys.argv[1]), open(sys.argv[2]).read().strip(), sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
with open(out, "w") as f:
    for i in range(200):
        dcc = {"ver": "1.3.0", "nam": {"fn": "Bench", "gn": "Person %d" % i, "fnt": "BENCH",
               "gnt": "PERSON"}, "dob": "1980-02-29",
               "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
                      "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2026-05-01", "co": "XX",
                      "is": "Ministry of Health XX"}]}
        c.request("POST", "/v1/certificates", json.dumps(dcc),
                  {"Authorization": "Bearer " + token})
        r = c.getresponse()
        body = r.read()
        assert r.status == 201, body
        f.write(json.loads(body)["qr"] + "\n")
PY
echo "== shared cores, 32 connections"
"$load" "$port" "$tmp/codes.txt" --connections 32 --seconds 10 --pid $pid
echo "== shared cores, 64 connections"
"$load" "$port" "$tmp/codes.txt" --connections 64 --seconds 10 --pid $pid
if command -v wrk >/dev/null 2>&1; then
    echo "== wrk, shared cores, 32 connections (cross-check)"
    head -1 "$tmp/codes.txt" | tr -d '\n' >"$tmp/body.txt"
    cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
local f = io.open("$tmp/body.txt", "rb")
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/plain"
LUA
    t0=$(ticks $pid)
    wrk -t1 -c32 -d10s -s "$tmp/post.lua" "http://127.0.0.1:$port/v1/verify" | tee "$tmp/wrk.txt"
    t1=$(ticks $pid)
    awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '
        /requests in/ { n = $1 }
        END { if (n > 0) printf "wrk: service CPU %.1f us per request\n", d / hz / n * 1e6 }' \
        "$tmp/wrk.txt"
fi
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    stop
    start 0
    echo "== dedicated cores: service on core 0 (1 worker), client on core 1, 32 connections"
    taskset -c 1 "$load" "$port" "$tmp/codes.txt" --connections 32 --seconds 10 --pid $pid \
        --service-cores 1 --raw-cpu 0
fi
