from __future__ import annotations

import json
import re

import pytest
from facts_factory import PSYCOPG2, make_facts

from dockwright.errors import PlanError
from dockwright.plan.installer import uv_version
from dockwright.plan.model import PLAN_SCHEMA, BuildPlan
from dockwright.plan.planner import STRATEGIES, choose, make_plan, strategy_names
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import LockedPackage, NativeNeed


def test_registry_and_choice_says_why() -> None:
    assert strategy_names()[0] == "slim"
    assert "pyinstaller" in strategy_names()
    strategy, decision = choose(make_facts(), PlanOptions())
    assert strategy is STRATEGIES[0]
    assert decision.topic == "strategy" and decision.reason


def test_unknown_strategy_is_a_plan_error() -> None:
    with pytest.raises(PlanError, match="unknown strategy 'nope'"):
        make_plan(make_facts(), PlanOptions(strategy="nope"))


def test_slim_refuses_unpinned_python() -> None:
    with pytest.raises(PlanError, match="does not fit"):
        make_plan(make_facts(python="3.11"), PlanOptions(strategy="slim"))


def test_plan_basics() -> None:
    plan = make_plan(make_facts(), PlanOptions(runtime_base="upstream"))  # the trimmed root: test_plan_trim
    assert plan.schema == PLAN_SCHEMA
    assert plan.runtime_image == plan.builder_image == "python:3.11.7-slim-trixie"
    assert plan.entrypoint == ("/usr/bin/tini", "--")
    assert plan.cmd == ("gunicorn", "--bind", "0.0.0.0:8000", "app:app")
    assert (plan.user.uid, plan.user.gid) == (10001, 10001)
    assert plan.runtime_apt == ()  # tini-static comes from the tini stage: no apt in the runtime
    assert plan.builder_apt == ()
    assert [(s.name, s.image) for s in plan.side_stages] == [("tini", plan.runtime_image)]
    names = {e.name: e.value for e in plan.runtime_env}
    assert names == {
        "PATH": "/opt/venv/bin:$PATH",
        "VIRTUAL_ENV": "/opt/venv",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
    }
    assert all(e.why for e in plan.runtime_env)
    assert [n for n, _ in plan.build_args] == ["VERSION", "REVISION", "CREATED", "SOURCE"]
    assert plan.image_name == "shop:1.2.3"
    assert plan.expose == 8000
    assert plan.healthcheck is not None and plan.healthcheck.kind == "http"
    assert "urllib" in plan.healthcheck.argv[2] and "/health" in plan.healthcheck.argv[2]
    topics = [d.topic for d in plan.decisions]
    assert topics[0] == "strategy"
    assert {"base-image", "lock", "toolchain", "bytecode", "app-install", "healthcheck", "user"} <= set(
        topics
    )
    assert all(d.reason for d in plan.decisions)


def test_json_is_serialisable_and_versioned() -> None:
    plan = make_plan(make_facts())
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["schema"] == "dockwright.plan/1"
    assert data["facts"]["metadata"]["name"]["value"] == "shop"
    assert data["decisions"][0]["topic"] == "strategy"
    assert set(data) >= {
        "build_args",
        "image_name",
        "dockerignore",
        "files",
        "syntax_directive",
        "healthcheck",
    }


def test_unhashed_requirements_generate_a_lock() -> None:
    plan = make_plan(make_facts())
    assert plan.lock.generate and plan.lock.path == "requirements.lock"
    assert plan.lock.method == "uv-compile" and plan.lock.source == "requirements.txt"
    assert [f.path for f in plan.files] == ["requirements.lock"]


def test_hashed_requirements_are_used_directly() -> None:
    plan = make_plan(make_facts(hashed="requirements.txt"))
    assert not plan.lock.generate and plan.lock.path == "requirements.txt" and plan.files == ()


@pytest.mark.parametrize(
    ("manager", "lock_file", "method"),
    [
        ("poetry", "poetry.lock", "convert-poetry"),
        ("pdm", "pdm.lock", "convert-pdm"),
        ("pipenv", "Pipfile.lock", "convert-pipenv"),
        ("uv", "uv.lock", "convert-uv"),
    ],
)
def test_manager_locks_are_converted(manager: str, lock_file: str, method: str) -> None:
    plan = make_plan(make_facts(manager=manager, lock_file=lock_file, input_files=("pyproject.toml",)))
    assert plan.lock.method == method and plan.lock.source == lock_file


def test_no_dependencies_means_no_dependency_layer() -> None:
    plan = make_plan(make_facts(declared=(), input_files=()))
    assert plan.lock.empty and not plan.lock.generate
    assert not any("/wheels" in " ".join(s.args) for s in plan.runtime_steps)
    assert not any("requirements" in " ".join(s.args) for s in plan.builder_steps)


def test_toolchain_only_when_something_compiles() -> None:
    plan = make_plan(make_facts(native=(PSYCOPG2,)))
    assert [a.name for a in plan.builder_apt] == ["build-essential", "libpython3-dev", "libpq-dev"]
    assert [a.name for a in plan.runtime_apt] == ["libpq5"]
    # native.py decides run_apt: empty for a wheel that vendors its libraries (not compiled, not dlopen)
    wheel_only = NativeNeed("lxml", ("libxml2-dev",), (), False, "table")
    plan = make_plan(make_facts(native=(wheel_only,)))
    assert plan.builder_apt == () and plan.runtime_apt == ()
    decision = plan.decision("toolchain")
    assert decision is not None and decision.choice == "none"


def test_unknown_sdist_gets_a_compiler() -> None:
    locked = (LockedPackage("oddball", "1.0", ("sha256:00",), has_wheel_for_target=False),)
    plan = make_plan(make_facts(locked=locked))
    assert [a.name for a in plan.builder_apt] == ["build-essential", "libpython3-dev"]


def test_package_is_built_as_a_wheel() -> None:
    plan = make_plan(
        make_facts(is_package=True, backend="setuptools.build_meta", command=("shop",), kind="cli")
    )
    assert plan.app_install == "wheel"
    # built in a stage of its own, parallel with the builder's dependency install (which has no source)
    (stage,) = [s for s in plan.side_stages if s.name == "wheel"]
    assert stage.image == plan.builder_image and stage.env == plan.builder_env
    assert not any(s.args == (".", ".") for s in plan.builder_steps)
    builder = [" ".join(s.args) for s in stage.steps]
    assert any(
        "pip wheel --no-index --no-deps --no-build-isolation --wheel-dir /dist ." in b for b in builder
    )
    # installed under --root through an empty venv at the builder's path (the runtime has no pip), the
    # runtime copies only the app's files
    install = next(b for b in builder if "/dist/*.whl" in b)
    assert install.index("python -m venv --without-pip /opt/venv") < install.index('"$pip_runner" install')
    assert (
        '/opt/venv/bin/python "$pip_runner" install --no-index --no-deps --root /app-root /dist/*.whl'
        in install
    )
    runtime = [s for s in plan.runtime_steps if "/app-root/" in s.args]
    assert runtime and runtime[0].args == ("/app-root/", "/") and runtime[0].flags == ("--from=wheel",)
    assert not any("pip" in " ".join(s.args) for s in plan.runtime_steps)


def test_script_command_copies_source_even_for_a_package() -> None:
    facts = make_facts(is_package=True, command=("streamlit", "run", "app.py"), framework="streamlit")
    plan = make_plan(facts)
    assert plan.app_install == "source"
    assert any(s.instruction == "COPY" and s.args == (".", ".") for s in plan.runtime_steps)


def test_dependency_layers_come_before_the_source() -> None:
    plan = make_plan(make_facts())
    steps = [" ".join(s.args) for s in plan.runtime_steps]
    deps = next(i for i, s in enumerate(steps) if s == "/opt/venv /opt/venv")
    source = next(i for i, s in enumerate(steps) if s == ". .")
    assert deps < source
    builder = [" ".join(s.args) for s in plan.builder_steps]
    lock = builder.index("requirements.lock ./")
    install = next(s for s in plan.builder_steps[lock + 1 :] if s.instruction == "RUN")  # after ARG epoch
    assert "--require-hashes" in " ".join(install.args)


def test_runtime_gets_a_pipless_venv_and_tini_from_the_builder() -> None:
    plan = make_plan(make_facts(), PlanOptions(runtime_base="upstream"))
    builder = [" ".join(s.args) for s in plan.builder_steps]
    install = next(b for b in builder if "--require-hashes" in b)
    # one step: the venv without pip, then uv (mounted for the step) installing into it
    assert install.startswith("python -m venv --without-pip /opt/venv ")
    assert "uv pip install --python /opt/venv/bin/python --compile-bytecode --require-hashes" in install
    copies = [(s.flags, s.args) for s in plan.runtime_steps if s.instruction == "COPY" and s.flags]
    assert copies == [
        (("--from=tini",), ("/tini/usr/bin/tini", "/usr/bin/tini")),
        (("--from=builder",), ("/opt/venv", "/opt/venv")),
    ]
    tini = next(
        s.args for s in plan.side_stages[0].steps if s.instruction == "RUN"
    )  # after ARG SOURCE_DATE_EPOCH
    # Debian's package, hash-checked by apt and unpacked: no dpkg database or maintainer scripts run
    assert tini[:3] == ("apt-get update", "apt-get download tini", "dpkg-deb -x tini_*.deb /tini")
    assert not any("apt-get" in " ".join(s.args) for s in plan.runtime_steps)
    assert not any("pip install" in " ".join(s.args) for s in plan.runtime_steps)
    env = {e.name: e.value for e in plan.runtime_env}
    assert env["PATH"].startswith("/opt/venv/bin:") and env["VIRTUAL_ENV"] == "/opt/venv"


def test_builder_pip_uses_cache_and_optional_secret() -> None:
    """With a private index in play (here: asked for), the install mounts the optional pipconf secret."""
    plan = make_plan(make_facts(), PlanOptions(private_index=True))
    step = next(s for s in plan.builder_steps if "--require-hashes" in " ".join(s.args))
    assert any(
        re.fullmatch(r"--mount=type=cache,id=pip-[0-9a-f]{12},target=/root/.cache/pip", f) for f in step.flags
    )
    assert "--mount=type=secret,id=pipconf,target=/root/.config/pip/pip.conf,required=false" in step.flags
    assert ("pipconf", "/root/.config/pip/pip.conf") in plan.secrets


def test_builder_pip_without_a_private_index_mounts_only_the_cache() -> None:
    """Without a private index uv installs: its cache and its binary are the only mounts."""
    plan = make_plan(make_facts())
    step = next(s for s in plan.builder_steps if "--require-hashes" in " ".join(s.args))
    assert len(step.flags) == 2
    assert re.fullmatch(r"--mount=type=cache,id=uv-[0-9a-f]{12},target=/root/.cache/uv", step.flags[0])
    assert (
        step.flags[1]
        == f"--mount=type=bind,from=ghcr.io/astral-sh/uv:{uv_version()},source=/uv,target=/usr/local/bin/uv"
    )
    assert plan.secrets == ()


def test_with_a_private_index_the_base_pip_runs_under_the_venvs_python() -> None:
    plan = make_plan(make_facts(), PlanOptions(private_index=True))
    install = next(" ".join(s.args) for s in plan.builder_steps if "--require-hashes" in " ".join(s.args))
    assert install.startswith("python -m venv --without-pip /opt/venv ")
    assert "/__pip-runner__.py" in install
    assert '/opt/venv/bin/python "$pip_runner" install --require-hashes' in install


@pytest.mark.parametrize("kind", ["worker", "cli", "script"])
def test_non_web_apps_get_no_healthcheck_and_a_reason(kind: str) -> None:
    plan = make_plan(make_facts(kind=kind, port=None, health=None, command=("celery", "-A", "t", "worker")))
    assert plan.healthcheck is None and plan.expose is None
    assert kind in plan.healthcheck_reason


def test_web_without_health_path_gets_tcp_probe() -> None:
    plan = make_plan(make_facts(health=None))
    assert plan.healthcheck is not None and plan.healthcheck.kind == "tcp"
    assert "socket.create_connection" in plan.healthcheck.argv[2]


def test_bytecode_policy_none() -> None:
    plan = make_plan(make_facts(), PlanOptions(bytecode="none"))
    install = next(" ".join(s.args) for s in plan.builder_steps if "--require-hashes" in " ".join(s.args))
    assert "uv pip install" in install and "--compile-bytecode" not in install  # uv compiles none unasked
    decision = plan.decision("bytecode")
    assert decision is not None and decision.choice == "none"
    with_pip = make_plan(make_facts(), PlanOptions(bytecode="none", private_index=True))
    assert any("--no-compile" in " ".join(s.args) for s in with_pip.builder_steps)


def test_dockerignore_keeps_files_the_build_reads() -> None:
    facts = make_facts(
        is_package=True,
        files_build_reads=("docs/README.md", "LICENSE"),
        docs_dirs=("docs",),
        tests_dirs=("tests",),
        venv_dirs=("myenv",),
    )
    plan = make_plan(facts)
    patterns = [e.pattern for e in plan.dockerignore]
    for needed in (
        ".git",
        "**/__pycache__",
        "**/.env",
        "**/.env.*",
        "build",
        "dist",
        "**/*.egg-info",
        "tests",
        "docs",
    ):
        assert needed in patterns
    assert "myenv" in patterns
    assert "!docs/README.md" in patterns
    assert "LICENSE" not in patterns and "!LICENSE" not in patterns
    assert all(e.why for e in plan.dockerignore)


def test_plan_is_frozen() -> None:
    plan: BuildPlan = make_plan(make_facts())
    with pytest.raises(AttributeError):
        plan.strategy = "x"  # type: ignore[misc]


def test_plan_names_the_other_strategies_that_fit() -> None:
    plan = make_plan(make_facts())
    alternatives = plan.decision("alternatives")
    assert alternatives is not None
    assert "pyinstaller" in alternatives.choice
    assert "--strategy" in alternatives.reason


def test_package_builds_against_a_locked_backend_without_isolation() -> None:
    facts = make_facts(is_package=True, backend="setuptools.build_meta", command=("shop",), kind="cli")
    plan = make_plan(facts)
    assert [(f.path, f.kind) for f in plan.files if f.kind == "build-lock"] == [
        ("requirements-build.lock", "build-lock")
    ]
    (stage,) = [s for s in plan.side_stages if s.name == "wheel"]
    builder = [" ".join(s.args) for s in stage.steps]
    backend = builder.index(
        "uv pip install --system --no-compile-bytecode --require-hashes --no-deps -r requirements-build.lock"
    )
    source = builder.index(". .")
    wheel = next(
        i
        for i, b in enumerate(builder)
        if b.startswith("pip wheel --no-index --no-deps --no-build-isolation --wheel-dir /dist . ")
    )
    assert builder.index("requirements-build.lock ./") < backend < source < wheel
    assert "!requirements-build.lock" not in [e.pattern for e in plan.dockerignore]
    decision = plan.decision("build-backend")
    assert decision is not None and "--no-build-isolation" in decision.choice
    # with a private index in play the base image's pip installs the backend, with the pipconf secret
    with_pip = make_plan(facts, PlanOptions(private_index=True))
    (stage,) = [s for s in with_pip.side_stages if s.name == "wheel"]
    step = next(s for s in stage.steps if "requirements-build.lock" in " ".join(s.args) and s.flags)
    assert step.args == ("pip install --require-hashes --no-deps -r requirements-build.lock",)
    assert any("id=pipconf" in f for f in step.flags)


def test_a_package_that_compiles_builds_its_wheel_in_the_builder() -> None:
    """Where the builder installs compilers the app's wheel may need them: it is built there, after the
    dependency install, rather than in a second stage installing the toolchain again."""
    plan = make_plan(
        make_facts(
            is_package=True,
            backend="setuptools.build_meta",
            command=("shop",),
            kind="cli",
            native=(PSYCOPG2,),
        )
    )
    assert plan.builder_apt and "wheel" not in [s.name for s in plan.side_stages]
    assert any(s.args == (".", ".") for s in plan.builder_steps)
    (copy,) = [s for s in plan.runtime_steps if "/app-root/" in s.args]
    assert copy.flags == ("--from=builder",)
    decision = plan.decision("app-wheel-stage")
    assert decision is not None and decision.choice == "builder"


def test_library_loaded_by_a_pure_wheel_reaches_the_runtime_without_a_compiler() -> None:
    magic = NativeNeed("python-magic", (), ("libmagic1",), False, "https://github.com/ahupp/python-magic")
    plan = make_plan(make_facts(native=(magic,)))
    assert plan.builder_apt == ()
    assert [a.name for a in plan.runtime_apt] == ["libmagic1"]
    decision = plan.decision("runtime-libraries")
    assert decision is not None and "python-magic (loads it with dlopen)" in decision.reason


@pytest.mark.parametrize("health", [None, "/health"])
def test_a_port_reading_start_command_gets_a_probe_that_reads_port(health: str | None) -> None:
    """A `$PORT` start command listens where PORT says at run time (a platform's override included):
    the probe asks that port, not only the planned one."""
    import dataclasses
    import os
    import socket
    import subprocess
    import sys
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from dockwright.project.facts import EnvSetting, Evidence

    facts = make_facts(health=health)
    port_env = EnvSetting("PORT", "8000", "the start command reads $PORT", (Evidence("Procfile", 1, "web"),))
    facts = dataclasses.replace(facts, app=dataclasses.replace(facts.app, env=(port_env,)))
    plan = make_plan(facts)
    assert plan.healthcheck is not None
    code = plan.healthcheck.argv[2]
    assert "os.environ.get('PORT', '8000')" in code and "$PORT" in plan.healthcheck_reason

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {**os.environ, "PORT": str(server.server_address[1])}
        assert subprocess.run([sys.executable, "-c", code], env=env, timeout=20).returncode == 0
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            env["PORT"] = str(closed.getsockname()[1])  # bound, not listening: the probe must fail
            done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=20)
            assert done.returncode != 0
    finally:
        server.shutdown()


def test_a_fixed_port_probe_is_unchanged() -> None:
    plan = make_plan(make_facts(health="/health"))
    assert plan.healthcheck is not None and "os.environ" not in plan.healthcheck.argv[2]
