"""A worker whose module imports its neighbours by bare name from a folder that is not the work
directory is started from that folder: the runner's own option where it has one (celery's
``--workdir``), else ``PYTHONPATH`` (arq, huey, saq), as the web start gets ``--app-dir``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETTINGS = "import os\n\nREDIS_HOST = os.environ.get('REDIS_HOST', 'localhost')\n"
ARQ = (
    "from arq.connections import RedisSettings\n\nimport settings\n\n\n"
    "async def ping(ctx):\n    return 'pong'\n\n\n"
    "class WorkerSettings:\n    functions = [ping]\n    redis_settings = RedisSettings(host=settings.REDIS_HOST)\n"
)


def _app(files: dict[str, str | bytes], make_project: MakeProject, *deps: str) -> AppFacts:
    return detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset(deps), notes=[])


def _env(app: AppFacts) -> dict[str, str]:
    return {e.name: e.value for e in app.env}


def test_an_arq_worker_importing_its_neighbours_runs_with_their_folder_on_the_path(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {
        "code/settings.py": SETTINGS,
        "code/jobs/__init__.py": "",
        "code/jobs/worker.py": ARQ,
    }
    app = _app(files, make_project, "arq")
    assert app.command.value == ("arq", "jobs.worker.WorkerSettings")
    assert _env(app)["PYTHONPATH"] == "/app/code"
    assert "imported as jobs.worker from code/" in app.command.evidence[0].detail


def test_the_worker_beside_a_web_app_in_src_imports_from_src_as_the_web_start(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {
        "src/settings.py": SETTINGS,
        "src/jobs/__init__.py": "",
        "src/jobs/worker.py": ARQ,
        "src/main.py": "from fastapi import FastAPI\n\nimport settings\n\napp = FastAPI()\n",
    }
    tree, deps = ProjectTree(make_project(files)), frozenset({"arq", "fastapi", "uvicorn"})
    web = detect_app(tree, None, dependencies=deps, notes=[])
    worker = detect_app(tree, None, process="worker", dependencies=deps, notes=[])
    assert web.command.value[:4] == ("uvicorn", "--app-dir", "src", "main:app")
    assert "PYTHONPATH" not in _env(web)
    assert worker.command.value == ("arq", "jobs.worker.WorkerSettings")
    assert _env(worker)["PYTHONPATH"] == "/app/src"


def test_a_huey_consumer_beside_its_config_gets_the_folder_on_the_path(make_project: MakeProject) -> None:
    queue = "from huey import RedisHuey\n\nimport config\n\nqueue = RedisHuey('mail', url=config.URL)\n"
    files: dict[str, str | bytes] = {
        "service/config.py": "URL = 'redis://redis:6379/0'\n",
        "service/jobs.py": queue,
    }
    app = _app(files, make_project, "huey", "redis")
    assert app.command.value == ("huey_consumer", "jobs.queue")
    assert _env(app)["PYTHONPATH"] == "/app/service"


def test_a_celery_app_beside_its_settings_uses_the_workdir_option(make_project: MakeProject) -> None:
    tasks = "from celery import Celery\n\nimport settings\n\napp = Celery('tasks', broker=settings.BROKER)\n"
    files: dict[str, str | bytes] = {
        "worker/settings.py": "BROKER = 'redis://redis'\n",
        "worker/tasks.py": tasks,
    }
    app = _app(files, make_project, "celery")
    assert app.command.value[:5] == ("celery", "--workdir", "worker", "-A", "tasks")
    assert "PYTHONPATH" not in _env(app)


def test_a_saq_worker_beside_its_settings_gets_the_folder_on_the_path(make_project: MakeProject) -> None:
    jobs = (
        "from saq import Queue\n\nimport config\n\nqueue = Queue.from_url(config.URL)\n\n\n"
        "async def resize(ctx):\n    return 1\n\n\nsettings = {'queue': queue, 'functions': [resize]}\n"
    )
    files: dict[str, str | bytes] = {"svc/config.py": "URL = 'redis://redis'\n", "svc/jobs.py": jobs}
    app = _app(files, make_project, "saq")
    assert app.command.value == ("saq", "jobs.settings")
    assert _env(app)["PYTHONPATH"] == "/app/svc"


def test_a_worker_whose_imports_resolve_from_the_root_is_unchanged(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "settings.py": SETTINGS,
        "jobs/__init__.py": "",
        "jobs/worker.py": ARQ,
    }
    app = _app(files, make_project, "arq")
    assert app.command.value == ("arq", "jobs.worker.WorkerSettings")
    assert "PYTHONPATH" not in _env(app)
