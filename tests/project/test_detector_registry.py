"""One module per start detector: documented in the fixed sections, listed once in the ranked registry;
`dockwright plan --explain-detector/--list-detectors` and docs/detectors.md."""

from __future__ import annotations

import pkgutil
import re
import sys
from pathlib import Path

import pytest

import dockwright.project.detectors as package
from dockwright.cli import main
from dockwright.project.detectors import DETECTORS
from dockwright.project.detectors.docs import SECTIONS, DetectorDoc, detectors_markdown, documented

REPO = Path(__file__).resolve().parents[2]
HELPERS = {
    "base",
    "docs",
    "named",
    "scan",
    "server_clis",
    "servers",
    "shapes",
}  # the package's modules that detect nothing


def test_every_detector_module_is_in_the_registry_exactly_once() -> None:
    modules = {info.name for info in pkgutil.iter_modules(package.__path__)} - HELPERS
    listed = [sys.modules[detector.__module__].__name__.rsplit(".", 1)[1] for _, detector in DETECTORS]
    assert sorted(listed) == sorted(modules)
    assert len(set(listed)) == len(listed)
    names = [name for name, _ in DETECTORS]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("doc", documented(), ids=lambda doc: doc.name)
def test_every_detector_documents_the_fixed_sections(doc: DetectorDoc) -> None:
    assert doc.summary and not doc.summary.startswith("#"), doc.name
    positions = [doc.docs.find(section + "\n") for section in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), (doc.name, positions)
    assert doc.docs.startswith(SECTIONS[0]), doc.name
    headings = [line for line in doc.docs.splitlines() if line.startswith("## ")]
    assert headings == list(SECTIONS), doc.name


def test_docs_detectors_md_is_current() -> None:
    assert (REPO / "docs" / "detectors.md").read_text() == detectors_markdown(), (
        "regenerate: python -m dockwright.project.detectors.docs > docs/detectors.md"
    )


def test_explain_detector_prints_its_documentation_without_a_project(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # an empty folder: nothing is detected or planned
    assert main(["plan", "--explain-detector", "entry-script"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# entry-script: Entry scripts meant for containers")
    assert "Rank 4 of" in out
    assert all(f"\n{section}\n" in out for section in SECTIONS)


def test_explain_of_an_unknown_detector_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--explain-detector", "entry_script"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "no start detector 'entry_script'" in captured.err


def test_list_detectors_in_rank_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--list-detectors"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    rows = [line.split()[:2] for line in lines if line.strip() and line.split()[0].isdigit()]
    assert rows == [[str(rank), name] for rank, (name, _) in enumerate(DETECTORS, 1)]


def test_the_rank_table_of_the_detection_doc_is_the_registrys() -> None:
    """docs/detection.md's table of start detectors gives each row's rank: the registry's, in its order."""
    rank = {name: i for i, (name, _) in enumerate(DETECTORS, 1)}
    text = (Path(__file__).resolve().parents[2] / "docs" / "detection.md").read_text(encoding="utf-8")
    section = text.split("## The app and how it starts", 1)[1]
    rows = re.findall(r"^\| (\d+) \| `([^`]+)` \|", section, re.M)
    assert rows and all(name in rank for _, name in rows)
    assert [(int(n), name) for n, name in rows] == sorted((rank[name], name) for _, name in rows)
    assert [int(n) for n, _ in rows] == [rank[name] for _, name in rows]


def test_list_detectors_prints_square_brackets_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    # the supervisord summary names a ``[program:NAME]`` section: text, not console markup
    assert main(["plan", "--list-detectors"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "[program:NAME]" in out
