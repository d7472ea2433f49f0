"""The root .gitignore's patterns leave the build context too (project/git_ignored.py, plan/common.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright import api
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.project.git_ignored import git_ignored
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
APP = "from flask import Flask\n\napp = Flask(__name__)\n"


def _checkout(root: Path, *forced: str) -> Path:
    """``root`` as a git checkout: what .gitignore leaves, and ``forced`` (added with ``git add -f``)."""
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    if forced:
        subprocess.run([*git, "add", "-f", *forced], check=True)
    return root


@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        ("logs", "**/logs"),
        ("*.log", "**/*.log"),
        ("/data/", "data"),
        ("node_modules/", "**/node_modules"),
        ("monitoring/alerts.yaml", "monitoring/alerts.yaml"),
        ("docs/**/*.tmp", "docs/**/*.tmp"),
        ("!keep.log", "!**/keep.log"),
        ("\\#notes", "**/#notes"),
        ("trailing   ", "**/trailing"),
    ],
)
def test_a_gitignore_pattern_as_the_dockerignore_says_it(
    make_project: MakeProject, line: str, pattern: str
) -> None:
    root = _checkout(make_project({".gitignore": f"# local files\n\n{line}\n"}))
    found = git_ignored(ProjectTree(root))
    assert [f.value for f in found] == [pattern]
    assert (found[0].evidence[0].file, found[0].evidence[0].line) == (".gitignore", 3)


def test_an_allowlist_gitignore_is_not_carried_over(make_project: MakeProject) -> None:
    root = _checkout(make_project({".gitignore": "*\n!src/\n!pyproject.toml\n", "src/a.py": ""}))
    assert git_ignored(ProjectTree(root)) == ()


def test_a_pattern_matching_a_tracked_file_or_a_tree_without_an_index_is_not_carried_over(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {".gitignore": "*.log\nlocal/\n", "fixtures/sample.log": "x"}
    root = _checkout(make_project(files), "fixtures/sample.log")  # force-added: a clone has it
    assert [f.value for f in git_ignored(ProjectTree(root))] == ["**/local"]
    assert git_ignored(ProjectTree(make_project(files))) == ()  # a copy: local or tracked, unknown


def test_the_context_leaves_out_what_a_clone_lacks_but_keeps_what_the_build_reads(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "app.py": APP,
            "requirements.txt": "flask\ngunicorn\n",
            # a developer's local files, and (oddly) the requirements file the build reads
            ".gitignore": "/data/\nmonitoring/alerts.yaml\n*.txt\nlogs\n",
            "monitoring/alerts.yaml": "bot_token: local\n",
            "data/db/base": "rows",
            "logs/app.log": "started",
        }
    )
    plan = api.plan(_checkout(root), syntax_directive=False)
    rules = DockerIgnore.parse("\n".join(e.pattern for e in plan.dockerignore))
    for local in ("monitoring/alerts.yaml", "data/db/base", "logs/app.log", "web/logs/x.log"):
        assert rules.excluded(local), local
    assert not rules.excluded("requirements.txt") and not rules.excluded("app.py")
    reason = next(d.reason for d in plan.decisions if d.topic == "dockerignore")
    assert "what .gitignore lists (4 patterns" in reason
