"""Property tests: detection readers never crash on arbitrary input, they raise ProjectError or succeed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.errors import ProjectError
from dockwright.project.apps import scan_module
from dockwright.project.managers import parse_requirements
from dockwright.project.tree import ProjectTree

LINES = st.lists(
    st.one_of(
        st.sampled_from(
            ["flask==3.0.3", "-e .", "--hash=sha256:ab", "# c", "\\", "x ; python_version<'3'", "-r"]
        ),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(LINES)
def test_requirements_parser_never_crashes(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "requirements.txt").write_text("\n".join(lines), encoding="utf-8")
        try:
            parse_requirements(ProjectTree(Path(tmp)), "requirements.txt")
        except ProjectError as exc:
            assert "\n" not in str(exc)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_scanner_never_crashes(source: str) -> None:
    scan_module("x.py", source)
