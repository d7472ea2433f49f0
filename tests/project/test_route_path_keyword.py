"""A route declared with the ``path=`` keyword (Litestar's ``@get(path="/health")``, FastAPI's
``@app.get(path=...)``) is a route like one given as the first argument: the probe finds its health path."""

from __future__ import annotations

from dockwright.project.detectors.scan import scan_module


def test_a_path_keyword_is_the_routes_path() -> None:
    source = (
        "from litestar import Litestar, get\n\n\n"
        '@get(operation_id="health", path="/health", cache=False)\nasync def health() -> dict:\n    return {}\n\n\n'
        "app = Litestar(route_handlers=[health])\n"
    )
    scan = scan_module("app.py", source)
    assert scan is not None
    assert ("/health", 4) in [(path, line) for path, line, _ in scan.routes]
