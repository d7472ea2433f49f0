from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.local_wheels import detect_local_wheels, wheel_path
from dockwright.project.managers import parse_requirements
from dockwright.project.pathdeps import declared_packages
from dockwright.project.tree import ProjectTree


def _tree(tmp_path: Path, files: dict[str, str], dirs: tuple[str, ...] = ()) -> ProjectTree:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    for rel in dirs:
        (tmp_path / rel).mkdir(parents=True, exist_ok=True)
    return ProjectTree(tmp_path)


def test_folder_beside_the_requirements_file(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {"requirements/base.txt": "--find-links ../wheels\nflask\n"}, ("wheels",))
    assert detect_local_wheels(tree, ["requirements/base.txt"]) == (
        Evidence("requirements/base.txt", 1, "wheels"),
    )


def test_folder_relative_to_the_project_root_when_not_beside(tmp_path: Path) -> None:
    files = {
        "requirements/base.txt": "flask\n-f vendor/wheels\n",
        "requirements.txt": "--find-links=./dist\n",
    }
    tree = _tree(tmp_path, files, ("vendor/wheels", "dist"))
    found = detect_local_wheels(tree, ["requirements.txt"])
    assert [(e.file, e.line, e.detail) for e in found] == [("requirements.txt", 1, "dist")]
    # pip finds the nested file's `vendor/wheels` from the working directory, uv (the lock, the
    # builder's install) from the file's folder only: refused with the path that both read
    with pytest.raises(ProjectError, match=re.escape("write --find-links ../vendor/wheels")):
        detect_local_wheels(tree, ["requirements/base.txt"])


def test_urls_are_indexes_not_folders(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {"requirements.txt": "--find-links https://example.org/wheels/\nflask\n"})
    assert detect_local_wheels(tree, ["requirements.txt"]) == ()


@pytest.mark.parametrize("where", ["../wheels", "../../shared/wheels", "file://../wheels"])
def test_relative_folder_outside_the_project_is_refused(tmp_path: Path, where: str) -> None:
    tree = _tree(tmp_path / "app", {"requirements.txt": f"--find-links {where}\nflask\n"}, ("wheels",))
    with pytest.raises(ProjectError, match="outside the project") as error:
        detect_local_wheels(tree, ["requirements.txt"])
    assert error.value.file == "requirements.txt" and error.value.line == 1
    assert "\n" not in error.value.message


@pytest.mark.parametrize("where", ["./wheels", "{outside}", "file://{outside}"])
def test_missing_folder_or_another_machines_absolute_path_is_ignored(tmp_path: Path, where: str) -> None:
    # pip-compile writes the compiling machine's PIP_FIND_LINKS (an absolute path); pip ignores a
    # location it cannot find, and so does dockwright (whether or not this host has that folder)
    (tmp_path / "outside").mkdir()
    where = where.format(outside=tmp_path / "outside")
    tree = _tree(tmp_path / "app", {"requirements.txt": f"-f {where}\nflask\n"})
    assert detect_local_wheels(tree, ["requirements.txt"]) == ()


def test_a_nested_requirements_files_folder_from_the_root_is_refused_with_the_fix(tmp_path: Path) -> None:
    # pip falls back to the working directory for `./wheels`; uv reads it from the file's folder only
    files = {
        "requirements/production.txt": "--find-links ./wheels\nhellolocal==1.0\n",
        "wheels/hellolocal-1.0-py3-none-any.whl": "PK",
    }
    with pytest.raises(ProjectError) as raised:
        detect_local_wheels(_tree(tmp_path / "a", files), ("requirements/production.txt",))
    assert "write --find-links ../wheels" in str(raised.value)
    files["requirements/production.txt"] = "--find-links ../wheels\nhellolocal==1.0\n"
    tree = _tree(tmp_path / "b", files)
    assert [e.detail for e in detect_local_wheels(tree, ("requirements/production.txt",))] == ["wheels"]


# --- wheel files a requirement names by path ------------------------------------------------------

WHEEL = "mylib-1.2.0-py3-none-any.whl"


@pytest.mark.parametrize(
    ("spec", "written"),
    [
        (f"./vendor/{WHEEL}", f"./vendor/{WHEEL}"),
        (f"vendor/{WHEEL}", f"vendor/{WHEEL}"),
        (f"file:./vendor/{WHEEL}", f"./vendor/{WHEEL}"),
        (f"mylib @ file:///${{PROJECT_ROOT}}/vendor/{WHEEL}", f"./vendor/{WHEEL}"),
        (f"mylib[fast] @ file:${{PROJECT_ROOT}}/vendor/{WHEEL}", f"./vendor/{WHEEL}"),
        (f"file:///srv/app/vendor/{WHEEL}#sha256=00", f"/srv/app/vendor/{WHEEL}"),
        (f"file://localhost/srv/app/vendor/{WHEEL}", f"/srv/app/vendor/{WHEEL}"),
        (
            "mylib @ file:./vendor/mylib-1.2.0%2Blocal-py3-none-any.whl",
            "./vendor/mylib-1.2.0+local-py3-none-any.whl",
        ),
        (f"./vendor/{WHEEL}; python_version >= '3.8'", f"./vendor/{WHEEL}"),
        (f"./vendor/{WHEEL} --hash=sha256:00", f"./vendor/{WHEEL}"),
    ],
)
def test_wheel_path_reads_every_spelling_pip_and_uv_take(spec: str, written: str) -> None:
    assert wheel_path(spec) == written


@pytest.mark.parametrize(
    "spec",
    [
        "mylib==1.2.0",
        f"mylib @ https://example.org/{WHEEL}",
        "./libs/mylib",
        "file:../lib",
        "./x-1.0.tar.gz",
        f"mylib @ file:///${{WHEELS}}/{WHEEL}",
    ],
)
def test_wheel_path_leaves_other_requirements_alone(spec: str) -> None:
    assert wheel_path(spec) is None


def test_a_bare_relative_wheel_path_is_a_path_requirement(tmp_path: Path) -> None:
    # pip reads `wheels/x.whl` as a path (a `/` and an archive ending), never as a requirement name
    tree = _tree(tmp_path, {"requirements.txt": "wheels/foo-0.3-cp311-cp311-manylinux_2_17_x86_64.whl\n"})
    (req,) = parse_requirements(tree, "requirements.txt")[0]
    assert (req.source, req.text) == ("path", "wheels/foo-0.3-cp311-cp311-manylinux_2_17_x86_64.whl")


@pytest.mark.parametrize(
    "line",
    [
        f"./vendor/{WHEEL}",
        f"vendor/{WHEEL}",
        f"file:./vendor/{WHEEL}",
        f"mylib @ file:///${{PROJECT_ROOT}}/vendor/{WHEEL}",
        f"mylib @ file://%ROOT%/vendor/{WHEEL}",  # pip-compile writes the absolute URL
        f"%ROOT%/vendor/{WHEEL} ; python_version >= '3.8'",
    ],
)
def test_wheel_files_inside_the_project_are_facts(tmp_path: Path, line: str) -> None:
    root = tmp_path / "app"
    line = line.replace("%ROOT%", str(root.resolve()))
    tree = _tree(root, {"requirements.txt": f"flask\n{line}\n", f"vendor/{WHEEL}": "PK"})
    assert detect_local_wheels(tree, ["requirements.txt"]) == (
        Evidence("requirements.txt", 2, f"vendor/{WHEEL}"),
    )


def test_a_wheel_named_in_an_include_is_read_from_the_project_root(tmp_path: Path) -> None:
    # pip and uv read a requirement's path from the working directory, not from the include's folder
    files = {
        "requirements.txt": "-r requirements/base.txt\n",
        "requirements/base.txt": f"flask\n./vendor/{WHEEL}\n",
        f"vendor/{WHEEL}": "PK",
    }
    tree = _tree(tmp_path, files)
    found = detect_local_wheels(tree, ["requirements.txt", "requirements/base.txt"])
    assert found == (Evidence("requirements/base.txt", 2, f"vendor/{WHEEL}"),)


def test_folders_and_wheel_files_together(tmp_path: Path) -> None:
    files = {
        "requirements.txt": f"--find-links ./wheels\nalpha==1.0\n./vendor/{WHEEL}\n",
        f"vendor/{WHEEL}": "PK",
    }
    tree = _tree(tmp_path, files, ("wheels",))
    assert [e.detail for e in detect_local_wheels(tree, ["requirements.txt"])] == [
        f"vendor/{WHEEL}",
        "wheels",
    ]


@pytest.mark.parametrize(
    "line", [f"./vendor/{WHEEL}", f"file:vendor/{WHEEL}", f"mylib @ file:///${{PROJECT_ROOT}}/vendor/{WHEEL}"]
)
def test_a_missing_wheel_file_is_one_line(tmp_path: Path, line: str) -> None:
    tree = _tree(tmp_path, {"requirements.txt": f"flask\n{line}\n"}, ("vendor",))
    with pytest.raises(ProjectError, match="no such wheel file in the project") as error:
        detect_local_wheels(tree, ["requirements.txt"])
    assert (error.value.file, error.value.line) == ("requirements.txt", 2)
    assert "\n" not in error.value.message


@pytest.mark.parametrize(
    "line",
    [
        f"../dist/{WHEEL}",
        f"file:../dist/{WHEEL}",
        f"mylib @ file:///${{PROJECT_ROOT}}/../dist/{WHEEL}",
        f"OUTSIDE/{WHEEL}",
        f"mylib @ file://OUTSIDE/{WHEEL}",
    ],
)
def test_a_wheel_outside_the_project_is_refused_in_one_line(tmp_path: Path, line: str) -> None:
    # there or not on this machine, no build context holds it (an absolute path is this machine's)
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / WHEEL).write_text("PK")
    line = line.replace("OUTSIDE", str(tmp_path / "dist"))
    tree = _tree(tmp_path / "app", {"requirements.txt": f"flask\n{line}\n"})
    with pytest.raises(ProjectError, match="is a wheel outside the project") as error:
        detect_local_wheels(tree, ["requirements.txt"])
    assert (error.value.file, error.value.line) == ("requirements.txt", 2)
    assert "\n" not in error.value.message


def test_a_missing_wheel_is_an_exit_2_error_of_plan(tmp_path: Path) -> None:
    root = tmp_path / "app"
    _tree(root, {"requirements.txt": f"flask\n./vendor/{WHEEL}\n", "app.py": "import flask\n"})
    done = subprocess.run(
        [sys.executable, "-m", "dockwright", "plan", str(root)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"error: requirements.txt:2: ./vendor/{WHEEL}: no such wheel file in the project (pip and uv read "
        "the path from the project's root, where the install runs): build the wheel there or correct the path"
    ]


def test_a_pyproject_dependency_on_a_wheel_file_is_a_fact_not_a_path_dependency(tmp_path: Path) -> None:
    # PDM's spelling, which uv reads too: the file is a wheel to install, not a folder to build
    pyproject = (
        '[project]\nname = "app"\nversion = "0.1"\n'
        f'dependencies = [\n  "flask",\n  "mylib @ file:///${{PROJECT_ROOT}}/vendor/{WHEEL}",\n]\n'
    )
    tree = _tree(tmp_path, {"pyproject.toml": pyproject, f"vendor/{WHEEL}": "PK"})
    assert detect_local_wheels(tree, ["pyproject.toml"]) == (
        Evidence("pyproject.toml", 6, f"vendor/{WHEEL}"),
    )
    assert declared_packages(tree) == []
    (tmp_path / "vendor" / WHEEL).unlink()
    with pytest.raises(ProjectError, match="no such wheel file in the project") as error:
        detect_local_wheels(ProjectTree(tmp_path), ["pyproject.toml"])
    assert (error.value.file, error.value.line) == ("pyproject.toml", 6)
