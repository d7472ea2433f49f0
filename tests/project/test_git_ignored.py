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


def test_a_tracked_file_a_pattern_matches_is_re_included_and_a_tree_without_an_index_carries_nothing(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {
        ".gitignore": "*.log\n/data/*\n!/data/.gitkeep\n",
        "fixtures/sample.log": "x",
        "data/.gitkeep": "",
    }
    root = _checkout(make_project(files), "fixtures/sample.log", "data/.gitkeep")  # force-added
    assert [f.value for f in git_ignored(ProjectTree(root))] == [
        "**/*.log",
        "!fixtures/sample.log",
        "data/*",
        "!data/.gitkeep",
    ]  # the negation itself is not carried: the tracked file is re-included instead
    assert git_ignored(ProjectTree(make_project(files))) == ()  # a copy: local or tracked, unknown


@pytest.mark.parametrize(
    "line",
    [
        "!config",  # a negation would re-admit .git/config
        "!**",
        "cache[]",  # a class Docker's matcher reads otherwise, or refuses
        "bad[",
        "notes\\ ",  # an escaped trailing space
        "\\#literal",
        "*a*a*a*a*a*a*a*a*a*a*ab",  # wildcards enough to backtrack for long
    ],
)
def test_lines_the_dockerignore_would_read_otherwise_are_left_out(
    make_project: MakeProject, line: str
) -> None:
    root = _checkout(make_project({".gitignore": f"settings/*\n{line}\n", "a" * 60: "x"}))
    assert [f.value for f in git_ignored(ProjectTree(root))] == ["settings/*"]


def test_a_gitignore_that_is_not_utf8_or_a_split_index_carries_nothing(make_project: MakeProject) -> None:
    root = _checkout(make_project({".gitignore": b"logs\n\xff\xfe\n"}))
    assert git_ignored(ProjectTree(root)) == ()
    root = _checkout(make_project({".gitignore": "logs\n", "app.py": ""}))
    subprocess.run(["git", "-C", str(root), "update-index", "--split-index"], check=True)
    assert git_ignored(ProjectTree(root)) == ()


def test_an_app_folder_of_a_checkout_takes_the_checkouts_patterns_for_its_folder(
    make_project: MakeProject,
) -> None:
    root = _checkout(
        make_project(
            {
                ".gitignore": "*.log\n/backend/media/\n/frontend/dist\n",
                "backend/app.py": "",
                "frontend/index.html": "",
            }
        )
    )
    found = git_ignored(ProjectTree(root / "backend"), ProjectTree(root))
    assert [f.value for f in found] == ["**/*.log", "media"]
    assert found[1].evidence[0].file == ".gitignore of the checkout"


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
