from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project import tree as tree_mod
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such directory"):
        ProjectTree(tmp_path / "nope")


def test_not_utf8_names_the_file(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": b"flask\xff\n"})
    with pytest.raises(ProjectError) as info:
        ProjectTree(root).read_text("requirements.txt")
    assert str(info.value).startswith("requirements.txt: not UTF-8")


def test_size_cap(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({"big.txt": "x" * 100})
    monkeypatch.setattr(tree_mod, "MAX_FILE_BYTES", 10)
    with pytest.raises(ProjectError, match="too large") as info:
        ProjectTree(root).read_text("big.txt")
    assert info.value.file == "big.txt"


def test_broken_toml_names_file_and_line(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "x"\nversion = \n'})
    with pytest.raises(ProjectError) as info:
        ProjectTree(root).read_toml("pyproject.toml")
    assert info.value.file == "pyproject.toml"
    assert info.value.line == 3
    assert str(info.value).startswith("pyproject.toml:3: invalid TOML")


def test_path_cannot_leave_root(make_project: MakeProject) -> None:
    root = make_project({"a.py": ""})
    with pytest.raises(ProjectError, match="leaves the project"):
        ProjectTree(root).read_text("../outside")


def test_links_are_resolved_where_a_path_has_one(tmp_path: Path) -> None:
    """A path without links is the root's path joined (no resolve); a link at any depth, to inside or
    outside the project, is resolved as before, and "..", "." and empty parts too."""
    root = tmp_path / "app"
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "sub" / "mod.py").write_text("ours = 1\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mod.py").write_text("theirs = 1\n")
    (root / "pkg" / "out").symlink_to(outside)
    (root / "pkg" / "in").symlink_to(root / "pkg" / "sub")
    (root / "leaf.py").symlink_to(outside / "mod.py")
    tree = ProjectTree(root)
    assert tree.read_text("pkg/sub/mod.py") == "ours = 1\n"
    assert tree.read_text("pkg/in/mod.py") == "ours = 1\n"
    assert tree.read_text("pkg/sub/../sub/./mod.py") == "ours = 1\n"
    assert not tree.is_file("pkg/missing/mod.py")
    with pytest.raises(ProjectError, match="not a path"):
        tree.read_text("pkg/missing/a\0b.py")  # a NUL after a missing part: resolve reports it
    for escape in ("pkg/out/mod.py", "leaf.py", "pkg/sub/../../../outside/mod.py", "/etc/hostname"):
        with pytest.raises(ProjectError, match="leaves the project"):
            tree.read_text(escape)


def test_python_files_skip_venvs_and_caches(make_project: MakeProject) -> None:
    root = make_project(
        {
            "app.py": "",
            "pkg/mod.py": "",
            "venv/pyvenv.cfg": "home = /usr\n",
            "venv/lib/x.py": "",
            ".hidden/y.py": "",
            "build/z.py": "",
            "pkg/__pycache__/c.py": "",
        }
    )
    tree = ProjectTree(root)
    assert tree.python_files == ("app.py", "pkg/mod.py")
    assert tree.venv_dirs == ("venv",)


def test_utf16_requirements_with_a_bom_are_read(tmp_path: Path) -> None:
    """`pip freeze > requirements.txt` in Windows PowerShell writes UTF-16 with a BOM; pip reads it."""
    from dockwright.project.tree import ProjectTree

    (tmp_path / "requirements.txt").write_bytes("flask==3.0.3\r\ngunicorn==23.0.0\r\n".encode("utf-16"))
    assert ProjectTree(tmp_path).read_text("requirements.txt") == "flask==3.0.3\ngunicorn==23.0.0\n"


def test_a_toml_table_is_each_callers_own_and_follows_the_file(tmp_path: Path) -> None:
    """read_toml parses one text once per process (detectors read uv.lock many times): a caller's
    change never reaches the next caller, and a changed or broken file is read as it now is."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "own-demo"\ndependencies = ["alpha"]\n')
    first = ProjectTree(tmp_path).read_toml("pyproject.toml")
    first["project"]["dependencies"].append("beta")
    assert ProjectTree(tmp_path).read_toml("pyproject.toml")["project"]["dependencies"] == ["alpha"]
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "own-demo"\ndependencies = []\n')
    assert ProjectTree(tmp_path).read_toml("pyproject.toml")["project"]["dependencies"] == []
    (tmp_path / "pyproject.toml").write_text("[project\n")
    for _ in range(2):
        with pytest.raises(ProjectError, match="invalid TOML"):
            ProjectTree(tmp_path).read_toml("pyproject.toml")


def test_a_toml_text_is_checked_under_each_files_name(tmp_path: Path) -> None:
    """The same text in two files: its table, kept by text, is checked again under the second file's
    name (a shape only pyproject.toml has)."""
    text = "[project]\ndependencies = 'alpha'\n"
    (tmp_path / "other.toml").write_text(text)
    (tmp_path / "pyproject.toml").write_text(text)
    assert ProjectTree(tmp_path).read_toml("other.toml")["project"]["dependencies"] == "alpha"
    with pytest.raises(ProjectError, match="dependencies"):
        ProjectTree(tmp_path).read_toml("pyproject.toml")


def test_kept_toml_hands_each_caller_a_copy_of_the_table_read(tmp_path: Path) -> None:
    text = "[project]\nname = 'svc'\ndependencies = ['alpha']\n"
    (tmp_path / "pyproject.toml").write_text(text)
    assert tree_mod.kept_toml("pyproject.toml", text + "# another text\n") is None
    ProjectTree(tmp_path).read_toml("pyproject.toml")
    copied = tree_mod.kept_toml("pyproject.toml", text)
    assert copied is not None and copied["project"]["dependencies"] == ["alpha"]
    copied["project"]["dependencies"].append("beta")
    assert tree_mod.kept_toml("pyproject.toml", text) == {
        "project": {"name": "svc", "dependencies": ["alpha"]}
    }
    assert tree_mod.kept_toml("other.toml", text) is None
