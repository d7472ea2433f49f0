"""Every builder stage that runs pip (any strategy the goldens pin) runs it non-interactively."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
PIP_RUN = re.compile(r"(^|[\s/&;])pip3?\s+(install|wheel|download)\b|-m pip\b")


def _stages(text: str) -> list[tuple[str, str]]:
    """(stage name, text) of each FROM block."""
    out: list[tuple[str, str]] = []
    for block in re.split(r"(?m)^(?=FROM )", text):
        if block.startswith("FROM "):
            out.append((block.split("\n", 1)[0].split()[-1], block))
    return out


DOCKERFILES = sorted(GOLDEN.glob("*/Dockerfile"))


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=[p.parent.name for p in DOCKERFILES])
def test_every_pip_stage_is_non_interactive(dockerfile: Path) -> None:
    for name, block in _stages(dockerfile.read_text()):
        if PIP_RUN.search(block):
            assert "PIP_NO_INPUT=" in block or "--no-input" in block, (
                f"{dockerfile.parent.name}: stage {name}"
            )


def test_goldens_exist() -> None:
    assert len(DOCKERFILES) >= 20
