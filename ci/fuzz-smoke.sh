#!/usr/bin/env bash
# Fuzz smoke test: builds the fuzz/ targets with cargo-fuzz (nightly) and runs each for
# SECONDS_EACH seconds (default 20) from its corpus, so the harness stays alive and shallow
# crashes show up in CI. Long runs are for people: `cargo +nightly fuzz run NAME -- -max_total_time=600`.
# Installs cargo-fuzz from crates.io if it is missing. Exit status 1 on a crash (libFuzzer leaves
# the input under fuzz/artifacts/NAME/).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

SECONDS_EACH=${SECONDS_EACH:-20}
TARGETS=(collection attribution query accept chat)

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz smoke: installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

# Unoptimised (--dev): a smoke run needs the harness alive, not speed, and the build is the
# slow part on a 2-core machine.
cargo +nightly fuzz build --dev
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in "${TARGETS[@]}"; do
    mkdir -p "corpus/$target"
    # The collection parser starts from the real collections rather than from nothing.
    if [ "$target" = collection ] && [ -z "$(ls -A corpus/collection)" ]; then
        cp ../quotes/*.fortune corpus/collection/ 2>/dev/null || true
    fi
    # -max_len bounds one input; -timeout and -rss_limit_mb bound time and memory per input.
    status=0
    cargo +nightly fuzz run --dev "$target" "corpus/$target" -- \
        -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "$target: $runs runs in ${SECONDS_EACH}s, exit status $status"
    if [ "$status" -ne 0 ]; then
        tail -40 "$log" >&2
        echo "fuzz smoke: $target FAILED (input under fuzz/artifacts/$target/)" >&2
        exit 1
    fi
done
echo "fuzz smoke: ${#TARGETS[@]} targets ran ${SECONDS_EACH}s each without a crash"
