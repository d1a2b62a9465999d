#!/usr/bin/env bash
# HTTP benchmark: epigraph serve against a minimal actix-web hello world (examples/baseline.rs)
# with the same worker count, both on loopback, measured alternately with wrk in one run.
#
#   bench/http.sh            # ROUNDS=2 DURATION=10s WORKERS=<cores> by default
#
# Prints a Markdown table: req/s and p99 of /random (text) and of a filtered JSON /random
# against the baseline, and the idle RSS of epigraph. Loopback only; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WORKERS=${WORKERS:-$(nproc)}
FILTERED='/random?tag=death&max_length=300&format=json'

if ! command -v wrk >/dev/null; then
    apt-get install -y wrk >/dev/null
fi

cargo build --release --quiet --bin epigraph --example baseline
BIN=target/release/epigraph
BASE=target/release/examples/baseline

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null && return
    while :; do
        local p=$((20000 + RANDOM % 40000))
        ss -ltn | grep -q ":$p " || { echo "$p"; return; }
    done
}

wait_up() { # url
    for _ in $(seq 100); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "server at $1 did not start" >&2
    return 1
}

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

OURS_PORT=$(free_port)
"$BIN" serve --listen "127.0.0.1:$OURS_PORT" --workers "$WORKERS" >/dev/null 2>&1 &
OURS_PID=$!
PIDS+=("$OURS_PID")
BASE_PORT=$(free_port)
"$BASE" "127.0.0.1:$BASE_PORT" "$WORKERS" >/dev/null 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$OURS_PORT/healthz"
wait_up "http://127.0.0.1:$BASE_PORT/"
sleep 1
IDLE_RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$OURS_PID/status")

# wrk once; prints "req/s p99_ms".
run() { # url
    local out
    out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$1")
    local rps p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
    echo "$rps $p99"
}

# Warm up both (connections, caches, CPU frequency).
wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$BASE_PORT/" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$OURS_PORT/random" >/dev/null

declare -a B_RPS B_P99 R_RPS R_P99 F_RPS F_P99
for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    read -r rps p99 < <(run "http://127.0.0.1:$BASE_PORT/");           B_RPS+=("$rps"); B_P99+=("$p99")
    read -r rps p99 < <(run "http://127.0.0.1:$OURS_PORT/random");     R_RPS+=("$rps"); R_P99+=("$p99")
    read -r rps p99 < <(run "http://127.0.0.1:$BASE_PORT/");           B_RPS+=("$rps"); B_P99+=("$p99")
    read -r rps p99 < <(run "http://127.0.0.1:$OURS_PORT$FILTERED");   F_RPS+=("$rps"); F_P99+=("$p99")
done
LOADED_RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$OURS_PID/status")

mean() { printf '%s\n' "$@" | awk '{s+=$1} END {printf "%.2f", s/NR}'; }
b_rps=$(mean "${B_RPS[@]}"); b_p99=$(mean "${B_P99[@]}")
r_rps=$(mean "${R_RPS[@]}"); r_p99=$(mean "${R_P99[@]}")
f_rps=$(mean "${F_RPS[@]}"); f_p99=$(mean "${F_P99[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

cat <<TABLE

wrk -t1 -c$CONNECTIONS -d$DURATION, $ROUNDS alternating rounds, $WORKERS workers each, $(nproc) cores, loopback; means over rounds.

| measure | baseline (actix hello world) | epigraph | ratio | target |
|---|---|---|---|---|
| \`/random\` text, req/s | ${b_rps%.*} | ${r_rps%.*} | $(ratio "$r_rps" "$b_rps")× | ≥ 0.9× |
| \`$FILTERED\`, req/s | ${b_rps%.*} | ${f_rps%.*} | $(ratio "$f_rps" "$b_rps")× | ≥ 0.8× |
| \`/random\` text, p99 latency | ${b_p99} ms | ${r_p99} ms | $(ratio "$r_p99" "$b_p99")× | ≤ 1.5× |
| filtered JSON, p99 latency | ${b_p99} ms | ${f_p99} ms | $(ratio "$f_p99" "$b_p99")× | ≤ 1.5× |
| idle RSS of \`epigraph serve\` | | $((IDLE_RSS_KB / 1024)).$(( (IDLE_RSS_KB % 1024) * 10 / 1024 )) MB | | ≤ 15 MB |
| RSS after the runs | | $((LOADED_RSS_KB / 1024)).$(( (LOADED_RSS_KB % 1024) * 10 / 1024 )) MB | | |
TABLE
