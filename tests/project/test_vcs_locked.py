"""A manager lock's VCS package is left out of the hash-locked requirements.lock: a git one is built from
its commit (project/gitdeps.py, no note); any other the plan names, with the lock's line
(project/vcs_locked.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]
H = "sha256:" + "d" * 64

PYPROJECT = (
    '[build-system]\nrequires = ["poetry-core>=2.0"]\nbuild-backend = "poetry.core.masonry.api"\n\n'
    '[project]\nname = "mytool"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["corelib @ git+https://example.org/corelib.git", "click"]\n\n'
    '[project.scripts]\nmytool = "mytool.cli:main"\n\n'
    '[tool.poetry.group.dev.dependencies]\ndevtool = { git = "https://example.org/devtool.git" }\n'
)


def _git_package(name: str, group: str) -> str:
    return (
        f'[[package]]\nname = "{name}"\nversion = "0.9"\noptional = false\npython-versions = ">=3.9"\n'
        f'groups = ["{group}"]\nfiles = []\ndevelop = false\n\n'
        f'[package.source]\ntype = "git"\nurl = "https://example.org/{name}.git"\nreference = "HEAD"\n'
        'resolved_reference = "' + "e" * 40 + '"\n\n'
    )


LOCK = (
    '[[package]]\nname = "click"\nversion = "8.1.7"\noptional = false\npython-versions = ">=3.7"\n'
    f'groups = ["main"]\nfiles = [{{file = "click-8.1.7-py3-none-any.whl", hash = "{H}"}}]\n\n'
    + _git_package("corelib", "main")
    + _git_package("devtool", "dev")
    + '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.11"\ncontent-hash = "x"\n'
)


def test_a_git_package_of_the_lock_is_built_from_its_commit_not_named(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "poetry.lock": LOCK,
            "mytool/__init__.py": "",
            "mytool/cli.py": "import corelib\n\n\ndef main():\n    corelib.run()\n",
        }
    )
    facts = detect_project(root, python="3.13")
    assert not [n for n in facts.notes if "VCS checkout" in n]
    # the dev group's checkout is not installed anyway: only the main one is built
    assert [(d.name, d.commit) for d in facts.dependencies.git] == [("corelib", "e" * 40)]


def test_a_locked_hg_package_is_still_named(make_project: MakeProject) -> None:
    pipfile_lock = (
        '{"_meta": {"hash": {"sha256": "x"}, "pipfile-spec": 6, "requires": {}, "sources": []},\n'
        '"default": {\n"corelib": {"hg": "https://example.org/corelib", "ref": "' + "e" * 40 + '"}\n},\n'
        '"develop": {}}\n'
    )
    root = make_project(
        {
            "Pipfile": '[packages]\ncorelib = {hg = "https://example.org/corelib"}\n',
            "Pipfile.lock": pipfile_lock,
            "main.py": "import corelib\n\nif __name__ == '__main__':\n    corelib.run()\n",
        }
    )
    facts = detect_project(root, python="3.13")
    assert [n for n in facts.notes if "VCS checkout" in n], facts.notes
    assert facts.dependencies.git == ()


def test_a_lock_without_vcs_packages_says_nothing(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT.replace('"corelib @ git+https://example.org/corelib.git", ', ""),
            "poetry.lock": LOCK.replace(_git_package("corelib", "main"), ""),
            "mytool/__init__.py": "",
            "mytool/cli.py": "def main():\n    pass\n",
        }
    )
    assert not [n for n in detect_project(root, python="3.13").notes if "VCS checkout" in n]
