"""Build steps a repository's start command repeats are taken out of the image's start.

What it does
    When the start is a shell line from the repository (a Procfile ``web:``, a compose ``command:``, a
    deploy descriptor's start) and one of its ``&&``/``;`` steps is a build step the plan already runs
    at build time (``manage.py collectstatic``, ``manage.py compilemessages``, ``pybabel compile``:
    see :mod:`dockwright.plan.buildsteps`), that step is dropped from the image's start; the rest (a
    ``migrate``, the server) stays as written. A start left with the server alone becomes its plain
    exec-form argv. The decision names each step dropped and the line it came from.

Why is this bad?
    Platforms without a build phase of their own run these steps at every start, as the one user they
    have. In the image the app runs as a non-root user over a root-owned tree the build already filled:
    ``collectstatic`` at start deletes and rewrites files under ``STATIC_ROOT`` and stops on
    ``PermissionError``, so the container exits before the server starts (and, were it writable, every
    start would redo minutes of work).

Example
    ``Procfile: web: python manage.py migrate && python manage.py collectstatic --no-input && gunicorn
    site.wsgi`` with collectstatic planned in the runtime stage -> ``/bin/sh -c "python manage.py migrate
    && exec gunicorn site.wsgi"``.

Use instead
    Nothing to change in the repository; ``--start`` still gives a start command of its own.
"""

from __future__ import annotations

import dataclasses
import re
import shlex

from dockwright.plan.model import BuildPlan, Decision
from dockwright.project.detectors.base import needs_shell
from dockwright.project.entry_wrapper import BUILD_STEP_COMMANDS as STEP_COMMANDS

_SHELLS = ("/bin/sh", "sh", "/bin/bash", "bash")


def apply(plan: BuildPlan) -> BuildPlan:
    cmd = plan.cmd
    if len(cmd) != 3 or cmd[0] not in _SHELLS or cmd[1] != "-c":
        return plan
    planned = {
        d.topic: d.choice
        for d in plan.decisions
        if d.topic in STEP_COMMANDS and not d.choice.startswith("not planned")
    }
    if not planned:
        return plan
    parts = re.split(r"(&&|;)", cmd[2])
    steps, seps = parts[::2], parts[1::2]
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    for i, step in enumerate(steps):
        topic = next((t for t in planned if STEP_COMMANDS[t].search(step.strip())), None)
        if topic and i < len(steps) - 1:  # never the last step: that is the server
            dropped.append((step.strip(), topic))
            continue
        kept.append(step.strip() if not kept else f"{seps[i - 1]} {step.strip()}")
    if not dropped:
        return plan
    line = " ".join(kept)
    new_cmd: tuple[str, ...] = (cmd[0], cmd[1], line)
    if len(kept) == 1 and not needs_shell(line.removeprefix("exec ")):
        new_cmd = tuple(shlex.split(line.removeprefix("exec ")))
    source = "; ".join(str(e) for e in plan.facts.app.command.evidence)
    reason = (
        "the start line runs "
        + "; ".join(f"`{step}` ({planned[topic]} already does it at build time)" for step, topic in dropped)
        + ": at start the non-root app cannot rewrite the root-owned tree the build filled (the container "
        f"would exit before the server), so the image starts without it; from {source}"
    )
    decisions = [
        dataclasses.replace(d, choice=" ".join(new_cmd)) if d.topic == "start" else d for d in plan.decisions
    ]
    decisions.append(Decision("start-build-steps", "dropped: " + "; ".join(s for s, _ in dropped), reason))
    return dataclasses.replace(plan, cmd=new_cmd, decisions=tuple(decisions))
