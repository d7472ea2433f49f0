"""The builder's import check: the installed modules the commands load import each other, and a pinned
package under another's newer release fails the build with one line naming both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dockwright.plan.import_check import (
    check_script,
    import_check_run,
    loaded_by,
    removed_modules,
    with_import_check,
)
from dockwright.plan.model import Step


def _dist(site: Path, name: str, version: str, files: dict[str, str], scripts: str = "") -> None:
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    top = sorted({rel.split("/")[0] for rel in files})
    (info / "RECORD").write_text("".join(f"{rel},,\n" for rel in files), encoding="utf-8")
    (info / "top_level.txt").write_text("\n".join(top) + "\n", encoding="utf-8")
    if scripts:
        (info / "entry_points.txt").write_text(f"[console_scripts]\n{scripts}\n", encoding="utf-8")


def _run(
    site: Path,
    programs: tuple[str, ...],
    managed: tuple[str, ...],
    seconds: int = 60,
    modules: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    code = "\n".join(check_script(programs, managed, seconds=seconds, modules=modules))
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-B", "-u", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def test_commands_give_console_scripts_and_management_commands() -> None:
    commands = (
        ("/bin/sh", "-c", "python manage.py migrate --noinput && exec gunicorn site.wsgi"),
        ("python", "manage.py", "rqworker", "default"),
        ("celery", "-A", "proj", "worker"),
        ("django-admin", "qcluster"),
        ("./run.sh",),
    )
    assert loaded_by(commands) == (("gunicorn", "celery"), ("migrate", "rqworker", "qcluster"))
    assert import_check_run((("./run.sh",),), "/opt/venv/bin/python", "3.12.8") is None


def test_an_apm_launcher_and_the_command_it_runs_are_both_checked() -> None:
    commands = (
        ("newrelic-admin", "run-program", "gunicorn", "site.wsgi"),
        ("ddtrace-run", "python", "manage.py", "rqworker"),
        ("/bin/sh", "-c", "opentelemetry-instrument --service_name shop celery -A proj worker"),
    )
    assert loaded_by(commands) == (
        ("newrelic-admin", "gunicorn", "ddtrace-run", "opentelemetry-instrument", "celery"),
        ("rqworker",),
    )


def test_a_shell_line_is_split_outside_quotes_and_at_pipes() -> None:
    line = "run-a --name 'b;c' | run-d; exec run-e -x 'f && g' # run-h"
    assert loaded_by((("/bin/sh", "-c", line),)) == (("run-a", "run-d", "run-e"), ())


def test_python_before_3_10_gets_no_check_and_only_removed_modules_are_named() -> None:
    commands = (("celery", "-A", "proj", "worker"),)
    assert import_check_run(commands, "/opt/venv/bin/python", "3.9.25") is None
    assert "removed = {}" in check_script(("celery",), (), (3, 11))
    named = next(line for line in check_script(("celery",), (), (3, 12)) if line.startswith("removed = "))
    assert "distutils" in named and "telnetlib" not in named


def test_the_check_runs_in_the_install_step() -> None:
    install = Step("RUN", ("python -m venv /opt/venv", "uv pip install -r requirements.txt"), why="fills it")
    commands = (("celery", "-A", "proj", "worker"),)
    folded = with_import_check(install, commands, "/opt/venv/bin/python", "3.13.1")
    assert folded.args[:2] == install.args and len(folded.args) == 3
    assert folded.args[2].startswith("/opt/venv/bin/python -I -B -u -c \"$(printf '%s\\n' \\\n")
    assert folded.why.startswith("fills it; then the installed modules")
    assert with_import_check(install, (("./run.sh",),), "/opt/venv/bin/python", "3.13.1") is install


def test_the_script_is_one_single_quoted_word_per_line() -> None:
    for line in check_script(("celery",), ("rqworker",)):
        assert "'" not in line and "$" not in line and "\\" not in line and "`" not in line


def test_a_pinned_command_under_a_newer_release_fails_naming_both(tmp_path: Path) -> None:
    _dist(tmp_path, "queuelib", "3.0.0", {"queuelib/__init__.py": "def enqueue():\n    pass\n"})
    command = "from queuelib import attach_connection\n"
    _dist(
        tmp_path,
        "django-queue",
        "2.3.2",
        {
            "django_queue/__init__.py": "",
            "django_queue/management/__init__.py": "",
            "django_queue/management/commands/__init__.py": "",
            "django_queue/management/commands/qworker.py": command,
            "django_queue/cli.py": "import queuelib\n",
        },
        scripts="qctl = django_queue.cli:main",
    )
    done = _run(tmp_path, ("qctl",), ("qworker", "migrate"))
    assert done.returncode == 1, done.stderr
    line = done.stderr.strip()
    assert line.startswith(
        "error: the command 'manage.py qworker' cannot start: django_queue.management.commands.qworker"
    )
    assert "(django-queue 2.3.2)" in line and "(queuelib 3.0.0 is installed)" in line
    assert "pin queuelib to a release django-queue 2.3.2 supports" in line
    assert "2 module(s) imported, 1 failed" in done.stdout


def test_other_errors_are_no_finding(tmp_path: Path) -> None:
    _dist(
        tmp_path,
        "tool",
        "1.0",
        {
            "tool/__init__.py": "",
            "tool/management/__init__.py": "",
            "tool/management/commands/__init__.py": "",
            # settings not configured, the project's own module, a missing optional module
            "tool/management/commands/a.py": "raise RuntimeError('settings are not configured')\n",
            "tool/management/commands/b.py": "import the_projects_own_settings\n",
        },
    )
    done = _run(tmp_path, (), ("a", "b"))
    assert done.returncode == 0, done.stderr
    assert "2 module(s) imported, 0 failed" in done.stdout


def test_a_command_importing_a_removed_standard_module_fails(tmp_path: Path) -> None:
    _dist(
        tmp_path,
        "old-app",
        "1.0",
        {
            "old_app/__init__.py": "",
            "old_app/management/__init__.py": "",
            "old_app/management/commands/__init__.py": "",
            "old_app/management/commands/work.py": "from gone_std.version import Loose\n",
        },
    )
    lines = [
        'removed = {"gone_std": "3.12"}' if line.startswith("removed = ") else line
        for line in check_script((), ("work",))
    ]
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-B", "-c", "\n".join(lines)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 1
    assert (
        "the command 'manage.py work' cannot start: old_app.management.commands.work (old-app 1.0) imports gone_std, "
        in (done.stderr)
    )
    assert "which Python 3.12 removed from the standard library: pin old-app to a release" in done.stderr


def test_the_table_names_distutils() -> None:
    assert removed_modules()["distutils"] == "3.12"


def test_an_import_that_blocks_is_said_and_is_no_failure(tmp_path: Path) -> None:
    _dist(
        tmp_path,
        "waiter",
        "1.0",
        {"waiter/__init__.py": "", "waiter/cli.py": "import time\ntime.sleep(120)\n"},
        scripts="wait-db = waiter.cli:main",
    )
    _dist(
        tmp_path,
        "quick",
        "1.0",
        {"quick/__init__.py": "", "quick/cli.py": ""},
        scripts="quick = quick.cli:main",
    )
    done = _run(tmp_path, ("wait-db", "quick"), (), seconds=1)
    assert done.returncode == 0, done.stderr
    assert "import check: waiter.cli still importing after 1 s: not checked" in done.stdout
    assert "2 module(s) imported, 0 failed, 1 timed out" in done.stdout


def test_a_command_word_with_shell_characters_never_reaches_the_script() -> None:
    """The script's lines are single-quoted shell words: a program or management command spelled with a
    quote (project text) would end the quoting and run its rest in the build."""
    commands = (
        ("/bin/sh", "-c", "\"x';touch /tmp/pwned;'\" --flag && exec gunicorn app:app"),
        ("python", "manage.py", "rq'worker"),
        ("$(id)", "arg"),
        ("back\\slash",),
    )
    programs, managed = loaded_by(commands)
    assert programs == ("gunicorn",) and managed == ()
    for line in check_script(programs, managed):
        assert "'" not in line and "$" not in line and "\\" not in line and "`" not in line


def test_a_pin_whose_own_import_breaks_on_this_python_fails_naming_it(tmp_path: Path) -> None:
    """The app imports ``widgets``, which imports ``typing_shim``; the pinned ``typing_shim`` sets an
    attribute this Python does not let it set as it loads (a TypeError in its module-level code): the
    build fails naming ``typing_shim``, not the app's import of ``widgets``."""
    shim = "def _patch(target):\n    target.__default__ = None\n\n_patch(object)\n"
    _dist(tmp_path, "typing-shim", "4.1.0", {"typing_shim/__init__.py": shim})
    _dist(tmp_path, "widgets", "0.5.0", {"widgets/__init__.py": "import typing_shim\n"})
    done = _run(tmp_path, (), (), modules=("widgets", "not_installed", "json"))
    assert done.returncode == 1, done.stderr
    line = done.stderr.strip()
    assert line.startswith("error: the app (it imports widgets) cannot start: widgets (widgets 0.5.0)")
    assert "typing-shim 4.1.0 raises TypeError as typing_shim loads" in line
    assert "pin typing-shim to a release that supports Python" in line
    assert "1 module(s) imported, 1 failed" in done.stdout


def test_an_error_of_the_apps_settings_or_in_a_called_function_is_no_finding(tmp_path: Path) -> None:
    """A library whose import reads settings that are not there raises in its own module-level code
    with an error of another kind, and one raising from a function the app calls later never runs
    here: neither fails the build."""
    _dist(
        tmp_path, "confy", "1.0", {"confy/__init__.py": "raise RuntimeError('settings are not configured')\n"}
    )
    _dist(tmp_path, "lazy", "1.0", {"lazy/__init__.py": "def go():\n    return None.missing\n"})
    done = _run(tmp_path, (), (), modules=("confy", "lazy"))
    assert done.returncode == 0, done.stderr
    assert "2 module(s) imported, 0 failed" in done.stdout


def test_a_pin_whose_function_breaks_as_another_library_loads_is_the_one_named(tmp_path: Path) -> None:
    """``widgets`` calls ``typing_shim.make()`` in its module-level code and the pinned shim's function
    raises: the shim is named (pin it), as ``widgets`` loads."""
    shim = "def make(name):\n    object.__default__ = name\n"
    _dist(tmp_path, "typing-shim", "4.1.0", {"typing_shim/__init__.py": shim})
    _dist(
        tmp_path,
        "widgets",
        "0.5.0",
        {"widgets/__init__.py": "import typing_shim\nP = typing_shim.make('P')\n"},
    )
    done = _run(tmp_path, (), (), modules=("widgets",))
    assert done.returncode == 1, done.stderr
    assert "typing-shim 4.1.0 raises TypeError as widgets loads" in done.stderr
    assert "pin typing-shim to a release that supports Python" in done.stderr


def test_a_system_library_the_builder_lacks_or_a_setting_read_as_none_is_no_finding(tmp_path: Path) -> None:
    """An extension whose shared library the runtime installs (the builder has none): ImportError naming
    another installed module, from a shared object; a library whose own module-level code reads a
    setting that is unset at build time (an AttributeError on None), or raises about itself: no finding."""
    cv = "raise ImportError('libGL.so.1: cannot open shared object file', name='cv3', path='/x/cv3.so')\n"
    _dist(tmp_path, "opencv-thing", "4.10.0", {"cv3/__init__.py": cv})
    _dist(tmp_path, "vision", "8.3.0", {"vision/__init__.py": "import cv3\n"})
    _dist(
        tmp_path,
        "common",
        "0.1.0",
        {"common/__init__.py": "import os\nHOSTS = os.getenv('HOSTS').split(',')\n"},
    )
    _dist(tmp_path, "selfish", "1.0", {"selfish/__init__.py": "object.__default__ = 1\n"})
    done = _run(tmp_path, (), (), modules=("vision", "common", "selfish"))
    assert done.returncode == 0, done.stderr
    assert "3 module(s) imported, 0 failed" in done.stdout
