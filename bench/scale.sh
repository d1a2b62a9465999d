#!/usr/bin/env bash
# The corpus at a million quotes (issue "The corpus at a million quotes"): generates a seeded
# 1,000,000-entry file with its .dat (examples/generate.rs, in a temp dir, never committed),
# then measures server start, memory, reload peak, search and filtered /random, and the CLI
# picks against fortune-mod in the same run. Prints each figure beside its goal.
# Needs: apt-get install -y wrk hyperfine fortune-mod; loopback only; bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
PORT=${PORT:-18731}
DURATION=${DURATION:-10s}
for tool in wrk hyperfine curl /usr/games/fortune; do
  command -v "$tool" >/dev/null || { echo "bench/scale.sh: $tool is missing (apt-get install -y wrk hyperfine curl fortune-mod)" >&2; exit 1; }
done
cargo build --release --quiet --bin epigraph --example generate
BIN=target/release/epigraph
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
BIG=$work/big.fortune
target/release/examples/generate "$N" "$BIG" 2>/dev/null
bytes=$(stat -c %s "$BIG")
# A reload shares the text of files left alone for over a second (docs/corpus.md, "Reloads").
sleep 1.2
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
kb_of() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$pid/status"; }
echo "| what | measured | goal |"
echo "|---|---|---|"

start=$(date +%s.%N)
"$BIN" serve --listen "127.0.0.1:$PORT" --quotes "$BIG" >"$work/serve.log" 2>&1 &
pid=$!
until curl -sf "127.0.0.1:$PORT/readyz" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.02
done
ready=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
echo "| serve start to /readyz 200 | ${ready} s | <= 1.5 s |"
search_ready() { # waits until /search answers 200 (its index is built), at most 120 s
  for _ in $(seq 1 2400); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$PORT/search?q=wizard")" = 200 ] && return 0
    sleep 0.05
  done
  return 1
}
search_ready
indexed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
echo "| serve start to /search 200 (word index built in the background) | ${indexed} s | <= 10 s |"
rss=$(kb_of VmRSS)
echo "| RSS after load | $(mb "$rss") ($(ratio $((rss * 1024)) "$bytes")x file) | <= 1.5x file |"

kill -HUP "$pid"
for _ in $(seq 1 600); do
  grep -q "reloaded" "$work/serve.log" && break
  sleep 0.05
done
search_ready
peak=$(kb_of VmHWM)
echo "| peak RSS through a reload (the file unchanged) | $(mb "$peak") ($(ratio $((peak * 1024)) "$bytes")x file) | <= 2.5x file |"
# Again after an edit, so the whole file is read anew. Writing 5 to clear_refs resets VmHWM.
echo 5 >"/proc/$pid/clear_refs"
printf 'One more entry.\n%%\n' >>"$BIG"
kill -HUP "$pid"
for _ in $(seq 1 600); do
  [ "$(grep -c "reloaded" "$work/serve.log")" -ge 2 ] && break
  sleep 0.05
done
search_ready
peak=$(kb_of VmHWM)
echo "| peak RSS through a reload (the file edited) | $(mb "$peak") ($(ratio $((peak * 1024)) "$bytes")x file) | <= 2.5x file |"
truncate -s "$bytes" "$BIG" # as generated again, so its .dat is current for the CLI rows

wrk_rps() { wrk -t1 -c16 -d"$DURATION" --latency "http://127.0.0.1:$PORT$1" | awk '/Requests\/sec/ { print $2 }'; }
wrk_p99() { wrk -t1 -c16 -d"$DURATION" --latency "http://127.0.0.1:$PORT$1" | awk '$1 == "99%" { print $2 }'; }
search=$(wrk_rps "/search?q=wizard+boots")
echo "| /search?q=two+words at $N | $search req/s | >= 2000 req/s |"
echo "| /search p99 | $(wrk_p99 "/search?q=wizard+boots") | <= 20 ms |"
# Many different queries, so no answer is served from a cache: random pairs of common words.
cat >"$work/search.lua" <<'LUA'
local words = {"wizard","boots","tax","death","city","oil","people","watch","money","library","orangutan","time","day","write","look"}
request = function()
  local a, b = words[math.random(#words)], words[math.random(#words)]
  return wrk.format("GET", "/search?q=" .. a .. "+" .. b .. "&page=" .. math.random(3))
end
LUA
varied=$(wrk -t1 -c16 -d"$DURATION" --latency -s "$work/search.lua" "http://127.0.0.1:$PORT" | awk '/Requests\/sec/ { r = $2 } $1 == "99%" { p = $2 } END { print r " req/s, p99 " p }')
echo "| /search, random pairs of common words | $varied | >= 2000 req/s, p99 <= 20 ms |"
big_tags=$(wrk_rps "/random?tag=a,b")
kill "$pid"; wait "$pid" 2>/dev/null || true
"$BIN" serve --listen "127.0.0.1:$PORT" >"$work/serve2.log" 2>&1 &
pid=$!
until curl -sf "127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.02; done
small_tags=$(wrk_rps "/random?tag=wizards|death")
echo "| /random?tag=a,b at $N vs a tag filter on the embedded corpus | $(ratio "$big_tags" "$small_tags")x | >= 0.9x |"
kill "$pid"; wait "$pid" 2>/dev/null || true
unset pid

# -i: fortune-mod's -m exits 1 even when it prints matches; hyperfine's warning about it is dropped.
hf() { hyperfine -N --warmup 3 --runs "${RUNS:-20}" -i --export-json "$work/$1.json" "${@:2}" >/dev/null 2>&1; }
median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join(str(x['median']) for x in r))" "$work/$1.json"; }
maxrss() { /usr/bin/time -f %M "$@" >/dev/null 2>"$work/time" || true; tail -1 "$work/time"; }
hf pick "/usr/games/fortune $BIG" "$BIN $BIG"
read -r f e < <(median pick)
echo "| CLI random pick from the file (with .dat) | $(ratio "$e" "$f")x fortune-mod, $(mb "$(maxrss "$BIN" "$BIG")") | <= 2x, <= 20 MB |"
hf tags "$BIN --tag a,b $BIG"
read -r t < <(median tags)
echo "| CLI --tag a,b pick | $(awk -v t="$t" 'BEGIN { printf "%.2f", t }') s, $(mb "$(maxrss "$BIN" --tag a,b "$BIG")") | <= 0.5 s, <= 1.2x file |"
hf search "/usr/games/fortune -m orangutan $BIG" "$BIN -m orangutan $BIG"
read -r f e < <(median search)
echo "| CLI -m WORD | $(ratio "$e" "$f")x fortune-mod | <= 0.2x |"
