"""Project files in TOML 1.1 are read as uv reads them (rw37: a uv.lock formatted by tombi, its
`sdist = { ... }` tables over several lines, stopped every command with "invalid TOML")."""

from __future__ import annotations

from pathlib import Path

from dockwright.project.tree import ProjectTree
from dockwright.project.undeclared_imports import provides

LOCK = """version = 1
revision = 3
requires-python = ">=3.11"

[[package]]
name = "flask"
version = "3.1.2"
source = { registry = "https://pypi.org/simple" }
sdist = {
  url = "https://files.pythonhosted.org/packages/aa/bb/flask-3.1.2.tar.gz",
  hash = "sha256:0000000000000000000000000000000000000000000000000000000000000000", size = 720000,
}
wheels = [
    { url = "https://files.pythonhosted.org/packages/cc/dd/flask-3.1.2-py3-none-any.whl", hash = "sha256:1111111111111111111111111111111111111111111111111111111111111111", size = 103000 },
]
"""


def test_a_lock_with_multi_line_inline_tables_is_read(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text(LOCK)
    lock = ProjectTree(tmp_path).read_toml("uv.lock")
    (package,) = lock["package"]
    assert package["sdist"]["size"] == 720000 and package["sdist"]["url"].endswith("flask-3.1.2.tar.gz")


def test_django_oauth_toolkit_provides_oauth2_provider() -> None:
    assert provides("oauth2_provider", frozenset({"django-oauth-toolkit"}))
