"""Each rule fires on its anti-pattern and stays quiet on the fix the guides prescribe."""

from __future__ import annotations

import pytest

from dockwright.lint.linter import lint_text
from dockwright.lint.registry import RULES

GOOD_TAIL = """
ENV PYTHONUNBUFFERED=1
LABEL org.opencontainers.image.version="1.0"
USER 10001:10001
HEALTHCHECK NONE
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["python", "-m", "app"]
"""

CASES: dict[str, tuple[str, str]] = {
    "DW001": ("FROM python:3.12.8-slim\nRUNN echo hi\n", "FROM python:3.12.8-slim\nRUN echo hi\n"),
    "DW101": ("FROM debian\n", "FROM debian:bookworm-20241111\n"),
    "DW102": ("FROM python:3-slim\n", "FROM python:3.12.8-slim-bookworm\n"),
    "DW103": (
        "FROM python:3.12-alpine\nRUN pip install --no-cache-dir numpy==2.1.3\n",
        "FROM python:3.12-alpine\nRUN pip install --no-cache-dir click==8.1.7\n",
    ),
    "DW201": (
        "FROM debian:12\nRUN apt-get update && apt-get install -y tini && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends tini"
        " && rm -rf /var/lib/apt/lists/*\n",
    ),
    "DW202": (
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends tini\n",
        "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update"
        " && apt-get install -y --no-install-recommends tini\n",
    ),
    "DW203": (
        "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n",
        "FROM debian:12\nRUN apt-get update\n",
    ),
    "DW204": (
        "FROM python:3.12.8-slim AS b\nFROM python:3.12.8-slim\nRUN apt-get install -y --no-install-recommends"
        " gcc libpq-dev && rm -rf /var/lib/apt/lists/*\n",
        "FROM python:3.12.8-slim AS b\nRUN apt-get install -y --no-install-recommends gcc libpq-dev"
        " && rm -rf /var/lib/apt/lists/*\nFROM python:3.12.8-slim\n",
    ),
    "DW205": (
        "FROM python:3.12.8-slim\nRUN apt-get install -y --no-install-recommends build-essential"
        " && rm -rf /var/lib/apt/lists/*\n",
        "FROM python:3.12.8-slim\nRUN apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\n",
    ),
    "DW301": (
        "FROM python:3.12.8-slim\nRUN pip install flask==3.1.0\n",
        "FROM python:3.12.8-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.1.0\n",
    ),
    "DW302": (
        "FROM python:3.12.8-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "FROM python:3.12.8-slim\nRUN pip install --no-cache-dir --require-hashes -r requirements.txt\n",
    ),
    "DW303": (
        "FROM python:3.12.8-slim\nRUN pip install --no-cache-dir flask\n",
        "FROM python:3.12.8-slim\nRUN pip install --no-cache-dir flask==3.1.0\n",
    ),
    "DW304": (
        "FROM python:3.12.8-slim\nRUN uv sync --no-dev\n",
        "FROM python:3.12.8-slim\nRUN uv sync --locked --no-dev\n",
    ),
    "DW305": (
        "FROM python:3.12.8-slim\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n",
        "FROM python:3.12.8-slim\nENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1\n"
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n",
    ),
    "DW306": (
        "FROM python:3.12.8-slim\nRUN poetry install --no-interaction\n",
        "FROM python:3.12.8-slim\nRUN poetry install --no-interaction --only main\n",
    ),
    "DW307": (
        "FROM python:3.12.8-slim\nRUN pipenv install --system\n",
        "FROM python:3.12.8-slim\nRUN pipenv install --system --deploy\n",
    ),
    "DW308": (
        "FROM python:3.12.8-slim\nRUN pdm install\n",
        "FROM python:3.12.8-slim\nRUN pdm install --prod --frozen-lockfile\n",
    ),
    "DW309": (
        "FROM python:3.12.8-slim\nRUN pip install --no-cache-dir .\n",
        "FROM python:3.12.8-slim\nRUN pip install --no-cache-dir --no-deps /tmp/dist/app-1.0-py3-none-any.whl\n",
    ),
    "DW311": (
        "FROM python:3.12.8-slim\nRUN pip install --no-cache-dir 'click==8.1.7' rich>=13\n",
        'FROM python:3.12.8-slim\nRUN pip install --no-cache-dir "rich>=13" click==8.1.7 > /tmp/log 2>&1\n',
    ),
    "DW401": ("FROM python:3.12.8-slim\nUSER root\n", "FROM python:3.12.8-slim\nUSER 10001:10001\n"),
    "DW402": ("FROM python:3.12.8-slim\nUSER app\n", "FROM python:3.12.8-slim\nUSER 10001:10001\n"),
    "DW403": (
        "FROM python:3.12.8-slim\nENV API_TOKEN=abc\n",
        "FROM python:3.12.8-slim\nENV TOKEN_FILE=/run/secrets/t\n",
    ),
    "DW404": (
        "FROM python:3.12.8-slim\nENV PIP_TRUSTED_HOST=pypi.internal\n",
        "FROM python:3.12.8-slim\nENV PIP_INDEX_URL=https://pypi.internal/simple\n",
    ),
    "DW405": (
        "FROM python:3.12.8-slim\nADD app.py /app/\n",
        "FROM python:3.12.8-slim\nADD vendor.tar.gz /opt/\n",
    ),
    "DW501": (
        "FROM python:3.12.8-slim\nCOPY . .\nRUN pip install --no-cache-dir --require-hashes -r requirements.txt\n",
        "FROM python:3.12.8-slim\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir --require-hashes -r requirements.txt\nCOPY . .\n",
    ),
    "DW601": (
        'FROM python:3.12.8-slim\nCMD ["python", "app.py"]\n',
        'FROM python:3.12.8-slim\nCMD ["python", "-u", "app.py"]\n',
    ),
    "DW602": (
        "FROM python:3.12.8-slim\nCMD gunicorn app:app\n",
        'FROM python:3.12.8-slim\nCMD ["gunicorn", "app:app"]\n',
    ),
    "DW603": (
        "FROM python:3.12.8-slim\nEXPOSE 8000\n",
        "FROM python:3.12.8-slim\nEXPOSE 8000\nHEALTHCHECK NONE\n",
    ),
    "DW604": (
        "FROM python:3.12.8-slim\n",
        "FROM python:3.12.8-slim\nLABEL org.opencontainers.image.version=1.0\n",
    ),
    "DW605": (
        'FROM python:3.12.8-slim\nCMD ["python", "worker.py"]\n',
        'FROM python:3.12.8-slim\nENTRYPOINT ["tini", "--"]\nCMD ["python", "worker.py"]\n',
    ),
    "DW606": ("FROM python:3.12.8-slim\nWORKDIR app\n", "FROM python:3.12.8-slim\nWORKDIR /app\n"),
    "DW104": ("FROM python:3.6-slim\n", "FROM python:3.13.13-slim\n"),
    "DW106": (
        "FROM python:3.12.8-slim\nCOPY --from=ghcr.io/astral-sh/uv /uv /bin/uv\n",
        "FROM python:3.12.8-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /bin/uv\n",
    ),
    "DW206": (
        "FROM debian:12\nRUN apt-get install --no-install-recommends tini\n",
        "FROM debian:12\nRUN apt-get install --yes --no-install-recommends tini\n",
    ),
    "DW207": ("FROM alpine:3.20\nRUN apk add tini\n", "FROM alpine:3.20\nRUN apk add --no-cache tini\n"),
    "DW208": (
        "FROM debian:12\nRUN wget -qO- https://example.org/x.tgz | tar -xz\n",
        "FROM debian:12\nRUN set -o pipefail && wget -qO- https://example.org/x.tgz | tar -xz\n",
    ),
    "DW310": (
        "FROM python:3.12.8-slim\nRUN uv sync --locked\n",
        "FROM python:3.12.8-slim\nRUN uv sync --locked --no-dev\n",
    ),
    "DW406": (
        "FROM python:3.12.8-slim\nCOPY prod.env /app/\n",
        "FROM python:3.12.8-slim\nCOPY app.py /app/\n",
    ),
    "DW502": (
        "FROM python:3.12.8-slim\nCOPY tool.tar.gz /tmp/\nRUN tar -xzf /tmp/tool.tar.gz -C /opt\nRUN rm /tmp/tool.tar.gz\n",
        "FROM python:3.12.8-slim\nRUN --mount=type=bind,source=get-tool.sh,target=/tmp/get-tool.sh sh /tmp/get-tool.sh\n",
    ),
    "DW607": (
        'FROM python:3.12.8-slim\nCMD ["uvicorn", "app:app", "--port", "${PORT}"]\n',
        'FROM python:3.12.8-slim\nCMD ["uvicorn", "app:app", "--port", "8000"]\n',
    ),
    "DW608": (
        "FROM python:3.12.8-slim\nRUN export APP_ENV=prod\n",
        "FROM python:3.12.8-slim\nENV APP_ENV=prod\n",
    ),
    "DW609": (
        'FROM python:3.12.8-slim\nCMD ["uvicorn", "app:app", "--reload"]\n',
        'FROM python:3.12.8-slim\nCMD ["uvicorn", "app:app"]\n',
    ),
    "DW610": (
        'ARG PIP_OPTS="--no-cache-dir"\nFROM python:3.12.8-slim\nRUN pip install $PIP_OPTS flask==3.1.0\n',
        'ARG PIP_OPTS="--no-cache-dir"\nFROM python:3.12.8-slim\nARG PIP_OPTS\nRUN pip install $PIP_OPTS flask==3.1.0\n',
    ),
    "DW900": (
        "FROM python:3.12.8-slim\n# dockwright: ignore=DW606\nWORKDIR /app\n",
        "FROM python:3.12.8-slim\n# dockwright: ignore=DW606\nWORKDIR app\n",
    ),
}
PROJECT_RULES = {"DW701", "DW702", "DW703"}  # need a build context: tests/lint/test_lint_dockerignore.py


def codes(text: str, code: str) -> list[str]:
    return [f.code for f in lint_text(text) if f.code == code]


TOOL_RULES = {"DW801"}  # needs ShellCheck installed: tests/lint/test_lint_shellcheck.py


def test_every_rule_has_a_case() -> None:
    assert {r.code for r in RULES} - PROJECT_RULES - TOOL_RULES == set(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_the_anti_pattern(code: str) -> None:
    assert code in codes(CASES[code][0], code)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_is_quiet_on_the_prescribed_form(code: str) -> None:
    assert code not in codes(CASES[code][1], code)


@pytest.mark.parametrize(
    "line",
    [
        "RUN pipx install black",
        "RUN pip download -d /wheels flask",
        "RUN uv pip compile requirements.in -o requirements.txt",
        "RUN pip wheel --require-hashes --wheel-dir /wheels -r requirements.txt",
        "RUN pipenv requirements --hash > requirements.txt",
        "RUN echo 'pip install flask' > notes.txt",
    ],
)
def test_no_false_positives_on_neighbouring_commands(line: str) -> None:
    text = f"FROM python:3.12.8-slim-bookworm\n{line}\n{GOOD_TAIL}"
    assert [f.code for f in lint_text(text) if f.code.startswith("DW3")] == []


def test_pip_spellings_are_all_recognised() -> None:
    for spelling in (
        "pip",
        "pip3",
        "pip3.12",
        "/usr/local/bin/pip",
        "python -m pip",
        "python3.12 -m pip",
        "uv pip",
    ):
        text = f"FROM python:3.12.8-slim\nRUN {spelling} install flask\n"
        assert "DW303" in codes(text, "DW303"), spelling


def test_cache_mount_must_target_the_effective_users_cache() -> None:
    text = (
        "FROM python:3.12.8-slim\nRUN useradd --uid 10001 --home-dir /home/app app\nUSER app\n"
        "RUN --mount=type=cache,target=/root/.cache/pip pip install --user flask==3.1.0\n"
    )
    findings = [f for f in lint_text(text) if f.code == "DW301"]
    assert findings and "/home/app/.cache/pip" in findings[0].message


def test_multistage_env_is_inherited_from_named_stages() -> None:
    text = 'FROM python:3.12.8-slim AS base\nENV PYTHONUNBUFFERED=1\nFROM base\nCMD ["python", "app.py"]\n'
    assert "DW601" not in codes(text, "DW601")


UV = "--mount=type=bind,from=ghcr.io/astral-sh/uv:0.13.9,source=/uv,target=/usr/local/bin/uv"


@pytest.mark.parametrize(
    ("run", "kept"),
    [
        (f"RUN {UV} uv pip install --system --require-hashes -r requirements.txt", True),
        (f"RUN {UV} uv sync --locked --no-dev", True),
        (f"RUN {UV} --mount=type=cache,target=/root/.cache/pip uv pip install --system -r r.txt", True),
        (f"RUN {UV} uv pip install --system --no-cache --require-hashes -r requirements.txt", False),
        (f"RUN {UV} --mount=type=cache,target=/root/.cache/uv uv pip install --system -r r.txt", False),
        (f"RUN {UV} uv sync --locked && uv cache clean", False),
        (f"RUN {UV} uv sync --locked && rm -rf /root/.cache/uv", False),
        (f"ENV UV_NO_CACHE=1\nRUN {UV} uv sync --locked", False),
        (f"ENV UV_CACHE_DIR=/uvc\nRUN {UV} --mount=type=cache,target=/uvc uv sync --locked", False),
    ],
)
def test_uv_keeping_its_cache_in_a_shipped_layer(run: str, kept: bool) -> None:
    text = f"FROM python:3.12.8-slim\n{run}\n"
    findings = [f for f in lint_text(text) if f.code == "DW301"]
    assert bool(findings) is kept, findings
    if kept:
        assert "uv" in findings[0].message and findings[0].fix is not None


def test_uv_in_a_builder_stage_is_not_shipped() -> None:
    text = (
        f"FROM python:3.12.8-slim AS builder\nRUN {UV} uv sync --locked\n"
        "FROM python:3.12.8-slim\nCOPY --from=builder /app/.venv /app/.venv\n"
    )
    assert "DW301" not in codes(text, "DW301")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "RUN echo hi\nFROM python:3.12.8-slim\n",
            "RUN before the first FROM: no build stage in current context",
        ),
        ("ARG BASE=python:3.12.8-slim\n", "no FROM: the Dockerfile has no stage to build"),
    ],
)
def test_dw001_reports_a_file_buildkit_cannot_build(text: str, message: str) -> None:
    """hadolint's DL3061 maps here: BuildKit parses these files, then refuses to build them."""
    findings = [f for f in lint_text(text) if f.code == "DW001"]
    assert [(f.message, f.span.line) for f in findings] == [(message, 1)]
    assert not [f for f in lint_text("ARG BASE=x\n# c\nFROM $BASE\n") if f.code == "DW001"]


def test_dw602_unquoted_exec_form_is_named_and_its_fix_quotes_the_words() -> None:
    """`CMD [python, app.py]` runs in a shell; the exec-form fix made it `["[python,", "app.py]"]`."""
    from dockwright.lint.linter import apply_fixes

    text = "FROM python:3.12.8-slim\nCMD [python, app.py]\n"
    (finding,) = [f for f in lint_text(text) if f.code == "DW602"]
    assert finding.message.startswith("CMD looks like exec form but is no JSON array")
    fixed, _ = apply_fixes(text, (finding,), unsafe=True)
    assert fixed == 'FROM python:3.12.8-slim\nCMD ["python", "app.py"]\n'
    broken = "FROM python:3.12.8-slim\nCMD ['python', 'app.py']\n"
    (finding,) = [f for f in lint_text(broken) if f.code == "DW602"]
    assert finding.fix is None  # quotes of the wrong kind: no guess
