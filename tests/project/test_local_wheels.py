from __future__ import annotations

import re
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.local_wheels import detect_local_wheels
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
