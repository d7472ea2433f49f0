#!/usr/bin/env bash
# The whole test suite: setup, the offline engine sandbox up, static checks, then every test including
# the real image builds (tests/integration). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${DOCKWRIGHT_PREPARED:-0}" != 1 ]; then  # .ci/run has done these two already
    bash scripts/setup.sh
    python3 -m sandbox up
fi
eval "$(python3 -m sandbox env)"
# each command a process of its own, as in CI (tests of the daemon, and scripts/check-wheel.sh, start
# and stop theirs): nothing the suite runs leaves a daemon behind
export DOCKWRIGHT_DAEMON=off
status=0
step() {
    echo "[test] $*"
    "$@" || { echo "[test] FAILED: $*"; status=1; }
}
step python3 -m ruff check src tests sandbox bench
step python3 -m ruff format --check src tests sandbox bench
step python3 -m mypy
step python3 -m mypy sandbox
# Checks that generated docs are current (e.g. docs/rules.md): every scripts/check-*.sh runs here.
for check in scripts/check-*.sh; do
    if [ -e "${check}" ]; then step bash "${check}"; fi
done
echo "[test] pytest"
python3 -m pytest -q -p no:cacheprovider "$@" || status=$?
exit "${status}"
