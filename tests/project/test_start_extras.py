"""The optional extra a console script's module imports from at module level is installed with it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.start_extras import extras_for_start
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "checker"
version = "1.0"
dependencies = ["pyyaml"]

[project.optional-dependencies]
cli = ["rich >=12"]
web = ["httpx"]

[project.scripts]
checker = "checker.__main__:main"
"""
MAIN = """\
import sys

import yaml
from rich.console import Console

try:
    import httpx
except ImportError:
    httpx = None


def main():
    Console().print(yaml.safe_load(sys.stdin))
"""


def test_the_extra_the_console_script_imports_from_is_named_with_the_line(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": PYPROJECT, "src/checker/__init__.py": "", "src/checker/__main__.py": MAIN}
    )
    tree = ProjectTree(root)
    found = extras_for_start(tree, tree.read_toml("pyproject.toml"), ("checker",))
    # httpx is imported inside try: the program does without it; yaml is a main dependency
    assert [(extra, ev.file, ev.line) for extra, ev in found] == [("cli", "src/checker/__main__.py", 4)]
    assert "imports rich, which only the extra 'cli' provides" in found[0][1].detail


def test_detection_adds_the_extra_to_what_the_lock_resolves(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": PYPROJECT, "src/checker/__init__.py": "", "src/checker/__main__.py": MAIN}
    )
    facts = detect_project(root)
    assert facts.app.command.value == ("checker",)
    assert facts.dependencies.declared == ("pyyaml", "rich >=12")
    assert any(
        n.startswith("optional extra cli installed, the start needs it: src/checker/") for n in facts.notes
    )


def test_a_lock_that_fixes_the_set_is_left_alone_with_a_note(make_project: MakeProject) -> None:
    lock = "pyyaml==6.0.2 \\\n    --hash=sha256:" + "a" * 64 + "\n"
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "requirements.txt": lock,
            "src/checker/__init__.py": "",
            "src/checker/__main__.py": MAIN,
        }
    )
    facts = detect_project(root)
    assert "rich >=12" not in facts.dependencies.declared
    assert any("requirements.txt fixes the installed set without it" in n for n in facts.notes)


def test_the_projects_own_package_is_never_an_extra(make_project: MakeProject) -> None:
    # `all = ["checker[cli]"]` names the project itself; its own modules are installed with it
    pyproject = PYPROJECT.replace('web = ["httpx"]', 'web = ["httpx"]\nall = ["checker[cli,web]"]')
    main = "from checker.core import run\nfrom helpers import tidy\n\n\ndef main():\n    run(tidy)\n"
    root = make_project(
        {
            "pyproject.toml": pyproject,
            "src/checker/__init__.py": "",
            "src/checker/core.py": "def run(f):\n    return f\n",
            "src/checker/__main__.py": main,
            "src/helpers.py": "def tidy():\n    return 1\n",
        }
    )
    tree = ProjectTree(root)
    assert extras_for_start(tree, tree.read_toml("pyproject.toml"), ("checker",)) == []


def test_an_import_the_lock_installs_anyway_needs_no_extra(make_project: MakeProject) -> None:
    # rich is the cli extra's, but pyyaml's locked entry (here) depends on it: the lock installs it
    lock = (
        "pyyaml==6.0.2 \\\n    --hash=sha256:"
        + "a" * 64
        + "\nrich==13.9.4 \\\n    --hash=sha256:"
        + "b" * 64
        + "\n"
    )
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "requirements.txt": lock,
            "src/checker/__init__.py": "",
            "src/checker/__main__.py": MAIN,
        }
    )
    facts = detect_project(root)
    assert not any("fixes the installed set without it" in n for n in facts.notes)
    tree = ProjectTree(root)
    found = extras_for_start(tree, tree.read_toml("pyproject.toml"), ("checker",), frozenset({"rich"}))
    assert found == []


def test_an_import_whose_handler_stops_the_program_is_needed(make_project: MakeProject) -> None:
    guarded = (
        "try:\n    import httpx\nexcept ImportError:\n"
        "    raise SystemExit('install checker[web] for the server')\n\n\ndef main():\n    httpx.get('x')\n"
    )
    exiting = "import sys\n\ntry:\n    import httpx\nexcept ImportError:\n    sys.exit(1)\n"
    going_on = "try:\n    import httpx\nexcept ImportError:\n    httpx = None\nexcept OSError:\n    raise\n"
    for main, line in ((guarded, 2), (exiting, 4), (going_on, None)):
        root = make_project(
            {"pyproject.toml": PYPROJECT, "src/checker/__init__.py": "", "src/checker/__main__.py": main}
        )
        tree = ProjectTree(root)
        found = extras_for_start(tree, tree.read_toml("pyproject.toml"), ("checker",))
        assert [(extra, ev.line) for extra, ev in found] == ([("web", line)] if line else [])
