"""False-positive classes seen on real Dockerfiles: each fixture (ours, written after the pattern) is clean
for the rule named, and the neighbouring true positive still fires."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import DockwrightError
from dockwright.lint.linter import apply_fixes, discover, is_dockerfile_name, lint_paths, lint_text


def codes(text: str, code: str) -> list[str]:
    return [f.code for f in lint_text(text) if f.code == code]


CLEAN: list[tuple[str, str]] = [
    # same-RUN removal of the toolchain
    (
        "DW205",
        "FROM python:3.12.8-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev libffi-dev \\\n"
        "    && pip install --no-cache-dir cffi==1.17.1 \\\n    && apk del --no-network .build-deps\n",
    ),
    (
        "DW205",
        "FROM python:3.12.8-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc"
        " libpq-dev \\\n    && pip install --no-cache-dir psycopg2==2.9.10 \\\n"
        "    && apt-get purge -y --auto-remove gcc libpq-dev && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "DW204",
        "FROM python:3.12.8-slim AS base\nFROM base\nRUN apt-get update && apt-get install -y"
        " --no-install-recommends build-essential \\\n    && pip install --no-cache-dir uwsgi==2.0.28 \\\n"
        "    && apt-get remove -y build-essential && rm -rf /var/lib/apt/lists/*\n",
    ),
    # pip cache removed in the same RUN, or disabled by any PIP_NO_CACHE_DIR value
    ("DW301", "FROM python:3.12.8-slim\nRUN pip install flask==3.1.0 && rm -rf /root/.cache\n"),
    ("DW301", "FROM python:3.12.8-slim\nRUN pip install flask==3.1.0 && rm -rf ~/.cache/pip/*\n"),
    ("DW301", "FROM python:3.12.8-slim\nRUN pip install flask==3.1.0 && pip cache purge\n"),
    ("DW301", "FROM python:3.12.8-slim\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask==3.1.0\n"),
    ("DW301", "FROM python:3.12.8-slim\nENV PIP_NO_CACHE_DIR=0\nRUN pip install flask==3.1.0\n"),
    # an install-only RUN cannot remove lists an earlier layer downloaded
    (
        "DW202",
        "FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n"
        "RUN apt-get install -y --no-install-recommends tini\n",
    ),
    # options before the subcommand
    (
        "DW201",
        "FROM debian:12\nRUN apt-get update && apt-get -y --no-install-recommends install tini"
        " && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "DW201",
        "FROM debian:12\nRUN apt-get update && apt-get -o Dpkg::Use-Pty=0 --no-install-recommends install -y"
        " tini && rm -rf /var/lib/apt/lists/*\n",
    ),
    # placeholders are not secrets
    ("DW403", "FROM python:3.12.8-slim\nENV USE_PASSWORD=no DJANGO_SECRET_KEY=changeme\n"),
    ("DW403", "FROM python:3.12.8-slim\nARG API_TOKEN=\nENV AUTH_TOKEN=false\n"),
    ("DW403", 'FROM python:3.12.8-slim\nENV SECRET_KEY=""\nENV DB_PASSWORD=${DB_PASSWORD}\n'),
    (
        "DW403",
        "FROM python:3.12.8-slim\nENV PASSWORD_MIN_LENGTH=12 TOKEN_TTL=3600 ACCESS_KEY_ID=AKIAEXAMPLE\n",
    ),
    ("DW403", "FROM python:3.12.8-slim\nENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app\n"),
    # Python rules never fire on images that do not run Python
    ("DW601", 'FROM node:22.11.0-bookworm-slim\nEXPOSE 3000\nCMD ["node", "server.js"]\n'),
    ("DW601", 'FROM golang:1.23.3 AS build\nRUN go build -o /app .\nFROM scratch\nCMD ["/app"]\n'),
    ("DW603", "FROM postgres:17.2-bookworm\nEXPOSE 5432\n"),
    (
        "DW205",
        "FROM golang:1.23.3-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends gcc"
        " && rm -rf /var/lib/apt/lists/*\nRUN go build -o /app .\n",
    ),
    # one owner for a shell-form Python command: DW602, not DW605 as well
    ("DW605", "FROM python:3.12.8-slim\nCMD python app.py\n"),
    # found in the precision review (docs/lint-review.md)
    ("DW607", 'FROM nginx:1.27.3\nCMD ["nginx", "-g", "daemon off;"]\n'),
    (
        "DW303",
        "FROM python:3.12.8-slim\nRUN uv pip install --system --python-preference system --index-strategy"
        " unsafe-best-match --requirements requirements.txt\n",
    ),
    (
        "DW304",
        'FROM python:3.12.8-slim\nARG UV_OPTIONS="--frozen --no-dev"\nRUN uv sync $UV_OPTIONS\n',
    ),
    ("DW310", "FROM python:3.12.8-slim\nRUN uv sync --locked $EXTRA_FLAGS\n"),
    (
        "DW202",
        "FROM python:3.12.8-slim AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n"
        "FROM python:3.12.8-slim\nCOPY --from=build /usr/bin/gcc /tmp/gcc\n",
    ),
    ("DW301", "FROM python:3.12.8-slim\nRUN pip install --no-cache /wheels/*.whl\n"),
    (
        "DW401",
        "FROM quay.io/jupyter/base-notebook:2025-01-06\nRUN pip install --no-cache-dir flake8==7.1.1\n",
    ),
    ("DW401", "ARG BASE\nFROM $BASE\nRUN echo built\n"),
    (
        "DW103",
        "FROM postgres:17.2-alpine AS pg\nFROM python:3.12.8-slim\nCOPY --from=pg /usr/local/bin/pg_dump /usr/bin/\n",
    ),
]


@pytest.mark.parametrize(("code", "text"), CLEAN, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CLEAN)])
def test_false_positive_class_is_clean(code: str, text: str) -> None:
    assert codes(text, code) == []


@pytest.mark.parametrize(
    "path", [".devcontainer/Dockerfile", "Dockerfile.dev", "dev.Dockerfile", "docker/development/Dockerfile"]
)
def test_development_images_may_hold_dev_dependencies_and_dev_servers(path: str) -> None:
    text = 'FROM python:3.12.8-slim\nRUN uv sync --locked\nCMD ["flask", "run", "--debug"]\n'
    found = {f.code for f in lint_text(text, path)}
    assert not found & {"DW310", "DW609"}
    assert {"DW310", "DW609"} <= {f.code for f in lint_text(text, "Dockerfile")}


def test_pip_install_findings_are_one_per_run() -> None:
    text = "FROM python:3.12.8-slim\nRUN pip install a && pip install b && pip install c\n"
    assert len(codes(text, "DW301")) == 1 and len(codes(text, "DW303")) == 1


def test_alpine_stage_without_python_installs_is_not_judged_by_project_deps(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("cryptography==44.0.0\n")
    (tmp_path / ".dockerignore").write_text(".git\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM postgres:17.2-alpine AS pg\nFROM python:3.12.8-alpine\nCOPY --from=pg /usr/local/bin/pg_dump /usr/bin/\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "FROM python:3.12.8-alpine\nRUN pip install --no-cache-dir gunicorn==23.0.0\n"
    )
    found = [f.span.line for f in lint_paths([tmp_path]).findings if f.code == "DW103"]
    assert found == [2]  # not the stage that installs one named pure-Python package


def test_dockerignore_of_the_repository_counts_for_a_dockerfile_in_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dockerignore").write_text(".git\n")
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text("FROM python:3.12.8-slim\n")
    assert [f for f in lint_paths([tmp_path / "docker"]).findings if f.code == "DW701"] == []
    (tmp_path / ".dockerignore").unlink()
    assert [f for f in lint_paths([tmp_path / "docker"]).findings if f.code == "DW701"]


def test_python_rules_apply_to_python_stages() -> None:
    # inherited through FROM <stage>, detected from an install, detected from the start command
    assert codes('FROM python:3.12.8-slim AS base\nFROM base\nCMD ["python", "app.py"]\n', "DW601")
    assert codes("FROM debian:12.8-slim\nRUN apt-get install -y python3\n", "DW601")
    assert codes(
        'FROM debian:12.8-slim\nCOPY --from=b /venv /venv\nCMD ["/venv/bin/gunicorn", "a:b"]\n', "DW601"
    )
    assert codes("FROM python:3.12.8-slim\nEXPOSE 8000\n", "DW603")
    # a trimmed base copied whole into scratch (dockwright's slim runtime) is the python image's files
    trimmed = (
        "FROM python:3.12.8-slim AS base\nRUN rm -rf /usr/local/include\nFROM scratch\nCOPY --from=base / /\n"
    )
    assert codes(trimmed + 'CMD ["app"]\n', "DW601")
    assert not codes(trimmed + 'ENV PYTHONUNBUFFERED=1\nCMD ["app"]\n', "DW601")
    assert not codes(
        'FROM python:3.12.8-slim AS base\nFROM scratch\nCOPY --from=base /app /app\nCMD ["app"]\n', "DW601"
    ), "only a copy of the whole root makes a stage the base's"


def test_shell_form_python_command_is_reported_once() -> None:
    found = [f.code for f in lint_text("FROM python:3.12.8-slim\nCMD python app.py\n")]
    assert "DW602" in found and "DW605" not in found


def test_bare_update_layer_owns_the_lists_finding() -> None:
    text = (
        "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends tini"
        " && rm -rf /var/lib/apt/lists/*\n"
    )
    found = [f for f in lint_text(text) if f.code == "DW202"]
    assert [f.span.line for f in found] == [2]
    assert "alone in its layer" in found[0].message and "rm -rf /var/lib/apt/lists/*" in found[0].message


def test_recommends_fix_never_adds_a_second_copy() -> None:
    text = "FROM debian:12\nRUN apt-get -y --no-install-recommends install tini\n"
    fixed, _ = apply_fixes(text, lint_text(text))
    assert fixed.count("--no-install-recommends") == 1


def test_password_inside_a_url_is_a_secret() -> None:
    text = "FROM python:3.12.8-slim\nENV DATABASE_URL=postgres://app:s3cretpw@db:5432/app\n"
    found = [f for f in lint_text(text) if f.code == "DW403"]
    assert found and "password inside a URL" in found[0].message


def test_toolchain_kept_is_still_reported() -> None:
    text = (
        "FROM python:3.12.8-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev"
        " && apk del .other\n"
    )
    assert codes(text, "DW205")


@pytest.mark.parametrize(
    ("name", "linted"),
    [
        ("Dockerfile", True),
        ("Containerfile", True),
        ("api.Dockerfile", True),
        ("Dockerfile.prod", True),
        ("Dockerfile-dev", True),
        ("Dockerfile.md", False),
        ("dockerfile.png", False),
        ("dockerfile.py", False),
        ("Dockerfile.j2", False),
        ("Dockerfiles", False),
    ],
)
def test_folder_lint_only_takes_dockerfile_names(name: str, linted: bool) -> None:
    assert is_dockerfile_name(name) is linted


def test_binary_files_are_never_parsed(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile.prod").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0IHDR")
    (tmp_path / "Dockerfile").write_text("FROM python:3.12.8-slim\n")
    assert discover([tmp_path]) == [tmp_path / "Dockerfile"]
    with pytest.raises(DockwrightError, match="binary"):
        discover([tmp_path / "Dockerfile.prod"])


def test_dw607_a_runner_that_expands_variables_itself_is_no_finding() -> None:
    """monofy substitutes ``$PORT`` and reads ``&&``/``|||`` in its own arguments (bugsink's image)."""
    from dockwright.lint.linter import lint_text

    text = (
        'FROM python:3.12.8-slim\nCMD ["monofy", "check", "&&", "gunicorn", "--bind=0.0.0.0:$PORT", "app.wsgi", '
        '"|||", "worker"]\n'
    )
    assert "DW607" not in {f.code for f in lint_text(text)}
    plain = 'FROM python:3.12.8-slim\nCMD ["gunicorn", "--bind=0.0.0.0:$PORT", "app.wsgi"]\n'
    assert "DW607" in {f.code for f in lint_text(plain)}
