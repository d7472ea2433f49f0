"""Issue 11 frameworks on the real engine: the multi-file Dash app is served from its entry module
(layout and callbacks registered), and the RQ worker consumes its queues from the same image's code."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from tests.integration.harness import REDIS, built_example, docker
from tests.integration.test_example_images import _start, _wait_health, _wait_http

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]


def test_dash_serves_the_entry_modules_layout_and_callback(
    workspace: Path, container_names: list[str]
) -> None:
    built = built_example("dash-app", workspace)
    assert built.plan.cmd == ("gunicorn", "--bind", "0.0.0.0:8050", "index:server")
    name = "dw-it-fw-dash-app"
    container_names.append(name)
    _start(built, name)
    base = f"http://127.0.0.1:{built.plan.expose}"
    assert _wait_http(base + "/healthz") == 200
    with urllib.request.urlopen(base + "/_dash-layout", timeout=5) as response:
        assert '"region"' in response.read().decode(), "index.py's layout is served"
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=5) as response:
        outputs = [d["output"] for d in json.loads(response.read())]
    assert "chart.figure" in outputs, "index.py's callback is registered"
    assert _wait_health(name) == "healthy"


def test_rq_worker_runs_a_job_enqueued_with_the_apps_queues(
    workspace: Path, container_names: list[str]
) -> None:
    built = built_example("rq-worker", workspace)
    assert built.plan.cmd == ("rq", "worker", "high", "default", "low")
    name = "dw-it-fw-rq-worker"
    container_names.append(name)
    _start(built, name)
    url = REDIS.start()
    enqueue = (
        "import time; from queues import high\n"
        "job = high.enqueue('tasks.word_count', 'one two three four')\n"
        "deadline = time.monotonic() + 60\n"
        "while job.get_status(refresh=True) not in ('finished', 'failed') and time.monotonic() < deadline:\n"
        "    time.sleep(0.2)\n"
        "print(job.get_status().value, job.return_value())\n"
    )
    done = docker(
        *("run", "--rm", "--network", "host", "--env", f"REDIS_URL={url}", built.tag),
        *("python", "-c", enqueue),
        timeout=120,
    )
    assert done.stdout.split() == ["finished", "4"], done.stdout + done.stderr
    assert "tasks.word_count" in docker("logs", name).stdout + docker("logs", name).stderr
