"""A wheel build whose hook runs npm (plan/hook_node.py): the step that builds the wheel gets the node
image's tree mounted and on its PATH, the frontend is left to the hook, and nothing else changes."""

from __future__ import annotations

from pathlib import Path

from dockwright import api
from dockwright.build import npmrc_files
from dockwright.plan.buildsteps import node_image
from dockwright.plan.hook_node import mounts_node
from dockwright.plan.model import BuildPlan, Step

PYPROJECT = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "tally"\nversion = "1.0"\ndependencies = ["flask>=3"]\n\n'
    '[project.scripts]\ntally = "tally.cli:main"\n\n'
    "[tool.hatch.build.hooks.custom]\n"
)
HOOK = (
    "import subprocess\n"
    "from hatchling.builders.hooks.plugin.interface import BuildHookInterface\n\n"
    "class Bundle(BuildHookInterface):\n"
    "    def initialize(self, version, build_data):\n"
    "        subprocess.run(['npm', 'run', 'build'], cwd='web', check=True)\n"
)
PACKAGE = '{"name": "tally-web", "private": true, "scripts": {"build": "node make.js"}}\n'


def _project(tmp_path: Path, hook: str = HOOK) -> Path:
    files = {
        "pyproject.toml": PYPROJECT,
        "hatch_build.py": hook,
        "web/package.json": PACKAGE,
        "web/package-lock.json": '{"name": "tally-web", "lockfileVersion": 3, "packages": {}}\n',
        "web/make.js": "require('fs').writeFileSync('../tally/static/app.js', '1')\n",
        "tally/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "tally/cli.py": "def main() -> None:\n    print('tally')\n",
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _wheel_runs(plan: BuildPlan) -> list[Step]:
    steps = [*plan.builder_steps, *(s for stage in plan.side_stages for s in stage.steps)]
    return [s for s in steps if s.instruction == "RUN" and any("pip wheel " in a for a in s.args)]


def test_the_wheel_build_gets_node_when_its_hook_runs_npm(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path))
    (run,) = _wheel_runs(plan)
    assert f"--mount=type=bind,from={node_image()},source=/usr/local,target=/opt/node" in run.flags
    assert "--mount=type=cache,target=/root/.npm" in run.flags
    assert any(f.startswith("--mount=type=secret,id=npmrc,") and "required=false" in f for f in run.flags)
    assert run.args[0].startswith("PATH=/opt/node/bin:$PATH ") and "pip wheel " in run.args[0]
    decision = plan.decision("build-hook-node")
    assert decision is not None and "hatch_build.py:6" in decision.reason
    frontend = plan.decision("frontend-build")
    assert frontend is not None and frontend.choice == "in the wheel build"
    assert "hatch_build.py:6" in frontend.reason and "built frontend" in frontend.reason
    assert not any("frontend" in w for w in plan.warnings)
    assert "**/node_modules" in {e.pattern for e in plan.dockerignore}
    assert mounts_node(plan)


def test_no_node_without_a_hook_that_runs_it(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, hook="def initialize():\n    pass\n"))
    (run,) = _wheel_runs(plan)
    assert not any("/opt/node" in f for f in run.flags) and not run.args[0].startswith("PATH=")
    assert plan.decision("build-hook-node") is None and not mounts_node(plan)


def test_the_build_passes_the_user_s_npmrc_to_the_hook_s_npm(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".npmrc").write_text("registry=https://npm.example.test/\n", encoding="utf-8")
    plan = api.plan(project)
    assert npmrc_files(project, plan, {"HOME": str(home)}) == ((home / ".npmrc").resolve(),)
