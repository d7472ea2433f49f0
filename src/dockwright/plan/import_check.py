"""A build-time check that the installed packages the image's commands load can import each other.

What it does: after the builder fills the venv, one step imports, with the venv's interpreter, the
modules the start and the other processes load from installed distributions: the module of each
console script they run (``celery`` → ``celery.__main__``, what the script itself imports first) and
the module of each Django management command an installed app provides (``python manage.py rqworker``
→ ``django_rq/management/commands/rqworker.py``, found on disk, not by importing every package). An
``ImportError`` naming another installed distribution fails the build with one line naming both and
their versions; any other error (settings not configured, a missing optional module, the project's own
code) is no finding of this check.

Why at build time, not from metadata: the class is a pinned package that cannot import from an
unpinned one's newer release (django-rq 2.3.2 under rq 3.0.0: ``cannot import name 'use_connection'
from 'rq'``, its rqworker restarting in a loop at run time). django-rq 2.3.2 declares ``rq>=1.2``, open
above, so every Requires-Dist range in the lock holds and a metadata check finds nothing; only the
import shows it, in a second, before the image ships.
"""

from __future__ import annotations

import importlib.resources
import json
import posixpath
import shlex
import sys
from functools import cache

from dockwright.plan.model import Step

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_SHELLS = ("sh", "bash", "dash")
_NOT_SCRIPTS = ("python", "python3", "exec", "env", "nice", "timeout", "tini", "dumb-init", *_SHELLS)
_OPERATORS = ("&&", "||", ";", "|", "&")


def _segments(argv: tuple[str, ...]) -> list[list[str]]:
    """The simple commands of ``argv``: itself, or those of its ``sh -c`` text."""
    if len(argv) >= 3 and posixpath.basename(argv[0]) in _SHELLS and argv[1] == "-c":
        try:
            words = shlex.split(argv[2].replace(";", " ; "), comments=True)
        except ValueError:
            return []
        out: list[list[str]] = [[]]
        for w in words:
            if w in _OPERATORS:
                out.append([])
            else:
                out[-1].append(w)
        return [s for s in out if s]
    return [list(argv)]


def loaded_by(commands: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the programs the commands run that may be console scripts, the Django management commands they
    run through ``manage.py`` or ``django-admin``)."""
    programs: list[str] = []
    managed: list[str] = []
    for argv in commands:
        for words in _segments(argv):
            while words and (("=" in words[0] and not words[0].startswith("-")) or words[0] == "exec"):
                words = words[1:]
            if not words:
                continue
            program = posixpath.basename(words[0])
            at = next((i for i, w in enumerate(words) if w.endswith("manage.py")), None)
            if program == "django-admin":
                at = 0
            if at is not None and at + 1 < len(words) and not words[at + 1].startswith("-"):
                managed.append(words[at + 1])
            elif not program.endswith((".py", ".sh")) and not program.startswith(_NOT_SCRIPTS):
                programs.append(program)
    return tuple(dict.fromkeys(programs)), tuple(dict.fromkeys(managed))


@cache
def removed_modules() -> dict[str, str]:
    """Standard-library module → the Python release that removed it (``"3.12"``; the sources are in
    ``data/removed_stdlib.toml``)."""
    path = importlib.resources.files("dockwright.plan") / "data" / "removed_stdlib.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name: str(row["removed"]) for row in table["module"] for name in row["names"]}


def check_script(programs: tuple[str, ...], managed: tuple[str, ...]) -> tuple[str, ...]:
    """The Python program the step runs, one line per item (no single quote, ``$`` or backslash: each
    line is one single-quoted shell word)."""
    by_release: dict[str, list[str]] = {}
    for name, release in removed_modules().items():
        by_release.setdefault(release, []).append(name)
    removed = " | ".join(
        f'dict.fromkeys("{" ".join(names)}".split(), "{release}")' for release, names in by_release.items()
    )
    return (
        "import importlib, importlib.metadata as md, os, sys",
        f"programs = {json.dumps(list(programs))}",
        f"managed = {json.dumps(list(managed))}",
        f"removed = {removed}",
        "owners = md.packages_distributions()",
        "def dist(module):",
        '    top = module.split(".")[0]',
        "    name = (owners.get(top) or [top])[0]",
        "    try:",
        '        return name, name + " " + md.version(name)',
        "    except md.PackageNotFoundError:",
        "        return name, name",
        "found = []",
        'for entry in md.entry_points(group="console_scripts"):',
        "    if entry.name in programs and (entry.module, entry.name) not in found:",
        "        found.append((entry.module, entry.name))",
        "for top in sorted(owners):",
        "    for name in managed:",
        "        for folder in sys.path:",
        '            if os.path.isfile(os.path.join(folder, top, "management", "commands", name + ".py")):',
        '                found.append((top + ".management.commands." + name, "manage.py " + name))',
        "                break",
        "failed = []",
        "for module, run in found:",
        "    try:",
        "        importlib.import_module(module)",
        "    except ImportError as exc:",
        '        missing = (exc.name or "").split(".")[0]',
        "        here, gone = dist(module), dist(missing)",
        '        head = f"the command {run!r} cannot start: {module} ({here[1]})"',
        "        if missing in owners and gone[0] != here[0]:",
        "            failed.append(",
        '                f"{head} fails to import: {exc} ({gone[1]} is installed): pin {gone[0]} to "',
        '                f"a release {here[1]} supports"',
        "            )",
        "        elif missing in removed and missing not in owners:",
        "            failed.append(",
        '                f"{head} imports {missing}, which Python {removed[missing]} removed from the "',
        '                f"standard library: pin {here[0]} to a release that supports Python "',
        '                f"{sys.version_info[0]}.{sys.version_info[1]}, or an older Python"',
        "            )",
        "    except (Exception, SystemExit):",
        "        pass",
        "for line in failed:",
        '    print("error:", line, file=sys.stderr)',
        'print("import check:", len(found), "module(s) of the commands imported,", len(failed), "failed")',
        "sys.exit(1 if failed else 0)",
    )


def import_check_step(commands: tuple[tuple[str, ...], ...], python: str) -> Step | None:
    """The builder step, or None when the commands run no console script or management command."""
    programs, managed = loaded_by(commands)
    if not programs and not managed:
        return None
    words = " \\\n        ".join(f"'{line}'" for line in check_script(programs, managed))
    return Step(
        "RUN",
        (f"{python} -I -B -c \"$(printf '%s\\n' \\\n        {words})\"",),
        why="the installed modules the start and the other processes load import each other (a pinned "
        "package under an unpinned one's newer release fails here, naming both, not in the container)",
    )
