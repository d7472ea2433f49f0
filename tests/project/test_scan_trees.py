"""The scan keeps a module's syntax tree only where a detector reads it, and detectors parse no module again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.ast_names import dotted, import_aliases
from dockwright.project.detectors.scan import scan_module
from dockwright.project.tree import ProjectTree


def test_a_module_no_detector_walks_again_keeps_no_tree() -> None:
    found = scan_module("app.py", "from flask import Flask\napp = Flask(__name__)\n")
    assert found is not None and found.syntax is None


@pytest.mark.parametrize(
    "source",
    [
        "from robyn import Robyn\napp = Robyn(__file__)\n",
        "import tornado.web\n",
        "from aiohttp import web\nweb.run_app(web.Application())\n",
        "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n",
        "async def app(scope, receive, send):\n    pass\n",
    ],
)
def test_a_module_a_detector_walks_keeps_its_tree(source: str) -> None:
    found = scan_module("app.py", source)
    assert found is not None and isinstance(found.syntax, ast.Module)


def test_detection_parses_each_module_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text(
        "from robyn import Robyn\napp = Robyn(__file__)\n\n@app.get('/')\ndef home():\n    return 'x'\n\n"
        "if __name__ == '__main__':\n    app.start(port=8081)\n"
    )
    (tmp_path / "other.py").write_text("async def app(scope, receive, send):\n    pass\n")
    parsed: list[str] = []
    original = ast.parse

    def counting(
        source: str | bytes, filename: str = "<unknown>", *args: object, **kwargs: object
    ) -> ast.AST:
        parsed.append(filename)
        return original(source, filename, *args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(ast, "parse", counting)
    facts = detect_app(ProjectTree(tmp_path), None)
    assert facts.port is not None and facts.port.value == 8081
    assert sorted(parsed) == ["app.py", "other.py"]


def test_dotted_names_and_import_aliases() -> None:
    call = ast.parse("f().x.y").body[0].value  # type: ignore[attr-defined]
    assert dotted(call) is None and dotted(call, tail=True) == "x.y"
    module = ast.parse("import numpy as np\nimport os.path\nfrom a.b import c as d\nfrom . import e\n")
    assert import_aliases(module) == {"np": "numpy", "os": "os", "d": "a.b.c"}
