#!/usr/bin/env bash
# User-space instructions per HTTP request, counted with valgrind's callgrind: a measure that,
# unlike req/s on a shared 2-core machine, repeats to within a percent from run to run. Use it
# to tell whether a change to the request path made it cheaper; use bench/http.sh for req/s.
#
#   bench/http-instructions.sh        # SECONDS_PER_RUN=6 by default
#
# Runs each server under callgrind, warms it up, zeroes the counters, drives it with
# `wrk -t1 -c8` and divides the instructions by the requests answered. `memset` is left out:
# it is actix-web zeroing its read buffer, the same in every server, and valgrind counts each
# `rep stos` step as an instruction, which would drown the rest. Loopback only; waits are bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${SECONDS_PER_RUN:-6}
for tool in valgrind callgrind_annotate callgrind_control wrk curl; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench/http-instructions.sh needs $tool (apt-get install -y valgrind wrk curl)" >&2
        exit 1
    fi
done

cargo build --release --quiet --bin epigraph --example baseline
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# count NAME PATH COMMAND...: prints "instructions-per-request requests". ADDR in COMMAND is
# replaced by the address to listen on.
count() {
    local name=$1 path=$2
    shift 2
    local port
    port=$(free_port)
    local command=("${@/ADDR/127.0.0.1:$port}")
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.out" "${command[@]}" \
        >/dev/null 2>"$OUT/$name.err" &
    local pid=$!
    local url="http://127.0.0.1:$port$path"
    for _ in $(seq 150); do
        curl -fs -o /dev/null "$url" && break
        sleep 0.2
    done
    wrk -t1 -c8 -d2s "$url" >/dev/null
    callgrind_control -z "$pid" >/dev/null 2>&1
    local requests
    requests=$(wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" "$url" | awk '/requests in/ {print $1}')
    callgrind_control -d "$pid" >/dev/null 2>&1
    kill -INT "$pid"
    wait "$pid" 2>/dev/null || true
    callgrind_annotate --threshold=100 "$OUT/$name.out.1" 2>/dev/null | awk -v n="$requests" '
        /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
        /memset/ && /\[/ && !seen { gsub(",", "", $1); memset = $1; seen = 1 }
        END { printf "%.0f %d\n", (total - memset) / n, n }'
}

BASE=target/release/examples/baseline
OURS=target/release/epigraph
FILTERED='/random?tag=death&max_length=300&format=json'
echo "counting (about $((SECONDS_PER_RUN + 4)) s per row)" >&2
read -r hello hello_n < <(count hello / "$BASE" ADDR 2)
read -r quote quote_n < <(count quote /quote "$BASE" ADDR 2)
read -r random random_n < <(count random /random "$OURS" serve --listen ADDR --workers 2)
read -r logged logged_n < <(count logged /random "$OURS" serve --listen ADDR --workers 2 --access-log)
read -r filtered filtered_n < <(count filtered "$FILTERED" "$OURS" serve --listen ADDR --workers 2)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

cat <<TABLE

\`bench/http-instructions.sh\`: user-space instructions per request (callgrind, memset left out), wrk -t1 -c8 -d${SECONDS_PER_RUN}s under valgrind.

| server and request | instructions / request | vs hello world | requests counted |
|---|---|---|---|
| baseline \`/\` (hello world) | $hello | 1.00× | $hello_n |
| baseline \`/quote\` (fixed 195-byte quote, same headers as ours) | $quote | $(ratio "$quote" "$hello")× | $quote_n |
| epigraph \`/random\` | $random | $(ratio "$random" "$hello")× | $random_n |
| epigraph \`/random\` with \`--access-log\` | $logged | $(ratio "$logged" "$hello")× | $logged_n |
| epigraph \`$FILTERED\` | $filtered | $(ratio "$filtered" "$hello")× | $filtered_n |
TABLE
