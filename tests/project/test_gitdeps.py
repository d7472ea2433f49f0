"""Git dependencies in every form a project declares them, the commit a lock pins for each, and the
URLs refused (project/gitdeps.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.detect import detect_project
from dockwright.project.facts import GitDependency
from dockwright.project.gitdeps import generated_commits, split_url

MakeProject = Callable[[dict[str, str | bytes]], Path]
SHA = "ecf4e8e5d01a42ea1fbcaa22d7279c5d31b8527b"
OTHER = "a" * 40
APP = {"app.py": "from flask import Flask\nimport greet\napp = Flask(__name__)\n"}
PEP621 = "[project]\nname = 'svc'\nversion = '0.1'\nrequires-python = '>=3.11'\n"


def _git(make_project: MakeProject, files: dict[str, str]) -> tuple[GitDependency, ...]:
    return detect_project(make_project({**APP, **files}), python="3.13").dependencies.git


def test_a_requirements_line_with_a_branch_is_found_unpinned(make_project: MakeProject) -> None:
    deps = _git(
        make_project,
        {"requirements.txt": "flask==3.0.3\ngreet @ git+https://git.example.org/lib/greet@main\n"},
    )
    assert [(d.name, d.url, d.ref, d.commit) for d in deps] == [
        ("greet", "https://git.example.org/lib/greet", "main", None)
    ]
    assert (deps[0].evidence[0].file, deps[0].evidence[0].line) == ("requirements.txt", 2)


def test_egg_and_editable_lines_and_a_nameless_line_take_their_names(make_project: MakeProject) -> None:
    text = (
        f"-e git+https://git.example.org/lib/greet.git@{SHA}#egg=greet\n"
        f"git+https://github.com/org/discord-ext-menus@{OTHER}\n"
        "git+ssh://git@github.com/org/private.git@v2#egg=private&subdirectory=py\n"
    )
    deps = _git(make_project, {"requirements.txt": text})
    assert [(d.name, d.ref, d.commit, d.subdirectory) for d in deps] == [
        ("greet", SHA, SHA, None),
        ("discord-ext-menus", OTHER, OTHER, None),  # pip names it from its metadata: the repository's name
        ("private", "v2", None, "py"),
    ]
    assert deps[2].url == "ssh://git@github.com/org/private.git"


def test_pep621_uv_sources_poetry_and_pipfile_tables(make_project: MakeProject) -> None:
    pep = PEP621 + f"dependencies = ['flask', 'greet @ git+https://git.example.org/greet.git@{SHA}']\n"
    assert _git(make_project, {"pyproject.toml": pep})[0].commit == SHA
    uv = (
        PEP621
        + "dependencies = ['greet']\n[tool.uv.sources]\ngreet = { git = 'https://h.example/greet', tag = 'v1' }\n"
    )
    (dep,) = _git(make_project, {"pyproject.toml": uv})
    assert (dep.ref, dep.commit, dep.evidence[0].line) == ("v1", None, 7)
    poetry = (
        "[tool.poetry]\nname = 'svc'\nversion = '0.1'\ndescription = ''\nauthors = []\n"
        "[tool.poetry.dependencies]\npython = '^3.11'\n"
        "greet = { git = 'git@github.com:org/greet.git', branch = 'main', subdirectory = 'pkg' }\n"
    )
    (dep,) = _git(make_project, {"pyproject.toml": poetry})
    assert (dep.url, dep.ref, dep.subdirectory) == ("ssh://git@github.com/org/greet.git", "main", "pkg")
    pipfile = "[packages]\nflask = '*'\ngreet = {git = 'https://h.example/greet.git', ref = 'main'}\n"
    assert [(d.name, d.ref) for d in _git(make_project, {"Pipfile": pipfile})] == [("greet", "main")]


UV_LOCK = (
    'version = 1\nrequires-python = ">=3.11"\n\n'
    '[[package]]\nname = "svc"\nversion = "0.1"\nsource = { virtual = "." }\ndependencies = [{ name = "greet" }]\n\n'
    f'[[package]]\nname = "greet"\nversion = "0.1.0"\nsource = {{ git = "https://h.example/greet?rev=main#{SHA}" }}\n'
)
PDM_LOCK = (
    '[metadata]\ngroups = ["default"]\nlock_version = "4.5.0"\ncontent_hash = "sha256:x"\n\n'
    f'[[package]]\nname = "greet"\nversion = "0.1.0"\ngit = "https://h.example/greet.git"\nref = "main"\n'
    f'revision = "{SHA}"\ngroups = ["default"]\nsummary = ""\n'
)


def test_the_commit_comes_from_uv_lock_and_pdm_lock(make_project: MakeProject) -> None:
    uv = (
        PEP621
        + "dependencies = ['greet']\n[tool.uv.sources]\ngreet = { git = 'https://h.example/greet', rev = 'main' }\n"
    )
    (dep,) = _git(make_project, {"pyproject.toml": uv, "uv.lock": UV_LOCK})
    assert dep.commit == SHA
    assert (dep.evidence[-1].file, dep.evidence[-1].line) == ("uv.lock", 11)
    assert dep.evidence[-1].detail == f"main resolved to commit {SHA}"
    pdm = PEP621 + "dependencies = ['greet @ git+https://h.example/greet.git@main']\n"
    (dep,) = _git(make_project, {"pyproject.toml": pdm, "pdm.lock": PDM_LOCK})
    assert (dep.commit, dep.evidence[-1].file) == (SHA, "pdm.lock")


def test_the_commit_comes_from_pipfile_lock(make_project: MakeProject) -> None:
    lock = {
        "_meta": {"hash": {"sha256": "x"}, "pipfile-spec": 6, "requires": {}, "sources": []},
        "default": {"greet": {"git": "https://h.example/greet.git", "ref": SHA}},
        "develop": {},
    }
    files = {"Pipfile": "[packages]\ngreet = {git = 'https://h.example/greet.git', ref = 'main'}\n"}
    (dep,) = _git(make_project, {**files, "Pipfile.lock": json.dumps(lock, indent=4)})
    assert (dep.ref, dep.commit, dep.evidence[-1].file) == ("main", SHA, "Pipfile.lock")


def test_the_generated_lock_records_the_commit_in_a_comment() -> None:
    text = f"flask==3.0.3 \\\n    --hash=sha256:{'b' * 64}\n# built from git: greet @ git+https://h.example/greet@{SHA}\n"
    found = generated_commits("requirements.lock", text)
    assert found["greet"][:2] == ("https://h.example/greet", SHA)
    assert found["greet"][2].line == 3


@pytest.mark.parametrize(
    "url",
    [
        "git+https://ghp_secret123@github.com/org/greet.git@main",
        "git+https://user:pass@github.com/org/greet.git@main",
        "git+https://${GITHUB_TOKEN}@github.com/org/greet.git@main",
    ],
)
def test_a_credential_in_the_url_is_refused_naming_the_build_secret(url: str) -> None:
    with pytest.raises(ProjectError) as raised:
        split_url(url, "requirements.txt:3")
    message = str(raised.value)
    assert message.startswith("requirements.txt:3: the git URL carries a credential")
    assert "GIT_AUTH_TOKEN" in message and "--ssh default" in message
    assert "secret123" not in message and "pass@" not in message
    assert "\n" not in message


def test_a_local_file_or_git_protocol_url_is_refused() -> None:
    with pytest.raises(ProjectError, match="the image build cannot use"):
        split_url("git+file:///home/me/greet@main", "requirements.txt:1")
    with pytest.raises(ProjectError, match=r"over git\+git://, which the image build cannot use"):
        split_url("git+git://127.0.0.1/greet@main", "requirements.txt:1")


def test_an_ssh_user_is_no_credential() -> None:
    assert split_url("git+ssh://git@github.com/org/greet.git@v1", "x") == (
        "ssh://git@github.com/org/greet.git",
        "v1",
        None,
    )
