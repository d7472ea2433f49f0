"""A uv workspace member whose metadata only its backend tells (``dynamic = ["dependencies"]``, a hatch
metadata hook) has that metadata built by ``uv sync --locked --no-install-workspace`` to check the lock:
the dependency layer mounts what the backend reads for it (readme, license, the hook's script) and the
.dockerignore keeps them; a member whose version alone is dynamic needs nothing more."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import plan_project
from dockwright.project.detect import detect_project

sys.path.insert(0, str(Path(__file__).parent))
from test_workspace_extra_members import LOCK, _member

MakeProject = Callable[[dict[str, str | bytes]], Path]

DYNAMIC = (
    '[project]\nname = "util"\ndynamic = ["version", "dependencies"]\nreadme = "README.md"\n'
    'requires-python = ">=3.11"\n\n[tool.hatch.version]\nsource = "vcs"\n\n'
    "[tool.hatch.metadata.hooks.custom]\n\n"
    '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
)


def _workspace(make_project: MakeProject, util: str) -> Path:
    app = _member("app", 'dependencies = ["util"]\n\n[tool.uv.sources]\nutil = { workspace = true }\n')
    app += '\n[project.scripts]\napp = "app.cli:main"\n'
    return make_project(
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["members/*"]\n',
            "uv.lock": LOCK,
            "members/app/pyproject.toml": app,
            "members/app/src/app/__init__.py": "",
            "members/app/src/app/cli.py": "import util\n\n\ndef main():\n    print(util.NAME)\n",
            "members/util/pyproject.toml": util,
            "members/util/README.md": "# util\n",
            "members/util/LICENSE": "MIT\n",
            "members/util/hatch_build.py": "from hatchling.metadata.plugin.interface import MetadataHookInterface\n",
            "members/util/src/util/__init__.py": "NAME = 'util'\n",
            "members/store/pyproject.toml": _member("store"),
            "members/store/README.md": "# store\n",
            "members/store/src/store/__init__.py": "",
        }
    )


def test_a_dynamic_members_metadata_inputs_are_mounted_and_kept(make_project: MakeProject) -> None:
    root = _workspace(make_project, DYNAMIC)
    workspace = detect_project(root / "members/app").workspace
    assert workspace is not None
    assert workspace.metadata_files == (
        "members/util/README.md",
        "members/util/hatch_build.py",
        "members/util/LICENSE",
    )
    plan = plan_project(root / "members/app", {"python": "3.12"})
    deps = next(s for s in plan.builder_steps if "--no-install-workspace" in " ".join(s.args))
    assert "--mount=type=bind,source=members/util/README.md,target=members/util/README.md" in deps.flags
    ignored = [e.pattern for e in plan.dockerignore]
    assert "!members/util/README.md" in ignored and "!members/util/hatch_build.py" in ignored
    assert "!members/store/README.md" not in ignored  # static metadata: only its pyproject.toml


def test_a_dynamic_version_alone_needs_nothing_more(make_project: MakeProject) -> None:
    util = DYNAMIC.replace(
        'dynamic = ["version", "dependencies"]', 'dynamic = ["version"]\ndependencies = []'
    )
    workspace = detect_project(_workspace(make_project, util) / "members/app").workspace
    assert workspace is not None and workspace.metadata_files == ()


def test_a_workspace_packages_scm_plugin_gets_the_version_in_both_syncs(make_project: MakeProject) -> None:
    util = DYNAMIC.replace('"hatchling", "hatch-vcs"', '"hatchling", "uv-dynamic-versioning"')
    root = _workspace(make_project, util)
    workspace = detect_project(root / "members/app").workspace
    assert workspace is not None
    assert [f.value for f in workspace.scm_env] == ["UV_DYNAMIC_VERSIONING_BYPASS"]
    assert workspace.scm_env[0].evidence[0].file == "members/util/pyproject.toml"
    plan = plan_project(root / "members/app", {"python": "3.12"})
    syncs = [s.args[0] for s in plan.builder_steps if s.instruction == "RUN" and "uv sync" in s.args[0]]
    assert len(syncs) == 2
    assert all(s.startswith('UV_DYNAMIC_VERSIONING_BYPASS="${VERSION}" uv sync') for s in syncs)
    args = [s.args[0] for s in plan.builder_steps if s.instruction == "ARG"]
    assert 'VERSION="0.1"' in args
    assert any(d.topic == "scm-version" for d in plan.decisions)
