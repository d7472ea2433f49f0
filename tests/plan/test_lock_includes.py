"""A generated lock goes stale when a file its requirements source includes (``-r``/``-c``, nested)
changes, not only when the source itself does."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dockwright.initialize import init_project, plan_project
from dockwright.lock.compile import CompileOptions
from dockwright.lock.generate import generate_lock
from dockwright.lock.header import is_current, read_header, stale_reason
from dockwright.plan.model import LockPlan
from dockwright.project.managers import requirement_includes
from dockwright.project.tree import ProjectTree


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _project(root: Path) -> Path:
    """requirements.txt -r requirements/base.txt, which -c's requirements/constraints.txt."""
    (root / "requirements").mkdir()
    (root / "requirements.txt").write_text("# the app\n-r requirements/base.txt\n")
    (root / "requirements" / "base.txt").write_text("alpha==1.0\n-c constraints.txt\n")
    (root / "requirements" / "constraints.txt").write_text("beta==2.0\n")
    (root / "main.py").write_text('print("hi")\n')
    return root


def test_includes_are_followed_nested_in_every_spelling(tmp_path: Path) -> None:
    (tmp_path / "reqs").mkdir()
    (tmp_path / "requirements.in").write_text(
        "-r reqs/a.txt\n--requirement=reqs/b.txt\n-creqs/c.txt\n--constraint reqs/missing.txt\nflask\n"
    )
    (tmp_path / "reqs" / "a.txt").write_text("-r b.txt\n-r ../requirements.in\n")  # a cycle
    (tmp_path / "reqs" / "b.txt").write_text("-r \\\n  d.txt\n")  # a continued line
    (tmp_path / "reqs" / "c.txt").write_text("alpha==1\n")
    (tmp_path / "reqs" / "d.txt").write_text("# -r not-an-include.txt\n")
    found = requirement_includes(ProjectTree(tmp_path), "requirements.in")
    assert found == ("reqs/a.txt", "reqs/b.txt", "reqs/c.txt", "reqs/d.txt")


def test_a_source_without_includes_has_none(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["alpha"]\n')
    assert requirement_includes(ProjectTree(tmp_path), "pyproject.toml") == ()


def test_the_header_records_each_include(tmp_path: Path, wheel_index: Path) -> None:
    root = _project(tmp_path)
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False)
    text = generate_lock(root, lock, "3.11.7", CompileOptions(find_links=(str(wheel_index),), no_index=True))
    header = read_header(text)
    assert header is not None and header.sha256 == _sha(root / "requirements.txt")
    assert header.includes == (
        ("requirements/base.txt", _sha(root / "requirements" / "base.txt")),
        ("requirements/constraints.txt", _sha(root / "requirements" / "constraints.txt")),
    )
    assert "alpha==1.0" in text and "beta==2.0" in text
    (root / "requirements.lock").write_text(text)
    assert stale_reason(root, "requirements.lock") is None and is_current(root, header)

    (root / "requirements" / "constraints.txt").write_text("beta==2.1\n")  # two includes down
    reason = stale_reason(root, "requirements.lock")
    assert reason == (
        "requirements.lock is stale: requirements/constraints.txt (included by requirements.txt) changed "
        "since it was generated (dockwright init --force)"
    )
    assert not is_current(root, header)
    (root / "requirements" / "constraints.txt").unlink()
    assert stale_reason(root, "requirements.lock") == (
        "requirements.lock was generated from requirements.txt, whose include requirements/constraints.txt "
        "no longer exists"
    )


def test_a_header_without_include_lines_reads_as_before(tmp_path: Path) -> None:
    """Locks generated before includes were recorded stay current while their source is unchanged."""
    (tmp_path / "requirements.txt").write_text("alpha==1.0\n")
    text = f"# dockwright-source: requirements.txt sha256={_sha(tmp_path / 'requirements.txt')}\nalpha==1.0\n"
    (tmp_path / "requirements.lock").write_text(text)
    header = read_header(text)
    assert header is not None and header.includes == ()
    assert stale_reason(tmp_path, "requirements.lock") is None


def test_init_regenerates_after_an_included_file_changes(
    tmp_path: Path, wheel_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIP_CONSTRAINT", raising=False)
    root = _project(tmp_path)
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    init_project(root, {}, compile_options=options)
    lock = (root / "requirements.lock").read_text()
    assert "alpha==1.0" in lock and "# dockwright-include: requirements/base.txt sha256=" in lock
    kept = init_project(root, {}, compile_options=options, dry_run=True)
    assert {c.path: c.status for c in kept.changes}["requirements.lock"] == "unchanged"

    (root / "requirements" / "base.txt").write_text(
        "alpha==1.1\n-c constraints.txt\n"
    )  # requirements.txt is not
    plan = plan_project(root)
    assert plan.lock.stale
    assert any("requirements/base.txt (included by requirements.txt) changed" in w for w in plan.warnings)
    init_project(root, {}, compile_options=options, force=True)
    lock = (root / "requirements.lock").read_text()
    assert "alpha==1.1" in lock and not plan_project(root).lock.stale


def test_a_cycle_through_dotdot_is_read_once(tmp_path: Path) -> None:
    """``reqs/../requirements.txt`` is the file already read: parsing ends instead of nesting 50 deep."""
    from dockwright.project.managers import parse_requirements

    (tmp_path / "reqs").mkdir()
    (tmp_path / "requirements.txt").write_text("-r reqs/base.txt\nalpha==1.0\n")
    (tmp_path / "reqs" / "base.txt").write_text("-r ../requirements.txt\nbeta==2.0\n")
    reqs, files = parse_requirements(ProjectTree(tmp_path), "requirements.txt")
    assert [r.text for r in reqs] == ["beta==2.0", "alpha==1.0"]
    assert files == ["requirements.txt", "reqs/base.txt"]


def test_a_hash_locked_file_s_includes_are_copied_at_their_paths(tmp_path: Path) -> None:
    """requirements.txt only includes requirements/prod.txt, whose lines carry the hashes: the builder
    installs requirements.txt, so the file it includes is copied too, at its own path (was: the
    requirements.txt alone, and the install stopped on "failed to read from file requirements/prod.txt")."""
    from dockwright import api
    from dockwright.render.render import render_dockerfile

    digest = "sha256:" + "a" * 64
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements.txt").write_text("# the platform reads this file\n-r requirements/prod.txt\n")
    (tmp_path / "requirements" / "prod.txt").write_text(
        f"alpha==1.0 \\\n    --hash={digest}\n-c constraints.txt\n"
    )
    (tmp_path / "requirements" / "constraints.txt").write_text(f"beta==2.0 --hash={digest}\n")
    (tmp_path / "main.py").write_text('print("hi")\n')
    plan = api.plan(tmp_path, python="3.13")
    assert plan.lock.path == "requirements.txt" and not plan.lock.generate
    text = render_dockerfile(plan)
    lines = text.splitlines()
    install = next(i for i, line in enumerate(lines) if "-r requirements.txt" in line)
    copies = [line for line in lines[:install] if line.startswith("COPY")]
    assert "COPY requirements/prod.txt ./requirements/prod.txt" in copies, copies
    assert "COPY requirements/constraints.txt ./requirements/constraints.txt" in copies, copies
    ignore = {f.path: f for f in plan.files}.get(".dockerignore")
    assert ignore is None or "requirements" not in ignore.content.split("\n"), ignore
