"""The HTTP probe written in Python judges an answer as `curl -f` and the static probe do: 4xx/5xx fail,
2xx and 3xx pass, and a redirect is never followed (a plain-HTTP port redirected to https, as Django's
SECURE_SSL_REDIRECT does, must not fail the probe on a TLS handshake)."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from tests.plan.facts_factory import make_facts

from dockwright.plan.common import healthcheck
from dockwright.project.facts import AppFacts, EnvSetting, Evidence, Fact, ProjectFacts

_ANSWERS = {"/ok": 200, "/moved": 301, "/found": 302, "/missing": 404, "/broken": 500}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(_ANSWERS[self.path])
        if self.path in ("/moved", "/found"):
            self.send_header("Location", "https://127.0.0.1:1/elsewhere")  # nothing answers there
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server_port() -> Iterator[int]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1])
    server.shutdown()


def _facts(port: int, path: str, port_env: bool = False) -> ProjectFacts:
    ev = (Evidence("app.py", 3, "web app"),)
    env = (EnvSetting("PORT", str(port), "read by the start"),) if port_env else ()
    app = AppFacts(
        kind=Fact("web", ev),
        framework=Fact("flask", ev),
        command=Fact(("gunicorn", "app:app"), ev),
        port=Fact(port, ev),
        health_path=Fact(path, ev),
        env=env,
    )
    return replace(make_facts(), app=app)


@pytest.mark.parametrize(("path", "passes"), [(p, c < 400) for p, c in _ANSWERS.items()])
@pytest.mark.parametrize("port_env", [False, True])
def test_the_probe_passes_2xx_and_3xx_unfollowed(
    server_port: int, path: str, passes: bool, port_env: bool
) -> None:
    probe, reason, _ = healthcheck(_facts(server_port, path, port_env))
    assert probe is not None and probe.kind == "http" and "unfollowed" in reason
    code = probe.argv[2]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert (done.returncode == 0) == passes, done.stderr
