#!/bin/sh
# Draws docs/card.png, the card shown in the README, with the epigraph binary: starts
# `epigraph serve` on a free loopback port, fetches the quote's PNG card and stops the server.
# tests/readme_card.rs fails when the committed picture is not what the code draws; run
#     cargo build && docs/card.sh
# from the repository root then. Arguments: [QUOTE_ID [OUT]]; $EPIGRAPH names the binary.
set -eu
id=${1:-1c192cfea832}
out=${2:-docs/card.png}
bin=${EPIGRAPH:-target/debug/epigraph}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --listen "127.0.0.1:$port" --workers 1 --log-level warn &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
tries=0
until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then
        echo "card.sh: epigraph serve did not answer on port $port" >&2
        exit 1
    fi
    sleep 0.1
done
curl -fsS -o "$out" "http://127.0.0.1:$port/quotes/$id.png"
echo "wrote $out"
