"""Django: ``manage.py`` that sets ``DJANGO_SETTINGS_MODULE`` (or imports django), then the settings'
``WSGI_APPLICATION`` (else a ``wsgi.py``), else ``ASGI_APPLICATION`` / an ``asgi.py`` (ASGI-only
projects). A ``manage.py`` of Flask-Script/Flask-Migrate does not import django and is not Django.
"""

from __future__ import annotations

import re

from dockwright.project.detectors.base import Candidate, Context, scan_rank
from dockwright.project.detectors.scan import Framework, signatures
from dockwright.project.facts import Evidence


def settings_module(ctx: Context) -> tuple[str, int | None] | None:
    """The settings module ``manage.py`` names, when manage.py is Django's."""
    if not ctx.tree.is_file("manage.py"):
        return None
    text = ctx.tree.read_text("manage.py")
    scan = ctx.by_rel.get("manage.py")
    if "django" not in text.lower() and not (scan and "django" in scan.imports):
        return None
    match = re.search(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)['\"]", text)
    line = ctx.tree.line_of("manage.py", r"DJANGO_SETTINGS_MODULE") if match else None
    return (match.group(1), line) if match else ("", None)


def detect(ctx: Context) -> list[Candidate]:
    found = settings_module(ctx)
    if found is None:
        return []
    settings, settings_line = found
    fw = signatures().framework("django")
    env: tuple[tuple[str, str, str], ...] = ()
    if settings:
        env = (("DJANGO_SETTINGS_MODULE", settings, "the settings module manage.py names"),)
    for interface, key, attr_file in (
        ("wsgi", "WSGI_APPLICATION", "wsgi.py"),
        ("asgi", "ASGI_APPLICATION", "asgi.py"),
    ):
        for rel in (settings.replace(".", "/") + ".py", "src/" + settings.replace(".", "/") + ".py"):
            scan = ctx.by_rel.get(rel) if settings else None
            if scan and key in scan.strings:
                value, line = scan.strings[key]
                module, _, attr = value.rpartition(".")
                ev = Evidence(rel, line, f"Django {interface.upper()} application {module}:{attr}")
                return [_candidate(fw, interface, f"{module}:{attr}", module, rel, ev, env)]
        for scan in sorted(ctx.scans, key=scan_rank):
            if scan.rel.endswith("/" + attr_file):
                ev = Evidence(scan.rel, None, f"Django {interface.upper()} module {scan.module}")
                return [
                    _candidate(fw, interface, f"{scan.module}:application", scan.module, scan.rel, ev, env)
                ]
    ev = Evidence("manage.py", settings_line, "Django project without a WSGI or ASGI module")
    return [Candidate("django", "web", "web", (ev,), framework=fw, rel="manage.py", env=env)]


def _candidate(
    fw: Framework,
    interface: str,
    target: str,
    module: str,
    rel: str,
    ev: Evidence,
    env: tuple[tuple[str, str, str], ...],
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
    )
