from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.python_version import (
    allowed_patch,
    choose_suite,
    detect_python,
    poetry_to_pep440,
    python_notes,
    release_table,
)
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
LATEST = release_table().latest


def py(root: Path, override: str | None = None) -> tuple[str, str, str]:
    tree = ProjectTree(root)
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    facts = detect_python(tree, pyproject, override=override)
    return facts.requested.value, facts.version.value, facts.version.evidence[0].file


def test_table_names_its_source_and_default() -> None:
    table = release_table()
    # the newest minor final for six months on the table's date: 3.15.0 (2026-10-01) is too recent
    assert table.default == "3.14"
    assert "devguide.python.org" in table.source
    assert all(v.startswith(k + ".") for k, v in table.latest.items())
    assert all(m.suites for m in table.minors.values())


def test_default_is_computed_from_the_release_dates() -> None:
    table = release_table()
    assert replace(table, as_of=date(2025, 11, 28)).default == "3.13"  # 3.14.0 only 7 weeks old
    assert replace(table, as_of=date(2027, 4, 1)).default == "3.15"
    assert table.eol("3.9") and table.eol("3.10") and not table.eol("3.11")


def test_python_version_file(make_project: MakeProject) -> None:
    assert py(make_project({".python-version": "# pyenv\n3.12\n"})) == (
        "3.12",
        LATEST["3.12"],
        ".python-version",
    )
    assert py(make_project({".python-version": "3.11.4\n"}))[1] == "3.11.4"


@pytest.mark.parametrize(
    ("written", "version"),
    [("cpython-3.13.0-macos-aarch64-none\n", "3.13.0"), ("cpython-3.12-linux-x86_64-gnu\n", LATEST["3.12"])],
)
def test_python_version_file_with_uvs_interpreter_key(
    make_project: MakeProject, written: str, version: str
) -> None:
    """``uv python pin`` may write the whole key (implementation-version-os-arch-libc): the version is
    read, and the platform, the machine's that wrote it, is said and left out."""
    root = make_project({".python-version": written})
    facts = detect_python(ProjectTree(root), None)
    assert facts.version.value == version
    assert facts.requested.value == written.strip().split("-")[1]
    assert "the platform" in facts.requested.evidence[0].detail


RENDER = "services:\n  - type: web\n    envVars:\n      - key: PYTHON_VERSION\n        value: {}\n"


@pytest.mark.parametrize(
    ("written", "requested"), [('"3.11.9"', "3.11.9"), ("3.10", "3.10"), ("3.12.4", "3.12.4")]
)
def test_renders_python_version(make_project: MakeProject, written: str, requested: str) -> None:
    """Render's PYTHON_VERSION in render.yaml, quoted or not: an unquoted ``3.10`` is the text 3.10,
    not the YAML float 3.1."""
    root = make_project({"render.yaml": RENDER.format(written)})
    assert py(root)[0] == requested and py(root)[2] == "render.yaml"


@pytest.mark.parametrize(
    "written",
    ["cpython-3.13.0+freethreaded-linux-x86_64-gnu\n", "3.13t\n", "cpython-3.13.0t-macos-aarch64-none\n"],
)
def test_python_version_file_asking_for_the_free_threaded_build(
    make_project: MakeProject, written: str
) -> None:
    """uv's free-threaded request (``3.13t``, ``+freethreaded`` in its key) is read as its version; the
    image's CPython is the default build, which is said."""
    facts = detect_python(ProjectTree(make_project({".python-version": written})), None)
    assert facts.requested.value in ("3.13", "3.13.0")
    assert "free-threaded" in facts.requested.evidence[0].detail


def test_runtime_txt(make_project: MakeProject) -> None:
    assert py(make_project({"runtime.txt": "python-3.10.2\n"}))[1] == "3.10.2"


def test_pipfile(make_project: MakeProject) -> None:
    assert py(make_project({"Pipfile": '[requires]\npython_version = "3.13"\n'}))[1] == LATEST["3.13"]


def test_poetry_constraint(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\n'})
    assert py(root)[1] == LATEST["3.14"]  # default 3.11 not allowed → newest allowed


def test_requires_python_prefers_default(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.9"\n'})
    assert py(root) == (">=3.9", LATEST[release_table().default], "pyproject.toml")


def test_default_when_nothing_asks(make_project: MakeProject) -> None:
    requested, version, file = py(make_project({"app.py": ""}))
    assert (requested, version, file) == ("", LATEST[release_table().default], "default")


def test_override_wins(make_project: MakeProject) -> None:
    root = make_project({".python-version": "3.12\n"})
    assert py(root, "3.13") == ("3.13", LATEST["3.13"], "command line")


@pytest.mark.parametrize(
    "pyproject",
    [
        '[tool.poetry.dependencies]\npython = "3.11.7"\n',  # a real repository's Poetry pin
        '[project]\nname = "x"\nrequires-python = "==3.11.7"\n',
    ],
)
def test_one_exact_patch_in_a_constraint_is_the_version(make_project: MakeProject, pyproject: str) -> None:
    # was: "no known CPython release satisfies '3.11.7'" (only each minor's pinned patch was tried)
    root = make_project({"pyproject.toml": pyproject})
    tree = ProjectTree(root)
    facts = detect_python(tree, tree.read_toml("pyproject.toml"))
    assert facts.version.value == "3.11.7"
    assert facts.version.evidence[0].detail == "exact version 3.11.7 as written"
    # older than the pinned patch: the suite whose images go back that far
    assert facts.debian.value == "bookworm" and "older than the pinned" in facts.debian.evidence[0].detail


def test_exact_pinned_or_newer_patch_stays_on_the_newest_suite() -> None:
    assert choose_suite(LATEST["3.12"]).value == "trixie"
    assert choose_suite("3.8.20").value == "bookworm"  # one suite only


def test_unknown_minor_and_unsatisfiable(make_project: MakeProject) -> None:
    with pytest.raises(ProjectError, match=r"not a CPython minor dockwright knows .*--python 3\.14"):
        py(make_project({".python-version": "3.99\n"}))
    with pytest.raises(ProjectError, match="not a CPython minor dockwright knows"):
        py(make_project({".python-version": "3.7.17\n"}))
    root = make_project({"pyproject.toml": '[project]\nname = "x"\nrequires-python = "<3.0"\n'})
    with pytest.raises(ProjectError, match="no known CPython release"):
        py(root)


@pytest.mark.parametrize(
    ("constraint", "inside", "outside"),
    [
        ("^3.11", "3.13.1", "4.0.0"),
        ("~3.11", "3.11.9", "3.12.0"),
        (">=3.10,<3.13", "3.12.1", "3.13.0"),
        ("3.11", "3.11.2", "3.12.0"),
    ],
)
def test_poetry_to_pep440(constraint: str, inside: str, outside: str) -> None:
    (spec,) = poetry_to_pep440(constraint)
    assert inside in spec
    assert outside not in spec


def test_debian_suite_is_trixie_where_the_python_is_built_there() -> None:
    suite = choose_suite(LATEST["3.14"])
    assert suite.value == "trixie"
    assert "Debian 13 (trixie)" in suite.evidence[0].detail
    old = choose_suite(LATEST["3.8"])
    assert old.value == "bookworm"
    assert "not built on trixie" in old.evidence[0].detail
    assert choose_suite(LATEST["3.12"], requested="bookworm").value == "bookworm"


def test_a_suite_without_that_python_names_the_alternative() -> None:
    with pytest.raises(ProjectError, match=r'no python:3.8.20-slim-trixie image.*debian = "bookworm"'):
        choose_suite("3.8.20", requested="trixie")
    with pytest.raises(ProjectError, match="not a suite dockwright builds on"):
        choose_suite("3.12.1", requested="buster")


def test_end_of_life_python_is_a_warning_naming_supported_minors(make_project: MakeProject) -> None:
    (note,) = python_notes("3.9.25")
    assert note.startswith("Python 3.9 reached end of life in 2025-10")
    assert "3.14" in note
    assert python_notes(LATEST["3.13"]) == []


def test_allowed_patch_reads_ranges_not_versions() -> None:
    assert allowed_patch("", "3.13") == LATEST["3.13"]
    assert allowed_patch(">=3.10", "3.13") == LATEST["3.13"]
    assert allowed_patch("^3.12", "3.11") is None
    assert allowed_patch("3.14", "3.13") is None  # a version is built as asked


def test_trixie_package_names_replace_bookworm_ones(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    root = make_project(
        {
            "requirements.txt": "python-ldap==3.4.4\npython-magic==0.4.27\n",
            "app.py": "",
        }
    )
    run = {p for need in detect_project(root).native for p in need.run_apt}
    assert {"libldap2", "libmagic1t64"} <= run and "libldap-2.5-0" not in run
    bookworm = detect_project(root, python="3.8")
    assert "libldap-2.5-0" in {p for need in bookworm.native for p in need.run_apt}


def test_own_dockerfile_base_asks_for_its_minor(make_project: MakeProject) -> None:
    dockerfile = (
        "FROM python:3.11 AS build\nRUN pip install -r requirements.txt\n"
        'FROM python:3.11.4-slim-bookworm\nCOPY --from=build /venv /venv\nCMD ["python", "app.py"]\n'
    )
    root = make_project({"Dockerfile": dockerfile, "app.py": "print(1)\n"})
    requested, version, file = py(root)
    assert (requested, version, file) == ("3.11", LATEST["3.11"], "Dockerfile")  # the minor, not 3.11.4


@pytest.mark.parametrize(
    "base",
    ["python:${PYTHON_VERSION}-slim", "debian:bookworm", "python:2.7", "ghcr.io/org/python:3.11"],
)
def test_a_base_that_names_no_known_minor_says_nothing(make_project: MakeProject, base: str) -> None:
    root = make_project({"Dockerfile": f'FROM {base}\nCMD ["python", "app.py"]\n', "app.py": "print(1)\n"})
    assert py(root)[2] == "default"


@pytest.mark.parametrize(
    ("args", "base"),
    [
        ("ARG PYTHON_VERSION=3.10\n", "python:${PYTHON_VERSION}-slim-bookworm"),
        ("ARG PYTHON_VERSION=3.10\n", "python:$PYTHON_VERSION"),
        ("ARG PYTHON_VERSION\n", "python:${PYTHON_VERSION:-3.10}-slim"),
        ("ARG PY=3.10\nARG BASE=python:${PY}-slim\n", "${BASE} AS base"),
        ("ARG TAG=python3.10\n", "tiangolo/uvicorn-gunicorn-fastapi:${TAG}"),
    ],
)
def test_own_dockerfile_base_named_by_a_global_arg_asks_for_its_default(
    make_project: MakeProject, args: str, base: str
) -> None:
    """An ``ARG`` declared before the first ``FROM`` is read with its default, as ``docker build`` does."""
    root = make_project(
        {"Dockerfile": f'{args}FROM {base}\nCMD ["python", "app.py"]\n', "app.py": "print(1)\n"}
    )
    facts = detect_python(ProjectTree(root), None)
    assert (facts.requested.value, facts.requested.evidence[0].file) == ("3.10", "Dockerfile")
    assert facts.requested.evidence[0].line == args.count("\n") + 1


def test_own_dockerfile_base_named_by_an_arg_without_default_says_nothing(make_project: MakeProject) -> None:
    dockerfile = 'ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}-slim\nCMD ["python", "app.py"]\n'
    assert py(make_project({"Dockerfile": dockerfile, "app.py": "print(1)\n"}))[2] == "default"


def test_an_end_of_life_own_image_python_asks_for_the_oldest_known_minor(make_project: MakeProject) -> None:
    root = make_project(
        {"Dockerfile": 'FROM python:3.7-alpine\nCMD ["python", "app.py"]\n', "app.py": "print(1)\n"}
    )
    facts = detect_python(ProjectTree(root), None)
    oldest = min(LATEST, key=lambda m: tuple(int(p) for p in m.split(".")))
    assert facts.requested.value == oldest
    assert "runs Python 3.7, which dockwright has no image of" in facts.requested.evidence[0].detail


def test_a_project_request_beats_the_own_image(make_project: MakeProject) -> None:
    root = make_project({"Dockerfile": "FROM python:3.10\n", "runtime.txt": "python-3.12.3\n"})
    assert py(root)[1] == "3.12.3"


@pytest.mark.parametrize(
    "base",
    [
        "tiangolo/uvicorn-gunicorn-fastapi:python3.11",
        "tiangolo/uwsgi-nginx-flask:python3.11-2024-05-06",
        "docker.io/tiangolo/meinheld-gunicorn-flask:python3.11",
    ],
)
def test_an_app_server_base_image_s_python_tag_asks_for_its_minor(
    make_project: MakeProject, base: str
) -> None:
    """The app-server base images (data/app_server_bases.toml) are tagged by their Python
    (``python3.11``): that is the Python the project's own image runs, as ``FROM python:3.11`` is."""
    root = make_project({"Dockerfile": f"FROM {base}\nCOPY ./app /app\n", "app/main.py": "print(1)\n"})
    requested, version, file = py(root)
    assert (requested, version, file) == ("3.11", LATEST["3.11"], "Dockerfile")


@pytest.mark.parametrize("line", ["mj-env", "system", "pypy-venv"])
def test_a_python_version_naming_a_virtualenv_is_said_and_the_next_source_decides(
    make_project: MakeProject, line: str
) -> None:
    """rw41 midjourney-api: ``.python-version`` held a pyenv virtualenv's name, and ``plan`` stopped."""
    root = make_project({".python-version": f"{line}\n", "runtime.txt": "python-3.12\n", "app.py": ""})
    tree = ProjectTree(root)
    facts = detect_python(tree, None)
    assert facts.version.value.startswith("3.12.") and facts.requested.evidence[0].file == "runtime.txt"
    assert facts.requested.evidence[-1].file == ".python-version"
    assert "names no Python version" in facts.requested.evidence[-1].detail


def test_a_pyenv_virtualenv_path_is_its_base_version(make_project: MakeProject) -> None:
    assert py(make_project({".python-version": "3.12.1/envs/bot\n", "app.py": ""}))[1] == "3.12.1"


@pytest.mark.parametrize("line", ["python-3.9.x", "3.9.*", "python-3.9"])
def test_a_cloud_foundry_runtime_txt_names_the_minor(make_project: MakeProject, line: str) -> None:
    """rw41 market-access-api: ``python-3.9.x`` (Cloud Foundry's buildpack) stopped ``plan``."""
    requested, version, source = py(make_project({"runtime.txt": f"{line}\n", "app.py": ""}))
    assert (requested, version, source) == ("3.9", LATEST["3.9"], "runtime.txt")
