"""The pex and shiv strategies: zipapps on distroless python3 (Python 3.11 only), planned from the examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from facts_factory import PSYCOPG2, make_facts

from dockwright import api
from dockwright.errors import PlanError
from dockwright.initialize import detect
from dockwright.plan.model import BuildPlan
from dockwright.plan.planner import make_plan, strategy_names
from dockwright.plan.strategies.base import PlanOptions
from dockwright.plan.strategies.pex import PexStrategy
from dockwright.plan.strategies.shiv import ShivStrategy
from dockwright.render.render import render_files

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STRATEGIES = (PexStrategy(), ShivStrategy())
NAMES = ("pex", "shiv")
RUNTIME = "gcr.io/distroless/python3-debian12:nonroot"


def _dockerfile(plan: BuildPlan) -> str:
    return next(f.content for f in render_files(plan) if f.path == "Dockerfile")


def _run_text(plan: BuildPlan) -> str:
    return "\n".join(a for s in plan.builder_steps for a in s.args)


def test_registered_after_pyinstaller() -> None:
    names = strategy_names()
    assert names.index("pyinstaller") < names.index("pex") < names.index("shiv")


@pytest.mark.parametrize(
    ("name", "minor"),
    [
        ("flask-requirements", "3.11"),
        ("fastapi-uv", "3.11"),
        ("cli-setuptools", "3.13"),  # requires-python >=3.10: built for distroless python3-debian13's 3.13
        ("numpy-pandas-job", "3.11"),
    ],
)
@pytest.mark.parametrize("strategy", STRATEGIES, ids=NAMES)
def test_examples_apply(name: str, minor: str, strategy: PexStrategy | ShivStrategy) -> None:
    verdict = strategy.applies(detect(EXAMPLES / name, PlanOptions()))
    assert verdict.ok, verdict.reason
    assert f"Python {minor} matches" in verdict.reason


@pytest.mark.parametrize("strategy", NAMES)
def test_a_range_is_built_for_the_runtime_python(strategy: str) -> None:
    plan = api.plan(EXAMPLES / "cli-setuptools", strategy=strategy)
    assert plan.runtime_image == "gcr.io/distroless/python3-debian13:nonroot"
    assert plan.builder_image.startswith("python:3.13.") and plan.builder_image.endswith("-slim-trixie")
    assert plan.python_version.startswith("3.13.")
    assert "'>=3.10' allows 3.13" in " ".join(e.detail for e in plan.facts.python.version.evidence)


@pytest.mark.parametrize("strategy", NAMES)
def test_psycopg2_from_source_is_refused_naming_libpq5(strategy: str) -> None:
    facts = detect(EXAMPLES / "psycopg2-source", PlanOptions())
    verdict = next(s for s in STRATEGIES if s.name == strategy).applies(facts)
    assert not verdict.ok
    assert "libpq5" in verdict.reason and "psycopg2" in verdict.reason
    with pytest.raises(PlanError, match="libpq5"):
        api.plan(EXAMPLES / "psycopg2-source", strategy=strategy)


@pytest.mark.parametrize("strategy", NAMES)
def test_other_python_is_refused_naming_311(strategy: str) -> None:
    facts = make_facts(python="3.12.4")
    with pytest.raises(PlanError, match=r"--python 3\.13 or --python 3\.11") as info:
        make_plan(facts, PlanOptions(strategy=strategy))
    assert "3.12" in str(info.value) and "distroless" in str(info.value)
    assert make_plan(make_facts(python="3.11.9"), PlanOptions(strategy=strategy)).runtime_image == RUNTIME
    on_13 = make_plan(make_facts(python="3.13.2"), PlanOptions(strategy=strategy))
    assert on_13.runtime_image == "gcr.io/distroless/python3-debian13:nonroot"
    assert on_13.builder_image == "python:3.13.2-slim-trixie"
    assert on_13.cmd[0] == "/usr/bin/python3.13"


@pytest.mark.parametrize("strategy", NAMES)
def test_no_start_command_and_shell_scripts_are_refused(strategy: str) -> None:
    with pytest.raises(PlanError, match="no start command"):
        make_plan(make_facts(command=()), PlanOptions(strategy=strategy))
    with pytest.raises(PlanError, match="no shell"):
        make_plan(make_facts(command=("./start.sh",)), PlanOptions(strategy=strategy))


def test_native_libraries_are_named() -> None:
    verdict = PexStrategy().applies(make_facts(native=(PSYCOPG2,)))
    assert not verdict.ok and "psycopg2 needs libpq5" in verdict.reason


@pytest.mark.parametrize("strategy", NAMES)
def test_flask_console_script(strategy: str) -> None:
    plan = api.plan(EXAMPLES / "flask-requirements", strategy=strategy)
    out = "/app/app.pex" if strategy == "pex" else "/app/app.pyz"
    assert plan.strategy == strategy
    assert plan.builder_image == "python:3.11.15-slim-bookworm"
    assert plan.runtime_image == RUNTIME
    assert plan.runtime_apt == ()
    assert [a.name for a in plan.builder_apt] == ["tini"]
    assert plan.entrypoint == ("/usr/bin/tini", "--")
    assert plan.cmd == ("/usr/bin/python3.11", out, "--bind", "0.0.0.0:8000", "app:app")
    assert (plan.user.uid, plan.user.gid) == (10001, 10001)
    assert plan.healthcheck is not None and plan.healthcheck.argv[0] == "/usr/bin/python3.11"
    env = {e.name: e for e in plan.runtime_env}
    root = "PEX_ROOT" if strategy == "pex" else "SHIV_ROOT"
    assert env[root].value.startswith("/tmp/") and "1777" in env[root].why
    assert env["PYTHONUNBUFFERED"].value == "1"
    run = _run_text(plan)
    assert "pip wheel --require-hashes --no-deps --wheel-dir /wheels -r requirements.txt" in run
    assert "pip install --require-hashes -r .dockwright/tools-" in run
    assert "-c gunicorn" in run
    if strategy == "pex":
        assert "pex --no-pypi --pre-resolved-dists /wheels -r requirements.txt -D ." in run
    else:
        assert "pip install --no-index --no-deps --no-compile --target /out/site /wheels/*.whl" in run
        assert "--site-packages /out/site --site-packages ." in run
    assert {f.path for f in plan.support_files} == {f".dockwright/tools-{strategy}.txt"}
    topics = {d.topic: d for d in plan.decisions}
    assert "distroless trap" in topics["python-abi"].reason
    text = _dockerfile(plan)
    assert f"FROM {RUNTIME} AS runtime" in text
    assert "COPY --from=builder /usr/bin/tini-static /usr/bin/tini" in text
    assert "USER 10001:10001" in text and "HEALTHCHECK" in text
    assert "org.opencontainers.image.version" in text


@pytest.mark.parametrize("strategy", NAMES)
def test_package_console_script_ships_the_wheel(strategy: str) -> None:
    plan = api.plan(EXAMPLES / "cli-setuptools", strategy=strategy)
    run = _run_text(plan)
    assert "pip wheel --no-deps --wheel-dir /wheels ." in run
    assert "-c greet" in run
    assert plan.cmd[2:] == ()
    assert plan.healthcheck is None and plan.expose is None
    if strategy == "pex":
        assert "-r requirements.txt greet-cli" in run and "-D ." not in run
    else:
        assert "--site-packages ." not in run


@pytest.mark.parametrize("strategy", NAMES)
def test_script_runs_in_interpreter_mode(strategy: str) -> None:
    plan = api.plan(EXAMPLES / "numpy-pandas-job", strategy=strategy)
    out = "/app/app.pex" if strategy == "pex" else "/app/app.pyz"
    assert plan.cmd == ("/usr/bin/python3.11", out, "job.py")
    assert " -c " not in _run_text(plan)
    copies = [s.args for s in plan.runtime_steps if s.instruction == "COPY"]
    assert ("job.py", "/app/job.py") in copies


@pytest.mark.parametrize("strategy", NAMES)
def test_module_runs_in_interpreter_mode(strategy: str) -> None:
    facts = make_facts(command=("python", "-m", "shop.serve", "--port", "8000"))
    plan = make_plan(facts, PlanOptions(strategy=strategy))
    assert plan.cmd[2:] == ("-m", "shop.serve", "--port", "8000")
    assert " -c " not in _run_text(plan)


def test_fastapi_uv_converts_the_lock() -> None:
    plan = api.plan(EXAMPLES / "fastapi-uv", strategy="pex")
    assert plan.lock.method == "convert-uv"
    assert "-c uvicorn" in _run_text(plan)
    assert plan.cmd[2:] == ("main:app", "--host", "0.0.0.0", "--port", "8000")
