"""An MCP server's ASGI app, made by a method of its FastMCP object, is served like any ASGI app."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detectors.mcp_app import apps
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own example after the pattern: a word-counting tool server, its app made for an ASGI server, and
# a __main__ launcher that a developer runs
NOTES = (
    "from fastmcp import FastMCP\n"
    "\n"
    "mcp = FastMCP('notes', stateless_http=True)\n"
    "\n"
    "\n"
    "@mcp.tool\n"
    "def count(text: str) -> int:\n"
    "    return len(text.split())\n"
    "\n"
    "\n"
    "app = mcp.http_app(transport='streamable-http')\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    import uvicorn\n"
    "\n"
    "    uvicorn.run('notes_server:app', host='0.0.0.0', port=8000)\n"
)


def test_fastmcp_http_app_is_served_by_the_asgi_server(make_project: MakeProject) -> None:
    root = make_project({"notes_server.py": NOTES, "pyproject.toml": "[project]\nname='n'\nversion='1'\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"fastmcp", "uvicorn"}))
    assert app.kind.value == "web"
    assert app.framework.value == "mcp"
    assert app.command.value == ("uvicorn", "notes_server:app", "--host", "0.0.0.0", "--port", "8000")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("notes_server.py", 11)
    assert "FastMCP server `mcp` (fastmcp)" in app.command.evidence[0].detail
    assert app.port.value == 8000


def test_the_sdk_server_and_its_streamable_app() -> None:
    source = (
        "from mcp.server.fastmcp import FastMCP as Server\n"
        "tools: Server = Server('inventory')\n"
        "asgi = tools.streamable_http_app()\n"
    )
    assert apps(ast.parse(source), {"Server": "mcp.server.fastmcp.FastMCP"}) == [
        ("asgi", 3, "app `asgi` = tools.streamable_http_app() of FastMCP server `tools` (mcp)")
    ]


def test_other_objects_and_other_methods_are_not_apps() -> None:
    source = (
        "from fastmcp import FastMCP\n"
        "from cache import Store\n"
        "store = Store()\n"
        "view = store.http_app()\n"  # not a FastMCP object
        "mcp = FastMCP('x')\n"
        "tool = mcp.add_tool(len)\n"  # not a method that returns the app
        "def build():\n    return mcp.http_app()\n"  # not module level
    )
    assert apps(ast.parse(source), {"FastMCP": "fastmcp.FastMCP", "Store": "cache.Store"}) == []


# our own example after the pattern: a quotes server built in main(), serving streamable HTTP itself
QUOTES = (
    "import os\n"
    "from fastmcp import FastMCP\n"
    "\n"
    "\n"
    "def main() -> None:\n"
    "    server = FastMCP('quotes')\n"
    "    port = int(os.environ.get('QUOTES_PORT', 8088))\n"
    "    server.run(transport='streamable-http', port=port)\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    main()\n"
)


def test_a_script_serving_http_itself_runs_with_python_and_the_host_variable(
    make_project: MakeProject,
) -> None:
    # a FastAPI app elsewhere in the tree is not what runs: the MCP server ranks first
    other = "from fastapi import FastAPI\n\napi = FastAPI()\n\n\n@api.get('/health')\ndef h() -> str:\n    return 'ok'\n"
    root = make_project({"main.py": QUOTES, "api/routes.py": other, "api/__init__.py": ""})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"fastmcp", "fastapi"}))
    assert app.framework.value == "mcp"
    assert app.command.value == ("python", "main.py")
    assert app.port.value == 8088
    assert {e.name: e.value for e in app.env} == {"QUOTES_PORT": "8088", "FASTMCP_HOST": "0.0.0.0"}


def test_the_sdk_server_without_a_host_is_reported_and_stdio_is_not_http(make_project: MakeProject) -> None:
    sdk = (
        "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('files', port=9100)\n\n"
        "if __name__ == '__main__':\n    mcp.run(transport='streamable-http')\n"
    )
    found: list[str] = []
    app = detect_app(
        ProjectTree(make_project({"files.py": sdk})), None, dependencies=frozenset({"mcp"}), notes=found
    )
    assert app.command.value == ("python", "files.py")
    assert app.port.value == 9100
    assert "FASTMCP_HOST" not in {e.name for e in app.env}
    assert any(n.startswith("files.py:6") and 'pass host="0.0.0.0"' in n for n in found)
    stdio = sdk.replace("transport='streamable-http'", "transport='stdio'")
    app = detect_app(ProjectTree(make_project({"files.py": stdio})), None, dependencies=frozenset({"mcp"}))
    assert app.framework.value != "mcp"


def test_an_mcp_app_mounted_in_a_framework_app_is_left_to_the_framework(make_project: MakeProject) -> None:
    mounted = (
        "from fastapi import FastAPI\nfrom fastmcp import FastMCP\n\nmcp = FastMCP('x')\n"
        "mcp_app = mcp.http_app(path='/')\napi = FastAPI(lifespan=mcp_app.lifespan)\napi.mount('/mcp', mcp_app)\n"
    )
    app = detect_app(
        ProjectTree(make_project({"site.py": mounted})), None, dependencies=frozenset({"fastmcp", "fastapi"})
    )
    assert app.framework.value == "fastapi"
    assert app.command.value[:2] == ("uvicorn", "site:api")
    tools = "from fastmcp import FastMCP\n\nmcp = FastMCP('x')\nmcp_app = mcp.http_app()\n"
    web = "from fastapi import FastAPI\nfrom tools import mcp_app\n\napi = FastAPI()\napi.mount('/mcp', mcp_app)\n"
    app = detect_app(
        ProjectTree(make_project({"tools.py": tools, "web.py": web})),
        None,
        dependencies=frozenset({"fastmcp", "fastapi"}),
    )
    assert app.command.value[:2] == ("uvicorn", "web:api")


@pytest.mark.parametrize(
    "imported",
    ["from mcp.server import MCPServer", "from mcp.server.lowlevel import Server as MCPServer"],
)
def test_the_sdks_current_server_classes_make_the_app(make_project: MakeProject, imported: str) -> None:
    """mcp 2 renamed FastMCP to ``MCPServer``; its low-level ``Server`` makes the same ASGI app."""
    source = f"{imported}\n\nmcp = MCPServer('notes')\n\napp = mcp.streamable_http_app()\n"
    root = make_project({"server.py": source, "pyproject.toml": "[project]\nname='n'\nversion='1'\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"mcp", "uvicorn"}))
    assert app.framework.value == "mcp"
    assert app.command.value == ("uvicorn", "server:app", "--host", "0.0.0.0", "--port", "8000")
