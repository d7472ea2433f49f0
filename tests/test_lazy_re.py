"""dockwright.lazy_re: a module-level pattern compiles on first use and answers as re.compile's would."""

from __future__ import annotations

import re

import pytest

from dockwright.lazy_re import lazy


def test_compiles_on_first_use_only() -> None:
    pattern = lazy(r"(?P<word>[a-z]+)(?P<digits>\d*)", re.I)
    assert pattern._compiled is None  # importing a module costs nothing
    assert pattern.search("-- Ab12 --") is not None
    compiled = pattern._compiled
    assert compiled is not None
    pattern.match("x")
    assert pattern._compiled is compiled  # once


@pytest.mark.parametrize("text", ["", "abc 12 de3", "NO-digits here", "x1y2z3"])
def test_answers_as_re_compile(text: str) -> None:
    source, flags = r"([a-z]+)(\d*)", re.I
    lazy_pattern, eager = lazy(source, flags), re.compile(source, flags)

    def same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
        return (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))

    assert same(lazy_pattern.match(text), eager.match(text))
    assert same(lazy_pattern.fullmatch(text), eager.fullmatch(text))
    assert same(lazy_pattern.search(text, 1), eager.search(text, 1))
    assert [m.span() for m in lazy_pattern.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert lazy_pattern.findall(text) == eager.findall(text)
    assert lazy_pattern.sub(r"<\1>", text) == eager.sub(r"<\1>", text)
    assert lazy_pattern.subn(lambda m: m.group(1).upper(), text, 1) == eager.subn(
        lambda m: m.group(1).upper(), text, 1
    )
    assert lazy_pattern.split(text) == eager.split(text)
    assert (lazy_pattern.pattern, lazy_pattern.compiled().flags) == (eager.pattern, eager.flags)


def test_an_invalid_pattern_raises_on_use() -> None:
    pattern = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")


def test_compile_all_compiles_every_live_pattern_wherever_it_is_kept() -> None:
    """The daemon's server compiles every pattern once its modules are imported: one kept in a table
    (a tuple of pairs) too, and an invalid one raises where it is used, never in compile_all."""
    from dockwright.lazy_re import compile_all

    table = (("docs", lazy(r"(^|/)README[^/]*$")), ("broken", lazy(r"(unclosed")))
    compile_all()
    assert table[0][1]._compiled is not None
    assert table[1][1]._compiled is None
    with pytest.raises(re.error):
        table[1][1].search("x")


def test_the_daemon_warms_what_a_planning_would_compile() -> None:
    """A planning the server forks compiles no pattern of dockwright's own tables: the secret-file
    matchers, the rules every .dockerignore holds, the uv pin's reader (daemon/server.py, _warm)."""
    from dockwright import secrets
    from dockwright.daemon import server
    from dockwright.dockerfile import ignore
    from dockwright.plan.common import ALWAYS_IGNORE

    ignore._regex.cache_clear()
    secrets._any_secret.cache_clear()
    server._warm()
    assert secrets._any_secret.cache_info().currsize == 1
    before = ignore._regex.cache_info()
    ignore.DockerIgnore.parse("\n".join(rule for rule, _ in ALWAYS_IGNORE)).excluded("src/app.py")
    assert ignore._regex.cache_info().misses == before.misses
