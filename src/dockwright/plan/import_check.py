"""A build-time check that the installed packages the image's commands load can import each other.

What it does: after the builder fills the venv, one step imports, with the venv's interpreter, the
modules the start and the other processes load from installed distributions: the module of each
console script they run (``celery`` → ``celery.__main__``, what the script itself imports first) and
the module of each Django management command an installed app provides (``python manage.py rqworker``
→ ``django_rq/management/commands/rqworker.py``, found on disk, not by importing every package), and
the installed top-level modules the app's own modules import as they load (``AppFacts.
third_party_imports``: ``textual`` for a TUI, ``flask`` for a web app), all in one child. An
``ImportError`` naming another installed distribution fails the build with one line naming both and
their versions; so does an ``AttributeError``, ``TypeError`` or ``NameError`` raised by an installed
distribution's own module-level code as it loads (a 2024 ``typing_extensions`` pin on Python 3.13:
``attribute '__default__' of 'typing.ParamSpec' objects is not writable``), naming that distribution
and the image's Python; any other error (settings not configured, a missing optional module or system
library, the project's own code) is no finding of this check.

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
import re
import shlex
from dataclasses import replace
from functools import cache

from dockwright.plan.model import Step
from dockwright.project.agent_launchers import split_launcher
from dockwright.shell_lists import commands as shell_commands
from dockwright.toml_reader import tomllib

SECONDS = 60
"""The most one module's import may take: imports of the heaviest libraries take seconds; a module
still importing after a minute waits for something the build does not have (a database, a socket)."""

OLDEST = (3, 10)
"""``importlib.metadata.packages_distributions`` and ``entry_points(group=)`` came in Python 3.10: an
older interpreter gets no check."""

_SHELLS = ("sh", "bash", "dash")
_NOT_SCRIPTS = ("python", "python3", "exec", "env", "nice", "timeout", "tini", "dumb-init", *_SHELLS)
_PIPES = ("|", "&")
# a console script's or a management command's name: the script's lines are single-quoted shell words,
# so a word spelled otherwise (a quote, `$`, a backslash: project text) is never put in one
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")


def _segments(argv: tuple[str, ...]) -> list[list[str]]:
    """The simple commands of ``argv``: itself, or those of its ``sh -c`` text (the lists split by
    ``shell_lists``, each then split into words, the commands of a pipe apart)."""
    if not (len(argv) >= 3 and posixpath.basename(argv[0]) in _SHELLS and argv[1] == "-c"):
        return [list(argv)]
    out: list[list[str]] = []
    for part in shell_commands(argv[2]):
        try:
            words = shlex.split(part, comments=True)
        except ValueError:
            continue
        out.append([])
        for word in words:
            if word in _PIPES:
                out.append([])
            else:
                out[-1].append(word)
    return [words for words in out if words]


def loaded_by(commands: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the programs the commands run that may be console scripts, the Django management commands they
    run through ``manage.py`` or ``django-admin``)."""
    programs: list[str] = []
    managed: list[str] = []
    for argv in commands:
        for words in _segments(argv):
            while words and (("=" in words[0] and not words[0].startswith("-")) or words[0] == "exec"):
                words = words[1:]
            launcher = split_launcher(tuple(words))
            if launcher:  # `newrelic-admin run-program gunicorn ...`: both are console scripts
                programs.append(posixpath.basename(words[0]))
                words = list(launcher[1])
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
    return (
        tuple(dict.fromkeys(p for p in programs if _NAME.match(p))),
        tuple(dict.fromkeys(m for m in managed if _NAME.match(m))),
    )


@cache
def removed_modules() -> dict[str, str]:
    """Standard-library module → the Python release that removed it (``"3.12"``; the sources are in
    ``data/removed_stdlib.toml``)."""
    path = importlib.resources.files("dockwright.plan") / "data" / "removed_stdlib.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name: str(row["removed"]) for row in table["module"] for name in row["names"]}


def check_script(
    programs: tuple[str, ...],
    managed: tuple[str, ...],
    python: tuple[int, int] = (3, 99),
    seconds: int = SECONDS,
    modules: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """The Python program the check runs (under ``-u``: a forked child leaves no buffered output to
    print twice), one line per item: no single quote, ``$``, backquote or backslash, so each line is one
    single-quoted shell word. ``python``: the image's release; only the standard-library modules it no
    longer has are named; ``seconds``: the most one import may take; ``modules``: the top-level modules
    the app imports (``AppFacts.third_party_imports``), imported when an installed distribution
    provides them."""
    by_release: dict[str, list[str]] = {}
    for name, release in removed_modules().items():
        if tuple(int(n) for n in release.split(".")) <= python:
            by_release.setdefault(release, []).append(name)
    removed = " | ".join(
        f'dict.fromkeys("{" ".join(names)}".split(), "{release}")' for release, names in by_release.items()
    )
    return (
        "import importlib, importlib.metadata as md, os, signal, sys",
        f"programs, managed = {json.dumps(list(programs))}, {json.dumps(list(managed))}",
        f"imported = {json.dumps([m for m in modules if _NAME.match(m)])}",
        f"removed = {removed or '{}'}",
        'owners, python = md.packages_distributions(), "%d.%d" % sys.version_info[:2]',
        "def dist(module):",
        '    name = (owners.get(module.split(".")[0]) or [module.split(".")[0]])[0]',
        "    try:",
        '        return name, name + " " + md.version(name)',
        "    except md.PackageNotFoundError:",
        "        return name, name",
        "def raised_by(exc):  # (the installed module that raised, the one loading) while one loads",
        "    tb, loading, found = exc.__traceback__, None, None",
        "    while tb is not None:",
        '        top = (tb.tb_frame.f_globals.get("__name__") or "").split(".")[0]',
        "        if top in owners:",
        '            loading = top if tb.tb_frame.f_code.co_name == "<module>" else loading',
        "            found = top",
        "        tb = tb.tb_next",
        "    return (found, loading) if loading else (None, None)",
        "def problem(module, run):",
        '    what = f"the command {run!r}" if run else "the app (it imports " + module + ")"',
        "    try:",
        "        importlib.import_module(module)",
        "    except ImportError as exc:",
        '        missing = (exc.name or "").split(".")[0]',
        "        (here, at), (gone, has) = dist(module), dist(missing)",
        '        head = f"{what} cannot start: {module} ({at})"',
        '        if "shared object" in str(exc) or (exc.path or "").endswith(".so"):',
        '            return ""  # a system library the builder lacks: the runtime installs its own',
        "        if missing in owners and gone != here:",
        '            return (f"{head} fails to import: {exc} ({has} is installed): pin {gone} to a "',
        '                    f"release {at} supports")',
        "        if missing in removed and missing not in owners:",
        '            return (f"{head} imports {missing}, which Python {removed[missing]} removed from the "',
        '                    f"standard library: pin {here} to a release that supports Python {python}, "',
        '                    "or an older Python")',
        "    except (AttributeError, TypeError, NameError) as exc:  # code this Python no longer runs",
        "        top, loading = raised_by(exc)",
        "        (here, at), (gone, has) = dist(module), dist(top or module)",
        '        if top and gone != here and "NoneType" not in str(exc):  # not a setting read as None',
        '            return (f"{what} cannot start: {module} ({at}) fails to import on Python "',
        '                    f"{python}: {has} raises {type(exc).__name__} as {loading} loads: {exc}: "',
        '                    f"pin {gone} to a release that supports Python {python}, or an older Python")',
        "    except (Exception, SystemExit):",
        "        pass",
        '    return ""',
        'found = [(e.module, e.name) for e in md.entry_points(group="console_scripts")',
        "         if e.name in programs]",
        "for top in sorted(owners):",
        "    for name in managed:",
        '        path = os.path.join(top, "management", "commands", name + ".py")',
        "        if any(os.path.isfile(os.path.join(folder, path)) for folder in sys.path):",
        '            found.append((top + ".management.commands." + name, "manage.py " + name))',
        "found, failed, slow = dict.fromkeys(found), 0, 0",
        "apps = [name for name in imported if name in owners]",
        "for module, run in [*found, *([(apps, None)] if apps else [])]:",
        "    child = os.fork()",
        "    if not child:  # SIGALRM ends the child, even in C code: a blocked import is bounded",
        "        for name in module if run is None else [module]:  # the app imports: one child for all",
        f"            signal.alarm({seconds})",
        '            line = problem(name, run or "")',
        "            if line:  # said, and the child ends: a later import that blocks cannot hide it",
        '                print("error:", line, file=sys.stderr)',
        "                os._exit(3)",
        "        os._exit(0)",
        "    code = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])",
        "    failed, slow = failed + (code == 3), slow + (code == -signal.SIGALRM)",
        "    if code == -signal.SIGALRM:",
        '        late = "one of " + ", ".join(module) if run is None else module',
        f'        print("import check:", late, "still importing after {seconds} s: not checked")',
        "count = len(found) + len(apps)",
        'print("import check:", count, "module(s) imported,", failed, "failed,", slow, "timed out")',
        "sys.exit(1 if failed else 0)",
    )


WHY = (
    "then the installed modules the start and the other processes load import each other (a pinned "
    "package under an unpinned one's newer release fails here, naming both; an import still waiting after "
    f"{SECONDS} s is said, not failed)"
)


def import_check_run(
    commands: tuple[tuple[str, ...], ...], python: str, version: str, modules: tuple[str, ...] = ()
) -> str | None:
    """The check's command line (``python``: the venv's interpreter; ``version``: the image's Python,
    ``3.12.8``; ``modules``: the top-level modules the app imports), or None when the commands run no
    console script or management command and the app imports nothing, or the Python is older than
    :data:`OLDEST`."""
    release = tuple(int(n) for n in version.split(".")[:2] if n.isdigit())
    programs, managed = loaded_by(commands)
    if (not programs and not managed and not modules) or len(release) != 2 or release < OLDEST:
        return None
    words = " \\\n        ".join(
        f"'{line}'" for line in check_script(programs, managed, (release[0], release[1]), modules=modules)
    )
    return f"{python} -I -B -u -c \"$(printf '%s\\n' \\\n        {words})\""


def with_import_check(
    install: Step,
    commands: tuple[tuple[str, ...], ...],
    python: str,
    version: str,
    modules: tuple[str, ...] = (),
) -> Step:
    """``install`` (the RUN that fills the venv) with the check after it, in the same step."""
    check = import_check_run(commands, python, version, modules)
    if check is None:
        return install
    return replace(install, args=(*install.args, check), why=f"{install.why}; {WHY}")
