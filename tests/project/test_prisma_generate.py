"""Prisma Client Python's `prisma generate`: a step the image needs and dockwright does not plan, stated
with the schema's generator line (project/buildsteps.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright import api
from dockwright.project.buildsteps import detect_build_steps
from dockwright.project.facts import AppFacts, Fact
from dockwright.project.tree import ProjectTree

APP = AppFacts(
    kind=Fact("web"), framework=Fact(None), command=Fact(()), port=Fact(None), health_path=Fact(None)
)
PY_SCHEMA = (
    'datasource store {\n  provider = "sqlite"\n  url = env("LEDGER_DB")\n}\n\n'
    'generator pyclient {\n  provider = "prisma-client-py"\n}\n\n'
    "model Entry {\n  id Int @id\n}\n"
)
MakeProject = Callable[[dict[str, str | bytes]], Path]
JS_SCHEMA = PY_SCHEMA.replace("prisma-client-py", "prisma-client-js")


def test_a_python_client_schema_is_a_step_not_planned(make_project: MakeProject) -> None:
    tree = ProjectTree(make_project({"db/ledger.prisma": PY_SCHEMA, "ledger/__init__.py": ""}))
    (step,) = detect_build_steps(tree, APP, frozenset({"prisma", "fastapi"}), "pyproject.toml")
    assert step.kind == "prisma-generate" and not step.ready
    assert (step.evidence[0].file, step.evidence[0].line) == ("db/ledger.prisma", 7)
    assert "`prisma generate --schema db/ledger.prisma`" in step.blocker
    assert "PRISMA_QUERY_ENGINE_BINARY" in step.blocker


def test_a_javascript_client_schema_or_no_prisma_dependency_is_no_step(make_project: MakeProject) -> None:
    js = ProjectTree(make_project({"web/schema.prisma": JS_SCHEMA}))
    assert detect_build_steps(js, APP, frozenset({"prisma"}), "pyproject.toml") == ()
    bare = ProjectTree(make_project({"schema.prisma": PY_SCHEMA}))
    assert detect_build_steps(bare, APP, frozenset({"fastapi"}), "pyproject.toml") == ()


def test_the_plan_warns_and_records_the_decision(make_project: MakeProject) -> None:
    files = {
        "schema.prisma": PY_SCHEMA,
        "requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\nprisma==0.15.0\n",
        "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    plan = api.plan(make_project(files))
    decision = plan.decision("prisma-generate")
    assert decision is not None and decision.choice == "not planned"
    assert "schema.prisma:7" in decision.reason
    assert any(w.startswith("build step prisma-generate is not planned") for w in plan.warnings)
