"""Misses experts flag on real Dockerfiles: each fixture (ours, written after the pattern) gets a finding
whose message says what is wrong and how to fix it; the prescribed form stays clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.lint.linter import apply_fixes, lint_paths, lint_text

#: code -> (anti-pattern, words the message must hold: the problem and the fix, prescribed form)
MISSES: list[tuple[str, str, tuple[str, ...], str]] = [
    (
        "DW106",
        "FROM python:3.12.8-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv\n",
        ("tagged latest", "pin a version"),
        "FROM python:3.12.8-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /bin/uv\n",
    ),
    (
        "DW106",
        "FROM python:3.12.8-slim\nRUN --mount=from=busybox,source=/bin/busybox,target=/bb /bb true\n",
        ("has no tag", "pin a version"),
        "FROM busybox:1.37.0 AS bb\nFROM python:3.12.8-slim\nRUN --mount=from=bb,source=/bin/busybox,target=/bb"
        " /bb true\n",
    ),
    (
        "DW607",
        'FROM python:3.12.8-slim\nCMD ["gunicorn", "--bind", "0.0.0.0:$PORT", "app:app"]\n',
        ("`$PORT` literally", "sh"),
        'FROM python:3.12.8-slim\nCMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:${PORT} app:app"]\n',
    ),
    (
        "DW607",
        'FROM python:3.12.8-slim\nRUN ["pip", "install", "flask==3.1.0", "&&", "rm", "-rf", "/tmp/x"]\n',
        ("`&&`", "shell form"),
        "FROM python:3.12.8-slim\nRUN pip install flask==3.1.0 && rm -rf /tmp/x\n",
    ),
    (
        "DW206",
        "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends tini"
        " && rm -rf /var/lib/apt/lists/*\n",
        ("without -y", "add -y"),
        "FROM debian:12\nRUN apt-get update && apt-get install -qy --no-install-recommends tini"
        " && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "DW104",
        "FROM python:3.15.0a8-slim\n",
        ("pre-release", "pin a final release"),
        "FROM python:3.13.13-slim\n",
    ),
    (
        "DW104",
        "FROM python:3.6-slim\n",
        ("end of life", "move to a supported Python"),
        "FROM python:3.13-slim\n",
    ),
    ("DW104", "FROM python:2.7\n", ("end of life", "2020-01-01"), "FROM python:3.13\n"),
    (
        "DW310",
        "FROM python:3.12.8-slim AS build\nRUN uv sync --locked\nFROM python:3.12.8-slim\n"
        "COPY --from=build /app/.venv /app/.venv\n",
        ("dev group", "--no-dev"),
        "FROM python:3.12.8-slim AS build\nRUN uv sync --locked --no-dev\nFROM python:3.12.8-slim AS test\n"
        "RUN uv sync --locked\nFROM python:3.12.8-slim\nCOPY --from=build /app/.venv /app/.venv\n",
    ),
    (
        "DW306",
        "FROM python:3.12.8-slim AS build\nRUN poetry install --no-root\nFROM python:3.12.8-slim\n"
        "COPY --from=build /app/.venv /app/.venv\n",
        ("dev groups", "--only main"),
        "FROM python:3.12.8-slim AS build\nRUN poetry install --no-root --only main\nFROM python:3.12.8-slim\n"
        "COPY --from=build /app/.venv /app/.venv\n",
    ),
    (
        "DW403",
        "FROM python:3.12.8-slim\nARG LICENSE_KEY=4f2a9c1e7b\n",
        ("literal secret", "--mount=type=secret"),
        "FROM python:3.12.8-slim\nARG LICENSE_KEY\n",
    ),
    (
        "DW406",
        "FROM python:3.12.8-slim\nCOPY .env credentials.json id_rsa /app/\n",
        ("credential/env file", "--mount=type=secret"),
        "FROM python:3.12.8-slim\nCOPY .env.example /app/\n",
    ),
    (
        "DW207",
        "FROM alpine:3.20\nRUN apk add tini\n",
        ("without --no-cache", "add --no-cache"),
        "FROM alpine:3.20\nRUN apk add --no-cache tini\n",
    ),
    (
        "DW103",
        "FROM python:3.12.8-alpine\nRUN apk add --no-cache build-base libffi-dev"
        " && pip install --no-cache-dir -r requirements.txt\n",
        ("compile", "Debian slim"),
        "FROM python:3.12.8-alpine\nRUN pip install --no-cache-dir -r requirements.txt\n",
    ),
    (
        "DW502",
        "FROM python:3.12.8-slim\nCOPY dist/app-1.0-py3-none-any.whl /tmp/\n"
        "RUN pip install --no-cache-dir /tmp/app-1.0-py3-none-any.whl\nRUN rm /tmp/app-1.0-py3-none-any.whl\n",
        ("still ships", "--mount=type=bind"),
        "FROM python:3.12.8-slim\nRUN --mount=type=bind,source=dist,target=/tmp/dist"
        " pip install --no-cache-dir /tmp/dist/app-1.0-py3-none-any.whl\n",
    ),
    (
        "DW202",
        "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends tini"
        " && rm -rf /var/lib/apt/lists/*\n",
        ("alone in its layer", "one RUN"),
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends tini"
        " && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "DW608",
        "FROM python:3.12.8-slim\nRUN export PATH=/opt/venv/bin:$PATH\n",
        ("dies with this RUN", "use ENV"),
        "FROM python:3.12.8-slim\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask==3.1.0\n",
    ),
    (
        "DW609",
        'FROM python:3.12.8-slim\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n',
        ("development server", "gunicorn"),
        'FROM python:3.12.8-slim\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"]\n',
    ),
    (
        "DW609",
        "FROM python:3.12.8-slim\nCMD flask run --host 0.0.0.0\n",
        ("`flask run`", "production server"),
        'FROM python:3.12.8-slim\nCMD ["waitress-serve", "app:app"]\n',
    ),
    (
        "DW208",
        "FROM debian:12\nRUN curl -fsSL https://example.org/install.sh | sh\n",
        ("pipefail", "SHELL"),
        'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        "RUN curl -fsSL https://example.org/install.sh | sh\n",
    ),
]


@pytest.mark.parametrize(
    ("code", "bad", "words", "good"), MISSES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISSES)]
)
def test_miss_is_found_with_what_and_how(code: str, bad: str, words: tuple[str, ...], good: str) -> None:
    found = [f for f in lint_text(bad) if f.code == code]
    assert found, f"{code} missed"
    for word in words:
        assert word in found[0].message, (word, found[0].message)
    assert [f for f in lint_text(good) if f.code == code] == []


@pytest.mark.parametrize(
    "script",
    [
        "RUN echo 'a|b' > x",
        'RUN test -f x || echo "missing"',
        "RUN set -o pipefail && curl -fsSL https://example.org/x | tar -xz",
        "RUN echo ok # a | comment",
    ],
)
def test_pipefail_ignores_what_is_not_a_pipe(script: str) -> None:
    assert [f for f in lint_text(f"FROM debian:12\n{script}\n") if f.code == "DW208"] == []


def test_credential_config_files_need_a_password_in_the_context(tmp_path: Path) -> None:
    (tmp_path / "pip.conf").write_text("[global]\nindex-url = https://me:hunter22@pypi.example.org/simple\n")
    (tmp_path / ".npmrc").write_text("registry=https://registry.npmjs.org/\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.12.8-slim\nCOPY pip.conf /etc/\nCOPY .npmrc /root/\n")
    found = [f for f in lint_paths([tmp_path]).findings if f.code == "DW406"]
    assert [f.span.line for f in found] == [2]


def test_copied_then_deleted_says_how_much(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "data.bin").write_bytes(b"x" * 300_000)
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12.8-slim\nWORKDIR /app\nCOPY . .\nRUN rm -rf tests\n"
    )
    found = [f for f in lint_paths([tmp_path]).findings if f.code == "DW502"]
    assert found and "293.0 KiB" in found[0].message and "/app/tests" in found[0].message


def test_small_copied_files_deleted_later_are_not_worth_a_finding(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask==3.1.0\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12.8-slim\nCOPY requirements.txt /tmp/\n"
        "RUN pip install --no-cache-dir -r /tmp/requirements.txt\nRUN rm /tmp/requirements.txt\n"
    )
    assert [f for f in lint_paths([tmp_path]).findings if f.code == "DW502"] == []


def test_apt_yes_fix_adds_the_flag_once() -> None:
    text = "FROM debian:12\nRUN apt-get install --no-install-recommends tini\n"
    fixed, _ = apply_fixes(text, lint_text(text))
    assert "apt-get install -y --no-install-recommends tini" in fixed
    assert [f for f in lint_text(fixed) if f.code == "DW206"] == []


@pytest.mark.parametrize(
    "call",
    [
        "python3 -B -m pip",
        "python -X utf8 -m pip",
        "python3.12 -Wignore -OO -m pip",
        "/usr/bin/python3 -I -m pip",
    ],
)
def test_the_interpreters_own_options_before_dash_m_hide_no_pip_call(call: str) -> None:
    """``python3 -B -m pip install ...`` is a pip call: every pip rule reads it (lint/commands.py)."""
    text = f"FROM python:3.12.8-slim\nRUN {call} install https://codeberg.org/o/tool/archive/master.tar.gz\n"
    codes = {f.code for f in lint_text(text)}
    assert "DW303" in codes, codes
