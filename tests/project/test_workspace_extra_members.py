"""A uv workspace member whose selected extra (or dependency group) reaches another member: that member's
folder is copied into the build too (``uv sync --package app --extra x`` builds it from there)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import plan_project
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

LOCK = (
    'version = 1\nrequires-python = ">=3.11"\n\n[manifest]\nmembers = ["app", "store", "util"]\n\n'
    '[[package]]\nname = "app"\nversion = "1.0"\nsource = { editable = "members/app" }\n'
    'dependencies = [{ name = "util" }]\n\n'
    '[package.optional-dependencies]\npersist = [{ name = "store" }]\n\n'
    '[[package]]\nname = "store"\nversion = "0.1"\nsource = { editable = "members/store" }\n\n'
    '[[package]]\nname = "util"\nversion = "0.1"\nsource = { editable = "members/util" }\n'
)
ROOT = '[tool.uv.workspace]\nmembers = ["members/*"]\n'
HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def _member(name: str, body: str = "") -> str:
    return f'[project]\nname = "{name}"\nversion = "0.1"\nrequires-python = ">=3.11"\n{body}\n{HATCH}'


def _workspace(make_project: MakeProject, app_extra: str) -> Path:
    app = _member(
        "app",
        'dependencies = ["util"]\n\n[project.optional-dependencies]\npersist = ["store"]\n\n'
        '[project.scripts]\napp = "app.cli:main"\n\n'
        "[tool.uv.sources]\nutil = { workspace = true }\nstore = { workspace = true }\n" + app_extra,
    )
    return make_project(
        {
            "pyproject.toml": ROOT,
            "uv.lock": LOCK,
            "members/app/pyproject.toml": app,
            "members/app/src/app/__init__.py": "",
            "members/app/src/app/cli.py": "import util\n\n\ndef main():\n    print(util.NAME)\n",
            "members/util/pyproject.toml": _member("util"),
            "members/util/src/util/__init__.py": "NAME = 'util'\n",
            "members/store/pyproject.toml": _member("store"),
            "members/store/src/store/__init__.py": "",
        }
    )


def test_a_selected_extra_that_reaches_another_member_copies_its_folder(make_project: MakeProject) -> None:
    root = _workspace(make_project, "")
    workspace = detect_project(root / "members/app", extras=("persist",)).workspace
    assert workspace is not None
    assert [c.value for c in workspace.copies] == ["members/app", "members/util", "members/store"]
    assert "members/store" in workspace.packages
    store = workspace.copies[-1].evidence[0]
    assert (store.file, store.line) == ("uv.lock", 17)
    assert "extra persist" in store.detail


def test_an_extra_left_unselected_copies_nothing_more(make_project: MakeProject) -> None:
    root = _workspace(make_project, "")
    workspace = detect_project(root / "members/app").workspace
    assert workspace is not None
    assert [c.value for c in workspace.copies] == ["members/app", "members/util"]


def test_the_configured_extra_copies_the_member_in_the_plan(make_project: MakeProject) -> None:
    root = _workspace(make_project, '\n[tool.dockwright]\nextras = ["persist"]\n')
    plan = plan_project(root / "members/app", {"python": "3.12"})
    copied = [s.args for s in plan.builder_steps if s.instruction == "COPY"]
    assert any("members/store" in " ".join(args) for args in copied)
