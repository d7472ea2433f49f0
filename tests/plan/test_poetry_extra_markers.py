"""Poetry writes ``markers = "extra == \\"name\\""`` on every optional edge of a package's extra: the
conversion installs those edges when the project asks for the extra (they were dropped: the marker was
evaluated with no extra active, so `queue[redis]` installed queue without its Redis client)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dockwright.lock.convert import convert

H = {name: "sha256:" + hashlib.sha256(name.encode()).hexdigest() for name in "abcdef"}

LOCK = f"""
[[package]]
name = "taskqueue"
version = "2.0.0"
optional = false
python-versions = ">=3.9"
files = [{{file = "taskqueue-2.0.0-py3-none-any.whl", hash = "{H["a"]}"}}]

[package.dependencies]
redis = {{version = ">=4", optional = true, markers = "extra == \\"redis\\""}}
winhook = {{version = "*", optional = true, markers = "extra == \\"redis\\" and sys_platform == \\"win32\\""}}
watcher = {{version = "*", optional = true, markers = "extra == \\"watch\\""}}

[package.extras]
redis = ["redis (>=4)", "winhook"]
watch = ["watcher"]

[[package]]
name = "redis"
version = "5.0.8"
optional = true
python-versions = ">=3.7"
files = [{{file = "redis-5.0.8-py3-none-any.whl", hash = "{H["b"]}"}}]

[[package]]
name = "winhook"
version = "1.0"
optional = true
python-versions = "*"
files = [{{file = "winhook-1.0-py3-none-any.whl", hash = "{H["c"]}"}}]

[[package]]
name = "watcher"
version = "1.0"
optional = true
python-versions = "*"
files = [{{file = "watcher-1.0-py3-none-any.whl", hash = "{H["d"]}"}}]

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "x"
"""

PYPROJECT = """
[tool.poetry]
name = "jobs"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
taskqueue = {version = "^2.0", extras = ["Redis"]}
"""


def _names(text: str) -> list[str]:
    return [line.split("==")[0] for line in text.splitlines() if "==" in line]


def test_an_extra_installs_the_edges_marked_for_it(tmp_path: Path) -> None:
    (tmp_path / "poetry.lock").write_text(LOCK)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    text = convert(tmp_path, "convert-poetry", "poetry.lock", "3.12.5")
    # redis through the extra (asked as "Redis": names compare normalised); the extra's Windows-only
    # edge and the extra nobody asked for stay out
    assert _names(text) == ["redis", "taskqueue"]
