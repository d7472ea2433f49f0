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

import posixpath

from dockwright.dockerfile.final_command import FinalCommand
from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.console_scripts import project_scripts, script_named
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.entry_wrapper import passes_on
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


def own_words(ctx: Context, final: FinalCommand) -> list[str]:
    """The own image's start as the planned image runs it: without an init wrapper, nor a wrapper
    script of the project that passes the start on (``ENTRYPOINT ["/docker-entrypoint.sh"]`` ending
    ``exec "$@"``: the plan wraps the start in it again when it can run its steps, apps._wrapped)."""
    argv = unwrapped(list(final.argv))
    if len(argv) > 1 and passes_on(ctx.tree, argv[0]):
        argv = argv[1:]
    return argv


def serving(ctx: Context, final: FinalCommand) -> Served | None:
    """The command, the started module and the evidence of the app it serves, when the own image's
    command is a project console script (with arguments) or ``python -m`` on a project module, serving
    a web app on one exposed port."""
    if len(final.exposed) != 1:
        return None
    started = _started(ctx, tuple(own_words(ctx, final)), final.workdir or "/")
    if started is None:
        return None
    argv, scan = started
    script = argv[1:2] != ("-m",) and argv[0] == "python"
    if script:  # a script holding or importing the app is the other detectors' (its code, its port)
        return _run_through_package(ctx, argv, scan)
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
    return _run_through_package(ctx, argv, scan)


def _run_through_package(ctx: Context, argv: tuple[str, ...], scan: ModuleScan) -> Served | None:
    """``import pkg`` then ``pkg.main()`` in the started module's ``__main__`` block, where ``pkg``
    imports the app (or the function that sets its routes up) from a project module."""
    for module, line in scan.import_sites:
        holder = next((s for s in ctx.by_rel.values() if s.module == module), None)
        ran = set(holder.function_calls) & scan.main_calls if holder is not None else set()
        imported = _imported_app(ctx, holder) if holder is not None and ran else None
        if holder is not None and imported is not None:
            detail = f"runs {sorted(ran)[0]}() of {holder.rel}, which imports the {imported}"
            return argv, scan, Evidence(scan.rel, line, detail)
    return None


def _imported_app(ctx: Context, scan: ModuleScan) -> str | None:
    """ "FRAMEWORK app `NAME` of FILE" when ``scan`` imports an app a project module defines, or the
    function of that module that adds the app's routes or blueprints (``changedetection_app``)."""
    for dotted_name in scan.from_imports.values():
        source, _, name = dotted_name.rpartition(".")
        holder = next((s for s in ctx.by_rel.values() if s.module == source), None)
        if holder is None:
            continue
        found = [(f, v) for f, v, _ in holder.apps if v == name]
        if found:
            return f"{found[0][0]} app `{found[0][1]}` of {holder.rel}"
        assembles = name in holder.assembled_in or any(name in fns for fns in holder.routed_in.values())
        if holder.apps and assembles:
            framework, variable, _ = holder.apps[0]
            return f"{framework} app `{variable}` of {holder.rel}, which {name}() sets up"
    return None


def _started(
    ctx: Context, argv: tuple[str, ...], workdir: str = "/"
) -> tuple[tuple[str, ...], ModuleScan] | None:
    """The command as the planned image runs it and the module it starts: a console script (bare too:
    ``CMD fava`` beside ``EXPOSE 5000``, its options read from the image's ENV), ``python -m`` on a
    project module (its ``__main__``), or ``python`` on a script of the project (a path under the
    image's ``workdir``, or relative to it)."""
    rest = python_args(argv)
    if rest and rest[0].endswith(".py"):  # `python ./serve.py`: a script of the project
        script = (
            posixpath.relpath(rest[0], workdir) if rest[0].startswith(workdir.rstrip("/") + "/") else rest[0]
        )
        scan = ctx.by_rel.get(posixpath.normpath(script)) if not script.startswith("/") else None
        return (("python", posixpath.normpath(script), *rest[1:]), scan) if scan else None
    if rest is not None:
        if len(rest) < 2 or rest[0] != "-m":
            return None
        names = (f"{rest[1]}.__main__", rest[1])
        scan = next((s for n in names for s in ctx.by_rel.values() if s.module == n), None)
        return (("python", *rest), scan) if scan else None
    name = script_named(ctx, argv[0]) if argv else None
    if name is None:
        return None
    module = ctx.once(project_scripts)[name].split(":")[0].strip()
    scan = next((s for s in ctx.by_rel.values() if s.module == module), None)
    return ((name, *argv[1:]), scan) if scan else None
