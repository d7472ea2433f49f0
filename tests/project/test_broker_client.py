"""A Celery start with a redis:// broker adds celery[redis] (the client and what kombu's transport imports)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

TASKS = """\
import os

from celery import Celery

url = os.getenv("BROKER_URL", "redis://localhost:6379/0")
app = Celery("tasks", broker=url, backend=url)


@app.task
def add(a, b):
    return a + b
"""


def _app(root: Path, deps: tuple[str, ...]) -> AppFacts:
    return detect_app(ProjectTree(root), None, dependencies=frozenset(deps))


def test_plain_celery_with_a_redis_broker_gets_the_redis_extra(make_project: MakeProject) -> None:
    app = _app(make_project({"tasks.py": TASKS}), ())
    assert app.command.value[:3] == ("celery", "-A", "tasks")
    assert app.adds.value == (
        "celery[redis]",
        "kombu[redis]",
    )  # in place of the plain celery the command needs
    why = app.adds.evidence[-1]
    assert (why.file, why.line) == ("tasks.py", 5)
    assert "redis://localhost:6379/0 needs redis and packaging, which plain celery does not" in why.detail
    assert "docs.celeryq.dev" in why.detail


def test_a_project_that_depends_on_celery_gets_the_extra_and_one_with_what_it_imports_nothing(
    make_project: MakeProject,
) -> None:
    root = make_project({"tasks.py": TASKS})
    assert _app(root, ("celery",)).adds.value == ("celery[redis]", "kombu[redis]")
    # kombu of its own too: its extra is still resolved with the pins (a kombu==5.7.0 beside redis==5.0.4
    # is no pair its transport accepts), and adds nothing when they fit
    pinned = _app(root, ("celery", "redis", "packaging", "kombu"))
    assert pinned.adds.value == ("kombu[redis]",)
    assert "goes through kombu, which the project depends on itself" in pinned.adds.evidence[-1].detail


def test_a_project_with_the_transport_imports_but_a_floating_kombu_gets_kombus_extra(
    make_project: MakeProject,
) -> None:
    # `celery==5.3.6`, `redis==5.0.4`, `packaging==23.2`, kombu left to the resolver: kombu 5.7's Redis
    # transport refuses redis-py < 6.1 at the worker's start; its redis extra says so to the resolver
    app = _app(make_project({"tasks.py": TASKS}), ("celery", "redis", "packaging"))
    assert app.adds.value == ("kombu[redis]",)
    why = app.adds.evidence[-1].detail
    assert "kombu's redis extra holds the redis versions its transport accepts" in why


def test_a_pinned_redis_client_without_packaging_still_gets_the_extra(make_project: MakeProject) -> None:
    # `celery==5.4.0` + `redis==5.0.7` and a floating kombu: kombu 5.7's redis transport imports
    # packaging, which only its redis extra installs (the worker died on it)
    app = _app(make_project({"tasks.py": TASKS}), ("celery", "redis"))
    assert app.adds.value == ("celery[redis]", "kombu[redis]")
    assert "needs packaging, which the project does not install" in app.adds.evidence[-1].detail


WEB = """\
from flask import Flask

app = Flask(__name__)
"""

COMPOSE = """\
services:
  web:
    build: .
    command: gunicorn --bind 0.0.0.0:8000 web:app
    ports: ["8000:8000"]
  worker:
    build: .
    command: celery -A tasks worker
"""


def test_a_web_start_beside_a_celery_process_of_the_same_image_gets_the_extra(
    make_project: MakeProject,
) -> None:
    root = make_project({"tasks.py": TASKS, "web.py": WEB, "compose.yaml": COMPOSE})
    app = _app(root, ("celery", "flask", "gunicorn", "redis"))
    assert app.process == "web"
    assert app.adds.value == ("celery[redis]", "kombu[redis]")
    assert "for the celery process the plan lists" in app.adds.evidence[-1].detail
    # only the worker needs them: when they fit no resolution, the web image is planned without them
    assert app.adds_for_others == ("celery[redis]", "kombu[redis]")
    pinned = _app(root, ("celery", "flask", "gunicorn", "redis", "packaging", "kombu"))
    assert pinned.adds.value == ("kombu[redis]",) and pinned.adds_for_others == ("kombu[redis]",)
    # a celery start needs them itself
    assert _app(make_project({"tasks.py": TASKS}), ("celery",)).adds_for_others == ()
    # without celery among the dependencies the web image is left alone
    assert _app(root, ("flask", "gunicorn")).adds.value == ()


def test_an_amqp_broker_needs_nothing_more(make_project: MakeProject) -> None:
    root = make_project({"tasks.py": TASKS.replace("redis://localhost:6379/0", "amqp://guest@localhost//")})
    assert _app(root, ("celery",)).adds.value == ()


def test_a_declared_celery_redis_extra_already_brings_the_transport_imports(
    make_project: MakeProject,
) -> None:
    """``celery[redis]`` declared: the client and what kombu's transport imports come with it; kombu's
    own extra still keeps a floating kombu to client versions it accepts."""
    root = make_project({"tasks.py": TASKS})
    app = detect_app(
        ProjectTree(root),
        None,
        dependencies=frozenset({"celery"}),
        extras_declared=frozenset({"celery[redis]"}),
    )
    assert app.adds.value == ("kombu[redis]",)
    assert "which the project leaves to the resolver" in app.adds.evidence[-1].detail


def test_a_declared_kombu_redis_extra_needs_nothing_more(make_project: MakeProject) -> None:
    root = make_project({"tasks.py": TASKS})
    app = detect_app(
        ProjectTree(root),
        None,
        dependencies=frozenset({"celery", "kombu"}),
        extras_declared=frozenset({"kombu[redis]"}),
    )
    assert app.adds.value == ()


def test_the_plan_says_an_extra_is_added_for_what_it_installs(make_project: MakeProject) -> None:
    """``celery[redis]`` declared: no ``celery[redis]`` added, and kombu's extra is not said to be a
    package the project does not depend on."""
    from dockwright.plan.planner import make_plan
    from dockwright.plan.strategies.base import PlanOptions
    from dockwright.project.detect import detect_project

    files: dict[str, str | bytes] = {
        "tasks.py": TASKS,
        "requirements.txt": "celery[redis]==5.4.0\n",
        "Procfile": "worker: celery -A tasks worker\n",
    }
    facts = detect_project(make_project(files), python="3.13")
    assert facts.app.adds.value == ("kombu[redis]",)
    said = [w for w in make_plan(facts, PlanOptions()).warnings if "added to" in w]
    assert len(said) == 1 and said[0].startswith("kombu[redis] added to requirements.lock")
    assert "does not depend on it" not in said[0] and "what that extra installs" in said[0]
