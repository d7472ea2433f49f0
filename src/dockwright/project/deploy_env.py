"""Environment variables a platform descriptor of the repository sets for the app's processes.

What it does: reads the values the repository's deploy descriptors give a variable at run time —
DigitalOcean App Platform specs (``.do/app.yaml``, ``.do/deploy.template.yaml``: ``envs`` of the app
and of its services, workers and jobs), Render blueprints (``render.yaml``: ``envVars``), Heroku's
``app.json`` (``env``) and fly.toml (``[env]``) — each with the file and line that says it. Values
the platform fills in (``${db.DATABASE_URL}``), generated ones and build-only ones are left out.

Why: a setting such as ``DJANGO_SETTINGS_MODULE`` that the project's ``manage.py`` leaves unset is
often written only in the platform file it deploys with; without it the image starts Django with no
settings module and every request fails with ImproperlyConfigured.

Sources:
- https://docs.digitalocean.com/products/app-platform/reference/app-spec/ (``envs``: key, value, scope)
- https://render.com/docs/blueprint-spec#environment-variables (``envVars``: key, value)
- https://devcenter.heroku.com/articles/app-json-schema#env (``env``: name -> value or {value})
- https://fly.io/docs/reference/configuration/#the-env-variables-section (``[env]``)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.project.facts import Evidence
from dockwright.project.platform_files import digitalocean_specs, items, load
from dockwright.project.tree import ProjectTree

_DO_COMPONENTS = ("services", "workers", "jobs", "static_sites", "functions")
# DigitalOcean scopes in which the variable reaches the running app (BUILD_TIME ones do not)
_RUN_SCOPES = frozenset({"RUN_TIME", "RUN_AND_BUILD_TIME"})


def descriptor_env(tree: ProjectTree, name: str) -> tuple[str, Evidence] | None:
    """The value the repository's deploy descriptors set ``name`` to at run time, with the line that
    sets it; None when none does, or when they disagree (nothing then decides between them)."""
    found: dict[str, Evidence] = {}
    for rel, value in _values(tree, name):
        line = tree.line_of(rel, re.escape(value))
        found.setdefault(value, Evidence(rel, line, f"{name}={value} (the platform's run-time setting)"))
    if len(found) != 1:
        return None
    value, evidence = next(iter(found.items()))
    return value, evidence


def _values(tree: ProjectTree, name: str) -> Iterator[tuple[str, str]]:
    for rel, spec in digitalocean_specs(tree):
        blocks = [spec, *(c for kind in _DO_COMPONENTS for c in items(spec.get(kind)))]
        for block in blocks:
            for entry in items(block.get("envs")):
                scope = str(entry.get("scope") or "RUN_AND_BUILD_TIME")
                if entry.get("key") == name and scope in _RUN_SCOPES:
                    yield from _literal(rel, entry.get("value"))
    render = load(tree, "render.yaml")
    if isinstance(render, dict):
        for service in items(render.get("services")):
            for entry in items(service.get("envVars")):
                if entry.get("key") == name:
                    yield from _literal("render.yaml", entry.get("value"))
    heroku = load(tree, "app.json")
    env = heroku.get("env") if isinstance(heroku, dict) else None
    if isinstance(env, dict) and name in env:
        value = env[name]
        yield from _literal("app.json", value.get("value") if isinstance(value, dict) else value)
    fly = load(tree, "fly.toml")
    fly_env = fly.get("env") if isinstance(fly, dict) else None
    if isinstance(fly_env, dict):
        yield from _literal("fly.toml", fly_env.get(name))


def _literal(rel: str, value: object) -> Iterator[tuple[str, str]]:
    """A value written out (not a ``${...}`` the platform substitutes, not empty)."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value)
        if text and "${" not in text:
            yield rel, text
