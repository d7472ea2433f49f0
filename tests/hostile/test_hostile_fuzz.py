"""A short fuzz run in CI (``DOCKWRIGHT_FUZZ_EXAMPLES`` raises it; ``bench/fuzz_hostile.py`` runs it long).

Arbitrary text in the metadata a pyproject declares, and arbitrary bytes as a Dockerfile: dockwright
either writes files with no extra instruction and no extra ignore line, or refuses with exit 2 and one
line; lint never raises.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hostile.conftest import REPO

from dockwright.cli import main
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.dockerfile.parser import parse
from dockwright.lint.linter import lint_text

EXAMPLES = int(os.environ.get("DOCKWRIGHT_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def _toml_string(text: str) -> str:
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)
    return f'"{escaped}"'


def _baseline() -> tuple[list[str], int]:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        shutil.copytree(REPO / "examples" / "flask-requirements", project)
        (project / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
        assert main(["init", str(project), "--no-syntax"]) == 0
        keywords = [i.keyword for i in parse((project / "Dockerfile").read_text()).instructions]
        ignore = DockerIgnore.parse((project / ".dockerignore").read_text())
        return keywords, len(ignore.patterns)


BASELINE = _baseline()
VALUES = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@FUZZ
@given(name=VALUES, version=VALUES, url=VALUES)
def test_metadata_cannot_add_instructions(name: str, version: str, url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        shutil.copytree(REPO / "examples" / "flask-requirements", project)
        (project / "pyproject.toml").write_text(
            f"[project]\nname = {_toml_string(name or 'x')}\nversion = {_toml_string(version or '1')}\n"
            f"[project.urls]\nRepository = {_toml_string(url)}\n"
        )
        code = main(["init", str(project), "--no-syntax"])
        assert code in (0, 2)
        if code == 0:
            keywords = [i.keyword for i in parse((project / "Dockerfile").read_text()).instructions]
            ignore = DockerIgnore.parse((project / ".dockerignore").read_text())
            assert (keywords, len(ignore.patterns)) == BASELINE


@FUZZ
@given(data=st.binary(max_size=400))
def test_lint_never_raises(data: bytes) -> None:
    lint_text(data.decode("utf-8", errors="surrogateescape"))
