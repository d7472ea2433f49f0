"""A variable whose default the app refuses (``KEY = os.getenv("KEY", "dev")``, then ``if KEY == "dev"
and not DEBUG: raise``) is required (rw37: zou would not start with its default SECRET_KEY, and the plan
did not name it)."""

from __future__ import annotations

import ast

import pytest

from dockwright.project.refused_env import refused_env

READ = (
    'import os, sys\nSECRET_KEY = os.getenv("SECRET_KEY", "mysecretkey")\nDEBUG = os.getenv("DEBUG") == "1"\n'
)


@pytest.mark.parametrize(
    "test",
    [
        'SECRET_KEY == "mysecretkey"',
        '"mysecretkey" == SECRET_KEY',
        'SECRET_KEY == "mysecretkey" and not DEBUG and "pytest" not in sys.modules',
    ],
)
def test_a_refused_default_makes_the_variable_required(test: str) -> None:
    text = f"{READ}if {test}:\n    raise RuntimeError('set SECRET_KEY')\n"
    found = refused_env(ast.parse(text))
    assert [name for name, _, _ in found] == ["SECRET_KEY"]
    assert "mysecretkey" not in found[0][2]  # the default's text is not repeated in the plan


@pytest.mark.parametrize(
    "test",
    ['SECRET_KEY == "other"', 'SECRET_KEY != "mysecretkey"'],
)
def test_other_comparisons_require_nothing(test: str) -> None:
    assert refused_env(ast.parse(f"{READ}if {test}:\n    raise RuntimeError\n")) == []


def test_a_warning_on_the_default_requires_nothing() -> None:
    text = f"{READ}if SECRET_KEY == 'mysecretkey':\n    print('warning: default key')\n"
    assert refused_env(ast.parse(text)) == []
