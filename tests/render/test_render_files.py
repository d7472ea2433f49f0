from __future__ import annotations

import dataclasses
import json

import jinja2
import pytest
from facts_factory import PSYCOPG2, make_facts

import dockerfile
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.render import render as render_mod
from dockwright.render.render import render_dockerfile, render_dockerignore, render_files


def _instructions(text: str) -> list[tuple[str, str]]:
    return [(c.cmd.upper(), c.original) for c in dockerfile.parse_string(text)]


def test_render_files_paths() -> None:
    files = render_files(make_plan(make_facts()))
    assert [f.path for f in files] == ["Dockerfile", ".dockerignore"]
    assert all(f.content.endswith("\n") and not f.content.endswith("\n\n") for f in files)


def test_syntax_directive_default_and_off() -> None:
    text = render_dockerfile(make_plan(make_facts()))
    assert text.splitlines()[0] == "# syntax=docker/dockerfile:1"
    text = render_dockerfile(make_plan(make_facts(), PlanOptions(syntax_directive=False)))
    assert "syntax=" not in text


def test_dockerfile_parses_and_has_the_checklist() -> None:
    text = render_dockerfile(make_plan(make_facts(native=(PSYCOPG2,))))
    cmds = _instructions(text)
    kinds = [k for k, _ in cmds]
    assert kinds.count("FROM") == 5
    froms = [arg for kind, arg in cmds if kind == "FROM"]
    assert [f.split()[-1] for f in froms] == ["base", "tini", "builder", "root", "runtime"]
    assert (
        froms[-2].endswith("scratch AS root")
        and froms[-1].endswith(" root AS runtime")
        and "python:" in froms[0]
    )
    assert "USER" in kinds and "HEALTHCHECK" in kinds and "EXPOSE" in kinds
    assert kinds[-2:] == ["ENTRYPOINT", "CMD"]
    entry = dict(cmds)["ENTRYPOINT"]
    assert '["/usr/bin/tini", "--"]' in entry
    assert "USER 10001:10001" in text
    assert "groupadd --gid 10001 app" in text and "useradd --uid 10001 --gid 10001" in text
    assert "--no-install-recommends" in text and "rm -rf /var/lib/apt/lists/*" in text
    assert "curl" not in text
    assert "python -m venv --without-pip /opt/venv \\\n" in text
    assert (
        "&& uv pip install --python /opt/venv/bin/python --compile-bytecode --require-hashes --no-deps "
        "-r requirements.lock" in text
    )
    assert "COPY --from=builder /opt/venv /opt/venv" in text
    for key in ("title", "version", "revision", "created", "source", "description"):
        assert f"org.opencontainers.image.{key}=" in text
    for arg in ("VERSION", "REVISION", "CREATED", "SOURCE"):
        assert f"ARG {arg}=" in text
    runtime = text.split("AS runtime", 1)[1]
    assert "build-essential" not in runtime and "libpq-dev" not in runtime
    base = text.split("AS base", 1)[1].split("\nFROM ", 1)[0]  # the runtime's root: its run-time libraries
    assert "build-essential" not in base and "libpq-dev" not in base and "libpq5" in base
    assert "requirements.lock" in text.splitlines()[2]  # the header names the lock


def test_each_apt_run_removes_lists_in_the_same_layer() -> None:
    text = render_dockerfile(make_plan(make_facts(native=(PSYCOPG2,))))
    for kind, original in _instructions(text):
        if kind == "RUN" and "apt-get install" in original:
            assert "rm -rf /var/lib/apt/lists/*" in original


def test_non_obvious_lines_carry_why_comments() -> None:
    text = render_dockerfile(make_plan(make_facts()))
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("RUN --mount"):
            assert lines[i - 1].startswith("# why:"), line


def test_worker_has_no_healthcheck_line_but_says_why() -> None:
    plan = make_plan(
        make_facts(kind="worker", port=None, health=None, command=("celery", "-A", "t", "worker"))
    )
    text = render_dockerfile(plan)
    assert ("HEALTHCHECK", "HEALTHCHECK NONE") in _instructions(text)
    assert "# why: no probe on purpose: a worker app" in text and "EXPOSE" not in text


def test_exec_form_is_valid_json() -> None:
    plan = make_plan(make_facts(command=("gunicorn", "--bind", "0.0.0.0:8000", 'app:create_app("x")')))
    text = render_dockerfile(plan)
    cmd = next(line for line in text.splitlines() if line.startswith("CMD "))
    assert json.loads(cmd[4:]) == list(plan.cmd)


def test_label_values_are_quoted() -> None:
    plan = make_plan(make_facts(description='Say "hi"\nand more'))
    text = render_dockerfile(plan)
    assert 'org.opencontainers.image.description="Say \\"hi\\" and more"' in text


def test_templates_are_strict() -> None:
    plan = make_plan(make_facts())
    broken = dataclasses.replace(plan, healthcheck=None)
    render_dockerfile(broken)  # None is a value, not undefined
    env = render_mod._env()
    assert env.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ plan.nope }}").render(plan=plan)


def test_dockerignore_render() -> None:
    plan = make_plan(make_facts(files_build_reads=("docs/README.md",), docs_dirs=("docs",)))
    text = render_dockerignore(plan)
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == [e.pattern for e in plan.dockerignore]
    assert lines.index("!docs/README.md") > lines.index("docs")
