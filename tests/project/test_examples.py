"""Detection over every bundled example: the facts each one must yield."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sandbox.inputs import MONOREPO_APPS

from dockwright.errors import ProjectError
from dockwright.project.detect import detect_project
from dockwright.project.python_version import release_table
from dockwright.project.syntax import grammar_parser

MakeProject = Callable[[dict[str, str | bytes]], Path]
PY = "3.11.15"
# examples that ask for no version, or for a range that holds the default minor, get the default
DEFAULT_PY = release_table().latest[release_table().default]
ON_DEFAULT = {
    "celery-worker",
    "cli-setuptools",
    "psycopg2-source",
    "streamlit-app",
    "cli-args",
    "fastapi-factory",
    "litestar-app",
    "flask-bare",
    "flask-boot",
    "setuppy-magic",
    "dash-app",
    "rq-worker",
    "private-index",
    "django-static-i18n",
    "flask-babel",
    "flask-frontend",
    "cli-cext",
    "pdm-pathdep",
}
# issue 12: code with 3.12 grammar and a dependency needing >= 3.12, capped below the default minor
NEWEST_UNDER_CAP = {"py312-syntax": release_table().latest["3.13"]}

WEB = "gunicorn --bind 0.0.0.0:8000 app:app"
# example: (manager, kind, framework, command, port, health, hashed requirements, lock, compiling)
EXPECTED: dict[str, tuple[Any, ...]] = {
    "flask-requirements": (
        "requirements",
        "web",
        "flask",
        "gunicorn --bind 0.0.0.0:8000 app:app",
        8000,
        "/healthz",
        "requirements.txt",
        None,
        [],
    ),
    # programs the app starts: git found at its subprocess calls, installed in the runtime (test_programs.py)
    "flask-git": (
        "requirements",
        "web",
        "flask",
        "gunicorn --bind 0.0.0.0:8000 app:app",
        8000,
        "/healthz",
        "requirements.txt",
        None,
        [],
    ),
    # a uv workspace: detected at its root, the app is the member packages/api (tests/project/test_workspace.py)
    "uv-workspace": (
        "uv",
        "web",
        "fastapi",
        "uvicorn api.main:app --host 0.0.0.0 --port 8000",
        8000,
        "/health",
        None,
        "uv.lock",
        [],
    ),
    "fastapi-uv": (
        "uv",
        "web",
        "fastapi",
        "uvicorn main:app --host 0.0.0.0 --port 8000",
        8000,
        "/health",
        None,
        "uv.lock",
        [],
    ),
    "django-poetry": (
        "poetry",
        "web",
        "django",
        "gunicorn --bind 0.0.0.0:8000 mysite.wsgi:application",
        8000,
        "/healthz",
        None,
        "poetry.lock",
        [],
    ),
    # Poetry path dependencies: detected at the repository root, the app is app/ (tests/project/test_pathdeps.py)
    "poetry-pathdep": (
        "poetry",
        "web",
        "flask",
        "gunicorn --bind 0.0.0.0:8000 shop.web:app",
        8000,
        "/healthz",
        None,
        "poetry.lock",
        [],
    ),
    # PDM with a library inside the project, a file:///${PROJECT_ROOT} dependency (tests/project/test_pathdeps.py)
    "pdm-pathdep": ("pdm", "cli", None, "wordcount", None, None, None, "pdm.lock", []),
    "cli-setuptools": ("requirements", "cli", None, "greet", None, None, "requirements.txt", None, []),
    "cli-cext": ("requirements", "cli", None, "adler", None, None, "requirements.txt", None, []),
    "numpy-pandas-job": (
        "pip-tools",
        "script",
        None,
        "python job.py",
        None,
        None,
        "requirements.txt",
        None,
        [],
    ),
    "psycopg2-source": (
        "requirements",
        "web",
        "flask",
        "gunicorn --bind 0.0.0.0:8000 --workers 2 app:app",
        8000,
        "/healthz",
        "requirements.txt",
        None,
        ["psycopg2"],
    ),
    "setuppy-magic": (
        "setuppy",
        "web",
        None,
        "python -m magicweb --port=8000",
        8000,
        None,
        None,
        None,
        [],
    ),
    "celery-worker": (
        "requirements",
        "worker",
        "celery",
        "celery -A tasks worker --loglevel INFO",
        None,
        None,
        "requirements.txt",
        None,
        [],
    ),
    "pipenv-app": (
        "pipenv",
        "web",
        "bottle",
        "gunicorn --bind 0.0.0.0:8000 app:app",
        8000,
        "/ping",
        None,
        "Pipfile.lock",
        [],
    ),
    "pdm-app": (
        "pdm",
        "web",
        "starlette",
        "uvicorn app:app --host 0.0.0.0 --port 8000",
        8000,
        "/livez",
        None,
        "pdm.lock",
        [],
    ),
    # issue 11: a CLI that takes arguments, a server to add, an entry script, a factory under a prefix
    "cli-args": ("pip-tools", "cli", None, "vercmp", None, None, "requirements.txt", None, []),
    "django-static-i18n": (
        "pip-tools",
        "web",
        "django",
        "gunicorn --bind 0.0.0.0:8000 mysite.wsgi:application",
        8000,
        "/healthz",
        "requirements.txt",
        None,
        [],
    ),
    "flask-babel": ("pip-tools", "web", "flask", WEB, 8000, "/healthz", "requirements.txt", None, []),
    "flask-frontend": ("pip-tools", "web", "flask", WEB, 8000, "/healthz", "requirements.txt", None, []),
    "flask-bare": (
        "pip-tools",
        "web",
        "flask",
        "gunicorn --bind 0.0.0.0:8000 app:app",
        8000,
        "/healthz",
        "requirements.txt",
        None,
        [],
    ),
    "flask-boot": ("pip-tools", "web", "flask", "sh boot.sh", 5000, "/health", "requirements.txt", None, []),
    "flask-package-wsgi": (
        "requirements",
        "web",
        "flask",
        "gunicorn --bind 0.0.0.0:8000 wsgi:app",
        8000,
        "/healthz",
        "requirements.txt",
        None,
        [],
    ),
    "litestar-app": (
        "pip-tools",
        "web",
        "litestar",
        "uvicorn notes.app:app --host 0.0.0.0 --port 8000",
        8000,
        "/health",
        "requirements.txt",
        None,
        [],
    ),
    "fastapi-factory": (
        "pip-tools",
        "web",
        "fastapi",
        "uvicorn --factory service.main:create_app --host 0.0.0.0 --port 8000",
        8000,
        "/api/health",
        "requirements.txt",
        None,
        [],
    ),
    "streamlit-app": (
        "requirements",
        "web",
        "streamlit",
        "streamlit run streamlit_app.py --server.port 8501 --server.address 0.0.0.0 --server.headless true",
        8501,
        "/_stcore/health",
        "requirements.txt",
        None,
        [],
    ),
    "dash-app": (
        "pip-tools",
        "web",
        "dash",
        "gunicorn --bind 0.0.0.0:8050 index:server",
        8050,
        "/healthz",
        "requirements.txt",
        None,
        [],
    ),
    "rq-worker": (
        "pip-tools",
        "worker",
        "rq",
        "rq worker high default low",
        None,
        None,
        "requirements.txt",
        None,
        [],
    ),
    "private-index": ("uv", "script", None, "python job.py", None, None, None, "uv.lock", []),
    "py312-syntax": ("pip-tools", "cli", None, "wordtally", None, None, "requirements.txt", None, []),
}


def test_every_example_is_covered(examples_dir: Path) -> None:
    present = {p.name for p in examples_dir.iterdir() if p.is_dir() and p.name not in MONOREPO_APPS}
    assert present == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_facts(examples_dir: Path, name: str) -> None:
    facts = detect_project(examples_dir / name)
    manager, kind, framework, command, port, health, hashed, lock, compiling = EXPECTED[name]
    expected_py = NEWEST_UNDER_CAP.get(name, DEFAULT_PY if name in ON_DEFAULT else PY)
    assert facts.python.version.value == expected_py
    assert facts.python.debian.value == "trixie"
    assert facts.dependencies.manager.value == manager
    assert facts.app.kind.value == kind
    assert facts.app.framework.value == framework
    assert " ".join(facts.app.command.value) == command
    assert facts.app.port.value == port
    assert facts.app.health_path.value == health
    assert facts.dependencies.hashed_requirements == hashed
    assert facts.dependencies.lock_file == lock
    assert [n.package for n in facts.native if n.compiles] == compiling
    assert facts.dependencies.locked, "every example carries its own lock"
    assert all(p.hashes for p in facts.dependencies.locked), "every locked package has hashes"
    assert all(ev.file for ev in facts.app.command.evidence)
    json.dumps(facts.to_dict())  # JSON-printable


BUILD_STEPS = {
    "django-static-i18n": ["collectstatic", "compilemessages"],
    "flask-babel": ["pybabel-compile"],
    "flask-frontend": ["frontend"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_build_steps(examples_dir: Path, name: str) -> None:
    steps = detect_project(examples_dir / name).build_steps
    assert [s.kind for s in steps] == BUILD_STEPS.get(name, [])
    assert all(s.ready and s.evidence for s in steps)


def test_py312_syntax_decision_names_the_cap_and_the_grammar(examples_dir: Path) -> None:
    (evidence,) = detect_project(examples_dir / "py312-syntax").python.version.evidence
    assert evidence.file == "pyproject.toml"
    assert "the newest minor that '>=3.9,<3.14' allows" in evidence.detail
    if grammar_parser("3.12", []) is not None:  # a CPython >= 3.12 here, or libcst
        assert "src/wordtally/cli.py parses only with Python 3.12's grammar or newer" in evidence.detail


def test_lock_wheels_are_computed(examples_dir: Path) -> None:
    for name in ("fastapi-uv", "django-poetry", "pdm-app"):
        locked = detect_project(examples_dir / name).dependencies.locked
        assert all(p.has_wheel_for_target is True for p in locked), name


def test_psycopg2_split(examples_dir: Path) -> None:
    (need,) = detect_project(examples_dir / "psycopg2-source").native
    assert "libpq-dev" in need.build_apt and "gcc" in need.build_apt
    assert need.run_apt == ("libpq5",)


def test_cli_package_layout(examples_dir: Path) -> None:
    facts = detect_project(examples_dir / "cli-setuptools")
    assert facts.layout.is_package.value is True
    assert facts.layout.build_backend.value == "setuptools.build_meta"
    assert facts.layout.files_build_reads == ("README.md", "LICENSE")
    assert facts.layout.tests_dirs == ("tests",)
    assert (facts.metadata.name.value, facts.metadata.version.value) == ("greet-cli", "0.4.1")
    assert facts.metadata.source_url.value == "https://example.com/dockwright/greet-cli"
    assert [a.value for a in facts.dependencies.alternatives] == ["pep621"]


def test_overrides_carry_command_line_evidence(examples_dir: Path) -> None:
    facts = detect_project(
        examples_dir / "flask-requirements", python="3.12", start="gunicorn app:app", port=9000
    )
    assert facts.python.version.value.startswith("3.12.")
    for fact in (facts.python.version, facts.app.command, facts.app.port):
        assert fact.evidence[0].file == "command line"


def test_broken_pyproject_names_file_and_line(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "x"\n\n[tool.x\nkey = 1\n', "app.py": ""})
    with pytest.raises(ProjectError) as info:
        detect_project(root)
    assert str(info.value).startswith("pyproject.toml:4: invalid TOML")
    assert "\n" not in str(info.value)


def test_conflicting_lockfiles(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": '[project]\nname = "x"\n', "poetry.lock": "", "uv.lock": "", "a.py": ""}
    )
    with pytest.raises(ProjectError, match=r"\(poetry\.lock, uv\.lock\)"):
        detect_project(root)


def test_not_a_python_project(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hi\n")
    with pytest.raises(ProjectError, match="not a Python project"):
        detect_project(tmp_path)


def test_evidence_points_at_lines(examples_dir: Path) -> None:
    facts = detect_project(examples_dir / "cli-setuptools")
    assert str(facts.app.command.evidence[0]) == "pyproject.toml:15 (console script greet = greet.cli:main)"
    assert facts.python.version.evidence[0].line == 11
    assert "setuptools.build_meta" in facts.dependencies.alternatives[0].evidence[0].detail


def test_issue_11_examples_start_facts(examples_dir: Path) -> None:
    bare = detect_project(examples_dir / "flask-bare").app
    assert bare.adds.value == ("gunicorn",)
    assert [f.value for f in bare.required_env] == ["SECRET_KEY"]
    assert [f.value for f in bare.writable] == ["data"]
    boot = detect_project(examples_dir / "flask-boot").app
    assert (boot.port.evidence[0].file, boot.port.evidence[0].line) == ("boot.sh", 5)
    assert boot.other_processes and boot.other_processes[0].startswith("worker: celery -A tasks worker")
    assert detect_project(examples_dir / "fastapi-factory").app.adds.value == ("uvicorn",)


def test_cli_cext_own_c_code_is_detected_with_its_line(examples_dir: Path) -> None:
    facts = detect_project(examples_dir / "cli-cext")
    [need] = facts.own_native
    assert need.toolchain == "c" and need.via == "setuptools Extension"
    assert str(need.evidence[0]) == "setup.py:4 (Extension(...))"


def test_package_app_served_from_a_root_wsgi_module_installs_as_source(examples_dir: Path) -> None:
    facts = detect_project(examples_dir / "flask-package-wsgi")
    assert facts.layout.build_backend.value == "setuptools.build_meta"
    assert facts.layout.is_package.value is False
    assert facts.layout.is_package.evidence[0].file == "wsgi.py"
