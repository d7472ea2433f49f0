"""The repository's own image serves the app through one of the project's console scripts.

## What it detects
The final stage of the repository's own Dockerfile (``project/own_image.py``: the root's, else the one
in a recipe folder such as ``docker/`` or ``contrib/docker/``) runs one of the project's console scripts
(bare or with arguments), or
``python -m`` on a project module, ``EXPOSE``s one TCP port, and the started module holds a web app
the source scan found: it defines one (or a factory), imports one (or its factory) from the project's
module that does, or its ``__main__`` block runs a function of a module that builds one (``python -m
dash_admin`` whose ``__main__`` runs ``cli.main``, next to ``cli.make_app``). The maintainers chose to
serve their app through their own program: it may set the app up before serving it (the databases
given on its command line, its settings), which a server started on ``module:app`` skips. So it ranks
with the repository's other container hints, before the framework scans: ``gunicorn module:app``
would serve an app nothing has set up.

A program that serves with Flask's development server (``app.run()``, ``project/flask_dev_run.py``)
is kept, with a warning naming the ``app.run`` line and an app or factory to serve instead, when it sets
the app up; when all it does is run a module-level app complete at import, that app is served by the
production server on the exposed port instead.

## Evidence
The Dockerfile's ``ENTRYPOINT``/``CMD`` line, the import (or definition) of the app in the script's
module, and the ``EXPOSE`` line for the port.

## Example
```dockerfile
FROM python:3.13-slim
COPY . /src
RUN pip install /src[server]
EXPOSE 8080
ENTRYPOINT ["notes-server", "--host", "0.0.0.0"]
```
with ``notes-server = "notes.serve:main"`` and ``from notes.web import app`` in ``notes/serve.py``.

## Start command
The command as the repository's image runs it, on the exposed port. An ``ENTRYPOINT`` with no ``CMD``
takes its arguments at ``docker run`` (``docker run IMAGE data.db``): the planned image keeps it in
``ENTRYPOINT`` after tini, as it does for a CLI, while the health check and ``EXPOSE`` are a web
process's.
"""

from __future__ import annotations

from dockwright.dockerfile.final_command import FinalCommand
from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.console_scripts import declared_scripts
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.facts import Evidence
from dockwright.project.flask_dev_run import dev_server_note, plain_run, started_runs
from dockwright.project.own_image import python_args, unwrapped

Served = tuple[tuple[str, ...], ModuleScan, Evidence]  # the command, the started module, the app's evidence


def own_served(ctx: Context) -> tuple[str, FinalCommand, Served | None] | None:
    """The own image's Dockerfile path, final command and what it serves (:func:`serving`), or None
    without an own image's command; computed once per plan (``ctx.once``) for this detector and
    own-dockerfile, which leaves the served case to it."""
    own = ctx.files.own_final
    if own is None:
        return None
    path, _, final = own
    return path, final, serving(ctx, final)


def detect(ctx: Context) -> list[Candidate]:
    own = ctx.once(own_served)
    served = own[2] if own else None
    if own is None or served is None:
        return []  # no own image's command, or one that serves no app of the project
    path, final, _ = own
    argv, scan, app_evidence = served
    assert final.instruction is not None  # own_final returns a command's instruction
    port, instruction = final.exposed[0]
    text = f"{final.instruction.keyword} {' '.join(final.instruction.value.split())}"
    why = "the repository's own image serves its app with it"
    exposed = f"EXPOSE {' '.join(instruction.value.split())} (the repository's own image)"
    port_evidence = Evidence(path, instruction.span.line, exposed[:100])
    runs = started_runs(ctx, scan)
    plain = plain_run(runs)
    if plain is not None:
        # the program only serves an app complete at import: the production server serves it
        module = plain.module_app.partition(":")[0]
        holder = next(s for s in ctx.by_rel.values() if s.module == module)
        detail = (
            f"{' '.join(argv)} (the repository's own image) only runs {plain.module_app} with Flask's "
            "development server: served by the production server"
        )
        return [
            Candidate(
                "own-image-server",
                "web",
                "web",
                (Evidence(plain.rel, plain.line, detail), app_evidence),
                framework=signatures().framework("flask"),
                target=plain.module_app,
                module=module,
                rel=holder.rel,
                port=port,
                port_evidence=port_evidence,
            )
        ]
    note = dev_server_note(ctx, runs, argv, port)
    return [
        Candidate(
            "own-image-server",
            "dockerfile",
            "web",
            (Evidence(path, final.instruction.span.line, f"{text[:80]} ({why})"), app_evidence),
            command=argv,
            module=scan.module,
            rel=scan.rel,
            port=port,
            port_evidence=port_evidence,
            run_arguments=bool(final.entrypoint) and not final.cmd,
            notes=(note,) if note else (),
        )
    ]


def serving(ctx: Context, final: FinalCommand) -> Served | None:
    """The command, the started module and the evidence of the app it serves, when the own image's
    command is a project console script (with arguments) or ``python -m`` on a project module, serving
    a web app on one exposed port."""
    if len(final.exposed) != 1:
        return None
    started = _started(ctx, tuple(unwrapped(list(final.argv))))
    if started is None:
        return None
    argv, scan = started
    if scan.apps or scan.factories:
        framework, variable, line = (scan.apps or scan.factories)[0]
        what = "app" if scan.apps else "app factory"
        return argv, scan, Evidence(scan.rel, line, f"defines the {framework} {what} `{variable}`")
    for local, dotted in scan.from_imports.items():
        source, _, name = dotted.rpartition(".")
        holder = next((s for s in ctx.by_rel.values() if s.module == source), None)
        if holder is None:
            continue
        found = [(f, v) for f, v, _ in holder.apps if v == name] or [
            (f, n) for f, n, _ in holder.factories if n == name
        ]
        if found:
            framework, variable = found[0]
            detail = f"imports the {framework} app `{variable}` of {holder.rel}"
            return argv, scan, Evidence(scan.rel, scan.names.get(local), detail)
        if local in scan.main_calls and (holder.apps or holder.factories):
            framework, variable, line = (holder.apps or holder.factories)[0]
            detail = (
                f"runs {name}() of {holder.rel}, which builds the {framework} app (`{variable}`, line {line})"
            )
            return argv, scan, Evidence(scan.rel, None, detail)
        imported = _imported_app(ctx, holder) if local in scan.main_calls else None
        if imported is not None:
            detail = f"runs {name}() of {holder.rel}, which imports the {imported}"
            return argv, scan, Evidence(scan.rel, None, detail)
    return None


def _imported_app(ctx: Context, scan: ModuleScan) -> str | None:
    """ "FRAMEWORK app `NAME` of FILE" when ``scan`` imports an app a project module defines."""
    for dotted_name in scan.from_imports.values():
        source, _, name = dotted_name.rpartition(".")
        holder = next((s for s in ctx.by_rel.values() if s.module == source), None)
        found = [(f, v) for f, v, _ in holder.apps if v == name] if holder else []
        if holder is not None and found:
            return f"{found[0][0]} app `{found[0][1]}` of {holder.rel}"
    return None


def _started(ctx: Context, argv: tuple[str, ...]) -> tuple[tuple[str, ...], ModuleScan] | None:
    """The command as the planned image runs it and the module it starts: a console script (bare too:
    ``CMD fava`` beside ``EXPOSE 5000``, its options read from the image's ENV), or ``python -m`` on a
    project module (its ``__main__``)."""
    rest = python_args(argv)
    if rest is not None:
        if len(rest) < 2 or rest[0] != "-m":
            return None
        names = (f"{rest[1]}.__main__", rest[1])
        scan = next((s for n in names for s in ctx.by_rel.values() if s.module == n), None)
        return (("python", *rest), scan) if scan else None
    scripts = declared_scripts(ctx.pyproject)
    if not argv or argv[0] not in scripts:
        return None
    module = str(scripts[argv[0]]).split(":")[0].strip()
    scan = next((s for s in ctx.by_rel.values() if s.module == module), None)
    return (argv, scan) if scan else None
