"""The rendered .dockerignore, applied with Docker's own matching rules to every example's tree."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("dockwright.project.detect", reason="detection not available yet")
build_utils = pytest.importorskip("docker.utils.build")

from sandbox.inputs import MONOREPO_APPS  # noqa: E402

from dockwright import api  # noqa: E402
from dockwright.render.render import render_dockerignore  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name not in MONOREPO_APPS)


@pytest.mark.parametrize("name", NAMES)
def test_build_inputs_stay_in_the_context(name: str) -> None:
    root = EXAMPLES / name
    plan = api.plan(root)
    patterns = [line for line in render_dockerignore(plan).splitlines() if line and not line.startswith("#")]
    included = set(build_utils.exclude_paths(str(root), patterns))
    # layout files are the app's (a uv workspace member's folder); dependency files the context's
    workspace = plan.facts.workspace
    member = workspace.member.value if workspace is not None and workspace.kind == "uv-workspace" else "."
    app_files = {f if member == "." else f"{member}/{f}" for f in plan.facts.layout.files_build_reads}
    needed = {*plan.facts.dependencies.input_files, *app_files}
    if not plan.lock.generate:
        needed.add(plan.lock.path)
    if plan.lock.source:
        needed.add(plan.lock.source)
    for path in sorted(needed):
        if (root / path).exists():
            assert path in included, f"{path} is read by the build but excluded"
    for path in included:
        parts = Path(path).parts
        assert "__pycache__" not in parts and ".git" not in parts
        assert not any(p.endswith(".egg-info") for p in parts)
        assert parts[0] not in {"build", "dist", ".venv", "tests"}
