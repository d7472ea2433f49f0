"""ProjectTree answers is_file/is_dir/exists from its folders' listings, each read once per tree
(docs/lean.md "Session 27"): the answers are the filesystem's, and a plain path costs no resolve."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def _resolves(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    called: list[Path] = []
    real = Path.resolve

    def counted(self: Path, strict: bool = False) -> Path:
        called.append(self)
        return real(self, strict=strict)

    monkeypatch.setattr(Path, "resolve", counted)
    return called


def test_paths_are_answered_from_one_listing_per_folder(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"pkg/mod.py": "", "pkg/sub/deep.py": "", "app.py": ""})
    tree = ProjectTree(root)
    listed: list[str] = []
    real_scandir = os.scandir

    def counted_scandir(path: str | Path) -> object:
        listed.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", counted_scandir)
    resolved = _resolves(monkeypatch)
    for n in range(200):
        assert not tree.is_file(f"pkg/missing_{n}.ini.example")
        assert not tree.is_dir(f"missing_{n}")
        assert not tree.exists(f"nowhere/deeper/{n}.py")
        assert tree.is_file("pkg/sub/deep.py") and not tree.is_dir("pkg/sub/deep.py")
        assert tree.is_dir("pkg/sub") and tree.exists("app.py")
    assert resolved == []
    assert sorted(Path(p).name for p in listed) == ["pkg", "proj0", "sub"]  # once each; nowhere is not


def test_answers_match_the_filesystem(make_project: MakeProject) -> None:
    root = make_project({"pkg/mod.py": "", "app.py": "", "conf/settings.ini": ""})
    (root / "linked.py").symlink_to(root / "app.py")
    (root / "linked_dir").symlink_to(root / "pkg")
    (root / "dangling.py").symlink_to(root / "gone.py")
    (root / "outside").symlink_to(root.parent)
    os.mkfifo(root / "pipe.ini")
    tree = ProjectTree(root)
    cases = [
        "app.py",
        "pkg",
        "pkg/mod.py",
        "pkg/other.py",
        "linked.py",
        "linked_dir/mod.py",
        "linked_dir/none.py",
        "dangling.py",
        "conf/settings.ini",
        "conf/../app.py",
        "./app.py",
        "pkg//mod.py",
        "app.py/inner",
        "APP.PY",
        "missing/app.py",
        "../outside.py",
        "outside",
        "outside/proj0/app.py",
        "pipe.ini",
        "pkg/mod.py/",
    ]
    for rel in cases:
        for kind in ("is_file", "is_dir", "exists"):
            assert getattr(tree, kind)(rel) == _resolved(root, rel, kind), (rel, kind)


def _resolved(root: Path, rel: str, kind: str) -> bool:
    """The answer as ProjectTree gave it before listings: the path resolved, kept inside the root."""
    base = root.resolve()
    try:
        path = (base / rel).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    if path != base and base not in path.parents:
        return False
    answer: bool = getattr(path, kind)()
    return answer


def test_a_folder_swapped_for_a_link_after_its_listing_leads_no_read_out(tmp_path: Path) -> None:
    """The listings answer what exists; a read resolves its path when it reads (a folder replaced by a
    link to /etc between the two must not be followed out of the project)."""
    import shutil

    from dockwright.errors import ProjectError

    root = tmp_path / "app"
    (root / "conf").mkdir(parents=True)
    (root / "conf" / "hostname").write_text("ours\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hostname").write_text("theirs\n")
    tree = ProjectTree(root)
    assert tree.is_file("conf/hostname")
    shutil.rmtree(root / "conf")
    (root / "conf").symlink_to(outside)
    with pytest.raises(ProjectError, match="leaves the project"):
        tree.read_text("conf/hostname")
