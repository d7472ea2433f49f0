#!/usr/bin/env bash
# Install what dockwright's tests and demo need on a fresh Debian machine (idempotent, root).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v dpkg-scanpackages >/dev/null || missing+=(dpkg-dev)
if [ "${DOCKWRIGHT_WITH_CHROMIUM:-1}" = 1 ]; then
    command -v chromium >/dev/null || missing+=(chromium)  # renders the audit's HTML report in a test
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "[setup] apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "[setup] pip install -e '.[dev]'"
python3 -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v -e '^WARNING: Location' -e 'Running pip as the' || true
