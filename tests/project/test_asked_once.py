"""What a plan asks once (docs/lean.md "Session 27"): missing_config_notes asks the tree about each
imported name and read path once however many modules import or read it, it and helper_writes read no
module the scans parsed, and a YAML descriptor (a workflow) is parsed once however often it is read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project import platform_files
from dockwright.project.config_templates import missing_config_notes
from dockwright.project.helper_writes import helper_writes
from dockwright.project.module_scans import scan_modules
from dockwright.project.own_image import own_dockerfile
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

READER = """import configparser

import local_keys

parser = configparser.ConfigParser()
parser.read("relay.ini")
"""

WRITER = """def remember(path):
    with open(path, "w") as f:
        f.write("x")
"""


def _project(make_project: MakeProject, modules: int) -> Path:
    files: dict[str, str | bytes] = {f"app/part_{n}.py": READER for n in range(modules)}
    files |= {"app/__init__.py": "", "app/helpers.py": WRITER, "requirements.txt": "requests\n"}
    files |= {"local_keys.py.example": "TOKEN = ''\n", "app/relay_example.ini": "[KEYS]\n"}
    return make_project(files)


def _asked(tree: ProjectTree, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"is_file": 0, "is_dir": 0, "read_text": 0}
    for name in counts:
        real = getattr(ProjectTree, name)

        def counted(
            self: ProjectTree, rel: str, _real: Callable[..., object] = real, _name: str = name
        ) -> object:
            counts[_name] += 1
            return _real(self, rel)

        monkeypatch.setattr(tree, name, counted.__get__(tree))
    return counts


def _questions(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, modules: int) -> int:
    tree = ProjectTree(_project(make_project, modules))
    scans = list(scan_modules(tree).by_rel.values())
    asked = _asked(tree, monkeypatch)
    notes = missing_config_notes(tree, scans)
    assert len(notes) == 2  # local_keys.py and app/relay.ini: one note each, from the first module
    # the path reads came with the scans; a module whose read misses is read once more for the
    # existence checks that make the file optional (config_templates._checked_lines), the others never
    assert asked["read_text"] == 1
    writes_asked = _asked(tree, monkeypatch)
    helper_writes(tree, scans)
    # the writing functions came with the scans: only the module that may call one is read (its calls)
    assert writes_asked["read_text"] == 1
    return asked["is_file"] + asked["is_dir"]


def test_each_name_and_path_is_asked_once(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same questions for 3 modules as for 30 (each module asked ~40 again: the names of every template)
    assert _questions(make_project, monkeypatch, 3) == _questions(make_project, monkeypatch, 30)


def test_a_yaml_descriptor_is_parsed_once(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({".github/workflows/release.yml": "jobs:\n  ship-27:\n    steps: [{run: make}]\n"})
    tree = ProjectTree(root)
    parsed: list[str] = []
    real = platform_files._yaml_data

    def counted(text: str) -> object:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(platform_files, "_yaml_data", counted)
    first = platform_files.load(tree, ".github/workflows/release.yml")
    first["jobs"]["ship-27"]["steps"].clear()  # each caller's copy is its own
    for _ in range(5):
        own_dockerfile(tree)
    again = platform_files.load(tree, ".github/workflows/release.yml")
    assert again == {"jobs": {"ship-27": {"steps": [{"run": "make"}]}}}
    assert len(parsed) == 1
