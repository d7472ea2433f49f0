"""Writes on a path built from ``__file__`` used directly (``open(os.path.join(os.path.dirname(__file__),
"data", "x.db"), "w")``, ``(Path(__file__).parent / "uploads").mkdir()``): the folder is the module's
own, below the root; it is made writable for the app user, or, when it holds the app's code, the file is
made beforehand or the write is said (project/file_writes.py, apps._writable)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from detected_app import DetectFiles
from dockwright import api
from dockwright.project.apps import detect_app
from dockwright.project.file_writes import FileWrite, written_folder
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def _write(call: str, rel: str = "shop/views.py", bound: str = "") -> FileWrite | None:
    tree = ast.parse(f"{bound}\n{call}\n")
    node = tree.body[-1]
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    names = {
        s.targets[0].id: s.value
        for s in tree.body
        if isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Name)
    }
    return written_folder(node.value, rel, names)


@pytest.mark.parametrize(
    ("call", "folder", "file"),
    [
        ('open(os.path.join(os.path.dirname(__file__), "data", "x.db"), "w")', "shop/data", "shop/data/x.db"),
        ('open(os.path.join(os.path.dirname(__file__), "notes.txt"), mode="a")', "shop", "shop/notes.txt"),
        ('(Path(__file__).parent / "uploads").mkdir(exist_ok=True)', "shop/uploads", ""),
        ('Path(__file__).resolve().parent.joinpath("cache").mkdir()', "shop/cache", ""),
        ('os.makedirs(Path(__file__).resolve().parent.parent / "media", exist_ok=True)', "media", ""),
        (
            'upload.save(os.path.join(os.path.dirname(__file__), "uploads", upload.filename))',
            "shop/uploads",
            "",
        ),
        (
            '(Path(__file__).parent / "out" / "report.csv").write_text(text)',
            "shop/out",
            "shop/out/report.csv",
        ),
        ('sqlite3.connect(str(Path(__file__).parent / "notes.db"))', "shop", ""),
        ('open(Path(__file__).parent / "lock.pid", "x")', "shop", ""),
        (
            'open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "var", "a.txt"), "w")',
            "var",
            "var/a.txt",
        ),
    ],
)
def test_a_write_beside_the_module_names_its_folder(call: str, folder: str, file: str) -> None:
    found = _write(call)
    assert found is not None and (found.folder, found.file) == (folder, file)


def test_a_path_held_in_a_name_bound_once() -> None:
    found = _write("os.makedirs(UPLOADS, exist_ok=True)", bound='UPLOADS = Path(__file__).parent / "uploads"')
    assert found is not None and found.folder == "shop/uploads"


@pytest.mark.parametrize(
    "call",
    [
        'open(os.path.join(os.path.dirname(__file__), "data.json"))',  # read
        'open(os.path.join(os.path.dirname(__file__), "data.json"), "rb")',
        'open(os.path.join(BASE, "out.txt"), "w")',  # not from __file__ directly
        'open("/var/lib/shop/out.txt", "w")',
        'os.makedirs(Path(__file__).parent.parent.parent / "up", exist_ok=True)',  # above the root
        "os.makedirs(os.path.join(os.path.dirname(__file__), folder))",  # a folder the code computes
        'Image.open(Path(__file__).parent / "logo.png")',
    ],
)
def test_reads_and_other_paths_are_not_writes(call: str) -> None:
    assert _write(call) is None


def _shop(app: str) -> dict[str, str | bytes]:
    """A Flask project whose package ``shop`` holds ``app`` in app.py."""
    return {"requirements.txt": "flask==3.1.0\n", "shop/__init__.py": "", "shop/app.py": app}


APP = """\
import os
import sqlite3
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)


@app.post("/upload")
def upload():
    f = request.files["doc"]
    f.save(os.path.join(os.path.dirname(__file__), "uploads", f.filename))
    with open(os.path.join(os.path.dirname(__file__), "hits.txt"), "a") as fh:
        fh.write("1")
    sqlite3.connect(os.path.join(os.path.dirname(__file__), "notes.db"))
    return "ok"
"""


def test_the_written_folder_is_writable_and_a_file_beside_the_code_made_beforehand(
    make_project: MakeProject,
) -> None:
    root = make_project(_shop(APP))
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, notes=notes)
    assert [(f.value, f.evidence[0].line) for f in app.writable] == [("shop/uploads", 13)]
    assert app.writable[0].evidence[0].detail.startswith("f.save writes in shop/uploads/")
    assert [(f.value, f.evidence[0].line) for f in app.writable_files] == [("shop/hits.txt", 14)]
    said = [n for n in notes if "shop/app.py:16" in n]
    assert len(said) == 1 and "sqlite3.connect writes in the app's code folder shop/" in said[0]
    plan = api.plan(root)
    run = " ".join(" ".join(s.args) for s in plan.runtime_steps)
    assert "mkdir -p /app/shop/uploads" in run and "touch /app/shop/hits.txt" in run
    assert "chown -R 10001:10001 /app/shop/uploads /app/shop/hits.txt" in run


def test_a_log_handler_on_the_module_folder_is_the_module_folder(detect_files: DetectFiles) -> None:
    """``FileHandler(os.path.join(os.path.dirname(__file__), "logs", "app.log"))`` in a package: the
    package's logs/ folder (it was not read at all), and ``Path(__file__).parent / "app.log"`` a file of
    the package's folder, made beforehand (it was taken for one at the root)."""
    app = (
        "import logging, os\nfrom pathlib import Path\nfrom flask import Flask\n"
        'logging.getLogger().addHandler(logging.FileHandler(os.path.join(os.path.dirname(__file__), "logs", "app.log")))\n'
        'logging.getLogger("x").addHandler(logging.FileHandler(Path(__file__).parent / "audit.log"))\n'
        "app = Flask(__name__)\n"
    )
    found = detect_files(_shop(app))
    assert [f.value for f in found.writable] == ["shop/logs"]
    assert [f.value for f in found.writable_files] == ["shop/audit.log"]


def test_a_parameters_default_built_from_file_is_a_write_of_the_modules_folder() -> None:
    """``def __init__(self, folder=os.path.join(os.path.dirname(__file__), "cache"))`` then
    ``os.makedirs(folder)``: the same write as with the path written out in the call (a caller that
    leaves the argument out writes there), whether the default is spelled with os.path or pathlib."""
    from dockwright.project.detectors.scan import scan_module

    source = (
        "import os\nfrom pathlib import Path\n\n\n"
        "class Store:\n"
        '    def __init__(self, folder=os.path.join(os.path.dirname(__file__), "cache")):\n'
        "        os.makedirs(folder, exist_ok=True)\n\n\n"
        'def thumbs(folder=Path(__file__).parent / "thumbs", *, log=Path(__file__).parent / "run.log"):\n'
        "    folder.mkdir(exist_ok=True)\n"
        '    log.write_text("started")\n'
    )
    scan = scan_module("shop/store.py", source)
    assert scan is not None
    assert sorted((w.folder, w.line, w.file) for w in scan.file_writes) == [
        ("shop", 12, "shop/run.log"),
        ("shop/cache", 7, ""),
        ("shop/thumbs", 11, ""),
    ]


VERSION_MODULE = """\
import os

try:
    from shop import version_frozen
    VERSION = version_frozen.VERSION
except ImportError:
    VERSION = "from git"

if __name__ == "__main__":
    with open(os.path.join(os.path.dirname(__file__), "version_frozen.py"), "w") as f:
        f.write(f"VERSION = {VERSION!r}\\n")
    with open(os.path.join(os.path.dirname(__file__), "frozen.txt"), "w") as f:
        f.write(VERSION)
"""


def test_a_write_under_the_main_guard_of_an_imported_module_makes_nothing(make_project: MakeProject) -> None:
    """The module is imported by the served app, so its ``__main__`` block (a maintainer's "freeze"
    command) never runs in the image: no file made beforehand, above all no empty module, which the
    import would find in place of its ImportError fallback."""
    files = _shop("from flask import Flask\nfrom shop import version\n\napp = Flask(__name__)\n")
    root = make_project({**files, "shop/version.py": VERSION_MODULE})
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, notes=notes)
    assert app.writable_files == () and app.writable == ()
    assert not [n for n in notes if "version" in n]
    run = " ".join(" ".join(s.args) for s in api.plan(root).runtime_steps)
    assert "version_frozen" not in run and "frozen.txt" not in run


def test_the_script_the_start_runs_keeps_its_main_guard_writes_and_no_module_is_made_empty(
    make_project: MakeProject,
) -> None:
    """Run as ``python shop/version.py``, the block runs: its text file is made beforehand; the module it
    writes is said instead (an empty one would shadow the import's fallback)."""
    root = make_project(
        {"requirements.txt": "flask==3.1.0\n", "shop/__init__.py": "", "shop/version.py": VERSION_MODULE}
    )
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, start="python shop/version.py", notes=notes)
    assert [f.value for f in app.writable_files] == ["shop/frozen.txt"]
    said = [n for n in notes if "version_frozen.py" in n]
    assert len(said) == 1 and said[0].startswith(
        "shop/version.py:10: open writes the module shop/version_frozen.py"
    )


@pytest.mark.parametrize(
    "start",
    ["uv run python shop/version.py", "poetry run python shop/version.py", "uv run shop/version.py"],
)
def test_a_managers_runner_still_runs_the_script_as_main(make_project: MakeProject, start: str) -> None:
    root = make_project(
        {"requirements.txt": "flask==3.1.0\n", "shop/__init__.py": "", "shop/version.py": VERSION_MODULE}
    )
    app = detect_app(ProjectTree(root), None, start=start, notes=[])
    assert [f.value for f in app.writable_files] == ["shop/frozen.txt"]


def test_a_start_that_cannot_be_read_keeps_the_main_guards_writes(make_project: MakeProject) -> None:
    root = make_project(
        {"requirements.txt": "flask==3.1.0\n", "shop/__init__.py": "", "shop/version.py": VERSION_MODULE}
    )
    app = detect_app(ProjectTree(root), None, start="./run-it --fast", notes=[])
    assert [f.value for f in app.writable_files] == ["shop/frozen.txt"]
