"""Poetry/PDM path dependencies: where they are, which build context holds them, and what is refused."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.lock.convert import convert
from dockwright.project.detect import detect_project
from dockwright.project.workspace import locate

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "poetry-pathdep"
HASH = "sha256:" + "0" * 64

FLASK_APP = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index() -> str:\n    return "ok"\n'


def _lib(folder: Path, name: str, *, backend: bool = True) -> None:
    (folder / name).mkdir(parents=True)
    (folder / name / "__init__.py").write_text("VALUE = 1\n")
    if backend:
        (folder / "pyproject.toml").write_text(
            f'[project]\nname = "{name}"\nversion = "0.1.0"\n\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        )


def _poetry_app(app: Path, lib: str, *, group: str = "main") -> None:
    app.mkdir(parents=True, exist_ok=True)
    (app / "app.py").write_text(FLASK_APP)
    table = "[tool.poetry.dependencies]" if group == "main" else f"[tool.poetry.group.{group}.dependencies]"
    (app / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [tool.poetry]
            name = "shop"
            version = "1.0.0"
            description = ""
            authors = []
            package-mode = false

            [tool.poetry.dependencies]
            python = "~3.11"
            flask = "3.0.3"

            {table if group != "main" else ""}
            mylib = {{path = "{lib}", develop = true}}
            """
        )
    )
    (app / "poetry.lock").write_text(
        textwrap.dedent(
            f"""\
            [[package]]
            name = "flask"
            version = "3.0.3"
            description = ""
            optional = false
            python-versions = ">=3.8"
            groups = ["main"]
            files = [{{file = "flask-3.0.3-py3-none-any.whl", hash = "{HASH}"}}]

            [[package]]
            name = "mylib"
            version = "0.1.0"
            description = ""
            optional = false
            python-versions = ">=3.11"
            groups = ["{group}"]
            files = []
            develop = true

            [package.dependencies]
            flask = "*"

            [package.source]
            type = "directory"
            url = "{lib}"

            [metadata]
            lock-version = "2.1"
            python-versions = "~3.11"
            content-hash = "0"
            """
        )
    )


def _pdm_app(app: Path, lib: str) -> None:
    app.mkdir(parents=True, exist_ok=True)
    (app / "app.py").write_text(FLASK_APP)
    (app / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [project]
            name = "shop"
            version = "1.0.0"
            requires-python = "==3.11.*"
            dependencies = ["flask==3.0.3", "mylib @ file:///${{PROJECT_ROOT}}/{lib}"]
            """
        )
    )
    (app / "pdm.lock").write_text(
        textwrap.dedent(
            f"""\
            [metadata]
            groups = ["default"]
            strategy = ["inherit_metadata"]
            lock_version = "4.5.0"

            [[package]]
            name = "flask"
            version = "3.0.3"
            groups = ["default"]
            files = [{{file = "flask-3.0.3-py3-none-any.whl", hash = "{HASH}"}}]

            [[package]]
            name = "mylib"
            version = "0.1.0"
            requires_python = ">=3.11"
            path = "./{lib}"
            groups = ["default"]
            dependencies = ["flask"]
            """
        )
    )


def test_a_library_beside_the_app_moves_the_context_up(tmp_path: Path) -> None:
    _lib(tmp_path / "libs" / "mylib", "mylib")
    _poetry_app(tmp_path / "app", "../libs/mylib")
    location = locate(tmp_path / "app")
    assert location.app == tmp_path / "app" and location.context == tmp_path
    facts = location.workspace
    assert facts is not None and facts.kind == "path-dependencies"
    assert facts.member.value == "app" and facts.packages == ("libs/mylib",)
    assert facts.build_requires == ("hatchling",)
    (copy,) = facts.copies
    assert copy.evidence[0].file == "poetry.lock" and copy.evidence[0].line == 11
    assert "smallest folder holding the app (app/)" in facts.member.evidence[0].detail


def test_a_library_inside_the_app_keeps_the_app_as_context(tmp_path: Path) -> None:
    _lib(tmp_path / "libs" / "mylib", "mylib")
    _poetry_app(tmp_path, "libs/mylib")
    facts = locate(tmp_path).workspace
    assert facts is not None and facts.context == str(tmp_path) and facts.member.value == "."
    assert facts.packages == ("libs/mylib",)


def test_pdm_file_url_dependency(tmp_path: Path) -> None:
    _lib(tmp_path / "libs" / "mylib", "mylib")
    _pdm_app(tmp_path / "svc", "../libs/mylib")
    facts = locate(tmp_path / "svc").workspace
    assert facts is not None and facts.lock_file == "pdm.lock" and facts.packages == ("libs/mylib",)


def test_the_path_packages_leave_the_locked_set(tmp_path: Path) -> None:
    """Built from their folders: no sdist to compile, so no compiler is planned for them."""
    _lib(tmp_path / "libs" / "mylib", "mylib")
    _poetry_app(tmp_path / "app", "../libs/mylib")
    facts = detect_project(tmp_path / "app")
    assert [p.name for p in facts.dependencies.locked] == ["flask"]
    assert facts.native == ()


def test_a_dev_only_path_dependency_is_not_built(tmp_path: Path) -> None:
    _lib(tmp_path / "libs" / "mylib", "mylib")
    _poetry_app(tmp_path / "app", "../libs/mylib", group="dev")
    assert locate(tmp_path / "app").workspace is None


def test_the_example_lock_leaves_the_paths_out_and_keeps_their_dependencies() -> None:
    body = convert(EXAMPLE, "convert-poetry", "app/poetry.lock", "3.11.15")
    names = {line.split("==")[0] for line in body.splitlines() if "==" in line}
    assert "markupsafe" in names and "flask" in names  # markupsafe: the library's own dependency
    assert not names & {"greetings", "textkit"}
    assert "file:" not in body and "../" not in body


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: _poetry_app(root / "app", "../libs/missing"), "which is not a folder"),
        (
            lambda root: (_poetry_app(root / "app", "../mylib.whl"), (root / "mylib.whl").write_bytes(b"")),
            "a file \\(a built distribution\\) that no lock hashes",
        ),
        (
            lambda root: (
                _lib(root / "libs" / "mylib", "mylib", backend=False),
                _poetry_app(root / "app", "../libs/mylib"),
            ),
            "has no pyproject.toml or setup.py",
        ),
    ],
)
def test_unusable_folders_are_refused(tmp_path: Path, make: object, message: str) -> None:
    make(tmp_path)  # type: ignore[operator]
    with pytest.raises(ProjectError, match=message):
        locate(tmp_path / "app")


def test_a_symlinked_library_is_refused(tmp_path: Path) -> None:
    _lib(tmp_path / "elsewhere" / "mylib", "mylib")
    (tmp_path / "repo" / "libs").mkdir(parents=True)
    (tmp_path / "repo" / "libs" / "mylib").symlink_to(tmp_path / "elsewhere" / "mylib")
    _poetry_app(tmp_path / "repo" / "app", "../libs/mylib")
    with pytest.raises(ProjectError, match=r"reached through a symlink .* never follows a symlink"):
        locate(tmp_path / "repo" / "app")


def test_a_library_outside_the_repository_is_refused(tmp_path: Path) -> None:
    _lib(tmp_path / "shared" / "mylib", "mylib")
    _poetry_app(tmp_path / "repo" / "app", "../../shared/mylib")
    (tmp_path / "repo" / ".git").mkdir()
    with pytest.raises(ProjectError, match=r"outside the repository at .*repo"):
        locate(tmp_path / "repo" / "app")


def test_a_library_far_above_an_app_in_no_repository_is_refused(tmp_path: Path) -> None:
    _lib(tmp_path / "mylib", "mylib")
    deep = tmp_path / "a" / "b" / "c" / "d" / "e" / "f" / "g" / "h" / "i"
    _poetry_app(deep, "../" * 9 + "mylib")
    with pytest.raises(ProjectError, match="9 folders above the app with no repository"):
        locate(deep)


def test_the_cli_refuses_in_one_line_with_exit_2(tmp_path: Path) -> None:
    _lib(tmp_path / "shared" / "mylib", "mylib")
    _poetry_app(tmp_path / "repo" / "app", "../../shared/mylib")
    (tmp_path / "repo" / ".git").mkdir()
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run(
        [sys.executable, "-m", "dockwright", "plan", str(tmp_path / "repo" / "app")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
        check=False,
    )
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert (
        len(lines) == 1 and "mylib is installed from ../../shared/mylib, outside the repository" in lines[0]
    )
    assert "Traceback" not in result.stderr


def test_an_app_that_depends_only_on_its_libraries_has_no_locked_layer(tmp_path: Path) -> None:
    _lib(tmp_path / "libs" / "mylib", "mylib")
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text('if __name__ == "__main__":\n    print("hi")\n')
    (app / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "job"\nversion = "1.0.0"\ndescription = ""\nauthors = []\n'
        'package-mode = false\n\n[tool.poetry.dependencies]\npython = "~3.11"\n'
        'mylib = {path = "../libs/mylib"}\n'
    )
    (app / "poetry.lock").write_text(
        '[[package]]\nname = "mylib"\nversion = "0.1.0"\ndescription = ""\noptional = false\n'
        'python-versions = "*"\ngroups = ["main"]\nfiles = []\ndevelop = false\n\n'
        '[package.source]\ntype = "directory"\nurl = "../libs/mylib"\n\n'
        '[metadata]\nlock-version = "2.1"\npython-versions = "~3.11"\ncontent-hash = "0"\n'
    )
    deps = detect_project(app).dependencies
    assert deps.locked == () and deps.declared == (), "the library is built from its folder, not locked"


def test_without_a_lock_the_declared_paths_are_followed_library_by_library(tmp_path: Path) -> None:
    """A member of a repository whose lock is elsewhere: the pyproject's path tables, and the libraries'."""
    _lib(tmp_path / "libs" / "base", "base")
    _lib(tmp_path / "libs" / "mylib", "mylib")
    lib = tmp_path / "libs" / "mylib" / "pyproject.toml"
    lib.write_text(
        lib.read_text().replace(
            'version = "0.1.0"\n',
            'version = "0.1.0"\ndependencies = ["base @ file:///${PROJECT_ROOT}/../base"]\n',
        )
    )
    _poetry_app(tmp_path / "app", "../libs/mylib")
    (tmp_path / "app" / "poetry.lock").unlink()
    facts = locate(tmp_path / "app").workspace
    assert facts is not None and facts.lock_file is None
    assert facts.packages == ("libs/mylib", "libs/base") and facts.distributions == ("mylib", "base")
    assert facts.member.evidence[0].file == "pyproject.toml"
