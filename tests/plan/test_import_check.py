"""The builder's import check: the installed modules the commands load import each other, and a pinned
package under another's newer release fails the build with one line naming both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dockwright.plan.import_check import check_script, import_check_step, loaded_by, removed_modules


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


def _run(site: Path, programs: tuple[str, ...], managed: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    code = "\n".join(check_script(programs, managed))
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-B", "-c", code], capture_output=True, text=True, env=env, check=False, timeout=60
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
    assert import_check_step((("./run.sh",),), "/opt/venv/bin/python") is None


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
    assert "2 module(s) of the commands imported, 1 failed" in done.stdout


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
    assert "2 module(s) of the commands imported, 0 failed" in done.stdout


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
