#!/usr/bin/env bash
# Install what dockwright's tests and demo need on a fresh Debian machine (idempotent, root, no stdin).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
# A Debian-managed interpreter refuses `pip install` (PEP 668); this is a throwaway test machine.
export PIP_BREAK_SYSTEM_PACKAGES=1

missing=()
{ [ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ]; } || missing+=(docker.io)  # the engine + BuildKit client
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)                       # sandbox base images, mirror
command -v dpkg-scanpackages >/dev/null || missing+=(dpkg-dev)                  # the mirror's Packages index
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip python3-venv)
# the second engine (tests/integration/test_podman.py); skopeo copies images to and from registries
command -v podman >/dev/null || missing+=(podman)
command -v buildah >/dev/null || missing+=(buildah)
command -v skopeo >/dev/null || missing+=(skopeo)
# a real registry (CNCF distribution 2.8) and htpasswd for the registry-audit tests
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
# CHROMIUM: renders the audit's HTML report in tests/audit/test_audit_html.py (skipped without it).
# Set DOCKWRIGHT_WITH_CHROMIUM=0 to leave it out.
if [ "${DOCKWRIGHT_WITH_CHROMIUM:-1}" = 1 ]; then
    command -v chromium >/dev/null || missing+=(chromium)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "[setup] apt-get install ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null  # with recommends, as verified on bookworm
fi
echo "[setup] pip install -e '.[dev]'"
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -e '.[dev]'
