"""The repository's own image is built FROM an app-server base image whose start script is the start.

## What it detects
The final stage of the repository's own Dockerfile (``project/own_image.py``) is built ``FROM`` one of
the published app-server base images of ``data/app_server_bases.toml``
(``tiangolo/uvicorn-gunicorn-fastapi``, ``tiangolo/meinheld-gunicorn-flask``,
``tiangolo/uwsgi-nginx-flask`` ...) and names no ``CMD``/``ENTRYPOINT`` of its own (or names the image's
own ``/start.sh`` again): the container runs the base image's start script. That script serves a module
it picks by its own rules, on its own port, after running the ``/app/prestart.sh`` hook when the file
exists (where such repositories run ``alembic upgrade head``, wait for their database, add initial
data). The image's ``/app`` is the folder the Dockerfile copies there (``COPY ./app /app``: the
repository's ``app/``; ``COPY ./app /app/app`` and ``COPY prestart.sh /app/prestart.sh``: the root): the
folders copied into ``/app`` have to agree on one; a file copied to a place of its own (``COPY
scripts/prestart.sh /app``) is found where it is. The module is ``APP_MODULE``, else
``MODULE_NAME:VARIABLE_NAME`` as the Dockerfile's ``ENV`` sets them, else the table's defaults found in
that folder (``app.main`` when it has ``app/main.py``, else ``main``; ``uwsgi.ini``'s ``module`` and
``callable`` for the uWSGI images), and its file has to hold the framework's app under that name.

## Evidence
The ``FROM`` line and the table row's source; the ``ENV`` line that names the module or the port, else
the module's file.

## Example
```dockerfile
FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11
COPY requirements.txt /app/requirements.txt
RUN pip install -r /app/requirements.txt
COPY ./app /app
```
with ``app/main.py`` defining ``app = FastAPI()`` and ``app/prestart.sh`` running ``alembic upgrade head``.

## Start command
The table's server for the interface (uvicorn, gunicorn) on the module, imported from the mapped folder
as the base image imports it (``uvicorn --app-dir app main:app --port 80``), on the port the
Dockerfile's ``ENV PORT``/``BIND``/``LISTEN_PORT`` or ``EXPOSE`` gives, else the one a compose file
publishes, else the image's own (80). ``PYTHONPATH`` is the mapped folder, as the base image sets it to
``/app``. The hook runs before the server, in that folder (where its ``alembic.ini`` is): ``/bin/sh -c
"set -e; (cd app; . ./prestart.sh); exec uvicorn ..."`` (:func:`with_prestart`). The paths under ``/app``
the hook names (``python /app/app/backend_pre_start.py``: the repository's ``app/app/...`` there,
``/app/app/app/...`` here) are linked to the files this image has (``ln -s``, ``AppFacts.start_links``,
plan/start.py); a path that cannot be (``/app`` itself, a file the project also has at that place, one
made at run time) keeps the hook out, and one note says which path and why. When the Dockerfile sets the
worker count the image's gunicorn config reads (``ENV WEB_CONCURRENCY``, ``MAX_WORKERS``,
``WORKERS_PER_CORE``) or names its own config (``ENV GUNICORN_CONF``, or the project's
``gunicorn_conf.py`` where the start script looks), the start is the image's own gunicorn line
(``gunicorn -k uvicorn.workers.UvicornWorker [-c CONF] --bind 0.0.0.0:PORT main:app``) with those
variables set; ``MAX_WORKERS``/``WORKERS_PER_CORE`` without a config of the project's: the start computes
``WEB_CONCURRENCY`` by the image's rule first (gunicorn reads that one itself). gunicorn and uvicorn
were the image's: the lock gets them when the project lacks them. It ranks with the repository's other
container hints.
"""

from __future__ import annotations

import configparser
import dataclasses
import posixpath
import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dockwright.dockerfile.final_command import ancestry, final_command
from dockwright.dockerfile.from_args import base_image
from dockwright.dockerfile.syntax import Instruction
from dockwright.project.detectors import compose
from dockwright.project.detectors.base import UNPRIVILEGED_PORT, Candidate, Context
from dockwright.project.detectors.scan import signatures
from dockwright.project.detectors.web import served
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.own_image import own_recipe
from dockwright.project.plan_files import PlanFiles
from dockwright.project.tree import ProjectTree, data_table

SOURCE = "app-server-base"
IMAGE_ROOT = "/app"
# the base images' own start scripts: a Dockerfile that names them again (`CMD ["/start.sh"]`) runs the
# base image's start (their Dockerfiles' ENTRYPOINT and CMD, data/app_server_bases.toml's sources)
BASE_SCRIPTS = frozenset({"/start.sh", "/entrypoint.sh"})


@dataclass(frozen=True)
class BaseRow:
    images: tuple[str, ...]
    interface: str
    modules: str
    defaults: tuple[str, ...]
    variable: str
    port: int
    port_env: tuple[str, ...]
    prestart: str
    source: str
    worker_class: str = ""
    workers_env: tuple[str, ...] = ()
    conf_env: str = ""
    conf_files: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def table() -> tuple[BaseRow, ...]:
    rows: list[dict[str, Any]] = data_table("app_server_bases.toml")["base"]
    return tuple(
        BaseRow(
            tuple(r["images"]),
            str(r["interface"]),
            str(r["modules"]),
            tuple(r["defaults"]),
            str(r["variable"]),
            int(r["port"]),
            tuple(r["port_env"]),
            str(r["prestart"]),
            str(r["source"]),
            str(r.get("worker_class", "")),
            tuple(r.get("workers_env", ())),
            str(r.get("conf_env", "")),
            tuple(r.get("conf_files", ())),
        )
        for r in rows
    )


def image_row(reference: str) -> BaseRow | None:
    """The table row of an image reference (``docker.io/tiangolo/x:python3.11``, ``x@sha256:...``)."""
    name = reference.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    name = name.lower().removeprefix("docker.io/").removeprefix("index.docker.io/")
    return next((row for row in table() if name in row.images), None)


@dataclass(frozen=True)
class BaseStart:
    """What the base image's start script does for this repository."""

    path: str  # the repository's Dockerfile
    image: str  # the FROM reference as written
    row: BaseRow
    from_line: int
    folder: str  # the project folder that is the image's /app ("" for the root)
    placed: tuple[tuple[str, str], ...]  # files copied under /app: (their path there, the project's file)
    env: dict[str, tuple[str, int]]  # the final stage's ENV: name -> (value, line)
    exposed: tuple[int, int] | None  # (port, EXPOSE line)


def base_start(files: PlanFiles) -> BaseStart | None:
    """The base image's start for the repository's own Dockerfile, or None (another base, a command of its
    own, or copies into /app from folders that do not agree). An app found in one folder of the repository
    (``files.outer``) is that Dockerfile's when it copies that folder to /app (``COPY ./back /app``)."""
    start = _tree_start(files.tree)
    if start is not None or files.outer is None:
        return start
    outer = _tree_start(files.outer)
    inner = posixpath.relpath(files.tree.root.as_posix(), files.outer.root.as_posix())
    if outer is None or outer.folder != inner:
        return None
    up = "/".join(".." for _ in inner.split("/"))
    placed = tuple((at, rel[len(inner) + 1 :]) for at, rel in outer.placed if rel.startswith(inner + "/"))
    return dataclasses.replace(outer, path=f"{up}/{outer.path}", folder="", placed=placed)


def _tree_start(tree: ProjectTree) -> BaseStart | None:
    recipe = own_recipe(tree)
    if recipe is None:
        return None
    path, dockerfile = recipe
    stage = dockerfile.final_stage
    if stage is None:
        return None
    chain = ancestry(dockerfile, stage)
    image = base_image(dockerfile, chain[0])
    row = image_row(image)
    final = final_command(dockerfile)
    if (
        row is None
        or final is None
        or (final.instruction is not None and not set(final.argv) <= BASE_SCRIPTS)
    ):
        return None  # another base, or a command of the repository's own
    instructions = [i for member in chain for i in member.instructions]
    mapped = _image_root(tree, instructions)
    if mapped is None:
        return None
    folder, placed = mapped
    env: dict[str, tuple[str, int]] = {}
    for instruction in instructions:
        if instruction.keyword == "ENV":
            env.update({k: (v or "", instruction.span.line) for k, v in instruction.pairs})
    exposed = (final.exposed[0][0], final.exposed[0][1].span.line) if final.exposed else None
    line = chain[0].from_instruction.span.line
    return BaseStart(path, image, row, line, folder, tuple(placed.items()), env, exposed)


def _image_root(tree: ProjectTree, instructions: list[Instruction]) -> tuple[str, dict[str, str]] | None:
    """The project folder the ``COPY``/``ADD`` instructions into /app make /app (``COPY ./app /app``: app;
    ``COPY ./app /app/app``: the root): the folders they copy decide, else the files; None without one or
    when two disagree. With it, the files copied to a place of their own (``COPY scripts/prestart.sh
    /app``: prestart.sh from scripts/), by their path under /app."""
    placed_files: dict[str, str] = {}
    folders: set[str] = set()
    files: set[str] = set()
    current = IMAGE_ROOT  # every base image of the table works in /app
    for instruction in instructions:
        if instruction.keyword == "WORKDIR":
            current = posixpath.normpath(posixpath.join(current, instruction.value.strip().strip("\"'")))
        if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") is not None:
            continue
        *sources, dest = instruction.arguments or ("",)
        into_dir = dest.endswith("/") or len(sources) > 1
        dest = posixpath.normpath(posixpath.join(current, dest))
        if dest != IMAGE_ROOT and not dest.startswith(IMAGE_ROOT + "/"):
            continue
        for source in sources:
            src = posixpath.normpath(source).strip("/")
            src = "" if src == "." else src
            if any(c in src for c in "*?[$") or src.startswith(".."):
                return None
            # a folder's content goes to the destination; a file into it when it is a folder (/app is one)
            placed = (
                dest
                if src == "" or tree.is_dir(src) or not (into_dir or dest == IMAGE_ROOT)
                else (posixpath.join(dest, posixpath.basename(src)))
            )
            inner = placed[len(IMAGE_ROOT) :].strip("/")
            folder = src == "" or tree.is_dir(src)
            if not folder:
                placed_files[inner] = src
            if inner and src != inner and not src.endswith("/" + inner):
                if folder:
                    return None  # `COPY src /app/app`: a folder renamed, no one folder is /app
                continue  # `COPY scripts/prestart.sh /app/`: a file of its own place
            root = src[: len(src) - len(inner)].strip("/") if inner else src
            (folders if folder else files).add(root)
    roots = folders or files  # the folders copied decide (`COPY requirements.txt /app/` beside them does not)
    return (roots.pop(), placed_files) if len(roots) == 1 else None


def _module(tree: ProjectTree, start: BaseStart) -> tuple[str, str, Evidence] | None:
    """(module, variable, evidence) the base image's rules pick, or None when they find none."""
    row, folder = start.row, start.folder
    prefix = f"{folder}/" if folder else ""
    if row.modules == "gunicorn-env":
        if "APP_MODULE" in start.env:
            value, line = start.env["APP_MODULE"]
            module, _, variable = value.partition(":")
            return module, variable or row.variable, Evidence(start.path, line, f"ENV APP_MODULE {value}")
        variable = start.env.get("VARIABLE_NAME", (row.variable, 0))[0]
        if "MODULE_NAME" in start.env:
            value, line = start.env["MODULE_NAME"]
            return value, variable, Evidence(start.path, line, f"ENV MODULE_NAME {value}")
        for module in row.defaults:
            rel = prefix + module.replace(".", "/") + ".py"
            if tree.is_file(rel):
                said = f"the base image serves {module} when /app/{rel[len(prefix) :]} exists"
                return module, variable, Evidence(rel, None, said)
        return None
    ini = prefix + "uwsgi.ini"
    if tree.is_file(ini):
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(tree.read_text(ini))
            module = parser.get("uwsgi", "module", fallback=row.defaults[0])
            variable = parser.get("uwsgi", "callable", fallback=row.variable)
        except configparser.Error:
            return None
        return module, variable, Evidence(ini, None, f"uWSGI module {module}, callable {variable}")
    rel = prefix + row.defaults[0].replace(".", "/") + ".py"
    return row.defaults[0], row.variable, Evidence(rel, None, "the base image's default module")


def _port(ctx: Context, start: BaseStart) -> tuple[int | None, Evidence | None]:
    """The port the base image's server listens on: the Dockerfile's ENV, else its EXPOSE, else the
    port the compose service built with that Dockerfile publishes, else the image's own unless a compose
    file publishes one for the app's folder (the plan takes that)."""
    for name in start.row.port_env:
        if name in start.env:
            value, line = start.env[name]
            match = re.search(r"(\d{1,5})$", value.strip())
            if match and 0 < int(match.group(1)) < 65536:
                return int(match.group(1)), Evidence(start.path, line, f"ENV {name} {value}")
    if start.exposed is not None:
        port, line = start.exposed
        return port, Evidence(start.path, line, f"EXPOSE {port} (the repository's own image)")
    published = compose.recipe_port(ctx, (ctx.tree.root / start.path).resolve())
    if published is not None:
        return published
    if any(c.port for c in compose.detect(ctx)):
        return None, None  # the compose service built from the app's folder: its port is the plan's
    return start.row.port, Evidence(
        "data/app_server_bases.toml", None, f"the base image listens on {start.row.port}"
    )


def detect(ctx: Context) -> list[Candidate]:
    start = base_start(ctx.files)
    if start is None:
        return []
    picked = _module(ctx.tree, start)
    if picked is None:
        return []
    module, variable, module_evidence = picked
    prefix = f"{start.folder}/" if start.folder else ""
    rel = prefix + module.replace(".", "/") + ".py"
    if not ctx.tree.is_file(rel):
        rel = prefix + module.replace(".", "/") + "/__init__.py"
    scan = ctx.by_rel.get(rel)
    if scan is None:
        return []
    frameworks = {f.name: f for f in signatures().frameworks}
    found = next(
        ((name, line) for name, var, line in scan.apps if var == variable and name in frameworks), None
    )
    if found is None:
        return []
    fw = frameworks[found[0]]
    if fw.interface not in ("asgi", "wsgi") or (
        fw.interface != start.row.interface and fw.interface == "asgi"
    ):
        return []  # an ASGI app under a WSGI image cannot have run there
    why = (
        f"FROM {start.image}: the base image's start script serves {module}:{variable} "
        f"(data/app_server_bases.toml: {start.row.source})"
    )
    candidate = served(ctx, fw, scan, variable, found[1], f"{fw.name} app `{variable}`")
    port, port_evidence = _port(ctx, start)
    pythonpath = f"{IMAGE_ROOT}/{start.folder}" if start.folder else IMAGE_ROOT
    workers = _gunicorn(ctx.tree, start, f"{module}:{variable}", port)
    if workers is not None:
        candidate = dataclasses.replace(candidate, command=workers[0], env=(*candidate.env, *workers[1]))
        if port is not None and port < 1024:  # the non-root app cannot bind it: the line binds 8080
            why = f"{port_evidence}; {UNPRIVILEGED_PORT} for the non-root app, which cannot bind {port}"
            port, port_evidence = UNPRIVILEGED_PORT, Evidence(start.path, start.from_line, why)
    return [
        dataclasses.replace(
            candidate,
            source=SOURCE,
            evidence=(Evidence(start.path, start.from_line, why[:300]), module_evidence, *candidate.evidence),
            target=f"{module}:{variable}",
            chdir=start.folder,
            module=module,
            port=port,
            port_evidence=port_evidence,
            env=(
                (
                    "PYTHONPATH",
                    pythonpath,
                    f"the base image imports from /app, {start.folder or 'the root'} here",
                ),
                *candidate.env,
            ),
        )
    ]


# the worker count the base image's gunicorn_conf.py computes when WEB_CONCURRENCY is unset (its source:
# data/app_server_bases.toml): max(WORKERS_PER_CORE x cores, 2), at most MAX_WORKERS; run at start, since
# the cores are the container's
_WORKERS = (
    'python -c \'import os; n = max(int(float(os.environ.get("WORKERS_PER_CORE") or 1)'
    ' * (os.cpu_count() or 1)), 2); m = int(os.environ.get("MAX_WORKERS") or 0);'
    " print(min(n, m) if m else n)'"
)


def _gunicorn(
    tree: ProjectTree, start: BaseStart, target: str, port: int | None
) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]] | None:
    """The base image's own gunicorn start, when the Dockerfile sets its worker count
    (``ENV WEB_CONCURRENCY``/``MAX_WORKERS``/``WORKERS_PER_CORE``) or its config (``ENV GUNICORN_CONF``,
    or the project's ``gunicorn_conf.py`` where the start script looks): (argv, the variables carried);
    None otherwise (the plan serves the module with one server process) or without a known port."""
    row = start.row
    if not row.worker_class or port is None:
        return None
    prefix = f"{start.folder}/" if start.folder else ""
    placed = dict(start.placed)
    named = start.env.get(row.conf_env)
    confs = [named[0]] if named else list(row.conf_files)
    conf = None
    for path in confs:
        inner = (
            posixpath.normpath(path).removeprefix(IMAGE_ROOT + "/")
            if path.startswith(IMAGE_ROOT + "/")
            else ""
        )
        rel = placed.get(inner, prefix + inner) if inner else ""
        if rel and tree.is_file(rel):
            conf = rel
            break
    counts = [n for n in row.workers_env if n in start.env]
    if conf is None and not counts:
        return None
    why = f"the base image's gunicorn_conf.py reads it ({start.path}:{{line}})"
    env = tuple((n, start.env[n][0], why.format(line=start.env[n][1])) for n in counts)
    argv = ("gunicorn", "-k", row.worker_class, *(("-c", conf) if conf else ()))
    argv = (*argv, "--bind", f"0.0.0.0:{port if port >= 1024 else UNPRIVILEGED_PORT}", target)
    if conf is None and any(n != "WEB_CONCURRENCY" for n in counts):
        # gunicorn reads WEB_CONCURRENCY itself; the others only the base image's config did
        line = f'export WEB_CONCURRENCY="${{WEB_CONCURRENCY:-$({_WORKERS})}}"; exec {shlex.join(argv)}'
        return ("/bin/sh", "-c", line), env
    return argv, env


# a path under /app the hook names (`python /app/app/backend_pre_start.py`, `cd /app`)
_IMAGE_PATH = re.compile(r"(?<![\w./-])/app(?:/[\w.@+-]+)*/?(?![\w.-])")


def with_prestart(files: PlanFiles, app: AppFacts, notes: list[str]) -> AppFacts:
    """``app`` whose start runs the base image's pre-start hook first, when the start is this detector's
    and the hook exists; the paths under /app it names that this image has elsewhere are linked
    (``AppFacts.start_links``); a hook naming one that cannot be is not run, and ``notes`` says why."""
    start = base_start(files)
    tree = files.tree
    command = app.command.value
    if (
        start is None
        or not command
        or not any(e.file == start.path and e.line == start.from_line for e in app.command.evidence)
    ):
        return app
    prefix = f"{start.folder}/" if start.folder else ""
    placed = dict(start.placed)
    at = start.row.prestart.removeprefix(IMAGE_ROOT + "/")
    hook = placed.get(at, prefix + at)
    if not tree.is_file(hook):
        return app
    links: dict[str, tuple[str, str, int]] = {}
    for number, line in enumerate(tree.read_script(hook).splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        for match in _IMAGE_PATH.finditer(line):
            named = match.group(0).rstrip("/")
            inner = named[len(IMAGE_ROOT) :].strip("/")
            target = placed.get(inner, prefix + inner)
            if target == inner:
                continue  # the same path here
            why = _unlinkable(tree, start.folder, inner, target)
            if why:
                notes.append(
                    f"{hook}:{number}: {start.row.prestart} (the base image's pre-start hook) names {named}, "
                    f"which was the repository's {target} there and is {IMAGE_ROOT}/{target} here; {why}: "
                    "the hook is not run, run its steps before the app starts"
                )
                return app
            links.setdefault(inner, (target, hook, number))
    enter = f"cd {shlex.quote(start.folder)}; " if start.folder else ""
    sourced = posixpath.relpath(hook, start.folder or ".")
    sourced = shlex.quote(sourced if sourced.startswith("..") else f"./{sourced}")
    # a plain list, so that `set -e` holds in the subshell as in the base image's start (on the left of
    # `&&` a POSIX shell ignores it there: bash goes on past a failing line)
    line = f"({enter}. {sourced}); exec {shlex.join(command)}"
    why = (
        f"the base image's start script runs {start.row.prestart} (sourced, stopping at a failure) before "
        f"the server, in its /app ({start.folder or 'the root'} here)"
    )
    linked = tuple(
        Fact(
            (inner, target),
            (Evidence(rel, number, f"names {IMAGE_ROOT}/{inner}, the repository's {target}"),),
        )
        for inner, (target, rel, number) in links.items()
    )
    return dataclasses.replace(
        app,
        command=Fact(
            ("/bin/sh", "-c", f"set -e; {line}"), (*app.command.evidence, Evidence(hook, None, why))
        ),
        start_links=(*app.start_links, *linked),
    )


def _unlinkable(tree: ProjectTree, folder: str, inner: str, target: str) -> str | None:
    """Why ``/app/INNER`` (the project's ``TARGET`` in the base image, whose /app was ``FOLDER``) cannot be
    linked to that path here, or None when it can."""
    if not inner:
        return f"{IMAGE_ROOT} itself is the project's root here, not {folder}/"
    if not (tree.is_file(target) or tree.is_dir(target)):
        return f"the project has no {target} to link it to (made at run time?)"
    if tree.is_file(inner) or tree.is_dir(inner):
        return f"the project's own {inner} is there"
    parent = posixpath.dirname(inner)
    if parent and not tree.is_dir(parent):
        return f"the project has no folder {parent}/ to link it in"
    return None
