#!/usr/bin/env bash
# How users get dockwright: build the wheel and sdist, install the wheel into a fresh venv and with
# `uv tool install`, and run plan, init (with a lock to generate: uv must come with the wheel) and
# lint from there, with nothing else on PATH, each install's commands after its first served by its
# daemon (as users run them, CI or not), stopped at the end. Needs PyPI (the wheel's dependencies, the lock).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
work="$(mktemp -d -t dockwright-wheel.XXXXXX)"
stop_daemons() {
    for installed in "${work}/venv/bin/dockwright" "${work}/bin/dockwright"; do
        if [ -x "${installed}" ]; then "${installed}" daemon stop --all >/dev/null 2>&1 || true; fi
    done
    rm -rf "${work}"
}
trap stop_daemons EXIT
export DOCKWRIGHT_DAEMON=on XDG_RUNTIME_DIR="${work}/run"
mkdir -m 700 "${XDG_RUNTIME_DIR}"
uv="$(python3 -c 'import uv; print(uv.find_uv_bin())')"  # the build tool: uv from the dev install

echo "[wheel] uv build (sdist + wheel)"
"${uv}" build --quiet --out-dir "${work}/dist" "${repo}"
wheel="$(ls "${work}"/dist/dockwright-*.whl)"
ls "${work}"/dist/dockwright-*.tar.gz >/dev/null

# a project whose lock must be generated (PEP 621 dependencies, no lock): init runs uv pip compile
project="${work}/project"
mkdir -p "${project}"
printf '[project]\nname = "hello"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["flask>=3", "gunicorn>=22"]\n' \
    >"${project}/pyproject.toml"
printf 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return "ok"\n' \
    >"${project}/app.py"

run() {  # $1: the dockwright to run, on a bare PATH (no uv, no dev tools)
    local dockwright="$1" target="$2"
    rm -rf "${target}" && cp -r "${project}" "${target}"
    PATH="/usr/bin:/bin" "${dockwright}" plan "${target}" >/dev/null
    for _ in $(seq 300); do  # the first command started the daemon: the next ones are served
        if PATH="/usr/bin:/bin" "${dockwright}" daemon status | grep -q "^pid:"; then break; fi
        sleep 0.1
    done
    PATH="/usr/bin:/bin" "${dockwright}" init "${target}" >/dev/null
    test -s "${target}/Dockerfile" && grep -q -- "--hash=sha256:" "${target}/requirements.lock"
    PATH="/usr/bin:/bin" "${dockwright}" lint "${target}/Dockerfile"
    PATH="/usr/bin:/bin" "${dockwright}" plan "${repo}/examples/flask-requirements" \
        | grep -q "slim-trixie"
    PATH="/usr/bin:/bin" "${dockwright}" daemon status | grep -q "^commands served: [3-9]"
    PATH="/usr/bin:/bin" "${dockwright}" daemon stop | grep -q "^stopped: "
}

echo "[wheel] fresh venv: pip install ${wheel##*/}"
python3 -m venv "${work}/venv"
"${work}/venv/bin/pip" install --quiet --disable-pip-version-check "${wheel}"
run "${work}/venv/bin/dockwright" "${work}/from-venv"

echo "[wheel] uv tool install ${wheel##*/}"
env UV_TOOL_DIR="${work}/tools" UV_TOOL_BIN_DIR="${work}/bin" UV_PYTHON_DOWNLOADS=never \
    "${uv}" tool install --quiet --python "$(command -v python3)" "${wheel}"
run "${work}/bin/dockwright" "${work}/from-uv-tool"
echo "[wheel] ok: plan, init (lock generated with the bundled uv) and lint from both installs, served by their daemons"
