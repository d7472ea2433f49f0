"""The settings Google App Engine's ``app.yaml`` gives the app (``env_variables``), carried as ``ENV``.

What it does
    Reads ``env_variables`` of an ``app.yaml`` of a Python runtime (standard ``python3XX``, flexible
    ``python``) and carries each variable written out (not a ``${...}`` substitution, not empty) with the
    line that sets it, except those the planned image sets itself (``PORT``, ``PATH``, the interpreter's:
    ``own_env.plan_owned``), secrets (a secret-looking name, or a value shaped like a credential or a URL
    holding one: ``secret_values.carried_secret``) and development settings, each of which becomes a
    note naming it for ``docker run -e`` (a secret's value never echoed).

Why is this bad?
    App Engine sets these variables for every instance; an app that reads its configuration from them
    (``APP_SETTINGS=config.Production``, ``DJANGO_SETTINGS_MODULE``) starts, without them, with its
    default configuration or not at all.

Example
    ``env_variables: {SVC_CONFIG_NAME: container, SVC_API_TOKEN: t0k}`` -> ``ENV SVC_CONFIG_NAME=container``
    and a note: pass ``SVC_API_TOKEN`` at run time.

Use instead
    Nothing to change in the repository; secrets belong in the run-time environment (App Engine's own
    docs advise Secret Manager rather than ``env_variables`` for them).
    https://cloud.google.com/appengine/docs/standard/reference/app-yaml#runtime_and_app_elements
"""

from __future__ import annotations

import re

from dockwright.project.facts import Evidence
from dockwright.project.own_env import carried_or_withheld, plan_owned
from dockwright.project.plan_files import PlanFiles

APP_YAML = "app.yaml"


def app_engine_settings(files: PlanFiles) -> tuple[list[tuple[str, str, Evidence]], list[str]]:
    """(name, value, the line that sets it) of each ``env_variables`` entry the image carries, and the
    notes for those it leaves to ``docker run``."""
    data = files.descriptor(APP_YAML)
    if not isinstance(data, dict) or not str(data.get("runtime") or "").startswith("python"):
        return [], []
    env = data.get("env_variables")
    rows: list[tuple[str, str, int | None]] = []
    for name, raw in env.items() if isinstance(env, dict) else ():
        if not isinstance(name, str) or isinstance(raw, bool) or not isinstance(raw, str | int | float):
            continue
        value = str(raw)
        if not value or "${" in value or plan_owned(name):
            continue
        rows.append((name, value, files.tree.line_of(APP_YAML, rf"^\s+['\"]?{re.escape(name)}['\"]?\s*:")))
    return carried_or_withheld(
        APP_YAML, rows, lambda name, value: f"{name}={value}: App Engine's env_variables set it for the app"
    )
