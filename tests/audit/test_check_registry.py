"""One module per audit check: documented in the fixed sections, listed once in the registry, named
as its results are; `dockwright audit --explain/--list-checks` and docs/audit-checks.md."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from audit_images import Img, serve

import dockwright.audit.checks as package
from dockwright import api
from dockwright.audit.checks import CHECKS, Check, check_by_id
from dockwright.audit.checks.docs import checks_markdown, describe
from dockwright.audit.checks.registry import GROUPS, module_of
from dockwright.cli import main

REPO = Path(__file__).resolve().parents[2]
SHARED = {
    "base",
    "common",
    "dist_info",
    "dist_origin",
    "docs",
    "registry",
}  # the package's modules that hold no check
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


def test_every_check_module_is_in_the_registry_exactly_once() -> None:
    modules = {info.name for info in pkgutil.iter_modules(package.__path__)} - SHARED
    listed = [module_of(check).__name__.rsplit(".", 1)[1] for check in CHECKS]
    assert sorted(listed) == sorted(modules)
    assert len(set(listed)) == len(listed)
    ids = [describe(check).id for check in CHECKS]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: describe(check).id)
def test_every_check_documents_the_fixed_sections(check: Check) -> None:
    doc = describe(check)
    positions = [doc.docs.find(section) for section in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), (doc.id, positions)
    assert doc.group in GROUPS and doc.title


def test_results_carry_the_id_title_and_group_of_their_module(
    clean_image: Img, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dockwright.audit.checks.base.shutil.which", lambda _: None)
    report = api.audit("demo:1", engine=serve(clean_image, "legacy"), context=str(tmp_path))
    assert len(report.checks) == len(CHECKS)
    for check, result in zip(CHECKS, report.checks, strict=True):
        doc = describe(check)
        assert (result.id, result.title, result.group) == (doc.id, doc.title, doc.group)
        assert check_by_id(doc.id) is check


def test_docs_audit_checks_md_is_current() -> None:
    assert (REPO / "docs" / "audit-checks.md").read_text() == checks_markdown(), (
        "regenerate: python -m dockwright.audit.checks.docs > docs/audit-checks.md"
    )


def test_explain_prints_a_checks_documentation_without_an_image(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--explain", "pip-in-runtime"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# pip-in-runtime: No pip/setuptools/wheel in the runtime\n")
    assert all(section in out for section in SECTIONS)


def test_explain_of_an_unknown_check_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--explain", "DW301"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "no audit check 'DW301'" in captured.err


def test_list_checks_in_the_reports_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--list-checks"]) == 0
    rows = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:] if line.strip()]
    assert rows == [describe(check).id for check in CHECKS]


def test_the_checks_package_loads_no_heavy_module() -> None:
    """run_audit imports the checks while the engine exports: docs, CLI and engine stay unloaded."""
    code = (
        "import json, sys; import dockwright.audit.checks; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('rich', 'click', 'dockwright.')))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    for heavy in ("rich", "click", "dockwright.audit.checks.docs", "dockwright.engine", "dockwright.project"):
        assert heavy not in loaded, heavy
