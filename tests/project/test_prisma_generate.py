"""Prisma Client Python's `prisma generate`: planned in the builder (the client lands in the venv, the
query engine is copied and named by PRISMA_QUERY_ENGINE_BINARY); a generator `output` in the tree is
stated, not planned; the datasource's env("...") variables are required at run time."""

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


def test_a_python_client_schema_is_a_ready_step(make_project: MakeProject) -> None:
    tree = ProjectTree(make_project({"db/ledger.prisma": PY_SCHEMA, "ledger/__init__.py": ""}))
    (step,) = detect_build_steps(tree, APP, frozenset({"prisma", "fastapi"}), "pyproject.toml")
    assert step.kind == "prisma-generate" and step.ready
    assert (step.evidence[0].file, step.evidence[0].line) == ("db/ledger.prisma", 7)


def test_a_generator_output_in_the_tree_is_stated(make_project: MakeProject) -> None:
    schema = PY_SCHEMA.replace('"prisma-client-py"\n', '"prisma-client-py"\n  output = "../ledger/db"\n')
    tree = ProjectTree(make_project({"db/ledger.prisma": schema}))
    (step,) = detect_build_steps(tree, APP, frozenset({"prisma"}), "pyproject.toml")
    assert not step.ready
    assert "(db/ledger.prisma:8: output)" in step.blocker


def test_a_javascript_client_schema_or_no_prisma_dependency_is_no_step(make_project: MakeProject) -> None:
    js = ProjectTree(make_project({"web/schema.prisma": JS_SCHEMA}))
    assert detect_build_steps(js, APP, frozenset({"prisma"}), "pyproject.toml") == ()
    bare = ProjectTree(make_project({"schema.prisma": PY_SCHEMA}))
    assert detect_build_steps(bare, APP, frozenset({"fastapi"}), "pyproject.toml") == ()


def test_the_plan_generates_in_the_builder_and_requires_the_datasource_url(make_project: MakeProject) -> None:
    files = {
        "schema.prisma": PY_SCHEMA,
        "requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\nprisma==0.15.0\n",
        "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    plan = api.plan(make_project(files))
    decision = plan.decision("prisma-generate")
    assert decision is not None and decision.choice == "builder: prisma generate --schema schema.prisma"
    assert "schema.prisma:7" in decision.reason and "binaries.prisma.sh" in decision.reason
    assert not any("prisma-generate" in w for w in plan.warnings)
    run = next(s for s in plan.builder_steps if s.instruction == "RUN" and "prisma generate" in s.args[0])
    assert run.args[0] == "PATH=/opt/venv/bin:$PATH prisma generate --schema schema.prisma"
    assert run.flags == ("--mount=type=cache,target=/root/.cache/prisma-python",)
    assert "/opt/prisma/query-engine" in run.args[2]
    copies = [s.args for s in plan.runtime_steps if s.instruction == "COPY"]
    venv = copies.index(("/opt/venv", "/opt/venv"))
    assert copies[venv + 1] == ("/opt/prisma/query-engine", "/opt/prisma/query-engine")
    assert ("PRISMA_QUERY_ENGINE_BINARY", "/opt/prisma/query-engine") in [
        (e.name, e.value) for e in plan.runtime_env
    ]
    required = plan.decision("required-env")
    assert required is not None and required.choice == "LEDGER_DB"
    (fact,) = plan.facts.app.required_env
    assert (fact.evidence[0].file, fact.evidence[0].line) == ("schema.prisma", 3)


def test_another_strategy_states_the_step(make_project: MakeProject) -> None:
    files = {
        "schema.prisma": PY_SCHEMA,
        "requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\nprisma==0.15.0\n",
        "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    plan = api.plan(make_project(files), strategy="pex")
    decision = plan.decision("prisma-generate")
    assert decision is not None and decision.choice == "not planned"
