"""Hand-built ProjectFacts for planner/render tests (independent of detection)."""

from __future__ import annotations

from typing import Any

from dockwright.project.facts import (
    FACTS_SCHEMA,
    AppFacts,
    Dependencies,
    Evidence,
    Fact,
    Layout,
    LockedPackage,
    Metadata,
    NativeNeed,
    ProjectFacts,
    PythonFacts,
)


def ev(file: str, line: int | None = None, detail: str = "") -> tuple[Evidence, ...]:
    return (Evidence(file, line, detail),)


def make_facts(
    *,
    root: str = "/project",
    name: str = "shop",
    version: str = "1.2.3",
    python: str = "3.11.7",
    debian: str = "trixie",
    manager: str = "requirements",
    input_files: tuple[str, ...] = ("requirements.txt",),
    hashed: str | None = None,
    lock_file: str | None = None,
    locked: tuple[LockedPackage, ...] = (),
    declared: tuple[str, ...] = ("flask==3.0.0", "gunicorn==22.0.0"),
    kind: str = "web",
    framework: str | None = "flask",
    command: tuple[str, ...] = ("gunicorn", "--bind", "0.0.0.0:8000", "app:app"),
    port: int | None = 8000,
    health: str | None = "/health",
    native: tuple[NativeNeed, ...] = (),
    is_package: bool = False,
    backend: str | None = None,
    files_build_reads: tuple[str, ...] = (),
    present_dirs: tuple[str, ...] = ("tests",),
    tests_dirs: tuple[str, ...] = ("tests",),
    docs_dirs: tuple[str, ...] = (),
    venv_dirs: tuple[str, ...] = (),
    source_url: str | None = "https://example.org/shop",
    description: str | None = "A tiny shop",
    **_: Any,
) -> ProjectFacts:
    return ProjectFacts(
        schema=FACTS_SCHEMA,
        root=root,
        metadata=Metadata(
            name=Fact(name, ev("pyproject.toml", 2)),
            version=Fact(version, ev("pyproject.toml", 3)),
            revision=Fact(None),
            source_url=Fact(source_url),
            description=Fact(description),
        ),
        python=PythonFacts(
            requested=Fact("3.11", ev(".python-version", 1)), version=Fact(python), debian=Fact(debian)
        ),
        dependencies=Dependencies(
            manager=Fact(manager, ev(input_files[0] if input_files else "pyproject.toml")),  # type: ignore[arg-type]
            input_files=input_files,
            hashed_requirements=hashed,
            lock_file=lock_file,
            locked=locked,
            declared=declared,
        ),
        app=AppFacts(
            kind=Fact(kind, ev("app.py", 1)),  # type: ignore[arg-type]
            framework=Fact(framework),
            command=Fact(command, ev("app.py", 3, "Flask app object")),
            port=Fact(port),
            health_path=Fact(health, ev("app.py", 6) if health else ()),
            module=Fact(None),
        ),
        native=native,
        layout=Layout(
            is_package=Fact(is_package),
            build_backend=Fact(backend),
            build_requires=(),
            files_build_reads=files_build_reads,
            present_dirs=present_dirs,
            venv_dirs=venv_dirs,
            tests_dirs=tests_dirs,
            docs_dirs=docs_dirs,
            existing_dockerfile=None,
            existing_dockerignore=None,
        ),
    )


PSYCOPG2 = NativeNeed(
    package="psycopg2",
    build_apt=("libpq-dev",),
    run_apt=("libpq5",),
    compiles=True,
    source="https://www.psycopg.org/docs/install.html#build-prerequisites",
)
