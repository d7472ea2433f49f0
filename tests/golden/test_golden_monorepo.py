"""Golden files for the monorepo example's apps (examples/monorepo, sandbox.inputs.MONOREPO_APPS): each
service's `plan --json`, Dockerfile and Dockerfile.dockerignore, under tests/golden/<example>/<app>/.

Regenerate with ``UPDATE_GOLDEN=1 pytest tests/golden`` and review the diff like code.
"""

from __future__ import annotations

import json
import os

import pytest
from sandbox.inputs import MONOREPO_APPS
from tests.golden.test_golden_examples import EXAMPLES, GOLDEN_NAMES, HERE, _check, _normalise, golden_name

from dockwright import api
from dockwright.render.render import render_files

CASES = [(name, app) for name, apps in sorted(MONOREPO_APPS.items()) for app in apps]


@pytest.mark.parametrize(("name", "app"), CASES)
def test_golden_monorepo_app(name: str, app: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("DOCKWRIGHT_"):
            monkeypatch.delenv(key)
    plan = api.plan(EXAMPLES / name / app)
    data = _normalise(plan.to_dict(), str((EXAMPLES / name).resolve()))
    golden = HERE / name / app
    _check(golden / "plan.json", json.dumps(data, indent=2, sort_keys=False) + "\n")
    for rendered in render_files(plan):
        if golden_name(rendered.path) in GOLDEN_NAMES:
            _check(golden / GOLDEN_NAMES[golden_name(rendered.path)], rendered.content)
