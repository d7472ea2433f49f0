"""Each module is parsed once (project/module_scans.py): the scans made before the syntax floor serve
the start detectors, the syntax floor, the data files the code reads and the model files it loads."""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dockwright.project.data_files import code_reads
from dockwright.project.detect import detect_project
from dockwright.project.model_files import model_notes
from dockwright.project.module_scans import scan_modules
from dockwright.project.syntax import syntax_floor
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = """\
import json

import joblib
from flask import Flask

app = Flask(__name__)
SETTINGS = json.load(open("data/settings.json"))
MODEL = joblib.load("models/model.pkl")
"""
FILES: dict[str, str | bytes] = {
    "requirements.txt": "flask\njoblib\n",
    "app.py": APP,
    "data/settings.json": "{}\n",
    "tests/test_app.py": "def test_app():\n    assert True\n",
}
GENERIC = "def first[T](items: list[T]) -> T:\n    return items[0]\n"  # PEP 695: 3.12's grammar


def test_a_plan_parses_each_module_once(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: Counter[str] = Counter()
    real = ast.parse

    def counted(source: Any, filename: Any = "<unknown>", *args: Any, **kwargs: Any) -> Any:
        parsed[str(filename)] += 1
        return real(source, filename, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counted)
    facts = detect_project(make_project(FILES), python="3.13")
    assert (parsed["app.py"], parsed["tests/test_app.py"]) == (1, 1)
    assert any(e.detail == "data/settings.json" for e in facts.layout.data_reads)  # the data read is seen
    assert any("models/model.pkl" in n for n in facts.notes)  # and the missing model


def test_the_scans_gather_what_the_later_steps_read(make_project: MakeProject) -> None:
    tree = ProjectTree(make_project({**FILES, "generic.py": GENERIC}))
    scans = scan_modules(tree).by_rel
    app, test, generic = scans["app.py"], scans["tests/test_app.py"], scans["generic.py"]
    assert (app.as_written, test.as_written) == (True, True)
    assert app.path_reads is not None and ("data/settings.json", 7) in app.path_reads
    assert test.path_reads is None  # tests are no code source: the data-files step skips them
    assert app.model_loads == [(8, "joblib.load", "models/model.pkl", False)]
    assert generic.model_loads == [] and generic.as_written is (sys.version_info >= (3, 12))


def test_the_steps_read_the_scans_instead_of_the_files(make_project: MakeProject) -> None:
    tree = ProjectTree(make_project(FILES))
    scans = scan_modules(tree).by_rel
    scans["app.py"].path_reads = [("data/settings.json", 99)]
    scans["app.py"].model_loads = []
    assert [(e.file, e.line) for e in code_reads(tree, (), scans)] == [("app.py", 99)]
    assert model_notes(tree, scans) == [] and model_notes(tree) != []


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the host's grammar reads PEP 695")
def test_the_syntax_floor_parses_only_what_the_scans_did_not_read_as_written(
    make_project: MakeProject,
) -> None:
    tree = ProjectTree(make_project({**FILES, "generic.py": GENERIC}))
    scans = scan_modules(tree).by_rel
    newer: Callable[[str, list[tuple[str, str]]], list[str] | None] = lambda minor, files: []  # noqa: E731
    assert syntax_floor(tree, ["3.12"], parser=newer, scans=scans).files == ("generic.py",)
    scans["generic.py"].as_written = True  # as if read as written: not parsed again
    assert syntax_floor(tree, ["3.12"], parser=newer, scans=scans).files == ()


def test_a_kept_scan_reads_its_assigned_values_back_only_when_asked() -> None:
    """The planning memo pickles every module's scan: ``assigned_once`` (AST values, most of a kept
    scan's bytes) travels as one blob, unpickled on first use, and reads back as it was."""
    import ast
    import pickle

    from dockwright.project.detectors.scan import parse_source, scan_parsed

    text = "import os\n\nLOGS = os.path.join(os.getcwd(), 'logs')\nNAMES = ['a', 'b']\n"
    parsed = parse_source("app.py", text)
    assert parsed is not None
    scan = scan_parsed("app.py", text, *parsed)
    kept = pickle.loads(pickle.dumps(scan))
    assert "assigned_once" not in kept.__dict__
    assert kept.imports == scan.imports and kept.names == scan.names
    assert {k: ast.dump(v) for k, v in kept.assigned_once.items()} == {
        k: ast.dump(v) for k, v in scan.assigned_once.items()
    }
    again = pickle.loads(pickle.dumps(kept))  # a scan read back is kept again the same way
    assert sorted(again.assigned_once) == ["LOGS", "NAMES"]
