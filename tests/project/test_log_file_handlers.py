"""Logging file handlers (dictConfig, Django's LOGGING, handler calls, basicConfig) open their file when
they are made: in a folder of the project it is made writable; in the app directory itself the file is
made beforehand, owned by the app user (a rotating handler's rollover still fails there: said)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from detected_app import DetectFiles
from dockwright.project.apps import scan_module

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
    return [log.folder for log in scan.log_files]


@pytest.mark.parametrize(
    ("filename", "cls", "folder"),
    [
        # HERE is the settings module's own folder, ledger/
        ('HERE / "journal.log"', "logging.FileHandler", "ledger"),
        ('os.path.join(HERE, "journal.log")', "logging.handlers.RotatingFileHandler", "ledger"),
        ('HERE / "var" / "journal.log"', "logging.handlers.TimedRotatingFileHandler", "ledger/var"),
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


def test_a_log_folder_is_made_writable_and_a_file_of_the_app_directory_is_made_owned(
    detect_files: DetectFiles,
) -> None:
    in_folder = SETTINGS.format(cls="logging.FileHandler", filename='HERE / "var" / "journal.log"', extra="")
    app = detect_files({"app.py": APP + in_folder})
    assert [(f.value, f.evidence[0].line) for f in app.writable] == [("var", 13)]
    assert app.writable_files == ()

    beside = SETTINGS.format(cls="logging.FileHandler", filename='HERE / "journal.log"', extra="")
    notes: list[str] = []
    app = detect_files({"app.py": APP + beside}, notes)
    assert app.writable == ()
    assert [(f.value, f.evidence[0].line) for f in app.writable_files] == [("journal.log", 13)]
    assert not any("journal.log" in n for n in notes)


def test_a_rotating_handler_in_the_app_directory_is_still_said(detect_files: DetectFiles) -> None:
    beside = SETTINGS.format(
        cls="logging.handlers.RotatingFileHandler", filename='HERE / "journal.log"', extra=""
    )
    notes: list[str] = []
    app = detect_files({"app.py": APP + beside}, notes)
    assert [f.value for f in app.writable_files] == ["journal.log"]
    assert any(n.startswith("app.py:13: a rotating logging handler writes journal.log") for n in notes)


CALLS = """import logging
import logging.handlers
import os
from logging.handlers import TimedRotatingFileHandler

BASE = os.path.dirname(os.path.abspath(__file__))
{line}
"""


@pytest.mark.parametrize(
    ("line", "path", "rotates"),
    [
        ('handler = logging.FileHandler("ledger.log")', "ledger.log", False),
        ('logging.basicConfig(filename="ledger.log", level=logging.INFO)', "ledger.log", False),
        ('h = logging.handlers.RotatingFileHandler("logs/ledger.log", maxBytes=10)', "logs/ledger.log", True),
        ('h = TimedRotatingFileHandler(filename=os.path.join(BASE, "ledger.log"))', "ledger.log", True),
        ('h = logging.handlers.WatchedFileHandler("./var/ledger.log")', "var/ledger.log", False),
    ],
)
def test_handler_calls_and_basic_config_are_found(line: str, path: str, rotates: bool) -> None:
    scan = scan_module("ledger.py", CALLS.format(line=line))
    assert scan is not None
    assert [(log.path, log.line, log.rotates) for log in scan.log_files] == [(path, 7, rotates)]


@pytest.mark.parametrize(
    "line",
    [
        'handler = logging.FileHandler("/var/log/ledger.log")',
        'handler = logging.FileHandler("ledger.log", delay=True)',
        "handler = logging.FileHandler(os.environ['LOG_FILE'])",
        "logging.basicConfig(level=logging.INFO)",
        "handler = logging.StreamHandler()",
    ],
)
def test_absolute_delayed_unknown_and_console_handlers_are_not(line: str) -> None:
    scan = scan_module("ledger.py", CALLS.format(line=line))
    assert scan is not None and scan.log_files == []


def test_a_file_handler_class_of_another_library_is_not_logging() -> None:
    scan = scan_module("ledger.py", 'from mylib import FileHandler\n\nh = FileHandler("ledger.log")\n')
    assert scan is not None and scan.log_files == []


_PER_MODULE = """import logging
import os
from pathlib import Path


def journal(name: str) -> logging.Logger:
    path = {path}
    handler = logging.FileHandler(path)
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    return logger
"""


@pytest.mark.parametrize(
    ("path", "folder"),
    [
        ('os.path.join("journal", f"{name}.log")', "journal"),
        ('os.path.join("var", "journal", name + ".log")', "var/journal"),
        ('f"journal/{name}.log"', "journal"),
        ('Path("journal") / f"{name}.log"', "journal"),
    ],
)
def test_a_handler_given_a_variable_path_in_a_literal_folder_is_found(path: str, folder: str) -> None:
    scan = scan_module("ledger/journal.py", _PER_MODULE.format(path=path))
    assert scan is not None
    assert [log.folder for log in scan.log_files] == [folder]


@pytest.mark.parametrize(
    "path",
    [
        'os.path.join(os.environ["LOG_DIR"], f"{name}.log")',  # the folder comes from the environment
        'f"/var/log/{name}.log"',  # outside the tree
        'f"{name}.log"',  # no folder: the name alone is not known
    ],
)
def test_other_variable_paths_are_not(path: str) -> None:
    scan = scan_module("ledger/journal.py", _PER_MODULE.format(path=path))
    assert scan is not None and scan.log_files == []


def test_a_name_bound_twice_is_not_followed() -> None:
    source = _PER_MODULE.format(path='f"journal/{name}.log"').replace(
        "    handler =", '    if not name:\n        path = "/dev/null"\n    handler ='
    )
    scan = scan_module("ledger/journal.py", source)
    assert scan is not None and scan.log_files == []


_IN_A_FOLDER = """import logging
import logging.handlers
import os
from pathlib import Path

BASE = os.path.dirname(os.path.abspath(__file__))


def journal() -> None:
    folder = {folder}
    os.makedirs(folder, exist_ok=True)
    path = {path}
    logging.getLogger().addHandler(logging.handlers.RotatingFileHandler(path))
"""


@pytest.mark.parametrize(
    ("folder", "path", "found"),
    [
        ('os.path.join(os.getcwd(), "journal")', 'os.path.join(folder, "ledger.log")', "journal/ledger.log"),
        (
            'os.path.join(BASE, "var", "journal")',
            'os.path.join(folder, "ledger.log")',
            "ledger/var/journal/ledger.log",  # BASE is the module's own folder, ledger/
        ),
        ('Path(BASE) / "journal"', 'folder / "ledger.log"', "ledger/journal/ledger.log"),
        ('"journal"', 'os.path.join(folder, "ledger.log")', "journal/ledger.log"),
        ("BASE", 'os.path.join(folder, "ledger.log")', "ledger/ledger.log"),
        # a folder of the module's own (ledger/journal.py: its folder's parent is the root)
        (
            'os.path.join(os.path.dirname(os.path.dirname(__file__)), "logs")',
            'os.path.join(folder, "a.log")',
            "logs/a.log",
        ),
        (
            'os.path.join(os.path.dirname(os.path.abspath(__file__)), "logs")',
            'os.path.join(folder, "a.log")',
            "ledger/logs/a.log",
        ),
        ('Path(__file__).resolve().parent / "logs"', 'folder / "ledger.log"', "ledger/logs/ledger.log"),
        ('Path(__file__).parent.parent.parent / "logs"', 'folder / "ledger.log"', None),  # above the tree
        ('os.environ.get("LOG_DIR", "/var/log/ledger")', 'os.path.join(folder, "ledger.log")', None),
        ('"/var/log/ledger"', 'os.path.join(folder, "ledger.log")', None),
        ('os.path.expanduser("~/.ledger")', 'Path(folder) / "ledger.log"', None),
    ],
)
def test_a_file_in_a_folder_variable_is_in_that_folder(folder: str, path: str, found: str | None) -> None:
    """The folder a variable names is followed to its value (bound once): a subfolder of the tree puts the
    file there, not in the app directory; a folder outside the tree (the environment, an absolute path,
    the home) is no file of the image's."""
    scan = scan_module("ledger/journal.py", _IN_A_FOLDER.format(folder=folder, path=path))
    assert scan is not None
    assert [log.path for log in scan.log_files] == ([found] if found else [])


def test_the_app_directory_is_never_handed_whole_to_the_app_user(detect_files: DetectFiles) -> None:
    # no module at the tree's root: every module in a folder of code; a handler opening a bare file
    # name writes in the working directory, the image's copied tree, which stays root's
    module = (
        "import logging\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "app.logger.addHandler(logging.FileHandler('ledger.log'))\n"
    )
    app = detect_files({"web/main.py": module, "web/parts/__init__.py": "", "requirements.txt": "flask\n"})
    assert app.writable == ()
    assert [(f.value, f.evidence[0].line) for f in app.writable_files] == [("ledger.log", 5)]


LOGURU = """import loguru
from loguru import logger
from loguru import logger as log


async def main():
    {line}
"""


@pytest.mark.parametrize(
    ("line", "path", "rotates"),
    [
        ('logger.add("logs/info.log", level="INFO")', "logs/info.log", False),
        ('logger.add("logs/info.log", rotation="10 days")', "logs/info.log", True),
        ('log.add(sink="var/bot.log", retention=3)', "var/bot.log", True),
        ('loguru.logger.add("logs/{time}.log")', "logs/*", True),  # one file a run, named by time
        ('logger.add("bot.log", compression="zip")', "bot.log", True),
    ],
)
def test_a_loguru_file_sink_is_a_log_file(line: str, path: str, rotates: bool) -> None:
    """loguru opens a file sink (and makes its folders) when it is added; rotation, retention,
    compression and a time in its name write more files beside it."""
    scan = scan_module("bot.py", LOGURU.format(line=line))
    assert scan is not None
    assert [(log.path, log.line, log.rotates) for log in scan.log_files] == [(path, 7, rotates)]


@pytest.mark.parametrize(
    "line",
    [
        "logger.add(sys.stderr)",
        'logger.add("/var/log/bot.log")',
        'logger.add("logs/info.log", delay=True)',
        "logger.add(lambda m: print(m))",
    ],
)
def test_console_absolute_and_delayed_loguru_sinks_are_not(line: str) -> None:
    scan = scan_module("bot.py", LOGURU.format(line=line))
    assert scan is not None and scan.log_files == []


def test_an_add_of_another_logger_is_not_loguru() -> None:
    scan = scan_module("bot.py", 'import mylog\n\nlogger = mylog.get()\nlogger.add("logs/info.log")\n')
    assert scan is not None and scan.log_files == []


def test_a_loguru_log_folder_is_made_writable(detect_files: DetectFiles) -> None:
    bot = "from loguru import logger\n\n\ndef main():\n    logger.add('logs/info.log', rotation='1 day')\n"
    app = detect_files({"app.py": APP + bot})
    assert [(f.value, f.evidence[0].line) for f in app.writable] == [("logs", 8)]


@pytest.mark.parametrize(
    ("sink", "where"), [("{time}.log", "the app directory"), ("web/{time:YYYY-MM-DD}.log", "web/")]
)
def test_a_loguru_file_a_run_beside_the_code_is_said_not_made(
    detect_files: DetectFiles, sink: str, where: str
) -> None:
    """A new file each run cannot be made beforehand: no file named ``*``, no folder of code handed to the
    app user; a note says where the sink cannot write."""
    bot = f"from loguru import logger\n\nlogger.add('{sink}')\n"
    notes: list[str] = []
    app = detect_files(
        {"web/__init__.py": "", "web/main.py": APP + bot, "requirements.txt": "flask\n"}, notes
    )
    assert not any("*" in f.value for f in app.writable_files)
    assert app.writable == ()
    assert any(f"a new log file each run in {where}" in n for n in notes), notes
