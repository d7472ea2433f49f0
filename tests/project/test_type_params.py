"""Modules with Python 3.12's type parameter syntax (PEP 695) are read by the app detector on 3.11."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree
from dockwright.project.type_params import downlevel, parse

MakeProject = Callable[[dict[str, str | bytes]], Path]

GENERIC = """from typing import Protocol

type Slug = str
type Shelf[K] = dict[K, list[Slug]]


class Catalog[T](Protocol):
    def find(self, slug: Slug) -> T: ...


async def first[T: (int, str)](items: list[T]) -> T:
    return items[0]
"""

FACTORY = """from fastapi import FastAPI

type Hook = str


def create_app() -> FastAPI:
    shop = FastAPI()

    @shop.get("/ping")
    def ping() -> str:
        return "pong"

    return shop
"""


def test_type_statements_and_parameter_lists_are_rewritten_line_for_line() -> None:
    text = downlevel(GENERIC)
    assert text.splitlines() == [
        "from typing import Protocol",
        "",
        "Slug = str",
        "Shelf = dict[K, list[Slug]]",
        "",
        "",
        "class Catalog(Protocol):",
        "    def find(self, slug: Slug) -> T: ...",
        "",
        "",
        "async def first(items: list[T]) -> T:",
        "    return items[0]",
    ]
    names = [n.name for n in parse(GENERIC).body if isinstance(n, ast.ClassDef | ast.AsyncFunctionDef)]
    assert names == ["Catalog", "first"]


def test_a_valid_module_is_parsed_as_it_is() -> None:
    source = "type = 'kind'\nitems = [type]\n"
    assert downlevel(source) == source
    assert isinstance(parse(source).body[0], ast.Assign)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the grammar under test reads PEP 695 itself")
def test_other_new_syntax_still_raises_the_first_error() -> None:
    with pytest.raises(SyntaxError):
        parse("type Key = str\nlabel = f'{'nested'}'\n")


def test_an_app_factory_in_a_module_with_a_type_statement_is_found(make_project: MakeProject) -> None:
    root = make_project({"shop.py": FACTORY, "models.py": GENERIC})
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, notes=notes)
    assert app.framework.value == "fastapi"
    assert "shop:create_app" in " ".join(app.command.value)
    assert not [n for n in notes if "not valid Python syntax" in n]
