#!/usr/bin/env bash
# CLI speed against fortune-mod, measured in the same run (hyperfine, medians).
# Needs: apt-get install -y hyperfine fortune-mod fortunes-min fortunes
set -euo pipefail
cd "$(dirname "$0")/.."
FORTUNE=/usr/games/fortune
DIR=/usr/share/games/fortunes
for tool in hyperfine python3 "$FORTUNE"; do
  command -v "$tool" >/dev/null || { echo "bench/cli.sh: $tool is missing (apt-get install -y hyperfine fortune-mod fortunes-min fortunes)" >&2; exit 1; }
done
cargo build --release --quiet
EPIGRAPH=target/release/epigraph
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run_case() { # name, fortune args, epigraph args
  local name=$1 f_args=$2 e_args=$3
  hyperfine -N --warmup 20 --runs "${RUNS:-200}" -i --export-json "$out/$name.json" \
    "$FORTUNE $f_args" "$EPIGRAPH $e_args" >/dev/null
}
run_case default "" ""
run_case same-files "$DIR" "$DIR"
run_case search "-m the $DIR" "-m the $DIR"

python3 - "$out" <<'PY'
import json, sys, pathlib
rows = [("default pick", "default", 0.5), ("same files (full fortunes dir)", "same-files", 0.6),
        ("-m the (full fortunes dir)", "search", 0.3)]
print("| case | fortune median | epigraph median | ratio | target |")
print("|---|---|---|---|---|")
for label, name, target in rows:
    results = json.loads(pathlib.Path(sys.argv[1], name + ".json").read_text())["results"]
    f, e = (r["median"] * 1000 for r in results)
    print(f"| {label} | {f:.2f} ms | {e:.2f} ms | {e / f:.2f} | <= {target} |")
PY
