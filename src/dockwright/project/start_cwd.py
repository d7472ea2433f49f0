"""The folder of the tree the start runs in, when it changes directory before the app is loaded.

What it does: ``gunicorn --chdir app main:app`` (and celery's ``--workdir``: the servers' table,
``data/servers.toml`` ``moves_cwd``), ``sh -c "cd app && exec ..."`` and ``env -C app ...`` run the
app with that folder as the working directory, so a file the app opens by a relative path
(``FileHandler("app.log")``, ``os.makedirs("logs")``, ``sqlite:///data.db``) is in that folder, not at
the tree's root.
:func:`start_folder` names it (relative to the root), for the writable folders and files to follow
it. uvicorn's ``--app-dir`` and granian's ``--working-dir`` only put the folder on ``sys.path``: the
working directory stays the image's.

Why: a Flask app started with ``gunicorn --chdir app`` opened ``FileHandler("Adapter.log")``; the
image made ``/app/Adapter.log`` writable and the worker stopped at boot with PermissionError on
``/app/app/Adapter.log``.
"""

from __future__ import annotations

import posixpath
from itertools import pairwise

from dockwright.project.detectors.servers import cwd_options, env_run, last_command, last_words
from dockwright.shell_lists import cd_folder, commands


def launch_folder(command: tuple[str, ...]) -> str:
    """The folder (relative to the tree's root, "" for the root) the start's program is launched in, before
    any option of its own: a shell start's ``cd DIR``, then ``env -C DIR`` (``env --chdir``). gunicorn
    looks for its ``gunicorn.conf.py`` there, before its own ``--chdir``."""
    folder = _shell_cd(command)
    moved = env_run(last_words(command))[0]
    return _joined(folder, moved) if moved else folder


def start_folder(command: tuple[str, ...]) -> str:
    """The folder (relative to the tree's root, "" for the root) the start's program runs in: a shell
    start's ``cd DIR`` before it, ``env -C DIR``, then the program's own option changing directory. An
    absolute or parent folder, or a value from a variable, is not followed ("")."""
    folder = launch_folder(command)
    argv = last_command(command)
    options = cwd_options(argv[0]) if argv else ()
    for flag, value in pairwise([*argv, ""]):
        found = value if flag in options else None
        if found is None:
            found = next((flag.split("=", 1)[1] for o in options if flag.startswith(o + "=")), None)
        if found is not None:
            return _joined(folder, found)
    return folder


def _shell_cd(command: tuple[str, ...]) -> str:
    """``sh -c "cd DIR && ... && exec prog"``: the folder of the last ``cd`` before the last command."""
    if len(command) < 3 or command[0].rsplit("/", 1)[-1] not in ("sh", "bash") or command[1] != "-c":
        return ""
    folder = ""
    for part in commands(command[2])[:-1]:  # quote-aware: `--name 'a;cd b'` is no `cd`
        entered = cd_folder(part)
        if entered is not None:
            folder = _joined(folder, entered)
    return folder


def _joined(folder: str, more: str) -> str:
    if not more or more.startswith(("/", "~", "$")):
        return ""
    joined = posixpath.normpath(posixpath.join(folder or ".", more))
    return "" if joined == "." or joined.startswith("..") else joined
