"""huey consumers and Faust workers are found from the code (a module-level huey object, a
``faust.App``), and a command written for huey 2.x's ``huey_consumer.py`` runs the console script every
huey release installs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.detect import detect_project
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

QUEUE = (
    "import os\n\nfrom huey import RedisHuey\n\n"
    "queue = RedisHuey('invoices', url=os.environ.get('QUEUE_URL', 'redis://localhost:6379/0'))\n\n\n"
    "@queue.task()\ndef total(a, b):\n    return a + b\n"
)
STREAM = (
    "import faust\n\nfrom pipeline import config\n\n"
    "app = faust.App(config.NAME, broker=config.BROKER, autodiscover=True, origin='pipeline')\n"
)
AGENTS = (
    "from pipeline.app import app\n\nreadings = app.topic('readings')\n\n\n"
    "@app.agent(readings)\nasync def average(stream):\n    async for value in stream:\n        print(value)\n"
)


def _app(files: dict[str, str | bytes], make_project: MakeProject, *deps: str) -> AppFacts:
    return detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset(deps), notes=[])


def test_a_module_level_huey_object_is_consumed(make_project: MakeProject) -> None:
    app = _app({"billing/__init__.py": "", "billing/jobs.py": QUEUE}, make_project, "huey", "redis")
    assert app.command.value == ("huey_consumer", "billing.jobs.queue")
    assert app.kind.value == "worker"
    assert app.port.value is None
    assert app.adds.value == ()


def test_an_in_memory_huey_has_no_consumer(make_project: MakeProject) -> None:
    memory = "from huey import MemoryHuey\n\nqueue = MemoryHuey('local')\n"
    script = "import sys\n\nfrom jobs import queue\n\nif __name__ == '__main__':\n    print(sys.argv)\n"
    app = _app({"jobs.py": memory, "run.py": script}, make_project, "huey")
    assert app.command.value[0] != "huey_consumer"


def test_huey_2_consumer_script_runs_as_the_console_script(make_project: MakeProject) -> None:
    compose = (
        "services:\n  queue:\n    build: .\n"
        "    command: poetry run huey_consumer.py billing.jobs.queue -w 2 -k thread\n"
    )
    files: dict[str, str | bytes] = {
        "billing/__init__.py": "",
        "billing/jobs.py": QUEUE,
        "compose.yaml": compose,
        "requirements.txt": "huey==2.5.3\nredis==5.2.1\n",
    }
    app = detect_project(make_project(files)).app
    assert app.command.value == ("huey_consumer", "billing.jobs.queue", "-w", "2", "-k", "thread")
    said = [e for e in app.command.evidence if "huey_consumer.py run as huey_consumer" in e.detail]
    assert said and said[0].file == "compose.yaml" and said[0].line == 4


def test_a_faust_app_runs_as_a_faust_worker(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "pipeline/__init__.py": "",
        "pipeline/config.py": "NAME = 'sensors'\nBROKER = 'kafka://localhost:9092'\n",
        "pipeline/app.py": STREAM,
        "pipeline/agents.py": AGENTS,
    }
    app = _app(files, make_project, "faust-streaming")
    assert app.command.value == ("faust", "-A", "pipeline.app", "worker", "--loglevel", "info")
    assert app.kind.value == "worker"
    assert app.port.value is None


def test_a_faust_app_of_another_name_is_named(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {"streams.py": "import faust\n\nprocessor = faust.App('counts')\n"}
    app = _app(files, make_project, "faust-streaming")
    assert app.command.value[:3] == ("faust", "-A", "streams:processor")


def test_robinhood_faust_provides_the_program(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {"streams.py": "import faust\n\napp = faust.App('counts')\n"}
    assert _app(files, make_project, "faust").adds.value == ()
    assert _app(files, make_project).adds.value == ("faust-streaming",)


def test_a_folder_the_code_imports_by_name_keeps_its_name(make_project: MakeProject) -> None:
    """``src/app.py`` doing ``from src import config`` runs from the root: the worker loads ``src.app``,
    the module its agents import (``-A app`` would load a second app object)."""
    files: dict[str, str | bytes] = {
        "src/config.py": "NAME = 'sensors'\n",
        "src/app.py": "import faust\n\nfrom src import config\n\napp = faust.App(config.NAME)\n",
        "src/agents.py": "from src.app import app\n\ntopic = app.topic('t')\n",
        "src/__main__.py": "from src.app import app\n\nif __name__ == '__main__':\n    app.main()\n",
    }
    app = _app(files, make_project, "faust-streaming")
    assert app.command.value == ("faust", "-A", "src.app", "worker", "--loglevel", "info")
    assert app.kind.value == "worker"


def test_the_faust_data_directory_is_named_and_writable(make_project: MakeProject) -> None:
    """The worker makes ``{app id}-data`` in the working directory at start: the plan names it
    ``faust-data`` and makes it the app user's; an app naming its own ``datadir=`` keeps it."""
    files: dict[str, str | bytes] = {"streams.py": "import faust\n\napp = faust.App('counts')\n"}
    app = detect_project(make_project({**files, "requirements.txt": "faust-streaming\n"})).app
    assert {(e.name, e.value) for e in app.env} >= {("FAUST_DATADIR", "faust-data")}
    assert "faust-data" in [w.value for w in app.writable]
    own = {"streams.py": "import faust\n\napp = faust.App('counts', datadir='/var/lib/counts')\n"}
    app = detect_project(make_project({**own, "requirements.txt": "faust-streaming\n"})).app
    assert "FAUST_DATADIR" not in {e.name for e in app.env}
