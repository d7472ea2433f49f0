"""A SQLite URL built next to a module (``"sqlite:///" + os.path.join(basedir, "app.db")``) is a file
the app writes in its own root-owned tree: the plan says so."""

from __future__ import annotations

from dockwright.project.detectors.scan import scan_module

CONFIG = """
import os

basedir = os.path.abspath(os.path.dirname(__file__))

class Config:
    DATABASE = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(basedir, "shop.db")
    ARCHIVE = f"sqlite:///{os.path.join(basedir, 'var', 'archive.db')}"
    OTHER = "postgresql://" + os.path.join(basedir, "x")
"""


def test_sqlite_urls_joined_to_a_module_folder_are_writes() -> None:
    scan = scan_module("config.py", CONFIG)
    assert scan is not None
    assert sorted(scan.writes) == [(".", 7), ("var", 8)]


def test_a_path_of_variables_only_is_not_guessed() -> None:
    scan = scan_module("config.py", 'import os\nURL = "sqlite:///" + os.path.join(base, name)\n')
    assert scan is not None and scan.writes == []
