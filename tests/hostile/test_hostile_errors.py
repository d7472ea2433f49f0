"""Item 7 and 12: bad input is one line and exit 2, never a traceback; the contract lives in cli.main."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hostile.conftest import Run, Sandbox, one_error_line, use_example

from dockwright import cli as cli_module
from dockwright.errors import ProjectError

PYPROJECTS = {
    "non-UTF-8 pyproject": b'[project]\nname = "caf\xe9"\nversion = "1"\n',
    "dependencies = 5": b'[project]\nname = "x"\nversion = "1"\ndependencies = 5\n',
    "dependencies of numbers": b'[project]\nname = "x"\nversion = "1"\ndependencies = [5, 6]\n',
    "tool = 5": b'tool = 5\n[project]\nname = "x"\nversion = "1"\n',
    "tool.dockwright = 5": b"[tool]\ndockwright = 5\n",
    "project = 5": b"project = 5\n",
    "poetry deps as a list": b'[tool.poetry]\nname = "x"\nversion = "1"\ndependencies = ["flask"]\n',
    "poetry = 5": b"[tool]\npoetry = 5\n",
    "urls = 5": b'[project]\nname = "x"\nversion = "1"\nurls = 5\n',
    "readme = 5": b'[project]\nname = "x"\nversion = "1"\nreadme = 5\n',
    "requires-python = 5": b'[project]\nname = "x"\nversion = "1"\nrequires-python = 5\n',
    "build-system = 5": b"build-system = 5\n",
    "invalid TOML": b"[project\n",
}


@pytest.mark.parametrize("case", sorted(PYPROJECTS))
def test_bad_pyproject_is_one_line(box: Sandbox, cli: Callable[..., Run], case: str) -> None:
    (box.project / "pyproject.toml").write_bytes(PYPROJECTS[case])
    for argv in (("plan",), ("init", "--dry-run"), ("lint",)):
        run = cli(*argv, str(box.project))
        assert "Traceback" not in run.text, (argv, run.text)
        if run.code == 2:
            line = one_error_line(run)
            assert "unexpected" not in line, (argv, line)  # a reader said what is wrong
        else:
            assert run.code in (0, 1), (argv, run.text)


OTHER_FILES = {
    "Pipfile requires as a string": ("Pipfile", b'[packages]\nflask = "*"\n[requires]\npython_version = 5\n'),
    "Pipfile requires = 5": ("Pipfile", b'requires = "3.11"\n[packages]\nflask = "*"\n'),
    "Pipfile packages = 5": ("Pipfile", b"packages = 5\n"),
    "Pipfile.lock default = 5": ("Pipfile.lock", b'{"default": 5, "_meta": {}}'),
    "Pipfile.lock entry = 5": ("Pipfile.lock", b'{"default": {"flask": 5}, "_meta": {}}'),
    "Pipfile.lock not an object": ("Pipfile.lock", b"[1, 2]"),
    "non-UTF-8 requirements": ("requirements.txt", b"fl\xe4sk==1\n"),
    "non-UTF-8 Dockerfile": ("Dockerfile", b"FROM python:3.12\n# caf\xe9\n"),
    "uv.lock package = 5": ("uv.lock", b"version = 1\npackage = 5\n"),
    "poetry.lock package = [5]": ("poetry.lock", b"package = [5]\n"),
}


@pytest.mark.parametrize("case", sorted(OTHER_FILES))
def test_bad_manager_files_are_one_line(box: Sandbox, cli: Callable[..., Run], case: str) -> None:
    name, data = OTHER_FILES[case]
    (box.project / name).write_bytes(data)
    for argv in (("plan",), ("init", "--dry-run"), ("lint",)):
        run = cli(*argv, str(box.project))
        assert "Traceback" not in run.text, (argv, run.text)
        if run.code == 2:
            assert "unexpected" not in one_error_line(run), (argv, run.text)


def test_deep_include_chain_is_one_line(box: Sandbox, cli: Callable[..., Run]) -> None:
    for i in range(300):
        (box.project / f"r{i}.txt").write_text(f"-r r{i + 1}.txt\n")
    (box.project / "r300.txt").write_text("flask==3.1.0\n")
    (box.project / "requirements.txt").write_text("-r r0.txt\n")
    line = one_error_line(cli("plan", str(box.project)))
    assert "nest deeper than" in line


def test_unexpected_exception_is_one_line_with_a_log(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def boom(*_: object, **__: object) -> None:
        raise KeyError("internal https://user:hunter2@index.example/simple")

    monkeypatch.setattr("dockwright.api.plan", boom)
    run = cli("plan", str(tmp_path))
    line = one_error_line(run)
    assert "unexpected KeyError" in line and "hunter2" not in line
    log = Path(line.split("details in ", 1)[1].split(" ")[0])
    assert log.is_file() and "Traceback" in log.read_text()
    debug = cli("--debug", "plan", str(tmp_path))
    assert debug.code == 2 and "Traceback" in debug.err and "hunter2" not in debug.err


def test_usage_errors_are_one_line(cli: Callable[..., Run]) -> None:
    for argv in (("plan", "--bogus"), ("lint", "--format", "xml"), ("nosuchverb",), ("init", "--port", "x")):
        line = one_error_line(cli(*argv))
        assert "--help" in line


def test_select_with_unknown_codes_is_an_error(box: Sandbox, cli: Callable[..., Run]) -> None:
    (box.project / "Dockerfile").write_text("FROM python:3.12.8-slim\n")
    line = one_error_line(cli("lint", str(box.project), "--select", "DW999,NOPE"))
    assert "DW999" in line and "NOPE" in line


def test_unreadable_app_says_so(
    box: Sandbox, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dockwright.project.tree import ProjectTree

    real = ProjectTree.read_bytes

    def unreadable(self: ProjectTree, rel: str) -> bytes:
        if rel == "app.py":
            raise ProjectError("cannot read file: Permission denied", file=rel)
        return real(self, rel)

    monkeypatch.setattr(ProjectTree, "read_bytes", unreadable)
    line = one_error_line(cli("plan", str(box.project)))
    assert "could not read app.py: cannot read file: Permission denied" in line


def test_fifo_is_not_missing(box: Sandbox, cli: Callable[..., Run]) -> None:
    import os

    (box.project / "requirements.txt").unlink()
    os.mkfifo(box.project / "requirements.txt")
    run = cli("plan", str(box.project), "--json")
    assert "Traceback" not in run.text
    assert "requirements.txt is not a regular file" in run.text


def test_cli_module_catches_once() -> None:
    assert callable(cli_module.main)


def test_pdm_app_still_plans(box: Sandbox, cli: Callable[..., Run]) -> None:
    use_example(box, "pdm-app")
    assert cli("plan", str(box.project)).code == 0
