"""Issue 11 on the real engine: the examples built after real-world start patterns run the way users
run them (arguments to a CLI, secrets from -e/--env-file, writes under data/, an entry script that
migrates then execs the server, a worker from the same image, a factory app under a prefix)."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest
from tests.integration.harness import built_example, docker
from tests.integration.test_example_images import _start, _wait_health, _wait_http

from dockwright import api

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]


def test_cli_takes_help_and_real_arguments(workspace: Path) -> None:
    built = built_example("cli-args", workspace)
    helped = docker("run", "--rm", "--network", "none", built.tag, "--help")
    assert "usage: vercmp" in helped.stdout
    done = docker("run", "--rm", "--network", "none", built.tag, "1.10", "1.9", "2.0rc1")
    assert done.stdout.strip() == "1.9 < 1.10 < 2.0rc1"
    newest = docker("run", "--rm", "--network", "none", built.tag, "--newest", "3.0", "3.0.post1")
    assert newest.stdout.strip() == "3.0.post1"


def test_server_added_secret_required_and_data_writable(workspace: Path, container_names: list[str]) -> None:
    built = built_example("flask-bare", workspace)
    assert built.plan.lock.adds == ("gunicorn",)
    assert "gunicorn==" in (built.path / built.plan.lock.path).read_text()
    name = "dw-it-start-flask-bare"
    container_names.append(name)
    # without the secret the app refuses to start (the plan says so); with it, it serves and writes data/
    missing = docker("run", "--rm", "--network", "none", built.tag, check=False, timeout=60)
    assert missing.returncode != 0 and "SECRET_KEY" in missing.stderr
    _start(built, name)
    port = built.plan.expose
    assert _wait_http(f"http://127.0.0.1:{port}/") == 200
    request = urllib.request.Request(f"http://127.0.0.1:{port}/notes/first", data=b"hi", method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 201
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        assert "first" in response.read().decode()
    assert _wait_health(name) == "healthy"


def test_audit_run_with_env_file(workspace: Path, tmp_path: Path) -> None:
    built = built_example("flask-bare", workspace)
    env = tmp_path / "app.env"
    env.write_text("SECRET_KEY=from-env-file\n", encoding="utf-8")
    report = api.audit(built.tag, context=built.path, run=True, env_file=env, network="host")
    startup = report.check("startup")
    assert startup.status == "PASS", startup
    failed = [(c.id, c.summary) for c in report.checks if c.status == "FAIL"]
    assert failed == [], failed


def test_entry_script_migrates_then_serves_and_the_worker_runs_from_the_same_image(
    workspace: Path, container_names: list[str]
) -> None:
    built = built_example("flask-boot", workspace)
    assert built.plan.cmd == ("sh", "boot.sh") and built.plan.expose == 5000
    web, worker = "dw-it-start-flask-boot", "dw-it-start-flask-boot-worker"
    container_names += [web, worker]
    _start(built, web)
    assert _wait_http("http://127.0.0.1:5000/") == 200
    with urllib.request.urlopen("http://127.0.0.1:5000/", timeout=5) as response:
        assert response.read().decode().startswith("visits: ")
    assert "migrated" in docker("logs", web).stdout
    assert _wait_health(web) == "healthy"
    # the other process the plan lists, from the same image (with the image's probe every 2 s)
    docker(
        "run",
        "-d",
        "--name",
        worker,
        "--network",
        "host",
        "--health-interval",
        "2s",
        built.tag,
        "celery",
        "-A",
        "tasks",
        "worker",
        "--loglevel",
        "INFO",
    )
    deadline, logs = time.monotonic() + 60, ""
    while time.monotonic() < deadline and "ready" not in logs:
        done = docker("logs", worker, check=False)
        logs = done.stdout + done.stderr
        time.sleep(1)
    assert "ready" in logs, logs[-2000:]
    # the web port answers no more: the worker's probe asks it only when PID 1 runs the web start
    docker("rm", "-f", web)
    time.sleep(10)  # five probes; three failing in a row would turn it unhealthy
    health = json.loads(docker("inspect", "-f", "{{json .State.Health}}", worker).stdout)
    assert health["Status"] == "healthy" and health["FailingStreak"] == 0, health["Log"][-1:]


def test_factory_app_probes_its_prefixed_route(workspace: Path, container_names: list[str]) -> None:
    built = built_example("fastapi-factory", workspace)
    assert "--factory" in built.plan.cmd and built.plan.lock.adds == ("uvicorn",)
    name = "dw-it-start-fastapi-factory"
    container_names.append(name)
    _start(built, name)
    assert _wait_http(f"http://127.0.0.1:{built.plan.expose}/api/health") == 200
    assert _wait_health(name) == "healthy"
