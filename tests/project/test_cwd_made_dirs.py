"""Folders the app creates under its working directory (the image's root-owned app folder), built from
``os.getcwd()``/``Path.cwd()``, are made writable for the app user."""

from __future__ import annotations

from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.detectors.scan import scan_module

FACTORY = """import os
from pathlib import Path

HERE = os.getcwd()


def setup_logging():
    folder = os.path.join(os.getcwd(), "var", "log")
    os.makedirs(folder, exist_ok=True)


def build(config):
    root = os.getcwd()
    config["MEDIA"] = os.path.join(root, "media")
    config["NOTES"] = os.path.join("/srv", "notes")
    os.makedirs(config["MEDIA"], exist_ok=True)
    os.makedirs(config["NOTES"], exist_ok=True)
    os.makedirs(os.path.join(HERE, "exports"), exist_ok=True)
    (Path.cwd() / "cache" / "thumbs").mkdir(parents=True, exist_ok=True)
    os.makedirs(os.path.join(os.path.dirname(__file__), "bundled"), exist_ok=True)
"""


def test_folders_made_under_the_working_directory_are_writes() -> None:
    scan = scan_module("factory.py", FACTORY)
    assert scan is not None
    assert scan.writes == [("var/log", 9), ("media", 16), ("exports", 18), ("cache/thumbs", 19)]


SPOOL = """from pathlib import Path
import os


class Uploader:
    def __init__(self, url: str, spool_dir: str = "spool", retries: int = 3, *, mode: str = "w"):
        self.spool = Path(spool_dir)
        self.spool.mkdir(parents=True, exist_ok=True)
        self.mode = Path(mode)


def keep(batch, folder="./pending/batches", name="x.json"):
    os.makedirs(folder, exist_ok=True)
    Path(name).write_text(str(batch))


def absolute(folder="/var/spool/app"):
    os.makedirs(folder, exist_ok=True)
"""


def test_a_folder_made_from_a_parameters_default_is_a_write() -> None:
    """``def __init__(self, spool_dir="spool")`` then ``Path(spool_dir).mkdir()``: a caller that leaves the
    argument out makes the folder in the working directory; an absolute default is no folder of the app's,
    and a default never made into a folder (``mode``, ``name``) is nothing."""
    scan = scan_module("uploader.py", SPOOL)
    assert scan is not None
    assert sorted(scan.writes) == [("pending/batches", 13), ("spool", 8)]


DEFAULTS_MADE_DIRECTLY = """import os
from pathlib import Path


def spool(spool_dir="spool"):
    Path(spool_dir).mkdir(exist_ok=True)


def export(folder="exports"):
    (Path(folder) / "daily").mkdir(parents=True, exist_ok=True)
    os.makedirs(os.path.join(folder, "weekly"), exist_ok=True)
"""


def test_a_parameters_default_folder_made_through_path_or_below_it_is_a_write() -> None:
    """``Path(spool_dir).mkdir()`` straight away (not through a name first), and a folder joined below
    the default (``Path(folder) / "daily"``, ``os.path.join(folder, "weekly")``)."""
    scan = scan_module("jobs.py", DEFAULTS_MADE_DIRECTLY)
    assert scan is not None
    assert sorted(scan.writes) == [("exports/daily", 10), ("exports/weekly", 11), ("spool", 6)]


STAMPS = """from pathlib import Path
from pkg.config import SYNC, LOGS

STAMP = Path("state/last_run.txt")
CACHE = Path("cache")
ABSOLUTE = Path("/var/lib/stamp.txt")


def main():
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(exist_ok=True)
    ABSOLUTE.parent.mkdir(exist_ok=True)
    SYNC.parent.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir()
"""


def test_folders_made_through_a_name_bound_to_a_relative_path_literal() -> None:
    scan = scan_module("pkg/bot.py", STAMPS)
    assert scan is not None
    assert scan.path_literals == {
        "STAMP": "state/last_run.txt",
        "CACHE": "cache",
        "ABSOLUTE": "/var/lib/stamp.txt",
    }
    assert scan.writes == [("state", 10), ("cache", 11)]
    # a name another module binds: resolved with that module's literals (apps._writable)
    assert scan.imported_dir_makes == [("pkg.config.SYNC", True, 13), ("pkg.config.LOGS", False, 14)]


def test_a_folder_made_through_another_modules_path_is_writable(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "config.py").write_text(
        'from pathlib import Path\n\nSYNC = Path("data/last_sync.txt")\n'
    )
    (tmp_path / "pkg" / "bot.py").write_text(
        "import time\nfrom pkg.config import SYNC\n\n\ndef main():\n    SYNC.parent.mkdir(exist_ok=True)\n"
        "    while True:\n        time.sleep(9)\n\n\nif __name__ == '__main__':\n    main()\n"
    )
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "bot"\nversion = "1"\ndependencies = []\n')
    facts = detect_project(tmp_path, start="python -m pkg.bot")
    assert [f.value for f in facts.app.writable] == ["data"]
    assert "pkg.config.SYNC holds data/last_sync.txt" in facts.app.writable[0].evidence[0].detail
