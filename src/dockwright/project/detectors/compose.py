"""docker-compose.yml / compose.yaml: services built from this directory.

## What it detects
``docker-compose.yml`` / ``compose.yaml``: the services built from this directory, their
``command:``, ``ports:``/``expose:``, ``environment:`` and ``volumes:``. A service that is built
from the project (``build: .``) is the app, unless the stage it builds (``build.target``, else the
recipe's last) is a web server's image (``FROM nginx`` after a Python stage that collects static
files): that is the project's front proxy, and its ports are not the app's. The first of
``compose.yaml``, ``compose.yml``, ``docker-compose.yml``, ``docker-compose.yaml`` is read; an
unparsable file is ignored (hints only). A file named for production (``docker-compose.prod.yml``,
``compose.production.yaml``) that builds a service itself is read instead: beside it the plain file
is the development side (the database alone, a reloading server); an override that builds nothing
leaves the plain file.
When the app's folder has none, the compose file of the folder above it (two levels at most, not
past a repository root) counts for the services it builds from the app's folder
(``build: ./project``): the layout of a repository whose Django project lives in ``project/``
beside the root's compose file, whose web, worker and beat services are all built from it.
A service whose build context is above the app's folder (``context: .`` at a monorepo's root, which
holds the shared libraries too) is the app's when its ``build.dockerfile`` is in the app's folder
(``dockerfile: services/api/Dockerfile``); its Dockerfile's ``COPY services/api/ .`` copies the app.

## Evidence
The compose file's line of the service (``service web: gunicorn ...``); the port's evidence is the
same line (``service web publishes 8000``). A compose file above the app's folder is named by its
path from that folder (``../docker-compose.yml``).

## Example
```yaml
services:
  web:
    build: .
    command: gunicorn shop.wsgi --bind 0.0.0.0:8000
    ports: ["8080:8000"]
  redis:
    image: redis:7
```

## Start command
The service's ``command`` is the process, after compose's interpolation (project/compose_interpolation.py:
``${VAR:-default}`` gives its default; a host variable with none is read by the image's shell at start, and
one that is the program word leaves the command unused, in a note); the container side of its first port
mapping is the port (8000 above; else a port the command names). A service with ports is web, else a worker.
A path the command names inside a bind mount of the project (``volumes: ["./app:/app"]`` and
``python /app/cli.py``: the repository's image copies no code and runs the mounted checkout) is the
project file it mounts (``python app/cli.py``), which the planned image copies. An ``entrypoint``
that is a program (``celery``) runs with the ``command`` as its arguments (``-A proj worker``), an init
(``[tini, --]``, ``dumb-init``) is left out (the planned image runs under its own); one that is a script
of the project, or a path the repository's image put there (``/usr/local/bin/docker-entrypoint``) that
names no known program, wraps the command and is left to the entry-script detector. A service whose
``working_dir`` (or every ``PYTHONPATH`` entry) is a bind mount of examples, tests or docs
(``./examples:/data``) runs that demo code, not the project: it is no start.
A service with neither ``command`` nor ``entrypoint`` whose ``build.dockerfile`` names a Dockerfile
runs that Dockerfile's ``CMD``/``ENTRYPOINT`` (``celery-beat`` built from ``./beat/Dockerfile``, ``CMD
["celery", "--app", "main", "beat"]``); when that Dockerfile copies one project folder into its working
directory (``COPY ./web/ .``), a celery command gets ``--workdir web`` (the planned image holds the whole
tree) and another command is not read.
A one-shot service without ports whose command migrates (``restart: "no"``, waited for with
``service_completed_successfully`` or named for migrations; ``alembic upgrade head``, ``manage.py
migrate``, ``flask db upgrade``) is the release step the start runs first (project/compose_migrations.py):
never listed among the other processes, and ``--process`` refuses it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from dockwright.dockerfile.final_command import final_command
from dockwright.dockerfile.from_args import base_image
from dockwright.dockerfile.parser import parse
from dockwright.dockerfile.syntax import Dockerfile
from dockwright.errors import ProjectError
from dockwright.project.command_prefixes import without_prefixes
from dockwright.project.compose_interpolation import command_words, interpolated
from dockwright.project.detectors.base import (
    Candidate,
    Context,
    command_env,
    dev_script,
    outside_app,
    port_of_command,
    split_command,
)
from dockwright.project.detectors.entry_script import run_script, script_candidates
from dockwright.project.detectors.servers import package_of, runner_programs
from dockwright.project.facts import Evidence
from dockwright.project.own_copies import image_copies, placed
from dockwright.project.own_image import dockerfile_text, is_generated, not_shipped, unwrapped
from dockwright.project.tree import ProjectTree

FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


MAX_LEVELS_UP = 2
"""How many folders above the app's a compose file is looked for (``services/api`` under the root)."""


# compose files named for production (the own-image recipes' words, project/own_image.py): in a
# repository that has one, the plain file is often the development side (the database alone, a reloading
# server) and this one builds and starts the app (`docker compose -f docker-compose.prod.yml up`)
PRODUCTION_FILES = tuple(
    f"{stem}.{word}.{ext}"
    for stem in ("compose", "docker-compose")
    for word in ("prod", "production")
    for ext in ("yaml", "yml")
)


def _services(tree: ProjectTree, name: str) -> dict[str, Any] | None:
    """The services of the compose file ``name``, or None (absent, unparsable or without services)."""
    if not tree.is_file(name):
        return None
    import yaml  # only a project with a compose file loads PyYAML

    try:
        data = yaml.safe_load(tree.read_text(name))
    except (yaml.YAMLError, ProjectError):
        return None
    services = data.get("services") if isinstance(data, dict) else None
    return services if isinstance(services, dict) else None


def _compose_in(tree: ProjectTree, app: Path | None = None) -> tuple[str, dict[str, Any]] | None:
    """The compose file of ``tree``'s folder and its services, or None (unparsable: ignored): the one
    named for production when it builds a service itself (an override that only adjusts the plain
    file's services builds none), else the first of :data:`FILES`. A production file that builds no
    service from the ``app`` folder (default: ``tree``'s) while the plain one does gives way to it: it
    runs the app from a published image and builds only its front proxy (``build: nginx``)."""
    app_folder = (app or tree.root).resolve()

    def builds_app(services: dict[str, Any]) -> bool:
        return any(isinstance(s, dict) and _builds_here(s, tree.root, app_folder) for s in services.values())

    production: tuple[str, dict[str, Any]] | None = None
    for name in PRODUCTION_FILES:
        services = _services(tree, name)
        if services and any(isinstance(s, dict) and s.get("build") for s in services.values()):
            if builds_app(services):
                return name, services
            production = production or (name, services)
    for name in FILES:
        if tree.is_file(name):
            services = _services(tree, name)
            if production is None or (services is not None and builds_app(services)):
                return (name, services) if services is not None else None
            break
    return production


def compose_services(tree: ProjectTree) -> tuple[str, dict[str, Any]] | None:
    """The compose file of ``tree``'s own folder and its services, or None."""
    return _compose_in(tree)


def builds_here(service: dict[str, Any], tree: ProjectTree) -> bool:
    """The service is built from ``tree``'s folder, where its compose file is."""
    return _builds_here(service, tree.root, tree.root)


def read_compose(ctx: Context) -> tuple[str, Path, dict[str, Any]] | None:
    """The compose file that builds the app (its path from the app's folder, the folder it is in,
    its services): the app folder's own, else the nearest one above it (see the module docstring)."""
    found = _compose_in(ctx.tree)
    if found:
        return found[0], ctx.tree.root, found[1]
    app = ctx.tree.root.resolve()
    folder = ctx.tree.root
    for level in range(1, MAX_LEVELS_UP + 1):
        if (folder / ".git").exists() or folder.parent == folder:
            return None  # a repository's root: nothing above it is the project's
        folder = folder.parent
        try:
            found = _compose_in(ProjectTree(folder), app)
        except ProjectError:
            return None
        if found:
            return "../" * level + found[0], folder, found[1]
    return None


def _container_port(service: dict[str, Any]) -> int | None:
    for entry in [*(service.get("ports") or []), *(service.get("expose") or [])]:
        text = str(entry.get("target", "")) if isinstance(entry, dict) else str(entry)
        match = re.search(r"(\d{2,5})(?:/tcp)?$", text.strip())
        if match:
            return int(match.group(1))
    return None


def recipe_port(ctx: Context, recipe: Path) -> tuple[int, Evidence] | None:
    """The container port a compose service built with the Dockerfile ``recipe`` (its ``build:
    dockerfile:``, from its context) publishes, with the service's line; None without one."""
    found = read_compose(ctx)
    if not found:
        return None
    file, folder, services = found
    for name, service in services.items():
        build = service.get("build") if isinstance(service, dict) else None
        if not isinstance(build, dict) or not isinstance(build.get("dockerfile"), str):
            continue
        context = str(build.get("context") or ".")
        try:
            named = (folder / context / str(build["dockerfile"])).resolve()
        except (OSError, RuntimeError):
            continue
        port = _container_port(service)
        if named == recipe and port:
            reader = ctx.tree if folder == ctx.tree.root else ProjectTree(folder)
            line = reader.line_of(file.rsplit("/", 1)[-1], rf"^\s+{re.escape(str(name))}:\s*$")
            return port, Evidence(
                file, line, f"service {name} built with {build['dockerfile']} publishes {port}"
            )
    return None


def _builds_here(service: dict[str, Any], folder: Path, app: Path) -> bool:
    """The service is built from the app's folder (its build context, relative to the compose file's
    ``folder``, is the app's)."""
    build = service.get("build")
    if isinstance(build, dict):
        build = build.get("context", ".")
    if not isinstance(build, str) or "://" in build or build.startswith("git@"):
        return False
    context = build.strip() or "."
    try:
        root = (folder / context).resolve()
        return root == app or (app.is_relative_to(root) and _recipe_in(service, root, app))
    except (OSError, RuntimeError):
        return False


def _recipe_in(service: dict[str, Any], context: Path, app: Path) -> bool:
    """The service's ``build.dockerfile`` (from its ``context``) is in the app's folder: a context above
    the app (the monorepo's root, for its shared libraries) building the app's own Dockerfile."""
    build = service.get("build")
    if not isinstance(build, dict) or not isinstance(build.get("dockerfile"), str):
        return False
    return (context / str(build["dockerfile"])).resolve().is_relative_to(app)


def _app_prefix(service: dict[str, Any], folder: Path, app: Path) -> str:
    """The app's folder as seen from the service's build context ("" when the context is the app)."""
    build = service.get("build")
    context = str(build.get("context") or ".") if isinstance(build, dict) else "."
    try:
        prefix = app.relative_to((folder / context).resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return ""
    return "" if prefix == "." else prefix


def _bind_mounts(service: dict[str, Any], folder: Path, app: Path) -> list[tuple[str, str]]:
    """(container path, project path) of the service's bind mounts of folders inside the app
    (``./src:/app``, long syntax ``type: bind``), longest container path first."""
    out: list[tuple[str, str]] = []
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            source, target = str(entry.get("source", "")), str(entry.get("target", ""))
        else:
            parts = str(entry).split(":")
            source, target = (parts[0], parts[1]) if len(parts) >= 2 else ("", "")
        if not source.startswith(".") or not target.startswith("/"):
            continue  # a named volume or a host path outside the project
        try:
            rel = (folder / source).resolve().relative_to(app)
        except (OSError, RuntimeError, ValueError):
            continue
        out.append((target.rstrip("/") or "/", rel.as_posix()))
    return sorted(out, key=lambda m: -len(m[0]))


def _through_mounts(
    argv: tuple[str, ...], mounts: list[tuple[str, str]], tree: ProjectTree
) -> tuple[str, ...]:
    """``python /app/cli.py`` with ``./app:/app`` mounted -> ``python app/cli.py``: a path the command
    names inside a bind mount of the project is that project file (which the image copies), when it
    exists there."""
    out = []
    for arg in argv:
        for target, rel in mounts:
            if arg.startswith(target + "/"):
                local = f"{rel}/{arg[len(target) + 1 :]}".removeprefix("./")
                if tree.is_file(local) or tree.is_dir(local):
                    arg = local
                break
        out.append(arg)
    return tuple(out)


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's ``environment:`` as written (the mapping or the ``NAME=value`` list form); a name
    without a value (the host's) is left out."""
    env = service.get("environment")
    if isinstance(env, dict):
        return {str(k): str(v) for k, v in env.items() if v is not None}
    if isinstance(env, list):
        return dict(str(i).split("=", 1) for i in env if "=" in str(i))
    return {}


def _runs_demo_code(service: dict[str, Any], mounts: list[tuple[str, str]]) -> bool:
    """True when the service's working directory or a ``PYTHONPATH`` entry is a bind mount of a folder
    that is never the app (``./examples:/data``): the container runs that demo code, not the image's."""
    pythonpath = interpolated(_environment(service).get("PYTHONPATH", "")) or ""
    demos = [t for t, rel in mounts if rel not in (".", "") and outside_app(f"{rel}/module.py")]

    def in_demo(place: str) -> bool:
        return any(place.rstrip("/") == t or place.startswith(t + "/") for t in demos)

    paths = [p for p in pythonpath.split(":") if p]
    # the working directory, or every PYTHONPATH entry (tests beside the source are still the project's)
    return in_demo(str(service.get("working_dir") or "")) or (bool(paths) and all(map(in_demo, paths)))


def _program(tree: ProjectTree, entry_argv: tuple[str, ...]) -> tuple[str, ...] | None:
    """A service's ``entrypoint`` when it is a program its ``command`` gives arguments to (``celery``,
    ``python``; one by path, ``/venv/bin/celery``, by its name), else None: a script of the project that
    wraps the command (``./docker-entrypoint.sh``), or a path the repository's image put there
    (``/usr/local/bin/docker-entrypoint``, copied from the repository), which is its wrapper too."""
    first = entry_argv[0]
    if first in ("sh", "bash", "/bin/sh", "/bin/bash") or first.endswith(".sh"):
        return None
    if "/" in first.removeprefix("./"):
        name = first.rsplit("/", 1)[-1]
        known = re.fullmatch(r"python[0-9.]*", name) or package_of(name) or name in runner_programs("worker")
        return (name, *entry_argv[1:]) if known else None
    return None if tree.is_file(first.removeprefix("./")) else entry_argv


# web servers and proxies whose official images serve files or forward requests, not a Python app: a
# service built into one (`FROM nginx:1.27 AS release` after a Python stage that collects static files)
# is the project's front proxy (https://hub.docker.com/_/nginx, /_/httpd, /_/caddy, /_/traefik,
# /_/haproxy, /_/varnish; https://hub.docker.com/r/openresty/openresty, /r/envoyproxy/envoy)
_SERVER_IMAGES = frozenset(
    {"nginx", "nginx-unprivileged", "httpd", "caddy", "traefik", "haproxy", "varnish", "openresty", "envoy"}
)


def _service_dockerfile(
    service: dict[str, Any], folder: Path, tree: ProjectTree
) -> tuple[str, Dockerfile] | None:
    """The Dockerfile a service's ``build.dockerfile`` names (its path from the tree's root, parsed),
    else None; None too for one dockwright wrote that holds no committed recipe (an earlier ``init``
    over a service's missing file): its command is the plan's own earlier choice, not the service's."""
    build = service.get("build")
    if not isinstance(build, dict) or not isinstance(build.get("dockerfile"), str):
        return None
    context = (folder / str(build.get("context") or ".")).resolve()
    try:
        rel = (context / build["dockerfile"]).resolve().relative_to(tree.root).as_posix()
        text = dockerfile_text(tree, rel)
    except (ValueError, OSError, ProjectError):
        return None
    if is_generated(text):
        return None
    return rel, parse(text, rel)


def _development_recipe(service: dict[str, Any], folder: Path, tree: ProjectTree) -> bool:
    """Whether the service is built from a recipe named for development, tests or CI (its port and
    command are that recipe's)."""
    found = _service_dockerfile(service, folder, tree)
    return found is not None and not_shipped(found[0])


def _copied_folder(recipe: Dockerfile, workdir: str, tree: ProjectTree, prefix: str = "") -> str | None:
    """The project folder the final stage copies into its working directory (``COPY ./web/ .`` under
    ``WORKDIR /app``: "web"), "" when it copies the whole app there, None when neither is seen;
    ``prefix``: the app's folder from a build context above it (``COPY services/api/ .``: "")."""
    stage = recipe.final_stage
    if stage is None:
        return None
    found: str | None = None
    for instruction in stage.instructions:
        if instruction.keyword != "COPY" or instruction.flag("from") is not None:
            continue
        args = instruction.arguments
        if len(args) != 2 or args[1].rstrip("/") not in (".", workdir.rstrip("/") or "/"):
            continue
        source = args[0].removeprefix("./").rstrip("/")
        if prefix:
            if source != prefix and not source.startswith(f"{prefix}/"):
                continue  # a shared library beside the app, or the whole context: not the app
            source = source[len(prefix) :].lstrip("/")
        if source in ("", "."):
            found = ""
        elif tree.is_dir(source) and found is None:
            found = source
    return found


_PATH_WORD = re.compile(r"^[\w./@+-]+$")


def _through_copies(
    argv: tuple[str, ...], recipe: Dockerfile, workdir: str, tree: ProjectTree
) -> tuple[str, ...] | None:
    """``argv`` with each word that names a file the recipe copied from the project (``python
    /ticker/tick.py`` after ``COPY ./jobs/tick.py .`` under ``WORKDIR /ticker``) as its project path, run
    from the planned image's copy of the whole tree; None when no word does (nothing of the project is
    known to run), and when the recipe copies the whole project. Its siblings keep their places when the
    recipe copied them beside it from the same folder, as a script's own imports need."""
    copies = image_copies(tree, recipe)
    if any(not rel for _, rel, _ in copies):
        return None  # `ADD . /code/`: the whole project, run from a folder of its own (not one file's start)
    out: list[str] = []
    found = False
    for word in argv:
        project = None
        if ("/" in word or "." in word) and _PATH_WORD.match(word) and not word.startswith("-"):
            project = placed(tree, copies, posixpath.normpath(posixpath.join(workdir, word)))
        found = found or project is not None
        out.append(project or word)
    return tuple(out) if found else None


def _dockerfile_command(
    service: dict[str, Any], folder: Path, tree: ProjectTree
) -> tuple[tuple[str, ...], Evidence] | None:
    """The command a service without ``command:`` runs: the ``CMD``/``ENTRYPOINT`` of the Dockerfile its
    ``build.dockerfile`` names, as the planned image (the whole tree in its working directory) runs it:
    a celery command whose Dockerfile copied one project folder into the working directory gets
    ``--workdir FOLDER``; another command run from a copied folder is not read (None); a recipe that
    copied single files and folders to paths of its own runs the project's files (:func:`_through_copies`)."""
    found = _service_dockerfile(service, folder, tree)
    if found is None:
        return None
    rel, recipe = found
    final = final_command(recipe)
    if final is None or final.instruction is None:
        return None
    argv = tuple(without_prefixes(unwrapped(list(final.argv)))[0])  # `CMD ["uv", "run", "serve.py"]`
    copied = _copied_folder(recipe, final.workdir, tree, _app_prefix(service, folder, tree.root))
    if argv and copied is None and not _app_prefix(service, folder, tree.root):
        argv = _through_copies(argv, recipe, final.workdir, tree) or ()
        copied = ""
    if not argv or copied is None:
        return None
    if copied:
        if posixpath.basename(argv[0]) != "celery" or any(a.startswith("--workdir") for a in argv):
            return None
        argv = (argv[0], "--workdir", copied, *argv[1:])
    line = final.instruction.span.line
    return argv, Evidence(rel, line, f"{final.instruction.keyword} of the service's Dockerfile")


def _web_server_image(service: dict[str, Any], folder: Path, tree: ProjectTree) -> str | None:
    """The base image of the stage the service builds (``build.target``, else the last), followed
    through earlier stages, when it is a web server's (``nginx:1.27-alpine``), else None."""
    build = service.get("build")
    found = _service_dockerfile(service, folder, tree)
    if found is None or not isinstance(build, dict):
        return None
    recipe = found[1]
    target = build.get("target")
    stage = recipe.stage_by_name(target) if isinstance(target, str) else recipe.final_stage
    for _ in range(len(recipe.stages)):
        if stage is None:
            return None
        earlier = recipe.stage_by_name(base_image(recipe, stage))
        if earlier is None or earlier.index >= stage.index:
            break
        stage = earlier
    if stage is None:
        return None
    image = base_image(recipe, stage)
    reference = image.split("@", 1)[0]
    name, _, tag = reference.rpartition(":")
    if not name or "/" in tag:
        name = reference  # no tag (`registry:5000/nginx`)
    return image if name.rsplit("/", 1)[-1].lower() in _SERVER_IMAGES else None


def _interpolated(service: dict[str, Any], where: str) -> tuple[Any, Any, tuple[str, ...]]:
    """The service's ``command:`` and ``entrypoint:`` after compose's interpolation
    (project/compose_interpolation.py), and notes on the host's variables they name: one that is the program
    word leaves the value as written (no program the image can run), any other is read by the container's
    shell at start."""
    out: list[Any] = []
    notes: list[str] = []
    for key in ("command", "entrypoint"):
        value = service.get(key)
        if not isinstance(value, (str, list)):
            out.append(value)
            continue
        found = command_words([str(w) for w in value] if isinstance(value, list) else value)
        named = ", ".join(f"${n}" for n in found.host)
        if found.program_needs:
            notes.append(
                f"{where}: its {key} runs {named}, the host's value at `docker compose up`, which the image "
                "cannot know: not used"
            )
            out.append(value)
            continue
        if found.host:
            notes.append(
                f"{where}: its {key} names {named}, the host's value at `docker compose up`: the image's "
                "shell reads it at start, set it with `docker run -e NAME=...`"
            )
        out.append(found.value)
    return out[0], out[1], tuple(notes)


def detect(ctx: Context) -> list[Candidate]:
    found = read_compose(ctx)
    if not found:
        return []
    file, folder, services = found
    reader = ctx.tree if folder == ctx.tree.root else ProjectTree(folder)
    local = file.rsplit("/", 1)[-1]
    out: list[Candidate] = []
    for name, service in services.items():
        if not isinstance(service, dict) or not _builds_here(service, folder, ctx.tree.root):
            continue
        if _web_server_image(service, folder, ctx.tree):
            continue  # the project's front proxy, built from its tree (static files), not the app
        line = reader.line_of(local, rf"^\s+{re.escape(str(name))}:\s*$")
        mounts = _bind_mounts(service, folder, ctx.tree.root)
        if _runs_demo_code(service, mounts):
            continue  # its code is examples/ (or tests/ ...) mounted into the container: a demo
        raw, entry, said = _interpolated(service, f"{file}: service {name}")
        entry_argv: tuple[str, ...] = (
            (split_command(entry) or ()) if isinstance(entry, str) else tuple(map(str, entry or ()))
        )
        entry_argv = tuple(unwrapped(list(entry_argv)))  # `[tini, --]`: the planned image has its own init
        dev_entry = raw is None and bool(entry_argv) and dev_script(ctx.tree, entry_argv) is not None
        if dev_entry:
            raw = list(entry_argv)  # the dev script is the start: kept, so it is set aside with the reason
        argv: tuple[str, ...] | None = None
        assigned: tuple[tuple[str, str, str], ...] = ()
        if isinstance(raw, list):
            argv = tuple(str(a) for a in raw)
            if len(argv) == 3 and posixpath.basename(argv[0]) in ("sh", "bash") and argv[1] == "-c":
                # `["/bin/sh", "-c", "LINE"]` is LINE, as the string form is: dash keeps the shell as
                # the server's parent (no exec of the last command), so SIGTERM never reached it
                argv = split_command(argv[2]) or argv
            argv = tuple(without_prefixes(argv)[0]) or argv  # `["uv", "run", "serve.py"]`
        elif isinstance(raw, str):
            argv, assigned = command_env(raw, f"{file} service {name}")
            # compose puts its variables in before the container runs: the host's are not the image's
            pairs = ((n, interpolated(v), why) for n, v, why in assigned)
            assigned = tuple((n, v, why) for n, v, why in pairs if v is not None)
        program = _program(ctx.tree, entry_argv) if entry_argv and not dev_entry else None
        if program:
            argv = (*program, *(argv or ()))  # `entrypoint: celery` + `command: -A app worker`
        if raw is None and not entry_argv and _development_recipe(service, folder, ctx.tree):
            continue  # it runs a development recipe's command (`development.dockerfile`: a debugger's start)
        own = _dockerfile_command(service, folder, ctx.tree) if raw is None and not entry_argv else None
        if own is not None:
            argv = own[0]  # no `command:`: the service runs what its own Dockerfile names
        if argv:
            argv = _through_mounts(argv, mounts, ctx.tree)
        port = _container_port(service)
        if port is None and argv:
            port = port_of_command(argv)
        ev = Evidence(
            file,
            line,
            f"service {name}"
            + (f": {' '.join(argv)}" if argv else "")
            + (f" ({own[1].file}:{own[1].line})" if own is not None else ""),
        )
        script = run_script(ctx, argv) if argv and folder == ctx.tree.root else None
        started = script_candidates(ctx, script) if script else []
        if started:
            # `command: entrypoints/serve.sh`: the script's own start (its exec line, or its server run
            # inline with exec added), as a Procfile's `web: bash serve.sh` is read
            scripted = started[0]
            out.append(
                replace(
                    scripted,
                    source="compose",
                    process=str(name),
                    evidence=(ev, *scripted.evidence),
                    port=scripted.port or port,
                    port_evidence=scripted.port_evidence
                    or (Evidence(file, line, f"service {name} publishes {port}") if port else None),
                )
            )
            continue
        release = port is None and one_shot(str(name), service, services) and migrates(argv or ())
        written = _environment(service).get("DJANGO_SETTINGS_MODULE", "")
        settings = interpolated(written) or ""
        literal_dollar = "$" in settings  # `$$`: an ENV line would read the `$` as a variable
        notes = (
            (
                f"{file}: service {name} sets DJANGO_SETTINGS_MODULE={written}, "
                + (
                    "a literal `$` an ENV line would expand"
                    if literal_dollar
                    else "the host's value at `docker compose up`, which the image cannot know"
                )
                + ": not carried; set it at run time (`docker run -e DJANGO_SETTINGS_MODULE=...`)",
            )
            if written and (interpolated(written) is None or literal_dollar)
            else ()
        )
        settings = "" if literal_dollar else settings
        out.append(
            Candidate(
                "compose",
                str(name),
                "web" if port is not None else "worker",
                (ev,),
                command=argv or (),
                port=port,
                port_evidence=Evidence(file, line, f"service {name} publishes {port}") if port else None,
                env=assigned
                + (
                    (("DJANGO_SETTINGS_MODULE", settings, f"named by {file} service {name}"),)
                    if settings
                    else ()
                ),
                notes=said + notes,
                release_step=release,
            )
        )
    return out


# what a migrating command line holds: Alembic, Django, Flask-Migrate (compose_migrations.py plans them)
_MIGRATES = re.compile(r"\balembic\b.*\bupgrade\b|\bmanage\.py migrate\b|\bflask db upgrade\b")


def migrates(argv: tuple[str, ...] | list[str]) -> bool:
    """Whether the command line applies database migrations (``alembic upgrade head``, ``python
    manage.py migrate``, ``flask db upgrade``, also inside ``sh -c "..."``)."""
    return bool(_MIGRATES.search(" ".join(argv)))


def one_shot(name: str, service: dict[str, Any], services: dict[str, Any]) -> bool:
    """The service runs once and exits: ``restart: "no"`` (or ``on-failure``), another service waits for
    it to complete (``condition: service_completed_successfully``), or its name says migrations."""
    if str(service.get("restart", "")).strip() in ("no", "on-failure") or "migrat" in name.lower():
        return True
    for other in services.values():
        waits = other.get("depends_on") if isinstance(other, dict) else None
        waited = waits.get(name) if isinstance(waits, dict) else None
        if isinstance(waited, dict) and waited.get("condition") == "service_completed_successfully":
            return True
    return False
