"""``dockwright build`` never builds silently from a stale generated lock: a dependency added since
``init`` (or a Python the plan moved to) is refused in one line naming the header line as evidence and
the command that regenerates the lock; ``--allow-stale-lock`` builds it as it is, with a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dockwright import api
from dockwright.build import BuildOptions
from dockwright.cli import main
from dockwright.errors import ProjectError
from dockwright.initialize import init_project
from dockwright.project.python_version import release_table
from fake_compile import FakeResolver

MakeProject = Callable[[dict[str, str | bytes]], Path]
TABLE = release_table()
DEFAULT = TABLE.latest[TABLE.default]
OLDER = TABLE.latest["3.12"]
CLI = {"start": "python app.py"}


@pytest.fixture(autouse=True)
def _offline(fake_resolver: FakeResolver, monkeypatch: pytest.MonkeyPatch) -> None:
    """init resolves without an index (each requirement line pinned with a made-up hash)."""
    monkeypatch.setenv("DOCKWRIGHT_ENGINE", "docker")  # --dry-run: the command only, no engine asked


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    (root / "app.py").write_text("import alpha\n", encoding="utf-8")
    init_project(root, CLI, env={})
    return root


def _source_line(root: Path, name: str = "requirements.txt") -> int:
    lines = (root / "requirements.lock").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f"# dockwright-source: {name} "))


def _build(root: Path, *flags: str) -> int:
    return main(["build", str(root), "--start", "python app.py", "--dry-run", *flags])


def test_a_current_lock_builds(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _build(project) == 0
    captured = capsys.readouterr()
    assert "stale" not in captured.err and "build" in captured.out


def test_a_dependency_added_since_init_is_refused_in_one_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    lock_before = (project / "requirements.lock").read_text(encoding="utf-8")
    assert _build(project) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: requirements.lock is stale: requirements.txt changed since it was generated "
        f"(requirements.lock:{_source_line(project)} records requirements.txt): the image would not have "
        "what changed, so nothing was built; regenerate the lock with `dockwright init --lock-only` "
        "(`--diff` shows the change first), or build from it as it is with --allow-stale-lock\n"
    )
    assert (project / "requirements.lock").read_text(encoding="utf-8") == lock_before  # build writes nothing


def test_allow_stale_lock_builds_with_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    assert _build(project, "--allow-stale-lock") == 0
    captured = capsys.readouterr()
    assert "build" in captured.out
    assert (
        "warning: requirements.lock is stale: requirements.txt changed since it was generated "
        f"(requirements.lock:{_source_line(project)} records requirements.txt): building from it as it "
        "is (--allow-stale-lock); `dockwright init --lock-only` regenerates it\n"
    ) in captured.err


def test_init_lock_only_regenerates_the_lock_and_keeps_an_edited_dockerfile(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = project / "Dockerfile"
    edited = dockerfile.read_text(encoding="utf-8") + "# ours\n"
    dockerfile.write_text(edited, encoding="utf-8")
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    assert _build(project) == 2
    assert main(["init", str(project), "--start", "python app.py"]) == 2  # the Dockerfile differs
    assert "Dockerfile exists and differs" in capsys.readouterr().err
    assert main(["init", str(project), "--start", "python app.py", "--lock-only"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("updated: requirements.lock\n") and "Dockerfile" not in captured.out
    assert (
        "warning: --lock-only left Dockerfile as it is, though it differs from what init would write now "
        "(your edits, or what the new lock changes): `dockwright init --diff` shows how\n"
    ) in captured.err
    assert "beta==2.0" in (project / "requirements.lock").read_text(encoding="utf-8")
    assert dockerfile.read_text(encoding="utf-8") == edited
    assert _build(project) == 0
    assert "stale" not in capsys.readouterr().err


def test_init_lock_only_without_a_generated_lock_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "requirements.txt").write_text(f"alpha==1.0 --hash=sha256:{'a' * 64}\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("import alpha\n", encoding="utf-8")
    assert main(["init", str(tmp_path), "--start", "python app.py", "--lock-only"]) == 2
    assert capsys.readouterr().err == (
        "error: --lock-only: dockwright generates no lock for this project (it installs from "
        "requirements.txt, the project's own): nothing to write\n"
    )
    assert not (tmp_path / "Dockerfile").exists()


def test_regenerating_the_lock_lets_the_build_go_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    assert _build(project) == 2
    capsys.readouterr()
    assert main(["init", str(project), "--start", "python app.py", "--lock-only"]) == 0
    assert "beta==2.0" in (project / "requirements.lock").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "--lock-only left" not in err  # the Dockerfile is init's: nothing to say
    assert "stale" not in err  # resolved again just now
    capsys.readouterr()
    assert _build(project) == 0
    assert "stale" not in capsys.readouterr().err


def test_an_edited_include_names_its_header_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text("-r base.txt\n", encoding="utf-8")
    (root / "base.txt").write_text("alpha==1.0\n", encoding="utf-8")
    (root / "app.py").write_text("import alpha\n", encoding="utf-8")
    init_project(root, CLI, env={})
    (root / "base.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    lines = (root / "requirements.lock").read_text(encoding="utf-8").splitlines()
    include = next(n for n, line in enumerate(lines, 1) if line.startswith("# dockwright-include: base.txt "))
    assert _build(root) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "error: requirements.lock is stale: base.txt (included by requirements.txt) changed since it was "
        f"generated (requirements.lock:{include} records base.txt): "
    )


def test_a_lock_for_another_python_is_refused_with_its_target_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    (root / "app.py").write_text("import alpha\n", encoding="utf-8")
    init_project(root, {**CLI, "python": "3.12"}, env={})
    (root / "Dockerfile").unlink()  # the planned Dockerfile (for the default Python) is built
    lines = (root / "requirements.lock").read_text(encoding="utf-8").splitlines()
    target = next(n for n, line in enumerate(lines, 1) if f"target: CPython {OLDER}," in line)
    assert _build(root) == 2
    assert capsys.readouterr().err.startswith(
        f"error: requirements.lock is stale: it was resolved for CPython {OLDER} (requirements.lock:{target}), "
        f"and the plan chooses Python {DEFAULT}: the image would not have what changed, so nothing was "
        "built; regenerate the lock with `dockwright init --force` "
    )
    assert _build(root, "--python", "3.12") == 0  # the Python it was resolved for


def test_a_dockerfile_of_the_users_that_never_reads_the_lock_builds(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    own = project / "docker" / "Dockerfile.prod"
    own.parent.mkdir()
    own.write_text(
        'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
        encoding="utf-8",
    )
    assert _build(project, "--file", str(own)) == 0
    assert "stale" not in capsys.readouterr().err
    assert _build(project) == 2  # its own Dockerfile (init's) COPYs the lock


def test_the_library_refuses_too(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"^requirements\.lock is stale: .* --allow-stale-lock$"):
        api.build(project, build_options=BuildOptions(dry_run=True), **CLI)
    with pytest.warns(UserWarning, match=r"building from it as it is"):
        image = api.build(project, build_options=BuildOptions(dry_run=True, allow_stale_lock=True), **CLI)
    assert image.extra["dry_run"]


def test_allow_stale_lock_checks_the_lock_once_from_the_plans_reason(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from dockwright import build as build_module
    from dockwright.lock import header, stale

    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    calls: list[str] = []
    real = stale.stale_locks

    def counted(*args: Any, **kw: Any) -> tuple[stale.StaleLock, ...]:
        calls.append("stale_locks")
        return real(*args, **kw)

    def recomputed(*args: object, **kw: object) -> str | None:
        calls.append("stale_reason")
        return None

    monkeypatch.setattr(build_module, "stale_locks", counted)
    # the plan's own warning is the reason (lock.stale imports the header's reader where it needs it)
    monkeypatch.setattr(header, "stale_reason", recomputed)
    seen: list[str] = []
    api.build(
        project,
        build_options=BuildOptions(dry_run=True, allow_stale_lock=True),
        on_warning=seen.append,
        **CLI,
    )
    assert calls == ["stale_locks"]
    assert sum("building from it as it is" in w for w in seen) == 1
    # a plan that does not carry the reason (made another way) has it worked out from the header
    plan = api.plan(project, **CLI)
    monkeypatch.undo()
    bare = dataclasses.replace(plan, warnings=())
    found, planned = stale.stale_lock(project, bare), stale.stale_lock(project, plan)
    assert found is not None and planned is not None and found.reason == planned.reason


def test_every_build_warning_goes_one_way(project: Path) -> None:
    """``on_warning`` when given (no UserWarning then), else warnings.warn, whatever ``check_wheels``."""
    import warnings

    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    options = BuildOptions(dry_run=True, allow_stale_lock=True)
    with pytest.warns(UserWarning, match=r"building from it as it is"):
        api.build(project, build_options=options, check_wheels=False, **CLI)
    seen: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        api.build(project, build_options=options, check_wheels=False, on_warning=seen.append, **CLI)
    assert any("building from it as it is" in w for w in seen)
