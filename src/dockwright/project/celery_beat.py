"""Celery beat's schedule file, where the non-root app can write it.

``celery beat`` (and a worker started with ``-B``/``--beat``) keeps the last run time of each
periodic task in a file named by ``-s``/``--schedule``, by default ``celerybeat-schedule`` in the
working directory
(https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#starting-the-scheduler). The
image's working directory belongs to root and the app user only reads it, so such a beat stops at
start on ``PermissionError: [Errno 13] Permission denied: 'celerybeat-schedule'``.

A beat start that names no schedule file and no scheduler of its own (``--scheduler`` /``-S``:
django-celery-beat's ``DatabaseScheduler`` keeps its state in the database) gets ``--schedule
celerybeat/celerybeat-schedule``, and ``celerybeat/`` is one of the directories the image creates
owned by the app user (a volume mounted there keeps the run times across restarts). One image
serves every process: when the start is another process and the plan lists such a beat (a compose
service beside the web one), the image creates the directory too and a warning gives the beat's
command with the option. Nothing is executed.
"""

from __future__ import annotations

import posixpath
import shlex

from dockwright.project.facts import Evidence, Fact
from dockwright.shell_lists import has_operator, split_lists

FOLDER = "celerybeat"
SCHEDULE = f"{FOLDER}/celerybeat-schedule"
SOURCE = "https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#starting-the-scheduler"

_OWN_STATE = ("-s", "--schedule", "--schedule-filename", "-S", "--scheduler")


def _runs_beat(argv: tuple[str, ...]) -> bool:
    """``celery ... beat`` or ``celery ... worker -B/--beat`` (the program may be a path)."""
    if not argv or argv[0].rsplit("/", 1)[-1] != "celery":
        return False
    rest = argv[1:]
    if "beat" in rest:
        return True
    return "worker" in rest and any(a in ("-B", "--beat") for a in rest)


def _names_own_state(argv: tuple[str, ...]) -> bool:
    for arg in argv:
        if arg in _OWN_STATE or arg.startswith(tuple(f"{o}=" for o in _OWN_STATE if o.startswith("--"))):
            return True
        if len(arg) > 2 and arg[:2] in ("-s", "-S") and not arg.startswith("--"):
            return True  # `-s/var/beat` (click's joined short option)
    return False


def _workdir(argv: tuple[str, ...] | list[str]) -> str:
    """celery's ``--workdir`` (it changes folder before beat opens a relative schedule file), or ""."""
    for at, arg in enumerate(argv):
        if arg == "--workdir" and at + 1 < len(argv):
            return argv[at + 1].strip("/")
        if arg.startswith("--workdir="):
            return arg.split("=", 1)[1].strip("/")
    return ""


def _in_shell_line(argv: tuple[str, ...]) -> tuple[tuple[str, ...], str] | None:
    """A ``sh -c`` start whose list runs a beat without a schedule of its own: the argv with
    ``--schedule`` after that item's words, and the beat's ``--workdir``; None otherwise."""
    if len(argv) != 3 or argv[0].rsplit("/", 1)[-1] not in ("sh", "bash") or argv[1] != "-c":
        return None
    parts = split_lists(argv[2])
    for at in range(0, len(parts), 2):
        try:
            words = shlex.split(parts[at])
        except ValueError:
            return None
        run = tuple(words[1:] if words[:1] == ["exec"] else words)
        if _runs_beat(run) and not _names_own_state(run) and not has_operator(parts[at], ">"):
            parts[at] = parts[at].rstrip() + f" --schedule {SCHEDULE}" + parts[at][len(parts[at].rstrip()) :]
            return (*argv[:2], "".join(parts)), _workdir(run)
    return None


def beat_schedule(
    command: Fact[tuple[str, ...]],
) -> tuple[Fact[tuple[str, ...]], tuple[Fact[str], ...]]:
    """The command with a writable schedule file for a beat that would write the working
    directory (the start's argv, or one item of its ``sh -c`` list), and the directory the image must
    make the app's, under celery's ``--workdir`` when it names one (none when nothing changes)."""
    argv = command.value
    shell = _in_shell_line(argv)
    if shell is None and (not _runs_beat(argv) or _names_own_state(argv)):
        return command, ()
    changed, workdir = shell if shell is not None else ((*argv, "--schedule", SCHEDULE), _workdir(argv))
    folder = posixpath.join(workdir, FOLDER) if workdir else FOLDER
    where = command.evidence[0].file if command.evidence else "start command"
    line = command.evidence[0].line if command.evidence else None
    why = (
        f"celery beat writes its schedule file (default celerybeat-schedule in the working directory, "
        f"which the app user cannot write): --schedule {SCHEDULE} in a directory the app owns"
        + (f" ({folder}: celery changes folder to {workdir} first)" if workdir else "")
        + f" ({SOURCE})"
    )
    ev = Evidence(where, line, why)
    return Fact(changed, (*command.evidence, ev)), (Fact(folder, (ev,)),)


def listed_beats(
    others: tuple[tuple[str, tuple[str, ...], Evidence | None], ...],
) -> tuple[list[str], tuple[Fact[str], ...]]:
    """Warnings and the directory for the beats among the other processes (name, argv, evidence)."""
    notes: list[str] = []
    dirs: tuple[Fact[str], ...] = ()
    for name, argv, evidence in others:
        changed, made = beat_schedule(Fact(argv, (evidence,) if evidence else ()))
        if not made:
            continue
        where = (
            f"{evidence.file}:{evidence.line}"
            if evidence and evidence.line
            else (evidence.file if evidence else name)
        )
        notes.append(
            f"{where}: the {name} process (celery beat) run from this image needs a schedule file the app "
            f"user can write: `{' '.join(changed.value)}` (the image creates {made[0].value}/ for it; "
            f"{SOURCE})"
        )
        dirs = made
    return notes, dirs
