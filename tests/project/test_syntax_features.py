"""The grammar table (project/data/syntax.toml) read with libcst: the syntax floor without an interpreter of
each minor. Where this machine has that interpreter, the table must agree with it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dockwright.project import syntax, syntax_features
from dockwright.project.python_version import release_table
from dockwright.project.syntax import interpreter_parser, syntax_floor
from dockwright.project.syntax_features import feature_parser, feature_table, features_used, needed_minor
from dockwright.project.tree import ProjectTree

pytestmark = pytest.mark.skipif(
    not syntax_features.libcst_available(), reason="libcst >= 1.8 (the `syntax` extra, in `dev`) is missing"
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# One source per construct of the table (its name) and, after it, sources every minor since 3.10 parses.
NEEDS = {
    "except-star": "try:\n    pass\nexcept* ValueError:\n    pass\n",
    "starred-subscript": "x = a[*b]\ndef f(*args: *Ts): pass\n",
    "type-statement": "type Alias = int\n",
    "type-parameters": "def f[T](x: T) -> T:\n    return x\nclass C[T]: pass\n",
    "f-string-grammar": 'x = f"{"a"}"\n',
    "type-parameter-default": "def f[T = int](): pass\n",
    "template-string": 'x = t"hi {x}"\n',
    "unparenthesized-except": "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
}
PEP701 = {
    "backslash": "x = f\"{'\\n'.join(a)}\"\n",
    "nested same quotes": 'x = f"{f"{f"{1}"}"}"\n',
    "line break": 'x = f"{a\n + b}"\n',
    "comment": 'x = f"""{a # why\n}"""\n',
    "format spec": 'x = f"{v:{"w"}}"\n',
}
OLDER = {
    "format spec with #": 'x = f"{v:#x}"\n',
    "other quotes nested": "x = f\"{f'{y}'}\"\n",
    "quote in triple-quoted": 'x = f"""{"a"}"""\n',
    "line break in triple-quoted": 'x = f"""{a +\n b}"""\n',
    "# in a string": "x = f\"{'#'}\"\n",
    "backslash in spec text": 'x = f"{v:\\n}"\n',
    "parenthesized except": "try:\n    pass\nexcept (A, B):\n    pass\n",
    "match": "match x:\n    case [1, *rest]:\n        pass\n",
    "parenthesized with": "with (open(a) as f, open(b) as g):\n    pass\n",
}
SOURCES = {**NEEDS, **{f"pep701 {k}": v for k, v in PEP701.items()}, **OLDER}


def _minor_of(name: str) -> str | None:
    if name in NEEDS:
        return feature_table()[name].minor
    return "3.12" if name.startswith("pep701") else None


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_source_needs_its_minor(name: str) -> None:
    uses = features_used(SOURCES[name])
    assert uses is not None
    assert needed_minor(u.feature.minor for u in uses) == _minor_of(name)
    if name in NEEDS:
        assert {u.feature.name for u in uses} >= {name}


def test_every_row_is_covered_and_names_its_source() -> None:
    assert set(feature_table()) == set(NEEDS)
    for feature in feature_table().values():
        assert feature.source.startswith("https://peps.python.org/pep-") and feature.what


@pytest.mark.parametrize("minor", ["3.11", "3.12", "3.13", "3.14"])
def test_the_table_agrees_with_the_interpreter_where_there_is_one(minor: str) -> None:
    files = sorted(SOURCES.items())
    real = interpreter_parser(minor, files)
    if real is None:
        pytest.skip(f"no CPython {minor} on this machine to compare with")
    assert sorted(feature_parser(minor, files) or []) == sorted(real)


def test_what_libcst_cannot_parse_is_rejected_by_every_minor() -> None:
    assert features_used("print 'python 2'\n") is None
    assert feature_parser("3.14", [("old.py", "print 'python 2'\n")]) == ["old.py"]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the host's Python parses 3.12 syntax itself")
def test_the_floor_without_any_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    """No CPython newer than the host on the machine: the table finds the floor, and says where."""
    monkeypatch.setattr(syntax, "_interpreters", lambda minor: [])
    floor = syntax_floor(ProjectTree(EXAMPLES / "py312-syntax"), release_table().latest)
    assert floor.minimum == "3.12" and floor.files == ("src/wordtally/cli.py",)
    assert floor.reason == (
        "src/wordtally/cli.py parses only with Python 3.12's grammar or newer "
        "(src/wordtally/cli.py:10: a `type` alias statement (PEP 695))"
    )


def test_without_libcst_the_floor_says_no_grammar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syntax, "_interpreters", lambda minor: [])
    monkeypatch.setattr(syntax_features, "libcst_available", lambda: False)
    assert syntax.grammar_parser("3.12", [("a.py", "type A = int\n")]) is None


def test_brackets_nested_past_the_parsers_limit_are_not_parsed() -> None:
    """libcst's native parser overflows its stack on thousands of nested brackets (the process dies):
    such a module is left unread, as CPython's parser refuses it too."""
    from dockwright.project.syntax_features import features_used

    assert features_used("E = " + "[" * 3000 + "]" * 3000 + "\n") is None
