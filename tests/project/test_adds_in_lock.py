"""A server the start needs that a dependency installs is not "added" (project.adds_in_lock, the
shiny/solara rows of data/server_carriers.toml): the plan reads the declared carrier, ``init`` reads the
resolved lock's ``# via``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import with_final_lock
from dockwright.plan.common import lock_warnings
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.adds_in_lock import via_of, without_carried_adds
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

SHINY = {
    "app.py": (
        "from shiny import App, ui\n\napp_ui = ui.page_fluid(ui.h2('hi'))\n\n\n"
        "def server(input, output, session):\n    pass\n\n\napp = App(app_ui, server)\n"
    )
}
FASTAPI = {"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}
H = "    --hash=sha256:" + "a" * 64
LOCK = (
    f"fastapi==0.115.0 \\\n{H}\n    # via -r requirements.txt\n"
    f"fastapi-cli==0.0.8 \\\n{H}\n    # via -r requirements.txt\n"
    f"uvicorn==0.54.0 \\\n{H}\n    # via\n    #   fastapi-cli\n    #   toolkit\n"
)


def test_shiny_declared_alone_brings_uvicorn_no_add_no_warning(make_project: MakeProject) -> None:
    facts = detect_project(make_project({**SHINY, "requirements.txt": "shiny==1.8.0\n"}))
    app = facts.app
    assert app.command.value[:2] == ("uvicorn", "app:app") and app.adds.value == ()
    assert "shiny==1.8.0 installs the uvicorn server" in app.command.evidence[-1].detail
    plan = make_plan(facts, PlanOptions())
    assert not plan.lock.adds and not [w for w in plan.warnings if "added to" in w]
    assert lock_warnings(plan.lock) == [w for w in plan.warnings if "will be generated" in w]


def test_solara_served_by_uvicorn_is_not_added(make_project: MakeProject) -> None:
    files = {
        "page.py": "import solara\n\n\n@solara.component\ndef Page():\n    solara.Markdown('hi')\n",
        "Procfile": "web: uvicorn solara.server.starlette:app --host 0.0.0.0 --port $PORT\n",
        "requirements.txt": "solara\n",
    }
    app = detect_project(make_project(files)).app
    assert "uvicorn" in app.command.value[-1] and app.adds.value == ()


def test_via_of_reads_the_project_part_and_the_packages_it_names() -> None:
    text = LOCK + "# added by dockwright for the start command: gunicorn\n" + f"gunicorn==23.0.0 \\\n{H}\n"
    found = via_of(text)
    assert found["uvicorn"] == (7, "0.54.0", ("fastapi-cli", "toolkit"))
    assert found["fastapi"][2] == () and "gunicorn" not in found


def test_a_dependency_in_the_resolved_lock_drops_the_add(make_project: MakeProject) -> None:
    """fastapi-cli (no carrier row) requires uvicorn: the resolved lock says so, the add goes."""
    facts = detect_project(make_project({**FASTAPI, "requirements.txt": "fastapi\nfastapi-cli==0.0.8\n"}))
    assert facts.app.adds.value == ("uvicorn",)  # before the lock: added, warned
    assert [w for w in make_plan(facts, PlanOptions()).warnings if "uvicorn added to" in w]
    final = with_final_lock(facts, "requirements.lock", LOCK)
    assert final.app.adds.value == ()
    last = final.app.command.evidence[-1]
    assert (last.file, last.line) == ("requirements.lock", 7)
    assert "through fastapi-cli, toolkit (a dependency installs it)" in last.detail
    plan = make_plan(final, PlanOptions())
    assert not plan.lock.adds and not [w for w in plan.warnings if "added to" in w]


def test_an_add_only_the_start_block_or_the_input_brings_is_kept(make_project: MakeProject) -> None:
    facts = detect_project(make_project({**FASTAPI, "requirements.txt": "fastapi\n"}))
    added = LOCK.split("fastapi-cli")[0] + "# added by dockwright for the start command: uvicorn\n"
    added += f"uvicorn==0.54.0 \\\n{H}\n    # via fastapi-cli\n"
    assert without_carried_adds(facts.app, "requirements.lock", added) is facts.app
    together = f"uvicorn==0.54.0 \\\n{H}\n    # via -r -\n"  # resolved with the project's input
    assert without_carried_adds(facts.app, "requirements.lock", together) is facts.app


def test_an_add_with_an_extra_is_kept_though_another_package_brings_its_name() -> None:
    """celery brings kombu, not what kombu[redis] adds (the redis client versions its transport takes)."""
    from dockwright.project.facts import AppFacts, Evidence, Fact

    app = AppFacts(
        Fact("worker"),
        Fact("celery"),
        Fact(("celery", "-A", "tasks", "worker")),
        Fact(None),
        Fact(None),
        adds=Fact(("kombu[redis]",), (Evidence("tasks.py", 5, "broker"),)),
    )
    lock = f"celery==5.7.0 \\\n{H}\n    # via -r requirements.txt\nkombu==5.7.0 \\\n{H}\n    # via\n    #   -r requirements.txt\n    #   celery\n"
    assert without_carried_adds(app, "requirements.lock", lock) is app


def test_an_add_with_an_extra_is_kept_though_the_lock_has_its_distribution(make_project: MakeProject) -> None:
    """``kombu[redis]`` is not carried by a plain kombu the lock has through celery: what the extra
    brings, and the kombu releases its client accepts, are the add's (a second ``init --force`` resolved
    a kombu whose transport refuses the pinned redis client)."""
    files = {
        "tasks.py": "from celery import Celery\n\napp = Celery('tasks', broker='redis://cache:6379/0')\n",
        "requirements.txt": "celery==5.3.6\nredis==5.0.1\nflower==2.0.1\n",
    }
    facts = detect_project(make_project(files))
    assert {"celery[redis]", "kombu[redis]"} <= set(facts.app.adds.value)
    lock = (
        f"celery==5.3.6 \\\n{H}\n    # via\n    #   -r requirements.txt\n    #   flower\n"
        f"kombu==5.7.0 \\\n{H}\n    # via celery\n"
    )
    final = with_final_lock(facts, "requirements.lock", lock)
    assert {"celery[redis]", "kombu[redis]"} <= set(final.app.adds.value)


def test_a_bounded_add_is_kept_though_another_package_brings_its_name() -> None:
    """flet-web brings flet, not the bound flet<1.0 the start needs (its code calls flet.app)."""
    from dockwright.project.facts import AppFacts, Evidence, Fact

    app = AppFacts(
        Fact("web"),
        Fact("flet"),
        Fact(("python", "board.py")),
        Fact(8550),
        Fact(None),
        adds=Fact(("flet<1.0",), (Evidence("board.py", 9, "ft.app"),)),
    )
    lock = f"flet==0.86.5 \\\n{H}\n    # via\n    #   -r requirements.txt\n    #   flet-web\nflet-web==0.86.5 \\\n{H}\n    # via -r requirements.txt\n"
    assert without_carried_adds(app, "requirements.lock", lock) is app
