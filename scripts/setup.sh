#!/usr/bin/env bash
# Install what dockwright's tests and demo need on a fresh Debian machine (idempotent, root, no stdin).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
# A Debian-managed interpreter refuses `pip install` (PEP 668); this is a throwaway test machine.
export PIP_BREAK_SYSTEM_PACKAGES=1

missing=()
# The engine: `sandbox up` installs trixie's Docker 26 + buildx from pinned .debs (sandbox/data/engine.toml)
# and runs it with the host's runc. DOCKWRIGHT_SANDBOX_ENGINE=host uses the host's docker.io instead
# (bookworm: 20.10, the legacy leg).
if [ "${DOCKWRIGHT_SANDBOX_ENGINE:-trixie}" = host ]; then
    { [ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ]; } || missing+=(docker.io)
else
    [ -x /usr/sbin/runc ] || command -v runc >/dev/null || missing+=(runc)
fi
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)                 # the sandbox's two registries
command -v htpasswd >/dev/null || missing+=(apache2-utils)                      # the auth registry's bcrypt htpasswd
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)                       # sandbox base images, mirror
command -v newuidmap >/dev/null || missing+=(uidmap)                          # rootless podman (sandbox/rootless.py)
if [ "${DOCKWRIGHT_SANDBOX_MULTIARCH:-1}" != 0 ]; then                         # the multi-arch leg (arm64 under qemu)
    command -v qemu-aarch64-static >/dev/null || missing+=(qemu-user-static)
    command -v update-binfmts >/dev/null || missing+=(binfmt-support)
fi
command -v dpkg-scanpackages >/dev/null || missing+=(dpkg-dev)                  # the mirror's Packages index
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip python3-venv)
# the second engine (tests/integration/test_podman.py); skopeo copies images to and from registries
command -v podman >/dev/null || missing+=(podman)
command -v buildah >/dev/null || missing+=(buildah)
command -v skopeo >/dev/null || missing+=(skopeo)
# the Redis the RQ example's worker consumes from (tests/integration: started on a free port per session)
command -v redis-server >/dev/null || missing+=(redis-server)
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
