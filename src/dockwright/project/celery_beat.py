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

from dockwright.project.facts import Evidence, Fact

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


def beat_schedule(
    command: Fact[tuple[str, ...]],
) -> tuple[Fact[tuple[str, ...]], tuple[Fact[str], ...]]:
    """The command with a writable schedule file for a beat that would write the working
    directory, and the directory the image must make the app's (none when nothing changes)."""
    argv = command.value
    if not _runs_beat(argv) or _names_own_state(argv):
        return command, ()
    where = command.evidence[0].file if command.evidence else "start command"
    line = command.evidence[0].line if command.evidence else None
    why = (
        f"celery beat writes its schedule file (default celerybeat-schedule in the working directory, "
        f"which the app user cannot write): --schedule {SCHEDULE} in a directory the app owns ({SOURCE})"
    )
    ev = Evidence(where, line, why)
    return Fact((*argv, "--schedule", SCHEDULE), (*command.evidence, ev)), (Fact(FOLDER, (ev,)),)


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
            f"user can write: `{' '.join(changed.value)}` (the image creates {FOLDER}/ for it; {SOURCE})"
        )
        dirs = made
    return notes, dirs
