"""A project with no third-party dependency installs nothing: its builder only provides tini-static."""

from __future__ import annotations

from pathlib import Path

from dockwright import api
from dockwright.lint.linter import lint_text
from dockwright.render.render import render_files


def test_no_dependency_layer_when_nothing_is_locked(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text('if __name__ == "__main__":\n    print("done")\n')
    plan = api.plan(tmp_path)
    assert [s.args for s in plan.builder_steps] == [
        ("SOURCE_DATE_EPOCH",),  # ARG for --reproducible builds (plan/reproducible.py)
        ("python -m venv --without-pip /opt/venv",),
    ]
    dockerfile = {f.path: f.content for f in render_files(plan)}["Dockerfile"]
    assert "pip install" not in dockerfile
    assert "requirements" not in dockerfile
    assert 'CMD ["python", "job.py"]' in dockerfile
    assert [f.code for f in lint_text(dockerfile)] == []


def test_several_scripts_with_main_guards_are_ambiguous(tmp_path: Path) -> None:
    import pytest

    from dockwright.errors import ProjectError

    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text('if __name__ == "__main__":\n    pass\n')
    with pytest.raises(ProjectError, match="--start"):
        api.plan(tmp_path)
