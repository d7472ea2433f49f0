"""``[tool.uv]`` settings on small projects of our own: a virtual project (``package = false`` beside a
``[build-system]``) is never built and its source is the app; a uv workspace whose root project is a
web app beside a CLI member plans the root; dev groups stay out of the install."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright import api
from dockwright.plan.model import BuildPlan
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

VIRTUAL_PYPROJECT = """\
[project]
name = "ledger"
version = "0.3.0"
requires-python = ">=3.12"
dependencies = ["flask"]

[dependency-groups]
dev = ["pytest"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.uv]
package = false
"""

VIRTUAL_LOCK = """\
version = 1
requires-python = ">=3.12"

[[package]]
name = "flask"
version = "3.1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.example/flask-3.1.0-py3-none-any.whl", hash = "sha256:aa" }]

[[package]]
name = "ledger"
version = "0.3.0"
source = { virtual = "." }
dependencies = [{ name = "flask" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "pytest"
version = "8.3.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.example/pytest-8.3.0-py3-none-any.whl", hash = "sha256:bb" }]
"""

LEDGER_APP = {
    "ledger/__init__.py": "",
    "ledger/web.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/')\ndef index():\n    return 'ok'\n",
}


def _virtual(make_project: MakeProject) -> Path:
    return make_project(
        {
            "pyproject.toml": VIRTUAL_PYPROJECT,
            "uv.lock": VIRTUAL_LOCK,
            ".python-version": "3.13\n",
            **LEDGER_APP,
        }
    )


def _copies(plan: BuildPlan, stage: str) -> list[tuple[str, ...]]:
    steps = plan.builder_steps if stage == "builder" else plan.runtime_steps
    return [s.args for s in steps if s.instruction == "COPY" and not any("--from" in f for f in s.flags)]


def test_uv_package_false_is_not_a_package(make_project: MakeProject) -> None:
    facts = detect_project(_virtual(make_project), python="3.13")
    assert facts.layout.is_package.value is False
    assert facts.layout.build_backend.value is None
    evidence = facts.layout.is_package.evidence[0]
    assert (evidence.file, evidence.line) == ("pyproject.toml", 15)
    assert "package = false" in evidence.detail


def test_uv_package_false_copies_the_source_and_builds_no_wheel(make_project: MakeProject) -> None:
    for strategy in ("uv", "slim"):
        plan = api.plan(_virtual(make_project), strategy=strategy)
        assert plan.app_install == "source", strategy
        # the tree is copied into the runtime (the app runs from it), nothing builds a wheel
        assert (".", ".") in _copies(plan, "runtime"), strategy
        text = "\n".join(" ".join(s.args) for s in (*plan.builder_steps, *plan.runtime_steps))
        assert "pip wheel" not in text, strategy
        assert all(st.name != "wheel" for st in plan.side_stages), strategy


def test_uv_package_false_dev_group_stays_out(make_project: MakeProject) -> None:
    plan = api.plan(_virtual(make_project), strategy="uv")
    syncs = [" ".join(s.args) for s in plan.builder_steps if s.args and s.args[0].startswith("uv sync")]
    # one sync only: the dependencies; the virtual project itself has nothing to install
    assert syncs == ["uv sync --locked --no-dev --no-editable --no-install-project"]


WEB_SOURCE = "from fastapi import FastAPI\n\n\ndef create_app() -> FastAPI:\n    return FastAPI()\n"
CLI_SOURCE = "import click\n\n\n@click.command()\ndef main() -> None:\n    pass\n"
HATCH = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def _root_and_member(make_project: MakeProject, root_source: str, member_source: str) -> Path:
    """A uv workspace: the root project ``relay`` (src/relay) and the member ``relay-cli``."""
    wheel = 'wheels = [{{ url = "https://files.example/{0}-1.0-py3-none-any.whl", hash = "sha256:{1}" }}]'
    lock = "\n".join(
        [
            "version = 1",
            'requires-python = ">=3.12"',
            "",
            "[manifest]",
            'members = ["relay", "relay-cli"]',
            "",
            *(
                line
                for name, src, deps in (
                    ("click", None, []),
                    ("fastapi", None, []),
                    ("relay", ".", ["fastapi"]),
                    ("relay-cli", "packages/relay-cli", ["click"]),
                )
                for line in (
                    "[[package]]",
                    f'name = "{name}"',
                    'version = "1.0"',
                    'source = { registry = "https://pypi.org/simple" }'
                    if src is None
                    else f'source = {{ editable = "{src}" }}',
                    *(["dependencies = [" + ", ".join(f'{{ name = "{d}" }}' for d in deps) + "]"] if deps else []),
                    *([wheel.format(name, "0" * 64)] if src is None else []),
                    "",
                )
            ),
        ]
    )
    return make_project(
        {
            "pyproject.toml": '[project]\nname = "relay"\nversion = "1.0"\ndependencies = ["fastapi"]\n'
            + HATCH
            + '\n[tool.uv.workspace]\nmembers = ["packages/relay-cli"]\n',
            "uv.lock": lock,
            ".python-version": "3.13\n",
            "src/relay/__init__.py": "",
            "src/relay/main.py": root_source,
            "packages/relay-cli/pyproject.toml": '[project]\nname = "relay-cli"\nversion = "1.0"\n'
            'dependencies = ["click"]\n\n[project.scripts]\nrelay-cli = "relay_cli:main"\n' + HATCH,
            "packages/relay-cli/src/relay_cli/__init__.py": member_source,
        }
    )


def test_a_web_root_beats_a_cli_member(make_project: MakeProject) -> None:
    from dockwright.project.workspace import locate

    root = _root_and_member(make_project, WEB_SOURCE, CLI_SOURCE)
    found = locate(root)
    assert found.app == root.resolve() and found.context == root.resolve()
    facts = found.workspace
    assert facts is not None and facts.package == "relay"
    detail = facts.member.evidence[0].detail
    assert "the workspace root's own project is a web app" in detail
    assert facts.others == ("relay-cli (packages/relay-cli/): cli",)
    plan = api.plan(root)
    assert plan.facts.app.kind.value == "web"
    syncs = [" ".join(s.args) for s in plan.builder_steps if s.args and s.args[0].startswith("uv sync")]
    assert all("--package relay" in s and "--package relay-cli" not in s for s in syncs)


def test_a_member_still_wins_over_a_root_of_no_better_kind(make_project: MakeProject) -> None:
    from dockwright.project.workspace import locate

    # the root holds only a CLI, the member is the web app: the member is chosen, as before
    root = _root_and_member(make_project, CLI_SOURCE, WEB_SOURCE)
    facts = locate(root).workspace
    assert facts is not None and facts.package == "relay-cli"
