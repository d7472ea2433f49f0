"""Django projects: ``manage.py``, then the settings' WSGI or ASGI application.

## What it detects
A ``manage.py`` that sets ``DJANGO_SETTINGS_MODULE`` (or imports django), then the settings'
``WSGI_APPLICATION`` (else a ``wsgi.py``), else ``ASGI_APPLICATION`` / an ``asgi.py`` (ASGI-only
projects). ``ASGI_APPLICATION`` comes first (served by an ASGI server) only for Channels (a dependency,
or imported by the module it names): Django itself never reads it. An ``asgi.py`` that builds an app of
another ASGI framework around Django (FastAPI mounting Django, Starlette routes beside it) comes first
too: the routes of that app exist only in the ASGI application. A ``manage.py`` of
Flask-Script/Flask-Migrate does not import django and is not Django. ``manage.py`` may sit at the
root, under ``src/`` or in one top-level directory (``netbox/manage.py``).

## Evidence
The settings line naming the application (``Django WSGI application shop.wsgi:application``), else
the ``wsgi.py``/``asgi.py`` module found; a project with neither points at ``manage.py``'s
``DJANGO_SETTINGS_MODULE`` line.

## Example
```
manage.py            # os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
shop/settings.py     # WSGI_APPLICATION = "shop.wsgi.application"
shop/wsgi.py
```

## Start command
The WSGI (or ASGI) application served by the production server of ``servers.toml``
(``gunicorn shop.wsgi:application``); the plan's port is Django's default from ``frameworks.toml``
(8000) unless the project says otherwise. The image sets ``DJANGO_SETTINGS_MODULE`` to the settings
module ``manage.py`` names; when that is a development module (``config.settings.local``, ``.dev``) beside
a production one in the same package (``config.settings.production``: cookiecutter-django, Wagtail's
templates), to the production one, and says so. A ``manage.py`` that names none leaves it to the
environment: the value the repository's deploy descriptor sets (``.do/app.yaml``, ``render.yaml``,
``app.json``, ``fly.toml``, App Engine's ``app.yaml``: project/deploy_env.py) is used when it names a
module of the repository;
else the project's only settings module (one ``settings`` module that sets ``INSTALLED_APPS``, named
from manage.py's folder), and a descriptor value naming no module of the repository is said. When
``manage.py`` sits in a top-level directory (``netbox/manage.py``, or ``src/`` of a project that is not
installed as a package), the server imports from that directory (``--chdir``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from dockwright.lazy_re import lazy
from dockwright.project.detectors.base import Candidate, Context, installs_as_package, outside_app, scan_rank
from dockwright.project.detectors.scan import Framework, module_name, signatures
from dockwright.project.development_settings import development_setting
from dockwright.project.django_manage import manage_py
from dockwright.project.facts import Evidence

# `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")`, or a dict of defaults it sets from
# (`DEFAULTS = {"DJANGO_SETTINGS_MODULE": "shop.settings", ...}` then `os.environ.setdefault(key, value)`)
SETTINGS_IN_MANAGE = lazy(r"DJANGO_SETTINGS_MODULE['\"]\s*[,:]\s*['\"]([\w.]+)['\"]")
# the module named by an f-string with an environment variable's part (`f"shop.settings.{stage}"`,
# `stage = os.getenv("STAGE", "dev")`, or the read inside the braces)
_SETTINGS_TEMPLATE = lazy(r"DJANGO_SETTINGS_MODULE['\"]\s*[,:]\s*f(['\"])([\w.]*)\{([^{}]+)\}([\w.]*)\1")
_ENV_READ = r"os\.(?:getenv|environ\.get)\(\s*['\"](\w+)['\"]\s*,\s*['\"]([\w]+)['\"]\s*\)"


def named_settings(text: str) -> str | None:
    """The settings module a file sets DJANGO_SETTINGS_MODULE to: a literal, or an f-string whose
    part is an environment read with a default (resolved to that default), else None."""
    match = SETTINGS_IN_MANAGE.search(text)
    if match:
        return match.group(1)
    template = _SETTINGS_TEMPLATE.search(text)
    if template is None:
        return None
    head, inner, tail = template.group(2), template.group(3).strip(), template.group(4)
    read = re.fullmatch(_ENV_READ, inner)
    if read is None and re.fullmatch(r"\w+", inner):
        read = re.search(rf"^\s*{inner}\s*=\s*{_ENV_READ}", text, re.M)
    return f"{head}{read.group(2)}{tail}" if read else None


def settings_module(ctx: Context, manage: str = "manage.py") -> tuple[str, int | None] | None:
    """The settings module ``manage.py`` names, when manage.py is Django's."""
    if not ctx.tree.is_file(manage):
        return None
    text = ctx.tree.read_text(manage)
    scan = ctx.by_rel.get(manage)
    if "django" not in text.lower() and not (scan and "django" in scan.imports):
        return None
    named = named_settings(text)
    line = ctx.tree.line_of(manage, r"DJANGO_SETTINGS_MODULE") if named else None
    return (named, line) if named else ("", None)


def only_settings(ctx: Context, chdir: str = "") -> tuple[str, str, int | None] | None:
    """The project's one settings module (module, file, line) when manage.py names none: the modules
    called ``settings`` (``site/settings.py``, ``site/settings/__init__.py``) outside tests and examples
    that set ``INSTALLED_APPS``, when there is exactly one. A project that leaves the choice to the
    environment (``DJANGO_SETTINGS_MODULE`` in a dotenv file its manage.py reads, or in the host's
    environment) and has a single settings module runs that one; with several (``settings/base.py`` and
    ``production.py`` in a package that sets none itself) the choice is not guessed. ``chdir``: the
    folder of a manage.py the server runs from (``web/manage.py``): only modules under it count, named
    from it (``web/quiz/settings.py`` is ``quiz.settings``)."""
    found = [
        scan
        for scan in ctx.scans
        if (
            scan.rel.endswith("/settings.py")
            or scan.rel.endswith("/settings/__init__.py")
            or scan.rel == "settings.py"
        )
        and (not chdir or scan.rel.startswith(chdir + "/"))
        and not outside_app(scan.rel)
        and re.search(r"^INSTALLED_APPS\s*[:=]", ctx.tree.read_text(scan.rel), re.M)
    ]
    if len(found) != 1:
        return None
    scan = found[0]
    module = module_name(scan.rel[len(chdir) + 1 :]) if chdir else scan.module
    return module, scan.rel, ctx.tree.line_of(scan.rel, r"^INSTALLED_APPS\s*[:=]")


_MODULE_NAME = lazy(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def _in_tree(ctx: Context, module: str, bases: tuple[str, ...]) -> bool:
    """Whether ``module`` is a module of the repository, imported from one of ``bases``."""
    relative = module.replace(".", "/")
    return any(
        ctx.tree.is_file(f"{base}/{path}" if base else path)
        for base in dict.fromkeys(bases)
        for path in (relative + ".py", relative + "/__init__.py")
    )


def _unnamed_settings(ctx: Context, manage: str, chdir: str, base: str) -> tuple[str, str, tuple[str, ...]]:
    """The settings module (module, why, notes) of a project whose manage.py names none: the one its
    deploy descriptor sets (project/deploy_env.py) when that names a module of the repository, else its
    only settings module; ("", "", notes) when neither says."""
    deployed = ctx.deploy_env.setting("DJANGO_SETTINGS_MODULE")
    only = only_settings(ctx, chdir)
    notes: tuple[str, ...] = ()
    if deployed is not None:
        value, where = deployed
        said = f"{where.file}{f':{where.line}' if where.line else ''}"
        if _MODULE_NAME.fullmatch(value) and (_in_tree(ctx, value, (chdir, base, "src", "")) or only is None):
            # manage.py leaves it to the environment: the platform file the project deploys with sets it
            return value, f"{manage} names none; {said} sets it", notes
        if only is not None:
            notes = (
                f"{said} sets DJANGO_SETTINGS_MODULE={value[:80]}, which is no module of the repository: the "
                f"image runs {only[0]}, its only settings module; fix the descriptor or pass "
                "-e DJANGO_SETTINGS_MODULE=... at docker run",
            )
    if only is not None:
        settings, rel, line = only
        why = (
            f"{manage} names no settings module: {rel}:{line} is the project's only one (it sets "
            "INSTALLED_APPS); without the variable Django stops at its first setting"
        )
        return settings, why, notes
    return "", "", notes


def detect(ctx: Context) -> list[Candidate]:
    manage = manage_py(ctx.tree)
    found = settings_module(ctx, manage) if manage else None
    if manage is None or found is None:
        return []
    base = manage.rpartition("/")[0]
    # under src/, an installed package imports from site-packages; a source tree from src/ itself
    chdir = "" if base == "" or (base == "src" and installs_as_package(ctx)) else base
    settings, settings_line = found
    settings_why = "the settings module manage.py names"
    notes: tuple[str, ...] = ()
    if not settings:
        settings, settings_why, notes = _unnamed_settings(ctx, manage, chdir, base)
    fw = signatures().framework("django")
    env: tuple[tuple[str, str, str], ...] = ()
    production = _production_sibling(ctx, settings, (base, "src", ""))
    if production:
        env = (
            (
                "DJANGO_SETTINGS_MODULE",
                production,
                f"{manage} names the development settings {settings}; {production} beside it is the "
                "production one",
            ),
        )
        notes += (
            f"{manage} names the development settings {settings}; the image runs {production} "
            f"(its production sibling): pass -e DJANGO_SETTINGS_MODULE={settings} to run the other",
        )
    elif settings:
        env = (("DJANGO_SETTINGS_MODULE", settings, settings_why),)

    def from_setting(interface: str, key: str) -> Candidate | None:
        relative = settings.replace(".", "/") + ".py"
        for rel in (relative, "src/" + relative, f"{base}/{relative}"):
            scan = ctx.by_rel.get(rel) if settings else None
            if scan and key in scan.strings:
                value, line = scan.strings[key]
                module, _, attr = value.rpartition(".")
                ev = Evidence(rel, line, f"Django {interface.upper()} application {module}:{attr}")
                return _candidate(fw, interface, f"{module}:{attr}", module, rel, ev, env, chdir)
        return None

    def from_file(interface: str, attr_file: str) -> Candidate | None:
        # `asgi.py`, or a package `asgi/` whose __init__.py makes `application` (helpers beside it)
        package = "/" + attr_file.removesuffix(".py") + "/__init__.py"
        for scan in sorted(ctx.scans, key=scan_rank):
            named = scan.rel.endswith("/" + attr_file) or (
                scan.rel.endswith(package) and _APPLICATION.search(ctx.tree.read_text(scan.rel)) is not None
            )
            if named and scan.rel.startswith(f"{base}/" if chdir else ""):
                module = module_name(scan.rel[len(chdir) + 1 :]) if chdir else scan.module
                ev = Evidence(scan.rel, None, f"Django {interface.upper()} module {module}")
                return _candidate(fw, interface, f"{module}:application", module, scan.rel, ev, env, chdir)
        return None

    asgi_setting = channels = from_setting("asgi", "ASGI_APPLICATION")
    if channels and not _uses_channels(ctx, channels.module or ""):
        # Django itself never reads ASGI_APPLICATION: without Channels it is a leftover, and the
        # project is served as WSGI like any other (a plain asgi.py is no reason to change server)
        channels = None
    if channels:
        # ASGI_APPLICATION is Channels' setting (Django reads only WSGI_APPLICATION): the project serves
        # websockets through its ASGI router, which a WSGI server would drop. Its asgi.py sets Django
        # up before building the router (https://channels.readthedocs.io/en/stable/deploying.html).
        own = channels.module is not None and channels.module.rsplit(".", 1)[-1] == "asgi"
        asgi = channels if own else (from_file("asgi", "asgi.py") or channels)
        why = f"{channels.evidence[0].detail} (ASGI_APPLICATION: Channels; served by an ASGI server)"
        # daphne serves websockets itself; uvicorn and hypercorn need a websocket library beside them
        served = "daphne" in ctx.dependencies or (
            bool({"uvicorn", "hypercorn"} & ctx.dependencies)
            and bool(_WEBSOCKET_LIBRARIES & ctx.dependencies)
        )
        note = (
            ()
            if served
            else (
                "Channels app: its websocket routes need a server with websocket support "
                "(daphne, or uvicorn with a websocket library: uvicorn[standard]); declare the one you use",
            )
        )
        evidence = asgi.evidence if own else (*asgi.evidence, replace(channels.evidence[0], detail=why))
        return [replace(asgi, evidence=evidence, notes=(*asgi.notes, *note, *notes))]
    composed = asgi_setting or from_file("asgi", "asgi.py")
    framework = _framework_around_django(ctx, composed.rel) if composed and composed.rel else None
    if composed and framework:
        # the framework's routes exist only in the ASGI application: WSGI would serve Django alone
        detail = composed.evidence[0].detail
        why = f"{detail} (builds a {framework} app around Django; served by an ASGI server)"
        return [replace(composed, evidence=(replace(composed.evidence[0], detail=why),), notes=notes)]
    found_app = from_setting("wsgi", "WSGI_APPLICATION") or from_file("wsgi", "wsgi.py")
    found_app = found_app or asgi_setting or from_file("asgi", "asgi.py")
    if found_app:
        if not production:
            chosen, more = _served_settings(ctx, found_app, manage, settings, (chdir, base, "src", ""))
            if chosen is not None:
                found_app = replace(found_app, env=(chosen,))
            notes += more
        return [replace(found_app, notes=(*found_app.notes, *notes))]
    ev = Evidence(manage, settings_line, "Django project without a WSGI or ASGI module")
    return [Candidate("django", "web", "web", (ev,), framework=fw, rel=manage, env=env, notes=notes)]


def _served_settings(
    ctx: Context, app: Candidate, manage: str, settings: str, bases: tuple[str, ...]
) -> tuple[tuple[str, str, str] | None, tuple[str, ...]]:
    """The settings the served WSGI/ASGI module names (its ``setdefault``) when they differ from
    manage.py's: the image runs them when the repository has them and manage.py's are the development
    ones (``core.settings.debug`` beside ``core.settings``) or they are not; otherwise a note when the
    image is left with development settings. Returns (the ENV row to use instead, notes)."""
    rel = _served_file(ctx, app, bases)
    served = (named_settings(ctx.tree.read_text(rel)) or "") if rel else ""
    dev = development_setting("DJANGO_SETTINGS_MODULE", settings) if settings else None
    if served and settings and served != settings:
        where = f"{rel}:{ctx.tree.line_of(rel, r'DJANGO_SETTINGS_MODULE')}"
        # the folders above the served module: the one it imports from (`core.settings` beside
        # apprise_api/core/wsgi.py, a launcher putting apprise_api/ on the path)
        parts = rel.split("/")[:-1]
        bases = (*bases, *("/".join(parts[:n]) for n in range(len(parts), 0, -1)))
        if _in_tree(ctx, served, bases) and (
            dev or not development_setting("DJANGO_SETTINGS_MODULE", served)
        ):
            why = f"the settings module the served {rel} names ({manage} names {settings})"
            note = (
                f"{manage} names {settings}; the served module {where} names {served}: the image runs "
                f"{served}, as the server would (pass -e DJANGO_SETTINGS_MODULE={settings} to run the other)"
            )
            return ("DJANGO_SETTINGS_MODULE", served, why), (note,)
        if dev:
            return None, (
                f"the image runs {settings}, the settings {manage} names ({dev}: DEBUG pages, development "
                f"services); the served module {where} names {served}, which the repository does not have "
                f"(its deployment makes it): add it and pass -e DJANGO_SETTINGS_MODULE={served}",
            )
    if dev:
        return None, (
            f"the image runs {settings}, the settings {manage} names ({dev}): pass -e "
            "DJANGO_SETTINGS_MODULE=<your production settings> at docker run",
        )
    return None, ()


def _served_file(ctx: Context, app: Candidate, bases: tuple[str, ...]) -> str:
    """The file of the WSGI/ASGI module the candidate serves (``core.wsgi`` -> core/wsgi.py), "" if none."""
    path = (app.module or "").replace(".", "/")
    for base in dict.fromkeys(bases):
        for rel in (f"{path}.py", f"{path}/__init__.py"):
            full = f"{base}/{rel}" if base else rel
            if path and ctx.tree.is_file(full):
                return full
    return app.rel if app.rel.endswith(("wsgi.py", "asgi.py", "/__init__.py")) else ""


# a module-level `application = ...` (or an annotated one)
_APPLICATION = lazy(r"^application\s*(?::[^=\n]+)?=", re.M)


def _uses_channels(ctx: Context, router: str) -> bool:
    """Channels is a dependency, or the module ASGI_APPLICATION names (``chat.routing``) imports it."""
    if "channels" in ctx.dependencies:
        return True
    return any(
        (scan.module == router or scan.module.endswith("." + router))
        and any(name.split(".")[0] == "channels" for name in scan.imports)
        for scan in ctx.scans
    )


def _framework_around_django(ctx: Context, rel: str) -> str | None:
    """The ASGI framework (frameworks.toml) whose app the ASGI module builds, itself or through a
    project module it imports from (``from shop.api import create_app``), else None."""
    asgi_frameworks = {fw.module: fw.name for fw in signatures().frameworks if fw.interface == "asgi"}
    scan = ctx.by_rel.get(rel)
    if scan is None:
        return None
    modules = {target.rsplit(".", 1)[0] for target in scan.from_imports.values()}
    imported = [other for other in ctx.scans if other.module in modules or other.module in scan.imports]
    for each in (scan, *imported):
        for module in sorted(each.imports):
            if module in asgi_frameworks:
                return asgi_frameworks[module]
    return None


# what uvicorn (and hypercorn's wsproto) serve websockets with (https://www.uvicorn.org/#quickstart)
_WEBSOCKET_LIBRARIES = frozenset({"websockets", "wsproto"})
# the last part of a settings module a project runs in development, and the names of its production one
_DEVELOPMENT = frozenset({"local", "dev", "development", "develop"})
_PRODUCTION = ("production", "prod")


def _production_sibling(ctx: Context, settings: str, bases: tuple[str, ...]) -> str | None:
    """``config.settings.production`` when ``settings`` is ``config.settings.local`` (a development
    module) and the production module sits beside it, else None."""
    package, _, last = settings.rpartition(".")
    if not package or last not in _DEVELOPMENT:
        return None
    for name in _PRODUCTION:
        relative = f"{package}.{name}".replace(".", "/") + ".py"
        if any(f"{base}/{relative}".lstrip("/") in ctx.by_rel for base in bases):
            return f"{package}.{name}"
    return None


def _candidate(
    fw: Framework,
    interface: str,
    target: str,
    module: str,
    rel: str,
    ev: Evidence,
    env: tuple[tuple[str, str, str], ...],
    chdir: str,
) -> Candidate:
    return Candidate(
        "django",
        "web",
        "web",
        (ev,),
        framework=fw,
        target=target,
        module=module,
        rel=rel,
        env=env,
        interface=interface,
        chdir=chdir,
    )
