"""A Pipfile without Pipfile.lock: its [packages] are resolved from stdin (extras and markers kept), never
handed to `uv pip compile` as a requirements file; a VCS, path or file entry is refused in one line, as
Pipfile.lock's are (project/managers.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PIPFILE = """\
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
requests = {extras = ["socks"], version = ">=2.31"}
tzdata = {version = "*", markers = "sys_platform == 'win32'"}
click = "*"

[dev-packages]
pytest = "*"
"""
SCRIPT = 'import requests\n\nif __name__ == "__main__":\n    print(requests.__version__)\n'


def test_the_packages_are_resolved_as_requirement_lines(make_project: MakeProject) -> None:
    facts = detect_project(make_project({"Pipfile": PIPFILE, "fetch.py": SCRIPT}), python="3.12")
    assert facts.dependencies.manager.value == "pipenv"
    plan = make_plan(facts)
    assert plan.lock is not None
    assert plan.lock.requirements == (
        "requests[socks]>=2.31",
        "tzdata; sys_platform == 'win32'",
        "click",
    )


def test_a_git_entry_is_a_url_line_and_the_project_itself_is_left_out(make_project: MakeProject) -> None:
    pipfile = PIPFILE.replace(
        'click = "*"',
        'luigi = {git = "https://example.org/fork/luigi.git", ref = "v3", extras = ["toml"]}\n'
        'fetcher = {path = ".", editable = true}',
    )
    facts = detect_project(make_project({"Pipfile": pipfile, "fetch.py": SCRIPT}), python="3.12")
    assert facts.dependencies.declared[-1] == "luigi[toml] @ git+https://example.org/fork/luigi.git@v3"
    assert not any(d.startswith("fetcher") for d in facts.dependencies.declared)


def test_a_path_entry_is_refused(make_project: MakeProject) -> None:
    pipfile = PIPFILE.replace('click = "*"', 'shared = {path = "../shared"}')
    with pytest.raises(ProjectError, match="shared comes from VCS/URL"):
        detect_project(make_project({"Pipfile": pipfile, "fetch.py": SCRIPT}), python="3.12")
