"""The native (compiler, system library) decision is made from the final lock: every package it pins,
including transitive ones and those that come through nested ``-r`` includes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import init_project, plan_project
from dockwright.lock.compile import CompileOptions
from dockwright.project.native import locked_from_requirements

LOCK = """\
# header
--find-links ./wheels
alpha==1.0 \\
    --hash=sha256:aaaa
    # via -r requirements/base.txt
psycopg2==2.9.10 ; sys_platform == "linux" \\
    --hash=sha256:bbbb \\
    --hash=sha256:cccc
    # via alpha
pywin32==306 ; sys_platform == "win32" \\
    --hash=sha256:dddd
"""


def test_locked_from_requirements_reads_pins_hashes_and_markers() -> None:
    alpha, psycopg2, pywin32 = locked_from_requirements(LOCK)
    assert (alpha.name, alpha.version, alpha.hashes) == ("alpha", "1.0", ("sha256:aaaa",))
    assert psycopg2.hashes == ("sha256:bbbb", "sha256:cccc") and psycopg2.markers == 'sys_platform == "linux"'
    assert pywin32.name == "pywin32"


def _project(build_wheel: Callable[..., Path], root: Path, index: Path) -> Path:
    (root / "requirements").mkdir(parents=True)
    (root / "requirements.txt").write_text("-r requirements/base.txt\n")
    (root / "requirements" / "base.txt").write_text("alpha==1.0\n")
    (root / "main.py").write_text("import alpha\n")
    build_wheel(index, "alpha", "1.0", ("psycopg2",))  # psycopg2 comes only through alpha
    build_wheel(index, "psycopg2", "2.9.10")
    return root


def test_init_decides_the_toolchain_from_the_generated_lock(
    tmp_path: Path, make_wheel: Callable[..., Path]
) -> None:
    index = tmp_path / "index"
    index.mkdir()
    root = _project(make_wheel, tmp_path / "app", index)
    cli = {"start": "python main.py", "python": "3.13"}
    assert not plan_project(root, cli).facts.native  # the declarations alone do not name it
    options = CompileOptions(find_links=(str(index),), no_index=True)
    result = init_project(root, cli, dry_run=True, compile_options=options)
    (need,) = result.plan.facts.native
    assert need.package == "psycopg2" and need.compiles and "libpq5" in need.run_apt
    assert "libpq-dev" in {p.name for p in result.plan.builder_apt}
    assert "libpq5" in {p.name for p in result.plan.runtime_apt}
    dockerfile = next(c for c in result.changes if c.path == "Dockerfile")
    assert "libpq-dev" in dockerfile.diff


def test_plan_reads_a_current_generated_lock(tmp_path: Path, make_wheel: Callable[..., Path]) -> None:
    index = tmp_path / "index"
    index.mkdir()
    root = _project(make_wheel, tmp_path / "app", index)
    cli = {"start": "python main.py", "python": "3.13"}
    init_project(root, cli, compile_options=CompileOptions(find_links=(str(index),), no_index=True))
    plan = plan_project(root, cli)
    assert [n.package for n in plan.facts.native] == ["psycopg2"]
    (root / "requirements.txt").write_text("-r requirements/base.txt\n# changed\n")  # a stale lock now
    assert not plan_project(root, cli).facts.native
