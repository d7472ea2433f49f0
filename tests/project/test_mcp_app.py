"""An MCP server's ASGI app, made by a method of its FastMCP object, is served like any ASGI app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
    assert apps(source, {"Server": "mcp.server.fastmcp.FastMCP"}) == [
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
    assert apps(source, {"FastMCP": "fastmcp.FastMCP", "Store": "cache.Store"}) == []
