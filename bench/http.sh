#!/usr/bin/env bash
# HTTP benchmark: epigraph serve against a minimal actix-web hello world (examples/baseline.rs)
# with the same worker count, both on loopback, measured alternately with wrk in one run.
#
#   bench/http.sh      # ROUNDS=3 DURATION=10s CONNECTIONS=64 WORKERS=<cores> by default
#   BEFORE=/path/to/an/older/epigraph bench/http.sh
#                      # also measures that binary (default and --access-log) in the same
#                      # rounds, for a before/after comparison of a change
#
# Prints a Markdown table of medians over the rounds: req/s and p99 of /random (text) and of a
# filtered JSON /random against the hello world, /random of a second server run with
# --access-log, the same against the baseline's size-matched /quote for context, and the RSS of
# epigraph. Loopback only; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
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
    for _ in $(seq 100); do
        local p=$((20000 + RANDOM % 40000))
        ss -ltn | grep -q ":$p " || { echo "$p"; return; }
    done
    echo "no free port" >&2
    return 1
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
LOGGED_PORT=$(free_port)
"$BIN" serve --listen "127.0.0.1:$LOGGED_PORT" --workers "$WORKERS" --access-log >/dev/null 2>&1 &
PIDS+=($!)
BASE_PORT=$(free_port)
"$BASE" "127.0.0.1:$BASE_PORT" "$WORKERS" >/dev/null 2>&1 &
PIDS+=($!)
if [ -n "${BEFORE:-}" ]; then
    OLD_PORT=$(free_port)
    "$BEFORE" serve --listen "127.0.0.1:$OLD_PORT" --workers "$WORKERS" >/dev/null 2>&1 &
    PIDS+=($!)
    OLD_LOGGED_PORT=$(free_port)
    "$BEFORE" serve --listen "127.0.0.1:$OLD_LOGGED_PORT" --workers "$WORKERS" --access-log >/dev/null 2>&1 &
    PIDS+=($!)
    wait_up "http://127.0.0.1:$OLD_PORT/healthz"
    wait_up "http://127.0.0.1:$OLD_LOGGED_PORT/healthz"
fi
wait_up "http://127.0.0.1:$OURS_PORT/healthz"
wait_up "http://127.0.0.1:$BASE_PORT/"
wait_up "http://127.0.0.1:$LOGGED_PORT/healthz"
sleep 1
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$OURS_PID/status"; }
IDLE_RSS=$(rss_mb)

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

declare -a B_RPS B_P99 Q_RPS Q_P99 R_RPS R_P99 F_RPS F_P99 L_RPS L_P99 O_RPS O_P99 OL_RPS OL_P99
for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    read -r rps p99 < <(run "http://127.0.0.1:$BASE_PORT/");          B_RPS+=("$rps"); B_P99+=("$p99")
    read -r rps p99 < <(run "http://127.0.0.1:$OURS_PORT/random");    R_RPS+=("$rps"); R_P99+=("$p99")
    read -r rps p99 < <(run "http://127.0.0.1:$BASE_PORT/quote");     Q_RPS+=("$rps"); Q_P99+=("$p99")
    read -r rps p99 < <(run "http://127.0.0.1:$OURS_PORT$FILTERED");  F_RPS+=("$rps"); F_P99+=("$p99")
    read -r rps p99 < <(run "http://127.0.0.1:$LOGGED_PORT/random");  L_RPS+=("$rps"); L_P99+=("$p99")
    if [ -n "${BEFORE:-}" ]; then
        read -r rps p99 < <(run "http://127.0.0.1:$OLD_PORT/random");        O_RPS+=("$rps"); O_P99+=("$p99")
        read -r rps p99 < <(run "http://127.0.0.1:$OLD_LOGGED_PORT/random"); OL_RPS+=("$rps"); OL_P99+=("$p99")
    fi
done
LOADED_RSS=$(rss_mb)

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }
b_rps=$(median "${B_RPS[@]}"); b_p99=$(median "${B_P99[@]}")
q_rps=$(median "${Q_RPS[@]}"); q_p99=$(median "${Q_P99[@]}")
r_rps=$(median "${R_RPS[@]}"); r_p99=$(median "${R_P99[@]}")
f_rps=$(median "${F_RPS[@]}"); f_p99=$(median "${F_P99[@]}")
l_rps=$(median "${L_RPS[@]}"); l_p99=$(median "${L_P99[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
int() { printf '%.0f' "$1"; }

cat <<TABLE

\`bench/http.sh\`: wrk -t1 -c$CONNECTIONS -d$DURATION, $ROUNDS alternating rounds (medians), $WORKERS workers each, $(nproc) cores shared with wrk, loopback, default logging (no access lines) unless marked.

| measure | baseline | epigraph | ratio | target |
|---|---|---|---|---|
| \`/random\` text vs hello world, req/s | $(int "$b_rps") | $(int "$r_rps") | $(ratio "$r_rps" "$b_rps")× | ≥ 0.9× |
| \`$FILTERED\` vs hello world, req/s | $(int "$b_rps") | $(int "$f_rps") | $(ratio "$f_rps" "$b_rps")× | ≥ 0.8× |
| \`/random\` text vs hello world, p99 latency | $b_p99 ms | $r_p99 ms | $(ratio "$r_p99" "$b_p99")× | ≤ 1.5× |
| filtered JSON vs hello world, p99 latency | $b_p99 ms | $f_p99 ms | $(ratio "$f_p99" "$b_p99")× | ≤ 1.5× |
| \`/random\` text with \`--access-log\` vs hello world, req/s | $(int "$b_rps") | $(int "$l_rps") | $(ratio "$l_rps" "$b_rps")× | (context) |
| \`/random\` text with \`--access-log\` vs hello world, p99 latency | $b_p99 ms | $l_p99 ms | $(ratio "$l_p99" "$b_p99")× | (context) |
| \`/random\` text vs a fixed 195-byte quote (baseline \`/quote\`), req/s | $(int "$q_rps") | $(int "$r_rps") | $(ratio "$r_rps" "$q_rps")× | (context) |
| idle RSS of \`epigraph serve\` | | $IDLE_RSS MB | | ≤ 15 MB |
| RSS after the runs | | $LOADED_RSS MB | | |
TABLE
if [ -n "${BEFORE:-}" ]; then
    o_rps=$(median "${O_RPS[@]}"); ol_rps=$(median "${OL_RPS[@]}")
    o_p99=$(median "${O_P99[@]}"); ol_p99=$(median "${OL_P99[@]}")
    cat <<TABLE

Before and after (\`BEFORE=$BEFORE\`), the same rounds:

| measure | before | after | before vs hello world | after vs hello world |
|---|---|---|---|---|
| \`/random\` text, req/s | $(int "$o_rps") | $(int "$r_rps") | $(ratio "$o_rps" "$b_rps")× | $(ratio "$r_rps" "$b_rps")× |
| \`/random\` text, p99 | $o_p99 ms | $r_p99 ms | | |
| \`/random\` with \`--access-log\`, req/s | $(int "$ol_rps") | $(int "$l_rps") | $(ratio "$ol_rps" "$b_rps")× | $(ratio "$l_rps" "$b_rps")× |
| \`/random\` with \`--access-log\`, p99 | $ol_p99 ms | $l_p99 ms | | |
TABLE
fi
