#!/usr/bin/env bash
# Set everything up on a fresh Debian machine and ship a bundled example end to end:
# init -> lint -> build (real engine, offline sandbox) -> run -> audit, printing what happened.
set -euo pipefail
cd "$(dirname "$0")/.."
example="${1:-flask-requirements}"
if [ ! -d "examples/${example}" ]; then  # before setup: a typo must not cost an install
    echo "error: no example '${example}'; choose one of: $(cd examples && ls -d -- */ | tr -d / | tr '\n' ' ')" >&2
    exit 2
fi

bash scripts/setup.sh
python3 -m sandbox up
eval "$(python3 -m sandbox env)"

work="$(mktemp -d)/${example}"
cp -r "examples/${example}" "${work}"
echo
echo "== dockwright plan ${example}"
dockwright plan "${work}"
echo
echo "== dockwright init (no '# syntax' line: the sandbox cannot pull a frontend image)"
dockwright init --no-syntax "${work}"
echo
echo "== dockwright lint"
dockwright lint "${work}" || true  # findings do not stop the demo
echo
echo "== dockwright build"
tag="dockwright-demo/${example}:latest"
dockwright build "${work}" --tag "${tag}" --network host --progress plain
echo
echo "== run"
name="dockwright-demo-$$"
"${DOCKER}" run -d --rm --name "${name}" --network host "${tag}" >/dev/null
trap '"${DOCKER}" rm -f "${name}" >/dev/null 2>&1 || true' EXIT
port="$(dockwright plan "${work}" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["expose"] or "")')"
if [ -n "${port}" ]; then
    answered=""
    for _ in $(seq 60); do
        if body="$(python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:${port}/', timeout=2).read().decode()[:300])" 2>/dev/null)"; then
            echo "GET http://127.0.0.1:${port}/ -> ${body}"
            answered=1
            break
        fi
        sleep 1
    done
    if [ -z "${answered}" ]; then  # say so, never pass over it in silence
        echo "no answer on http://127.0.0.1:${port}/ after 60 s (another process on the port?); the app's log:"
        "${DOCKER}" logs "${name}" 2>&1 | tail -20 || true
    fi
fi
echo
echo "== image"
"${DOCKER}" image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' "${tag}"
echo
echo "== dockwright audit"
dockwright audit "${tag}" --context "${work}" || true
echo
echo "== dockwright daemon status (commands after the first ran in it; it exits after 15 idle minutes)"
dockwright daemon status || true
