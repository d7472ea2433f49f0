"""A file written on a path held in a class attribute (``Config.DATABASE_PATH`` built from ``__file__``
in config.py, ``sqlite3.connect(Config.DATABASE_PATH)`` in another module): the folder of that path,
from the module that defines the class, is made writable (project/class_path_writes.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

CONFIG = (
    "import os\n\n\n"
    "class Settings:\n"
    "    PORT = 5000\n"
    '    STORE = os.path.join(os.path.dirname(__file__), "var", "notes.db")\n'
)
STORE = (
    "import sqlite3\n"
    "from settings import Settings\n\n\n"
    "def connect():\n"
    "    return sqlite3.connect(Settings.STORE)\n"
)
APP = "from flask import Flask\n\nfrom store import connect\n\napp = Flask(__name__)\n"


def _writable(make_project: MakeProject, files: dict[str, str | bytes]) -> list[tuple[str, str, int | None]]:
    root = make_project({"requirements.txt": "flask\n", **files})
    app = detect_app(ProjectTree(root), None, notes=[])
    return [(f.value, f.evidence[0].file, f.evidence[0].line) for f in app.writable]


def test_a_sqlite_file_on_a_class_attribute_of_another_module(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "settings.py": CONFIG,
        "store.py": STORE,
        "app.py": APP,
        "var/seed.json": "[]",
    }
    assert _writable(make_project, files) == [("var", "store.py", 6)]


def test_the_class_s_module_folder_counts_not_the_caller_s(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "conf/__init__.py": "",
        "conf/settings.py": CONFIG,
        "store.py": STORE.replace("from settings import", "from conf.settings import"),
        "app.py": APP,
    }
    assert _writable(make_project, files) == [("conf/var", "store.py", 6)]


def test_a_class_of_the_same_module(make_project: MakeProject) -> None:
    store = CONFIG + "\n\ndef connect():\n    import sqlite3\n    return sqlite3.connect(Settings.STORE)\n"
    files: dict[str, str | bytes] = {"store.py": store, "app.py": APP}
    assert _writable(make_project, files) == [("var", "store.py", 11)]


def test_an_attribute_read_from_the_environment_is_where_the_user_put_it(make_project: MakeProject) -> None:
    config = CONFIG.replace(
        'os.path.join(os.path.dirname(__file__), "var", "notes.db")', 'os.environ["STORE"]'
    )
    files: dict[str, str | bytes] = {"settings.py": config, "store.py": STORE, "app.py": APP}
    assert _writable(make_project, files) == []
