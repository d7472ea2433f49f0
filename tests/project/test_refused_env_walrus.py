"""A variable read and named in the test itself (``if not (path := os.getenv("X")): raise``) is required
as the two-statement form is (project/refused_env.py)."""

from __future__ import annotations

import ast

import pytest

from dockwright.project.refused_env import refused_env


@pytest.mark.parametrize(
    "test",
    [
        'not (value := os.getenv("SERVICE_CONFIG"))',
        '(value := os.environ.get("SERVICE_CONFIG")) is None',
        '(value := os.getenv("SERVICE_CONFIG", "")) == ""',
        'not (value := os.getenv("OTHER", "x")) or not (path := os.getenv("SERVICE_CONFIG"))',
    ],
)
def test_an_assignment_expression_in_the_test_is_read(test: str) -> None:
    text = f'import os\n\n\ndef config_path() -> str:\n    if {test}:\n        raise LookupError("no config")\n    return value\n'
    assert [name for name, _, _ in refused_env(ast.parse(text))] == ["SERVICE_CONFIG"]


def test_an_assignment_expression_with_a_default_is_not_required() -> None:
    text = 'import os\n\nif not (value := os.getenv("SERVICE_CONFIG", "app.toml")):\n    raise LookupError\n'
    assert refused_env(ast.parse(text)) == []
