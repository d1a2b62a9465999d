#!/usr/bin/env bash
# Soak and slow-client checks against a running `epigraph serve` (yours, or a fresh debug one).
#
#   bench/soak.sh                                # against http://127.0.0.1:8080
#   URL=http://10.0.0.5:8080 PID=1234 bench/soak.sh
#   START=1 bench/soak.sh                        # start target/debug/epigraph on a free port
#
# 1. A mixed wrk soak (DURATION, default 60s; CONNECTIONS 64) over /random, JSON, filters with
#    many distinct max_length values (the filter cache), /quotes pages, /search and /today;
#    prints wrk's summary, the non-2xx count, and the server's RSS before and after.
# 2. Slow clients: a request whose headers trickle in a byte a second, and a chat-webhook body
#    that trickles (Content-Length 16000, one byte a second): each must be cut off within
#    LIMIT seconds (default 20; the server's --request-timeout is 5 s by default).
# 3. PIPELINERS sockets (default 50) that each pipeline 200 requests and never read, held for
#    HOLD seconds (default 45; --send-timeout is 30 s): how many the server closed, whether
#    /healthz still answered meanwhile, and the RSS before, during and after.
# RSS needs the server's PID: given as PID, else looked up by the listening port when the URL
# is on this machine. Every wait is bounded; nothing runs past DURATION + HOLD + 2 × LIMIT.
# Exit status 1 if a slow client was not cut off or /healthz failed.
set -euo pipefail
cd "$(dirname "$0")/.."

URL=${URL:-http://127.0.0.1:8080}
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
LIMIT=${LIMIT:-20}
PIPELINERS=${PIPELINERS:-50}
HOLD=${HOLD:-45}

if [ "${START:-0}" = 1 ]; then
    cargo build --quiet --bin epigraph
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    target/debug/epigraph serve --listen "127.0.0.1:$port" --log-level error \
        --slack-signing-secret soak-secret >/dev/null 2>&1 &
    PID=$!
    trap 'kill "$PID" 2>/dev/null || true' EXIT
    URL="http://127.0.0.1:$port"
    for _ in $(seq 100); do curl -fs -o /dev/null "$URL/healthz" && break; sleep 0.1; done
fi

hostport=${URL#*://}
hostport=${hostport%%/*}
host=${hostport%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=80

if [ -z "${PID:-}" ] && command -v ss >/dev/null; then
    case "$host" in
    127.* | localhost | "[::1]" | ::1)
        PID=$(ss -Htlnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
        ;;
    esac
fi

rss() {
    if [ -n "${PID:-}" ] && [ -r "/proc/$PID/status" ]; then
        awk '/^VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$PID/status"
    else
        echo "unknown (set PID=)"
    fi
}

curl -fs -o /dev/null --max-time 5 "$URL/healthz" || { echo "no server answers $URL/healthz" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

echo "== soak: $URL for $DURATION, $CONNECTIONS connections"
echo "RSS before: $(rss)"
script=$(mktemp --suffix=.lua)
trap 'rm -f "$script"; [ "${START:-0}" = 1 ] && kill "$PID" 2>/dev/null || true' EXIT
cat >"$script" <<'LUA'
local paths = {
  "/random", "/random?format=json", "/random?tag=death", "/today", "/tags",
  "/quotes?limit=20&page=2", "/search?q=death+time", "/collections",
}
local n = 0
request = function()
  n = n + 1
  local path
  if n % 4 == 0 then
    path = "/random?max_length=" .. (150 + (n % 1000)) -- many distinct filters
  else
    path = paths[(n % #paths) + 1]
  end
  return wrk.format("GET", path, { ["Accept"] = "text/plain" })
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx/3xx: %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 5s --latency -s "$script" "$URL"
echo "RSS after soak: $(rss)"

echo "== slow clients (cut off within ${LIMIT}s expected)"
python3 - "$host" "$port" "$LIMIT" "$PIPELINERS" "$HOLD" "${PID:-}" <<'PY'
import socket, sys, time, threading, urllib.request

host, port, limit, pipeliners, hold, pid = sys.argv[1].strip("[]"), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
failed = False

def rss():
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS"):
                return f"{int(line.split()[1]) / 1024:.1f} MB"
    except (OSError, ValueError):
        pass
    return "unknown"

def closed(sock):
    """True once the peer has closed (EOF or reset); never blocks."""
    sock.setblocking(False)
    try:
        return sock.recv(65536, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True

def trickle(name, head, body_bytes):
    """Sends head then one byte a second; seconds until the server closes, or None."""
    global failed
    sock = socket.create_connection((host, port), timeout=5)
    start = time.monotonic()
    data = head + body_bytes
    i = 0
    while time.monotonic() - start < limit:
        try:
            sock.setblocking(True)
            sock.settimeout(1)
            sock.sendall(data[i:i + 1] if i < len(data) else b"x")
            i += 1
            answer = sock.recv(4096)
            if answer == b"" or answer:
                status = answer.split(b"\r\n", 1)[0].decode("latin-1") or "closed"
                print(f"{name}: answered after {time.monotonic() - start:.1f}s: {status}")
                return
        except socket.timeout:
            continue
        except OSError as err:
            print(f"{name}: closed after {time.monotonic() - start:.1f}s ({err.__class__.__name__})")
            return
    print(f"{name}: FAIL still open after {limit:.0f}s")
    failed = True

target = f"{host}:{port}".encode()
trickle("trickled headers", b"GET /random HTTP/1.1\r\nHost: " + target + b"\r\nX-Slow: " + b"a" * 100, b"")
trickle("trickled body", b"POST /integrations/slack HTTP/1.1\r\nHost: " + target
        + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16000\r\n\r\n", b"t")

print(f"pipeliners: {pipeliners} sockets x 200 requests, never read, held {hold:.0f}s; RSS before: {rss()}")
request = b"GET /random HTTP/1.1\r\nHost: " + target + b"\r\n\r\n"
socks = []
for _ in range(pipeliners):
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(5)
    try:
        s.connect((host, port))
        s.setblocking(False)
        try:
            s.send(request * 200)
        except BlockingIOError:
            pass
        socks.append(s)
    except OSError as err:
        print(f"pipeliner connect failed: {err}")
print(f"RSS with pipeliners: {rss()}")
start = time.monotonic()
probes_failed = 0
while time.monotonic() - start < hold:
    try:
        urllib.request.urlopen(f"http://{sys.argv[1]}:{port}/healthz", timeout=5).read()
    except Exception:
        probes_failed += 1
    time.sleep(5)
gone = sum(1 for s in socks if closed(s))
print(f"pipeliners closed by the server after {hold:.0f}s: {gone} of {len(socks)}; /healthz failures meanwhile: {probes_failed}")
for s in socks:
    s.close()
time.sleep(1)
print(f"RSS after pipeliners left: {rss()}")
if probes_failed:
    failed = True
sys.exit(1 if failed else 0)
PY
