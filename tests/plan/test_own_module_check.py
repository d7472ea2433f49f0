"""The builder imports a worker's own module as its start would (plan/import_check.py): from the source
bind-mounted at the work directory, on the start's import path; a module of the project that path
misses stops the build with a line naming where the tree has it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from tests.plan.facts_factory import make_facts

from dockwright.plan.import_check import import_path, own_module_script, own_module_step, start_module
from dockwright.plan.strategies.base import PlanOptions
from dockwright.plan.strategies.slim import SlimStrategy
from dockwright.project.facts import EnvSetting, Evidence, Fact, ProjectFacts

ARQ = ("arq", "jobs.worker.WorkerSettings")


def test_the_module_a_command_names_of_its_file() -> None:
    assert start_module(ARQ, "src/jobs/worker.py") == "jobs.worker"
    assert start_module(("celery", "-A", "tasks", "worker"), "tasks.py") == "tasks"
    assert start_module(("huey_consumer", "pkg.jobs.queue"), "pkg/jobs/__init__.py") == "pkg.jobs"
    assert start_module(("faust", "-A", "stream.app:app", "worker"), "stream/app.py") == "stream.app"
    # celery's own sub-command is no module, nor is a command naming none of the file
    assert start_module(("celery", "-A", "proj", "worker"), "web/worker.py") is None
    assert start_module(("rq", "worker", "high"), "queues.py") is None


def test_the_import_path_is_the_runner_folder_then_pythonpath_then_the_work_directory() -> None:
    assert import_path(ARQ, (("PYTHONPATH", "/app/src"),), "/app") == ("/app/src", "/app")
    assert import_path(("dramatiq", "actors", "--path", "service"), (), "/app") == ("/app/service", "/app")
    assert import_path(ARQ, (), "/srv") == ("/srv",)


def _check(tree: Path, path: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    script = "\n".join(own_module_script("jobs.worker", " ".join(ARQ), path, seconds=20))
    return subprocess.run(
        [sys.executable, "-I", "-B", "-u", "-c", script],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_project_module_off_the_import_path_fails_naming_its_folder(tmp_path: Path) -> None:
    (tmp_path / "src" / "jobs").mkdir(parents=True)
    (tmp_path / "src" / "jobs" / "__init__.py").write_text("")
    (tmp_path / "src" / "jobs" / "worker.py").write_text(
        "import settings\n\nclass WorkerSettings:\n    pass\n"
    )
    (tmp_path / "src" / "settings.py").write_text("HOST = 'redis'\n")
    failed = _check(tmp_path, (str(tmp_path),))
    assert failed.returncode == 1
    assert "No module named 'jobs'" in failed.stderr
    assert "the project has src/jobs: src is not on its import path" in failed.stderr
    assert _check(tmp_path, (str(tmp_path / "src"), str(tmp_path))).returncode == 0


def test_an_error_that_is_not_a_missing_project_module_is_no_finding(tmp_path: Path) -> None:
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "__init__.py").write_text("")
    (tmp_path / "jobs" / "worker.py").write_text(
        "import os\nimport not_installed_anywhere\nos.environ['REDIS']\n"
    )
    assert _check(tmp_path, (str(tmp_path),)).returncode == 0
    (tmp_path / "jobs" / "worker.py").write_text("import os\n\nHOST = os.environ['REDIS_HOST']\n")
    assert _check(tmp_path, (str(tmp_path),)).returncode == 0


def _worker(env: tuple[EnvSetting, ...] = ()) -> ProjectFacts:
    facts = make_facts(kind="worker", framework=None, command=ARQ, port=None, health=None)
    command = Fact(ARQ, (Evidence("src/jobs/worker.py", 10, "arq worker settings `WorkerSettings`"),))
    return dataclasses.replace(facts, app=dataclasses.replace(facts.app, command=command, env=env))


def test_a_worker_plan_imports_its_module_after_the_install_from_the_mounted_source() -> None:
    why = "arq imports jobs.worker from src/"
    setting = EnvSetting("PYTHONPATH", "/app/src", why, ())
    plan = SlimStrategy().plan(_worker((setting,)), PlanOptions())
    step = plan.builder_steps[-1]
    assert step.flags == ("--mount=type=bind,target=/app",)
    assert step.args[0] == "cd /app"
    assert (
        '\'module, run, path = "jobs.worker", "arq jobs.worker.WorkerSettings", ["/app/src", "/app"]\''
        in (step.args[1])
    )
    assert step.why.startswith("the worker's own module imports as its start imports it")


def test_a_web_plan_has_no_own_module_step() -> None:
    plan = SlimStrategy().plan(make_facts(), PlanOptions())
    assert not any("--mount=type=bind,target=/app" in s.flags for s in plan.builder_steps)
    assert own_module_step(ARQ, "Procfile", (), "/opt/venv/bin/python", "3.12.8", "/app") is None
    assert own_module_step(ARQ, "src/jobs/worker.py", (), "/opt/venv/bin/python", "3.9.20", "/app") is None
