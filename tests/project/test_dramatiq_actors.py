"""The ``dramatiq`` command is pointed at the module that declares actors (or imports every module
that does), not at the module that only configures the broker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

BROKER = (
    "import dramatiq\nfrom dramatiq.brokers.redis import RedisBroker\n\ndramatiq.set_broker(RedisBroker())\n"
)
MAIL = "import dramatiq\n\nimport queueing.broker\n\n\n@dramatiq.actor\ndef send(to):\n    print(to)\n"
THUMBS = (
    "from dramatiq import actor\n\nimport queueing.broker\n\n\n"
    "@actor(queue_name='thumbs', max_retries=1)\ndef shrink(path):\n    print(path)\n"
)
ALL = "from queueing.mail import *\nfrom queueing.thumbs import *\n"
CLI = "import sys\n\n\ndef enqueue():\n    from queueing.mail import send\n    send.send(sys.argv[1])\n"


def _worker(files: dict[str, str | bytes], make_project: MakeProject) -> tuple[str, ...]:
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"dramatiq"}), notes=[])
    return app.command.value


def test_the_one_module_declaring_actors(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "queueing/__init__.py": "",
        "queueing/broker.py": BROKER,
        "queueing/mail.py": MAIL,
    }
    assert _worker(files, make_project) == ("dramatiq", "queueing.mail")


def test_the_module_importing_every_actor_module(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "queueing/__init__.py": "",
        "queueing/broker.py": BROKER,
        "queueing/mail.py": MAIL,
        "queueing/thumbs.py": THUMBS,
        "queueing/all_actors.py": ALL,
        "enqueue.py": CLI,  # imports an actor module inside a function only: not what the worker loads
    }
    assert _worker(files, make_project) == ("dramatiq", "queueing.all_actors")


def test_a_src_layout_the_project_does_not_install_imports_from_src(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "src/queueing/__init__.py": "",
        "src/queueing/broker.py": BROKER,
        "src/queueing/mail.py": MAIL,
        "requirements.txt": "dramatiq[redis]\n",
    }
    assert _worker(files, make_project) == ("dramatiq", "queueing.mail", "--path", "src")


def test_a_src_layout_installed_as_a_wheel_imports_from_site_packages(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "src/queueing/__init__.py": "",
        "src/queueing/broker.py": BROKER,
        "src/queueing/mail.py": MAIL,
    }
    pyproject = {"project": {"name": "queueing"}, "build-system": {"build-backend": "hatchling.build"}}
    app = detect_app(ProjectTree(make_project(files)), pyproject, dependencies=frozenset({"dramatiq"}))
    assert app.command.value == ("dramatiq", "queueing.mail")


# our own example after the pattern: the service's folder is what its modules import from
# (`from shared import broker`, `shared` being service/shared)
INVOICE = "import dramatiq\n\nfrom shared import broker  # noqa: F401\n\n\n@dramatiq.actor\ndef bill(n):\n    print(n)\n"


def test_a_module_whose_imports_resolve_from_a_folder_above_it(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "service/shared/__init__.py": "",
        "service/shared/broker.py": BROKER,
        "service/billing/__init__.py": "",
        "service/billing/actors.py": INVOICE,
    }
    root = make_project(files)
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"dramatiq"}), notes=[])
    assert app.command.value == ("dramatiq", "billing.actors", "--path", "service")
    assert "its imports resolve from service/ (--path)" in app.command.evidence[0].detail
    # the same module importing through the package from the work directory needs nothing
    files["service/__init__.py"] = ""
    files["service/billing/actors.py"] = INVOICE.replace("from shared import", "from service.shared import")
    assert _worker(files, make_project) == ("dramatiq", "service.billing.actors")
