"""Differential test: our parser vs BuildKit's Go parser (see oracle.py for the rules)."""

from __future__ import annotations

from pathlib import Path

import pytest
from df_oracle import compare
from df_strategies import dockerfiles
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURES = sorted((Path(__file__).resolve().parent / "fixtures").glob("*.Dockerfile"))
REPO = Path(__file__).resolve().parents[2]
EXTERNAL = sorted(
    p
    for base in (REPO / "examples", REPO / "tests" / "golden")
    if base.is_dir()
    for p in base.rglob("*")
    if p.is_file()
    and (
        p.name in ("Dockerfile", "Containerfile")
        or p.name.startswith("Dockerfile.")
        or p.suffix == ".Dockerfile"
    )
)


def test_enough_fixtures() -> None:
    assert len(FIXTURES) >= 25


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_agrees_with_buildkit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert compare(text) == []


def test_repo_dockerfiles_agree_with_buildkit() -> None:
    """Every Dockerfile in examples/ and tests/golden/ (none may exist yet)."""
    failures = {}
    for path in EXTERNAL:
        problems = compare(path.read_text(encoding="utf-8"))
        if problems:
            failures[str(path.relative_to(REPO))] = problems
    assert failures == {}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_generated_agree_with_buildkit(text: str) -> None:
    assert compare(text) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\\`#<>-=\"'[],aAbEOFRUN{}$")), max_size=80))
def test_noise_agrees_with_buildkit(text: str) -> None:
    assert compare(text) == []


TOKENS = [
    "RUN", "FROM", "ONBUILD", "COPY", "ADD", "ENV", "LABEL", "HEALTHCHECK", "ARG", "CMD", "SHELL",
    "VOLUME", " ", "  ", "\n", "\n", "\\", "`", "#", "<<", "<<-", "EOF", "E", "-", "--", "=", '"',
    "'", "[", "]", ",", "a", "\t", "\r\n", "# escape=`\n", "# syntax=x\n", "x=y", "NONE", "AS", "0",
    "\\\n", "`\n", "--mount=a", "1",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_token_soup_agrees_with_buildkit(text: str) -> None:
    assert compare(text) == []
