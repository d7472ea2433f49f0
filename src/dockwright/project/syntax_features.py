"""The oldest CPython minor whose grammar a source file needs, told without an interpreter of that minor.

libcst (a maintained parser of the newest grammar, the optional ``syntax`` extra) reads the file; each
construct a minor added is a row of ``data/syntax.toml`` (with its source); the file needs the newest
minor among the constructs it uses. The syntax floor (:mod:`dockwright.project.syntax`) asks a real
CPython of a minor first and falls back to this when the machine has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from dockwright.project.tree import data_table

if TYPE_CHECKING:
    import libcst


@dataclass(frozen=True)
class SyntaxFeature:
    name: str
    minor: str  # "3.12": the first minor whose grammar has it
    what: str
    source: str


@dataclass(frozen=True)
class FeatureUse:
    feature: SyntaxFeature
    line: int


@lru_cache(maxsize=1)
def feature_table() -> dict[str, SyntaxFeature]:
    rows = data_table("syntax.toml")["feature"]
    return {
        name: SyntaxFeature(name, str(row["minor"]), str(row["what"]), str(row["source"]))
        for name, row in rows.items()
    }


def _key(minor: str) -> tuple[int, int]:
    major, rest = minor.split(".")
    return int(major), int(rest)


@lru_cache(maxsize=1)
def libcst_available() -> bool:
    """libcst 1.8 or newer is installed (the first to parse the 3.14 grammar: t-strings, PEP 758)."""
    try:
        import libcst
    except ImportError:
        return False
    return hasattr(libcst, "TemplatedString")


def _fstring_grammar(text: str, quote: str) -> bool:
    """Whether an f-string's expression part needs PEP 701: before 3.12 the tokenizer ended the string
    at its closing quote, and the expression could hold no backslash (nor a line break unless the
    string is triple-quoted). A comment there is told apart by its node (``'#'`` in a string is fine)."""
    return "\\" in text or (len(quote) == 1 and (quote in text or "\n" in text))


def _uses(module: libcst.Module) -> list[tuple[str, libcst.CSTNode]]:
    """The table's constructs in ``module`` (a plain walk: line positions cost three times the walk)."""
    import libcst

    code = module.code_for_node
    simple = {
        libcst.TryStar: "except-star",
        libcst.TypeAlias: "type-statement",
        libcst.TypeParameters: "type-parameters",
        libcst.TemplatedString: "template-string",
    }
    looked_at = {
        *simple,
        libcst.Index,
        libcst.Annotation,
        libcst.TypeParam,
        libcst.ExceptHandler,
        libcst.ExceptStarHandler,
        libcst.Comment,
        libcst.FormattedString,
        libcst.FormattedStringExpression,
    }
    found: list[tuple[str, libcst.CSTNode]] = []
    strings: list[libcst.FormattedString | libcst.FormattedStringExpression] = []  # the f-strings we are in

    class Visitor(libcst.CSTVisitor):
        def on_visit(self, node: libcst.CSTNode) -> bool:
            kind = type(node)
            if kind not in looked_at:  # most nodes: one set look-up
                return True
            name = simple.get(kind) or self._feature(node)
            if name is not None:
                found.append((name, node))
            if isinstance(node, (libcst.FormattedString, libcst.FormattedStringExpression)):
                strings.append(node)
            return True

        def on_leave(self, original_node: libcst.CSTNode) -> None:
            if isinstance(original_node, (libcst.FormattedString, libcst.FormattedStringExpression)):
                strings.pop()

        def _feature(self, node: libcst.CSTNode) -> str | None:
            if isinstance(node, libcst.Index) and node.star:
                return "starred-subscript"
            if isinstance(node, libcst.Annotation) and isinstance(node.annotation, libcst.StarredElement):
                return "starred-subscript"
            if isinstance(node, libcst.TypeParam) and node.default is not None:
                return "type-parameter-default"
            if isinstance(node, (libcst.ExceptHandler, libcst.ExceptStarHandler)):
                kind = node.type
                return "unparenthesized-except" if isinstance(kind, libcst.Tuple) and not kind.lpar else None
            if isinstance(node, libcst.Comment) and strings:
                return "f-string-grammar"  # a comment in an f-string's expression part
            if isinstance(node, libcst.FormattedStringExpression):
                outer = next(s for s in reversed(strings) if isinstance(s, libcst.FormattedString))
                parts = (node.whitespace_before_expression, node.expression, node.whitespace_after_expression)
                if _fstring_grammar("".join(map(code, parts)), outer.end):
                    return "f-string-grammar"
            return None

    module.visit(Visitor())
    return found


# brackets opened one inside another 150 deep (CPython's own parser stops at 200): libcst's native
# parser overflows its stack on far deeper ones and takes the process down (no exception to catch)
_DEEP = re.compile(r"(?:[(\[{]\s*){150}")


def _parse(text: str) -> libcst.Module | None:
    import libcst

    if _DEEP.search(text):
        return None
    try:
        return libcst.parse_module(text)
    except (libcst.ParserSyntaxError, RecursionError, ValueError):  # deeply nested code exceeds the stack
        return None


def features_used(text: str) -> tuple[FeatureUse, ...] | None:
    """The table's constructs ``text`` uses, with their lines, in source order; None when libcst is
    missing or cannot parse it (not Python, or a grammar newer than the installed libcst's)."""
    if not libcst_available():
        return None
    from libcst.metadata import MetadataWrapper, PositionProvider

    module = _parse(text)
    if module is None:
        return None
    try:
        uses = _uses(module)
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider) if uses else {}
    except RecursionError:
        return None
    table = feature_table()
    found = [FeatureUse(table[name], positions[node].start.line) for name, node in uses]
    return tuple(sorted(found, key=lambda u: u.line))


@lru_cache(maxsize=256)  # the syntax floor asks once per minor without an interpreter: parse each file once
def minor_needed(text: str) -> tuple[bool, str | None]:
    """(libcst parses ``text``, the newest minor among the table's constructs it uses or None)."""
    module = _parse(text) if libcst_available() else None
    if module is None:
        return False, None
    try:
        names = {name for name, _node in _uses(module)}
    except RecursionError:
        return False, None
    return True, needed_minor(feature_table()[n].minor for n in names)


def needed_minor(minors: Iterable[str]) -> str | None:
    """The newest of ``minors`` (None: none, the file uses nothing of the table)."""
    return max(minors, key=_key, default=None)


def feature_parser(minor: str, files: list[tuple[str, str]]) -> list[str] | None:
    """The syntax floor's parser protocol without an interpreter: the files whose constructs need a
    minor newer than ``minor``, or that libcst cannot parse; None without libcst."""
    if not libcst_available():
        return None
    rejected = []
    for rel, text in files:
        parsed, needed = minor_needed(text)
        if not parsed or (needed is not None and _key(needed) > _key(minor)):
            rejected.append(rel)
    return rejected
