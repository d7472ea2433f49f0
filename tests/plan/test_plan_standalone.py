"""PyInstaller and uv plans, the --runtime option, and the static probe's source."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import ConfigError, PlanError
from dockwright.initialize import detect
from dockwright.plan.strategies.base import PlanOptions
from dockwright.plan.strategies.frozen import analyse
from dockwright.render.render import render_files

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _runs(plan: object) -> str:
    steps = [*plan.builder_steps, *plan.runtime_steps]  # type: ignore[attr-defined]
    return "\n".join(" && ".join(s.args) for s in steps)


def test_pyinstaller_freezes_gunicorn_with_its_hidden_imports_and_the_app_module() -> None:
    plan = api.plan(EXAMPLES / "flask-requirements", strategy="pyinstaller")
    assert plan.runtime_image == "gcr.io/distroless/cc-debian13:nonroot"
    assert plan.frozen is not None and plan.frozen.target == "gunicorn.app.wsgiapp:run"
    assert {"gunicorn.workers.sync", "app"} <= set(plan.frozen.hidden_imports)
    assert plan.cmd == ("/app/app", "--bind", "0.0.0.0:8000", "app:app")
    assert plan.healthcheck is not None and plan.healthcheck.argv[0] == "/usr/local/bin/healthcheck"
    runs = _runs(plan)
    assert "pyinstaller --onefile --strip" in runs and "ldd /out/app" in runs
    assert not any(s.instruction == "RUN" for s in plan.runtime_steps), "distroless has no shell for RUN"
    rendered = {f.path: f.content for f in render_files(plan)}
    assert "from gunicorn.app.wsgiapp import run" in rendered[".dockwright/entry.py"]
    assert "--hash=sha256:" in rendered[".dockwright/tools-pyinstaller.txt"]


def test_pyinstaller_uses_the_projects_console_script_and_scratch_on_request() -> None:
    plan = api.plan(EXAMPLES / "cli-setuptools", strategy="pyinstaller", runtime="scratch")
    assert plan.frozen is not None and plan.frozen.target == "greet.cli:main"
    assert plan.runtime_image == "scratch"
    assert plan.runtime_steps[0].args == ("/rootfs/", "/")
    assert "ldconfig -p" in _runs(plan) and "chmod 1777 /rootfs/tmp" in _runs(plan)


@pytest.mark.parametrize(
    ("example", "needle"),
    [("celery-worker", "celery"), ("django-poetry", "Django"), ("streamlit-app", "streamlit")],
)
def test_pyinstaller_refuses_what_loads_by_name_at_run_time(example: str, needle: str) -> None:
    reason = analyse(detect(EXAMPLES / example, PlanOptions()))
    assert isinstance(reason, str) and needle in reason
    with pytest.raises(PlanError, match="does not fit"):
        api.plan(EXAMPLES / example, strategy="pyinstaller")


def test_runtime_option_is_checked() -> None:
    with pytest.raises(PlanError, match="--runtime scratch does not apply"):
        api.plan(EXAMPLES / "flask-requirements", strategy="slim", runtime="scratch")
    with pytest.raises(ConfigError, match="'distroless' or 'scratch'"):
        api.plan(EXAMPLES / "flask-requirements", strategy="pyinstaller", runtime="alpine")


def test_uv_strategy_syncs_the_lock_in_two_layers_and_ships_the_venv() -> None:
    plan = api.plan(EXAMPLES / "fastapi-uv", strategy="uv")
    runs = [" ".join((*s.flags, *s.args)) for s in plan.builder_steps if s.instruction == "RUN"]
    sync = next(r for r in runs if "uv sync" in r)
    assert "uv sync --locked --no-dev --no-editable --no-install-project" in sync
    assert "source=uv.lock" in sync and re.search(
        r"type=cache,id=uv-[0-9a-f]{12},target=/root/.cache/uv", sync
    )
    env = {e.name: e.value for e in plan.builder_env}
    assert env["UV_COMPILE_BYTECODE"] == "1" and env["UV_LINK_MODE"] == "copy"
    assert any(s.args == ("/opt/venv", "/opt/venv") for s in plan.runtime_steps)
    assert plan.files == () and plan.lock.path == "uv.lock"
    with pytest.raises(PlanError, match="not a uv project"):
        api.plan(EXAMPLES / "flask-requirements", strategy="uv")


def test_static_probe_source_compiles_and_answers(tmp_path: Path) -> None:
    from dockwright.render.render import support_text

    source = tmp_path / "healthcheck.c"
    source.write_text(support_text("healthcheck.c"))
    binary = tmp_path / "healthcheck"
    built = subprocess.run(
        ["gcc", "-Os", "-Wall", "-Werror", "-o", str(binary), str(source)], capture_output=True
    )
    if built.returncode and b"not found" in built.stderr:
        pytest.skip("no C compiler")
    assert built.returncode == 0, built.stderr.decode()
    usage = subprocess.run([str(binary)], capture_output=True, text=True)
    assert usage.returncode == 1 and "usage" in usage.stderr
    refused = subprocess.run([str(binary), "tcp", "1"], capture_output=True, text=True)
    assert refused.returncode == 1


def test_static_probe_reads_the_port_variable_when_told(tmp_path: Path) -> None:
    """A `$PORT` start command in a shell-less image: the planned probe passes --port-env PORT, and the
    compiled probe asks the port PORT names when it is set (not empty), else the planned one."""
    import dataclasses
    import os
    import socket

    from dockwright.plan.planner import make_plan
    from dockwright.plan.strategies.base import PlanOptions
    from dockwright.project.detect import detect_project
    from dockwright.project.facts import EnvSetting, Evidence
    from dockwright.render.render import support_text

    facts = detect_project(EXAMPLES / "flask-requirements")
    port_env = EnvSetting("PORT", "8000", "the start command reads $PORT", (Evidence("Procfile", 1, "web"),))
    facts = dataclasses.replace(facts, app=dataclasses.replace(facts.app, env=(port_env,)))
    plan = make_plan(facts, PlanOptions(strategy="pyinstaller"))
    assert plan.healthcheck is not None
    argv = plan.healthcheck.argv
    assert argv == ("/usr/local/bin/healthcheck", "--port-env", "PORT", "http", "8000", "/healthz")
    assert "$PORT" in plan.healthcheck_reason
    fixed = make_plan(detect_project(EXAMPLES / "flask-requirements"), PlanOptions(strategy="pyinstaller"))
    assert fixed.healthcheck is not None and "--port-env" not in fixed.healthcheck.argv

    source = tmp_path / "healthcheck.c"
    source.write_text(support_text("healthcheck.c"))
    binary = tmp_path / "healthcheck"
    built = subprocess.run(
        ["gcc", "-Os", "-Wall", "-Werror", "-o", str(binary), str(source)], capture_output=True
    )
    if built.returncode and b"not found" in built.stderr:
        pytest.skip("no C compiler")
    assert built.returncode == 0, built.stderr.decode()
    with socket.socket() as listening, socket.socket() as closed:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        closed.bind(("127.0.0.1", 0))  # bound, not listening: a probe of it fails
        open_port, shut_port = (str(s.getsockname()[1]) for s in (listening, closed))

        def probe(port_value: str | None, planned: str) -> int:
            env = {k: v for k, v in os.environ.items() if k != "PORT"}
            if port_value is not None:
                env["PORT"] = port_value
            argv = [str(binary), "--port-env", "PORT", "tcp", planned]
            return subprocess.run(argv, env=env, capture_output=True, timeout=20).returncode

        assert probe(open_port, shut_port) == 0, "PORT wins over the planned port"
        assert probe(shut_port, open_port) == 1
        assert probe(None, open_port) == 0, "PORT unset: the planned port"
        assert probe("", open_port) == 0, "PORT empty: the planned port"
