#!/usr/bin/env bash
# The whole test suite: the offline engine sandbox up, static checks, then every test incl. real builds.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
python3 -m sandbox up
echo "[test] ruff"
python3 -m ruff check src tests sandbox bench
python3 -m ruff format --check src tests sandbox bench
echo "[test] mypy (strict)"
python3 -m mypy
echo "[test] pytest"
python3 -m pytest -q -p no:cacheprovider "$@"
