"""A Poetry 1.5-1.8 lock (lock-version 2.0) records no group per package: what the image installs is
what the main dependencies reach, each package under the markers of the edges to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.managers import read_dependencies
from dockwright.project.poetry_graph import installed_markers
from dockwright.project.target import installs_on_target
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
H = "sha256:" + "c" * 64


def _pkg(name: str, files: str, deps: str = "", extras: str = "") -> str:
    text = f'[[package]]\nname = "{name}"\nversion = "1.0"\noptional = false\npython-versions = "*"\n'
    text += "files = [" + ", ".join(f'{{file = "{f}", hash = "{H}"}}' for f in files.split()) + "]\n"
    if deps:
        text += f"\n[package.dependencies]\n{deps}\n"
    if extras:
        text += f"\n[package.extras]\n{extras}\n"
    return text + "\n"


LOCK = (
    _pkg(
        "webkit",
        "webkit-1.0-py3-none-any.whl",
        'winpipe = {version = "*", markers = "sys_platform == \\"win32\\""}\n'
        'fastparse = {version = "*", optional = true, markers = "extra == \\"speed\\""}',
        'speed = ["fastparse"]',
    )
    + _pkg("winpipe", "winpipe-1.0-cp312-cp312-win_amd64.whl")
    + _pkg("fastparse", "fastparse-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
    # a load tester of the dev group and the compiled library only it needs: sdist only
    + _pkg("loadtest", "loadtest-1.0-py3-none-any.whl", 'geventish = ">=1"')
    + _pkg("geventish", "geventish-1.0.tar.gz")
    + '[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "x"\n'
)

PYPROJECT = """
[tool.poetry]
name = "shop"
version = "0.1.0"
package-mode = false

[tool.poetry.dependencies]
python = "^3.11"
webkit = {version = "^1.0", extras = ["speed"]}

[tool.poetry.group.dev.dependencies]
loadtest = "^1.0"
"""


def test_only_what_the_main_dependencies_reach_is_locked(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "poetry.lock": LOCK, "app.py": "print(1)\n"})
    tree = ProjectTree(root)
    deps = read_dependencies(tree, tree.read_toml("pyproject.toml"), python="3.12.11")
    locked = {p.name: p for p in deps.locked}
    assert sorted(locked) == ["fastparse", "webkit", "winpipe"]  # no loadtest, no geventish
    assert locked["winpipe"].markers == '(sys_platform == "win32")'
    assert not installs_on_target(locked["winpipe"], "3.12.11")
    assert installs_on_target(locked["fastparse"], "3.12.11")


def test_the_dev_group_steers_neither_python_nor_the_compiler(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "poetry.lock": LOCK, "app.py": "print(1)\n"})
    facts = detect_project(root, python="3.12")
    assert not any(n.compiles for n in facts.native)
    assert "geventish" not in {p.name for p in facts.dependencies.locked}


def test_a_lock_with_groups_is_read_as_it_says() -> None:
    lock = {"package": [{"name": "a", "groups": ["main"]}]}
    assert installed_markers(lock, {"tool": {"poetry": {"dependencies": {"a": "*"}}}}) is None
    # nothing to walk from: every package is kept, as before
    assert installed_markers({"package": [{"name": "a"}]}, {}) is None


def test_a_poetry_1_1_lock_takes_its_markers_from_the_edges(make_project: MakeProject) -> None:
    """Poetry before 1.5 writes ``category`` per package but its markers only on the edges: a backport
    reached only under ``python_version < "3.7"`` neither installs on the target nor is warned about."""
    lock = (
        _pkg(
            "webkit",
            "webkit-1.0-py3-none-any.whl",
            'oldshim = {version = "*", markers = "python_version < \\"3.7\\""}',
        )
        + _pkg("oldshim", "oldshim-0.8-py3-none-any.whl")
        + '[metadata]\nlock-version = "1.1"\npython-versions = "^3.6"\ncontent-hash = "x"\n'
    ).replace("optional = false\n", 'category = "main"\noptional = false\n')
    lock = lock.replace('name = "oldshim"\nversion = "1.0"', 'name = "oldshim"\nversion = "0.8"').replace(
        'python-versions = "*"\nfiles = [{file = "oldshim',
        'python-versions = ">=3.6, <3.7"\nfiles = [{file = "oldshim',
    )
    pyproject = PYPROJECT.replace('"^3.11"', '"^3.6"').replace(', extras = ["speed"]', "")
    root = make_project({"pyproject.toml": pyproject, "poetry.lock": lock, "app.py": "print(1)\n"})
    tree = ProjectTree(root)
    deps = read_dependencies(tree, tree.read_toml("pyproject.toml"), python="3.11.9")
    oldshim = next(p for p in deps.locked if p.name == "oldshim")
    assert oldshim.markers == '(python_version < "3.7")' and not installs_on_target(oldshim, "3.11.9")
    facts = detect_project(root, python="3.11")
    assert not [n for n in facts.notes if "oldshim" in n]


def test_a_backport_left_out_by_its_marker_does_not_block_the_python_choice(
    make_project: MakeProject,
) -> None:
    """The same backport (Requires-Python < 3.7) once ruled out every Python, so a compiled pin's wheels
    (here for 3.12 only) no longer steered the choice: the default stood and the builder compiled."""
    lock = (
        _pkg(
            "webkit",
            "webkit-1.0-py3-none-any.whl",
            'oldshim = {version = "*", markers = "python_version < \\"3.7\\""}\nspeedups = "*"',
        )
        + _pkg("oldshim", "oldshim-0.8-py3-none-any.whl").replace('"*"', '">=3.6, <3.7"')
        + _pkg("speedups", "speedups-1.0-cp312-cp312-manylinux_2_17_x86_64.whl speedups-1.0.tar.gz")
        + '[metadata]\nlock-version = "1.1"\npython-versions = "^3.6"\ncontent-hash = "x"\n'
    ).replace("optional = false\n", 'category = "main"\noptional = false\n')
    pyproject = PYPROJECT.replace('"^3.11"', '"^3.6"').replace(', extras = ["speed"]', "")
    root = make_project({"pyproject.toml": pyproject, "poetry.lock": lock, "app.py": "print(1)\n"})
    facts = detect_project(root)
    assert facts.python.version.value.startswith("3.12.")
