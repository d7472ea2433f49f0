"""PIP_CONSTRAINT, where the repository sets it or in init's environment, constrains the generated lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from sandbox.privateindex import Package, write_wheel

from dockwright import api
from dockwright.errors import ConfigError
from dockwright.initialize import init_project, pip_constraint
from dockwright.lock.compile import CompileOptions
from dockwright.project.constraints import detect_constraints
from dockwright.project.tree import ProjectTree


def test_tox_and_workflow_assignments_name_project_files(tmp_path: Path) -> None:
    (tmp_path / "constraints.txt").write_text("dwmail==1.0\n")
    (tmp_path / "tox.ini").write_text(
        "[testenv]\nsetenv =\n    PIP_CONSTRAINT = {toxinidir}/constraints.txt\n"
    )
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("env:\n  PIP_CONSTRAINT: ./constraints.txt\n  OTHER: x\n")
    (tmp_path / "Makefile").write_text("export PIP_CONSTRAINT=/etc/elsewhere.txt\n")  # outside: ignored
    found = detect_constraints(ProjectTree(tmp_path))
    assert [(e.file, e.line, e.detail) for e in found] == [("tox.ini", 3, "constraints.txt")]


def test_pip_constraint_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text("x==1\n")
    assert pip_constraint(tmp_path, {"PIP_CONSTRAINT": "c.txt"}) == (str(tmp_path / "c.txt"),)
    assert pip_constraint(tmp_path, {}) == ()
    with pytest.raises(ConfigError):
        pip_constraint(tmp_path, {"PIP_CONSTRAINT": "missing.txt"})


def _wheels(folder: Path) -> Path:
    folder.mkdir()
    for version in ("1.0", "2.0"):
        write_wheel(Package("dwmail", version, "simple", source="X = 1\n"), folder)
    return folder


def test_the_documented_constraint_pins_the_lock(tmp_path: Path) -> None:
    wheels = _wheels(tmp_path / "wheels")
    project = tmp_path / "p"
    project.mkdir()
    (project / "requirements.txt").write_text("dwmail\n")
    (project / "constraints.txt").write_text("dwmail<2\n")
    (project / "tox.ini").write_text("[testenv]\nsetenv = PIP_CONSTRAINT=constraints.txt\n")
    (project / "job.py").write_text("if __name__ == '__main__':\n    print('ok')\n")
    plan = api.plan(project)
    assert plan.lock.constraints == ("constraints.txt",)
    assert "constraints.txt (tox.ini:2)" in next(d.reason for d in plan.decisions if d.topic == "lock")
    options = CompileOptions(no_index=True, find_links=(str(wheels),))
    init_project(project, {"syntax_directive": False}, compile_options=options)
    assert "dwmail==1.0 \\" in (project / "requirements.lock").read_text()


def test_a_constraint_given_in_the_environment_pins_the_lock(tmp_path: Path) -> None:
    wheels = _wheels(tmp_path / "wheels")
    project = tmp_path / "p"
    project.mkdir()
    (project / "requirements.txt").write_text("dwmail\n")
    (project / "job.py").write_text("if __name__ == '__main__':\n    print('ok')\n")
    (tmp_path / "c.txt").write_text("dwmail==1.0\n")
    options = CompileOptions(no_index=True, find_links=(str(wheels),), constraints=(str(tmp_path / "c.txt"),))
    init_project(project, {"syntax_directive": False}, compile_options=options)
    assert "dwmail==1.0 \\" in (project / "requirements.lock").read_text()


@pytest.mark.parametrize(
    ("place", "text"),
    [
        (
            "Dockerfile",
            "FROM python:3.12\nCOPY . .\nRUN \\\n  pip install -r requirements.txt -c constraints.txt\n",
        ),
        ("Makefile", "install:\n\tpython -m pip install --constraint=constraints.txt -r requirements.txt\n"),
        (
            "tox.ini",
            "[testenv]\ncommands_pre =\n    pip install -r requirements.txt --constraint {toxinidir}/constraints.txt\n",
        ),
    ],
)
def test_a_constraints_file_on_the_install_line_is_found(tmp_path: Path, place: str, text: str) -> None:
    (tmp_path / "constraints.txt").write_text("dwmail==1.0\n")
    (tmp_path / place).write_text(text)
    found = detect_constraints(ProjectTree(tmp_path))
    assert [(e.file, e.detail) for e in found] == [(place, "constraints.txt")]
    assert found[0].line == text[: text.index("constraints.txt")].count("\n") + 1


def test_the_root_dockerfile_s_constraint_of_an_app_folder_pins_its_lock(tmp_path: Path) -> None:
    """``ADD app/ /app``, ``WORKDIR /app``, ``pip install -r requirements.txt -c constraints.txt``: the
    root's recipe installs the app folder's requirements under the app folder's constraints."""
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12\nADD app/ /app\nWORKDIR /app\nRUN pip install -r requirements.txt -c constraints.txt\n"
    )
    app = tmp_path / "app"
    app.mkdir()
    (app / "requirements.txt").write_text("dwmail\n")
    (app / "constraints.txt").write_text("dwmail<2\n")
    (app / "job.py").write_text("if __name__ == '__main__':\n    print('ok')\n")
    plan = api.plan(tmp_path)
    assert plan.lock.constraints == ("constraints.txt",)
    assert "constraints.txt (../Dockerfile:4)" in next(d.reason for d in plan.decisions if d.topic == "lock")
