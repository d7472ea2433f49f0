"""Celery tasks declared in modules the app module never imports go to the worker's ``--include``:
``celery -A`` loads the app module only, and a worker without them rejects every message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = 'from celery import Celery\n\nqueue = Celery("billing", broker="redis://localhost:6379/3")\n'
INVOICES = (
    "from billing.worker.app import queue\n\n\n"
    "@queue.task(bind=True)\ndef render(self, number):\n    return number\n"
)
REMINDERS = "from celery import shared_task\n\n\n@shared_task\ndef remind(who):\n    return who\n"
HELPERS = "def total(lines):\n    return sum(lines)\n"


def _worker(files: dict[str, str | bytes], make_project: MakeProject) -> tuple[str, ...]:
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"celery"}), notes=[])
    return app.command.value


def _files(app: str = APP, package_init: str = "") -> dict[str, str | bytes]:
    return {
        "billing/__init__.py": "",
        "billing/worker/__init__.py": package_init,
        "billing/worker/app.py": app,
        "billing/worker/invoices.py": INVOICES,
        "billing/worker/reminders.py": REMINDERS,
        "billing/worker/helpers.py": HELPERS,
    }


def test_task_modules_the_app_does_not_import_are_included(make_project: MakeProject) -> None:
    command = _worker(_files(), make_project)
    assert command[:3] == ("celery", "-A", "billing.worker.app:queue")
    assert command[-2:] == ("--include", "billing.worker.invoices,billing.worker.reminders")


def test_nothing_to_include_when_something_loads_them(make_project: MakeProject) -> None:
    imports_them = "from billing.worker import invoices, reminders  # noqa: F401\n"
    assert "--include" not in _worker(_files(package_init=imports_them), make_project)
    listed = APP.replace('broker="redis://localhost:6379/3"', 'include=["billing.worker.invoices"]')
    assert "--include" not in _worker(_files(app=listed), make_project)
