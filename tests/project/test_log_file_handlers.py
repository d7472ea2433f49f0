"""Logging file handlers (dictConfig, Django's LOGGING) open their file when the configuration loads: in a
folder of the project it is made writable; in the app directory itself the plan says the app stops."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app, scan_module
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETTINGS = """import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOGGING = {{
    "version": 1,
    "handlers": {{
        "journal": {{
            "class": "{cls}",
            "filename": {filename},{extra}
        }},
    }},
}}
"""


def _folders(filename: str, cls: str = "logging.FileHandler", extra: str = "") -> list[str]:
    scan = scan_module("ledger/settings.py", SETTINGS.format(cls=cls, filename=filename, extra=extra))
    assert scan is not None
    return [folder for folder, _ in scan.log_files]


@pytest.mark.parametrize(
    ("filename", "cls", "folder"),
    [
        ('HERE / "journal.log"', "logging.FileHandler", "."),
        ('os.path.join(HERE, "journal.log")', "logging.handlers.RotatingFileHandler", "."),
        ('HERE / "var" / "journal.log"', "logging.handlers.TimedRotatingFileHandler", "var"),
        ('"var/log/journal.log"', "logging.handlers.WatchedFileHandler", "var/log"),
        ('"journal.log"', "logging.FileHandler", "."),
    ],
)
def test_a_file_handler_in_the_tree_is_found_with_its_folder(filename: str, cls: str, folder: str) -> None:
    assert _folders(filename, cls) == [folder]


@pytest.mark.parametrize(
    ("filename", "cls", "extra"),
    [
        ('"/var/log/ledger/journal.log"', "logging.FileHandler", ""),
        ('HERE / "journal.log"', "logging.StreamHandler", ""),
        ('HERE / "journal.log"', "logging.FileHandler", '\n            "delay": True,'),
    ],
)
def test_absolute_paths_other_handlers_and_delayed_opens_are_not(filename: str, cls: str, extra: str) -> None:
    assert _folders(filename, cls, extra) == []


APP = "from flask import Flask\n\napp = Flask(__name__)\n"


def test_a_log_folder_is_made_writable_and_the_app_directory_is_stated(make_project: MakeProject) -> None:
    in_folder = SETTINGS.format(cls="logging.FileHandler", filename='HERE / "var" / "journal.log"', extra="")
    root = make_project({"app.py": APP + in_folder})
    app = detect_app(ProjectTree(root), None)
    assert [(f.value, f.evidence[0].line) for f in app.writable] == [("var", 13)]

    beside = SETTINGS.format(cls="logging.FileHandler", filename='HERE / "journal.log"', extra="")
    root = make_project({"app.py": APP + beside})
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, notes=notes)
    assert app.writable == ()
    assert any(
        n.startswith("app.py:13: a logging file handler opens its file in the app directory") for n in notes
    )
