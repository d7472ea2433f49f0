"""README's verb table names every option of every verb, and every value of a choice option, as the
CLI spells them (it had lost build's --reproducible, --progress ... and lint's gitlab format)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from dockwright.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"
VERBS = (("plan",), ("init",), ("lint",), ("rule",), ("build",), ("audit",), ("sbom",), ("base", "build"))


def _command(words: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for word in words:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), word)
        assert found is not None, word
        command = found
    return command


def _rows(words: tuple[str, ...]) -> str:
    """The first cells of the verb table's rows for ``dockwright WORDS``, `\\|` read as `|`."""
    start = f"| `dockwright {' '.join(words)}"
    cells = [
        line.split("` |", 1)[0]
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith((start + " ", start + "`"))
    ]
    assert cells, f"no row for dockwright {' '.join(words)}"
    return " ".join(cells).replace("\\|", "|")


def _named(text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


@pytest.mark.parametrize("words", VERBS, ids=" ".join)
def test_readme_names_every_option(words: tuple[str, ...]) -> None:
    row = _rows(words)
    missing = []
    for param in _command(words).params:
        if not isinstance(param, click.Option) or "--help" in param.opts:
            continue
        names = [*param.opts, *param.secondary_opts]
        if not any(_named(row, name) for name in names):
            missing.append(names[0])
        elif isinstance(param.type, click.Choice):
            choices = "|".join(str(choice) for choice in param.type.choices)
            if not any(f"{name} {choices}" in row for name in names):
                missing.append(f"{names[0]} {choices}")
    assert not missing, f"README's row for dockwright {' '.join(words)} lacks {', '.join(missing)}"
