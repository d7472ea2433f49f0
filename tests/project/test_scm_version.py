"""SCM-versioned packages get the version through the backend's pretend variable, never .git."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from dockwright.plan.common import MANIFEST_ALL, scm_version
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]
APP = "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_setuptools_scm_version_comes_from_the_tag_on_head(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["setuptools>=68", "setuptools-scm>=8"]\n'
                'build-backend = "setuptools.build_meta"\n'
                '[project]\nname = "shop"\ndynamic = ["version"]\n'
            ),
            "shop/__init__.py": "",
            "app.py": APP,
        }
    )
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "one")
    _git(root, "tag", "v1.4.2")
    facts = detect_project(root)
    assert facts.metadata.version.value == "1.4.2"
    assert facts.layout.scm_version_env is not None
    assert facts.layout.scm_version_env.value == "SETUPTOOLS_SCM_PRETEND_VERSION"
    steps, prefix, decision = scm_version(facts)
    # the default is the derived version: a plain `docker build .` (no --build-arg) builds the wheel too
    assert [s.instruction for s in steps] == ["ARG"] and steps[0].args == ('VERSION="1.4.2"',)
    # setuptools-scm is its file finder too: the package data needs a MANIFEST.in without .git
    assert prefix == MANIFEST_ALL + 'SETUPTOOLS_SCM_PRETEND_VERSION="${VERSION}" '
    assert decision is not None and "never by copying .git" in decision.reason


def test_untagged_head_of_an_scm_versioned_package_is_a_warning(make_project: MakeProject) -> None:
    # real repositories (pip-tools, pipx) sit commits past their last tag: the image said `version 0.0.0`
    root = make_project(
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
                '[project]\nname = "shop"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
            ),
            "shop/__init__.py": "",
            "app.py": APP,
        }
    )
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "one")
    _git(root, "tag", "v1.4.2")
    _git(root, "commit", "-qm", "two", "--allow-empty")
    facts = detect_project(root)
    assert facts.metadata.version.value == "0.0.0"
    [note] = [n for n in facts.notes if "carries no version tag" in n]
    assert note.startswith("shop's version comes from git (pyproject.toml) and HEAD ")
    assert "--build-arg VERSION=" in note
    _git(root, "tag", "v1.5.0")
    assert not [n for n in detect_project(root).notes if "carries no version tag" in n]


def test_pdm_scm_source(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n'
                '[project]\nname = "shop"\ndynamic = ["version"]\n[tool.pdm.version]\nsource = "scm"\n'
            ),
            "app.py": APP,
        }
    )
    scm = detect_project(root).layout.scm_version_env
    assert scm is not None and scm.value == "PDM_BUILD_SCM_VERSION" and scm.evidence[0].line == 8


def test_uv_dynamic_versioning_is_given_the_version_by_its_bypass(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["hatchling", "uv-dynamic-versioning"]\n'
                'build-backend = "hatchling.build"\n[project]\nname = "shop"\ndynamic = ["version"]\n'
                '[tool.hatch.version]\nsource = "uv-dynamic-versioning"\n'
            ),
            "app.py": APP,
        }
    )
    scm = detect_project(root).layout.scm_version_env
    assert scm is not None and scm.value == "UV_DYNAMIC_VERSIONING_BYPASS"


def test_a_plain_version_needs_no_variable(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
                '[project]\nname = "shop"\nversion = "1"\n'
            ),
            "app.py": APP,
        }
    )
    scm = detect_project(root).layout.scm_version_env
    assert scm is not None and scm.value is None


HATCH_VCS = (
    '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
    '[project]\nname = "shop"\ndynamic = ["version", "urls"]\n[tool.hatch.version]\nsource = "vcs"\n'
    "[tool.hatch.metadata.hooks.vcs.urls]\n"
    'Home = "https://code.example/shop"\n'
    'Archive = "https://code.example/shop/archive/{archive}.zip"\n'
)


def test_hatch_vcs_commit_hash_in_urls_is_filled_from_the_revision(make_project: MakeProject) -> None:
    """hatch-vcs's metadata hook asks git for ``{commit_hash}`` whatever the pretend version: the
    builder's copy of pyproject.toml gets the REVISION build arg instead (no git, no .git)."""
    root = make_project(
        {"pyproject.toml": HATCH_VCS.format(archive="{commit_hash}"), "shop/__init__.py": "", "app.py": APP}
    )
    facts = detect_project(root)
    commit = facts.layout.scm_commit_hash
    assert (
        commit is not None
        and commit.value == "pyproject.toml"
        and str(commit.evidence[0]).startswith("pyproject.toml:11")
    )
    steps, prefix, decision = scm_version(facts)
    assert [s.args for s in steps][1] == ('REVISION=""',)
    assert prefix.startswith('sed -i "s/{commit_hash}/${REVISION:-HEAD}/g" pyproject.toml && ')
    assert prefix.endswith('SETUPTOOLS_SCM_PRETEND_VERSION="${VERSION}" ')
    assert decision is not None and "filled from the REVISION build arg" in decision.reason


def test_hatch_vcs_urls_without_the_commit_hash_need_nothing(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": HATCH_VCS.format(archive="v1"), "shop/__init__.py": "", "app.py": APP}
    )
    facts = detect_project(root)
    assert facts.layout.scm_commit_hash is None
    steps, prefix, _ = scm_version(facts)
    assert len(steps) == 1 and prefix == 'SETUPTOOLS_SCM_PRETEND_VERSION="${VERSION}" '
