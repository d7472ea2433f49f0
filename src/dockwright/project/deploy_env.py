"""Environment variables a platform descriptor of the repository sets for the app's processes.

What it does: reads the values the repository's deploy descriptors give a variable at run time —
DigitalOcean App Platform specs (``.do/app.yaml``, ``.do/deploy.template.yaml``: ``envs`` of the app
and of its services, workers and jobs), Render blueprints (``render.yaml``: ``envVars``), Heroku's
``app.json`` (``env``), fly.toml (``[env]``) and Google App Engine's ``app.yaml`` of a Python runtime
(``env_variables``) — each with the file and line that says it. Values
the platform fills in (``${db.DATABASE_URL}``), generated ones and build-only ones are left out.

Why: a setting such as ``DJANGO_SETTINGS_MODULE`` that the project's ``manage.py`` leaves unset is
often written only in the platform file it deploys with; without it the image starts Django with no
settings module and every request fails with ImproperlyConfigured.

Sources:
- https://docs.digitalocean.com/products/app-platform/reference/app-spec/ (``envs``: key, value, scope)
- https://render.com/docs/blueprint-spec#environment-variables (``envVars``: key, value)
- https://devcenter.heroku.com/articles/app-json-schema#env (``env``: name -> value or {value})
- https://fly.io/docs/reference/configuration/#the-env-variables-section (``[env]``)
- https://cloud.google.com/appengine/docs/standard/reference/app-yaml#runtime_and_app_elements
  (``env_variables``: name -> value)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from dockwright.project.facts import Evidence
from dockwright.project.plan_files import PlanFiles
from dockwright.project.platform_files import (
    digitalocean_here,
    digitalocean_specs,
    items,
    render_services,
)
from dockwright.project.tree import ProjectTree

_DO_COMPONENTS = ("services", "workers", "jobs", "static_sites", "functions")
# DigitalOcean scopes in which the variable reaches the running app (BUILD_TIME ones do not)
_RUN_SCOPES = frozenset({"RUN_TIME", "RUN_AND_BUILD_TIME"})


@dataclass(frozen=True)
class DeployEnv:
    """The run-time settings of ``tree``'s deploy descriptors, made once per plan and handed to the
    steps that look one up (the Python request, the Django detector): the descriptors are read on the
    first look-up only, once for every variable."""

    files: PlanFiles  # the plan's reads of the descriptors (project/plan_files.py)

    @property
    def tree(self) -> ProjectTree:
        return self.files.tree

    @cached_property
    def values(self) -> tuple[tuple[str, str, str], ...]:
        """(name, file, value) of every setting written out, in reading order."""
        return tuple(_values(self.files))

    def setting(self, name: str) -> tuple[str, Evidence] | None:
        """The value the descriptors set ``name`` to at run time, with the line that sets it; None when
        none does, or when they disagree (nothing then decides between them)."""
        found: dict[str, Evidence] = {}
        for key, rel, value in self.values:
            if key == name and value not in found:
                line = self.tree.line_of(rel, re.escape(value))
                found[value] = Evidence(rel, line, f"{name}={value} (the platform's run-time setting)")
        if len(found) != 1:
            return None
        value, evidence = next(iter(found.items()))
        return value, evidence


def _values(files: PlanFiles) -> Iterator[tuple[str, str, str]]:
    """(name, file, value) of each setting of a block that runs this app: a DigitalOcean spec's own
    and those of its components built here, the envVars of render.yaml's services that build this app
    (platform_files.render_services), app.json's, fly.toml's and App Engine's app.yaml's."""
    for rel, spec in digitalocean_specs(files):
        here = [c for kind in _DO_COMPONENTS for c in items(spec.get(kind)) if digitalocean_here(c)]
        for block in [spec, *here]:
            for entry in items(block.get("envs")):
                scope = str(entry.get("scope") or "RUN_AND_BUILD_TIME")
                if scope in _RUN_SCOPES:
                    yield from _literal(entry.get("key"), rel, entry.get("value"))
    for service in render_services(files):
        for entry in items(service.get("envVars")):
            yield from _literal(entry.get("key"), "render.yaml", entry.get("value"))
    heroku = files.descriptor("app.json")
    env = heroku.get("env") if isinstance(heroku, dict) else None
    for name, value in env.items() if isinstance(env, dict) else ():
        yield from _literal(name, "app.json", value.get("value") if isinstance(value, dict) else value)
    fly = files.descriptor("fly.toml")
    fly_env = fly.get("env") if isinstance(fly, dict) else None
    for name, value in fly_env.items() if isinstance(fly_env, dict) else ():
        yield from _literal(name, "fly.toml", value)
    engine = files.descriptor("app.yaml")
    engine_env = (
        engine.get("env_variables")
        if isinstance(engine, dict) and str(engine.get("runtime") or "").startswith("python")
        else None
    )
    for name, value in engine_env.items() if isinstance(engine_env, dict) else ():
        yield from _literal(name, "app.yaml", value)


def _literal(name: object, rel: str, value: object) -> Iterator[tuple[str, str, str]]:
    """A value written out (not a ``${...}`` the platform substitutes, not empty) of a named setting."""
    if isinstance(name, str) and isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value)
        if text and "${" not in text:
            yield name, rel, text
