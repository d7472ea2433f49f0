"""The Python chooser: request, locked Requires-Python, available wheels and the source grammar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.facts import Dependencies, Evidence, Fact, LockedPackage, PythonFacts
from dockwright.project.python_choice import choose_python
from dockwright.project.python_version import release_table
from dockwright.project.syntax import SyntaxFloor, interpreter_parser, syntax_floor
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
PEP701 = 'songs = ["a", "b"]\nprint(f"{", ".join(songs)}")\n'
TABLE = release_table()
NEWEST = max(TABLE.latest, key=lambda m: tuple(int(p) for p in m.split(".")))
NO_FLOOR = SyntaxFloor(None, (), (), "the host parses everything")


def _key(minor: str) -> tuple[int, int]:
    a, b = minor.split(".")
    return int(a), int(b)


def _default_py(requested: str = "", file: str = "default", detail: str = "") -> PythonFacts:
    patch = TABLE.latest[TABLE.default]
    ev = (Evidence(file, None, detail),)
    return PythonFacts(Fact(requested, ev), Fact(patch, ev), Fact("trixie", ev))


def _deps(*locked: LockedPackage) -> Dependencies:
    return Dependencies(
        manager=Fact("poetry", (Evidence("poetry.lock", None, ""),)),
        input_files=("pyproject.toml", "poetry.lock"),
        hashed_requirements=None,
        lock_file="poetry.lock",
        locked=locked,
        declared=(),
    )


def test_fake_grammar_decides_the_floor(make_project: MakeProject) -> None:
    root = make_project({"app.py": PEP701, "ok.py": "x = 1\n"})
    seen: list[str] = []

    def parser(minor: str, files: list[tuple[str, str]]) -> list[str] | None:
        seen.append(minor)
        return [] if _key(minor) >= (3, 12) else [rel for rel, _ in files]

    floor = syntax_floor(ProjectTree(root), TABLE.latest, parser)
    assert floor.minimum == "3.12" and floor.files == ("app.py",) and floor.unparsed == ()
    assert "app.py parses only with Python 3.12's grammar" in floor.reason


def test_no_newer_grammar_leaves_the_file_unparsed(make_project: MakeProject) -> None:
    root = make_project({"old.py": "print 'python 2'\n"})
    floor = syntax_floor(ProjectTree(root), TABLE.latest, lambda _m, files: [r for r, _ in files])
    assert floor.minimum is None and floor.unparsed == ("old.py",)


@pytest.mark.skipif(interpreter_parser("3.12", []) is None, reason="needs a CPython 3.12 on this machine")
def test_real_interpreter_parses_pep701(make_project: MakeProject) -> None:
    root = make_project({"app.py": PEP701})
    floor = syntax_floor(ProjectTree(root), TABLE.latest)
    assert floor.minimum == "3.12"


def test_source_grammar_moves_an_unconstrained_project_forward() -> None:
    floor = SyntaxFloor(
        NEWEST, ("app.py",), (), f"app.py parses only with Python {NEWEST}'s grammar or newer"
    )
    chosen = choose_python(_default_py(), _deps(), floor)
    assert chosen.version.value == TABLE.latest[NEWEST]
    detail = chosen.version.evidence[0].detail
    assert f"the default {TABLE.default} is ruled out by the source" in detail


def test_locked_requires_python_rules_out_the_default() -> None:
    django = LockedPackage("django", "9.0", requires_python=f">={NEWEST}")
    chosen = choose_python(_default_py(), _deps(django), NO_FLOOR)
    assert chosen.version.value == TABLE.latest[NEWEST]
    assert f"django 9.0 requires Python >={NEWEST} (poetry.lock)" in chosen.version.evidence[0].detail


def test_a_dependency_floor_under_a_cap_is_named() -> None:
    """A cap below the default decides; a locked Requires-Python floor that rules out older minors is named."""
    below = sorted((m for m in TABLE.latest if _key(m) < _key(TABLE.default)), key=_key)
    cap, floor = below[-1], below[-2]
    spec = f">=3.9,<{TABLE.default}"
    py = _default_py(spec, "pyproject.toml", f"requires-python = {spec!r}")
    django = LockedPackage("django", "6.1", requires_python=f">={floor}")
    chosen = choose_python(py, _deps(django), NO_FLOOR)
    assert chosen.version.value == TABLE.latest[cap]
    detail = chosen.version.evidence[0].detail
    assert f"the default {TABLE.default} is outside the project's request" in detail
    assert f"other minors are ruled out: django 6.1 requires Python >={floor} (poetry.lock)" in detail
    assert detail.count("django 6.1 requires") == 1


def test_old_pin_without_wheels_picks_an_older_python_with_wheels() -> None:
    older = [m for m in TABLE.latest if _key(m) < _key(TABLE.default)]
    target = max(older, key=_key)
    tag = "cp" + target.replace(".", "")
    numpy = LockedPackage(
        "numpy",
        "1.0",
        files=(f"numpy-1.0-{tag}-{tag}-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "numpy-1.0.tar.gz"),
    )
    chosen = choose_python(_default_py(), _deps(numpy), NO_FLOOR)
    assert chosen.version.value == TABLE.latest[target]
    detail = chosen.version.evidence[0].detail
    assert f"the default {TABLE.default} has no wheels for numpy 1.0" in detail
    assert f"every locked binary dependency has a wheel for {target}" in detail


def test_an_explicit_version_is_kept_and_the_conflict_stated() -> None:
    floor = SyntaxFloor(
        NEWEST, ("app.py",), (), f"app.py parses only with Python {NEWEST}'s grammar or newer"
    )
    py = _default_py(TABLE.default, ".python-version", TABLE.default)
    chosen = choose_python(py, _deps(), floor)
    assert chosen.version.value == py.version.value
    assert chosen.version.evidence[-1].detail.startswith("warning: app.py parses only")


def test_the_request_range_is_respected() -> None:
    floor = SyntaxFloor("3.12", ("app.py",), (), "app.py parses only with Python 3.12's grammar or newer")
    py = _default_py(">=3.10,<3.13", "pyproject.toml", "requires-python = '>=3.10,<3.13'")
    chosen = choose_python(py, _deps(), floor)
    assert chosen.version.value == TABLE.latest["3.12"]


def test_nothing_to_change_returns_the_same_facts() -> None:
    py = _default_py()
    assert choose_python(py, _deps(), NO_FLOOR) is py


def test_platform_only_packages_do_not_count_as_missing_wheels() -> None:
    pywin32 = LockedPackage(
        "pywin32", "311", files=("pywin32-311-cp311-cp311-win_amd64.whl",), markers="sys_platform == 'win32'"
    )
    py = _default_py()
    assert choose_python(py, _deps(pywin32), NO_FLOOR) is py


def test_tests_and_templates_do_not_steer_the_grammar(make_project: MakeProject) -> None:
    root = make_project(
        {"tests/data/case.py": PEP701, "{{cookiecutter.name}}/x.py": PEP701, "app.py": "x = 1\n"}
    )
    floor = syntax_floor(ProjectTree(root), TABLE.latest, lambda _m, _f: [])
    assert floor.minimum is None and floor.files == ()
