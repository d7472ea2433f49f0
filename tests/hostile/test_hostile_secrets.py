"""Item 1: secret files at any depth stay out of the build context (the same matcher Docker's rules use)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hostile.conftest import NESTED_SECRETS, TOKEN, Run, Sandbox, plant_secrets
from tests.plan.facts_factory import make_facts

from dockwright import api
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.errors import PlanError
from dockwright.lint.linter import lint_text
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.secrets import SECRET_PATTERNS, SecretPattern, secret_match


def _context(project: Path) -> list[str]:
    """Files the build context carries, by the project's own .dockerignore matcher."""
    rules = DockerIgnore.parse((project / ".dockerignore").read_text())
    files = [p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()]
    return [f for f in files if not rules.excluded(f)]


def test_nested_secrets_never_reach_the_context(box: Sandbox, cli: Callable[..., Run]) -> None:
    plant_secrets(box.project)
    run = cli("init", str(box.project), "--no-syntax")
    assert run.code == 0, run.text
    context = _context(box.project)
    assert not [p for p in NESTED_SECRETS if p in context]
    assert "app.py" in context and "requirements.txt" in context


def test_gitignored_local_files_never_reach_the_context(box: Sandbox, cli: Callable[..., Run]) -> None:
    # a developer's local files git never sees, one holding a token under a name no secret pattern knows;
    # a .gitignore negation cannot re-admit a secret pattern's file
    (box.project / ".gitignore").write_text("monitoring/alerts.yaml\n/data/\n!.env\n!config\n")
    (box.project / "monitoring").mkdir()
    (box.project / "monitoring" / "alerts.yaml").write_text(f"bot_token: {TOKEN}\n")
    (box.project / "data" / "pg").mkdir(parents=True)
    (box.project / "data" / "pg" / "base").write_text(TOKEN)
    (box.project / ".env").write_text(f"TOKEN={TOKEN}\n")
    subprocess.run(["git", "-C", str(box.project), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(box.project), "add", "-A"], check=True)
    run = cli("init", str(box.project), "--no-syntax")
    assert run.code == 0, run.text
    context = _context(box.project)
    assert not [p for p in ("monitoring/alerts.yaml", "data/pg/base", ".env", ".git/config") if p in context]
    assert "app.py" in context and TOKEN not in run.text


def test_a_local_database_and_uploads_never_reach_the_context(box: Sandbox, cli: Callable[..., Run]) -> None:
    # the code names both (a database file, an upload folder), which re-included what the code reads
    (box.project / "app.py").write_text(
        "import sqlite3\nfrom pathlib import Path\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "app.config['UPLOAD_FOLDER'] = Path(__file__).parent / 'uploads'\n"
        "DB = sqlite3.connect(Path(__file__).parent / 'app.db', check_same_thread=False)\n"
    )
    (box.project / "app.db").write_bytes(b"SQLite format 3\x00" + TOKEN.encode())
    (box.project / "app.db-wal").write_bytes(TOKEN.encode())
    (box.project / "uploads").mkdir()
    (box.project / "uploads" / "passport.pdf").write_text(TOKEN)
    for checkout in (False, True):  # a copy of the project, then a git checkout tracking the code
        if checkout:
            subprocess.run(["git", "-C", str(box.project), "init", "-q"], check=True)
            subprocess.run(["git", "-C", str(box.project), "add", "app.py", "requirements.txt"], check=True)
        run = cli("init", str(box.project), "--no-syntax", "--force")
        assert run.code == 0, run.text
        context = _context(box.project)
        assert not [p for p in ("app.db", "app.db-wal", "uploads/passport.pdf") if p in context], checkout
        assert "app.py" in context and TOKEN not in run.text


@pytest.mark.parametrize("entry", SECRET_PATTERNS, ids=[e.pattern for e in SECRET_PATTERNS])
def test_every_generated_dockerignore_excludes_every_secret_probe(entry: SecretPattern) -> None:
    plan = api.plan(Path(__file__).resolve().parents[2] / "examples" / "flask-requirements")
    rules = DockerIgnore.parse("\n".join(e.pattern for e in plan.dockerignore))
    assert rules.excluded(entry.probe)
    assert rules.excluded("deep/er/" + entry.probe)


def test_secrets_come_after_every_reinclude() -> None:
    facts = make_facts(is_package=True, files_build_reads=("docs/README.md",), docs_dirs=("docs",))
    lines = [e.pattern for e in make_plan(facts, PlanOptions()).dockerignore]
    last_reinclude = max(i for i, p in enumerate(lines) if p.startswith("!"))
    assert min(lines.index(e.pattern) for e in SECRET_PATTERNS) > last_reinclude


def test_a_file_the_build_reads_that_is_a_secret_is_refused(box: Sandbox, cli: Callable[..., Run]) -> None:
    pyproject = box.project / "pyproject.toml"
    pyproject.write_text('[project]\nname = "demo"\nversion = "1"\nreadme = "prod.env"\n')
    (box.project / "prod.env").write_text(f"KEY={TOKEN}\n")
    run = cli("init", str(box.project), "--no-syntax")
    if run.code == 0:  # the readme is not re-included: then it must stay out of the context
        assert "prod.env" not in _context(box.project)
    else:
        assert run.code == 2 and len(run.err.strip().splitlines()) == 1, run.text
    assert TOKEN not in run.text


def test_plan_refuses_to_reinclude_a_secret() -> None:
    facts = make_facts(is_package=True, files_build_reads=("deploy/pip.conf",))
    with pytest.raises(PlanError, match=r"\*\*/pip.conf"):
        make_plan(facts, PlanOptions())


def test_dw702_flags_root_only_secret_patterns(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text(".git\n.venv\nvenv\n**/__pycache__\n.env\n.env.*\n*.env\n")
    found = [f for f in lint_text("FROM python:3.12.8-slim\n", context_dir=tmp_path) if f.code == "DW702"]
    assert found and "**/.env" in found[0].message


def test_table_probes_match_their_own_pattern() -> None:
    for entry in SECRET_PATTERNS:
        assert secret_match(entry.probe) is entry
    assert secret_match("config/.env.example") is None
    assert secret_match("app/main.py") is None


def test_no_planted_secret_in_any_output(box: Sandbox, cli: Callable[..., Run]) -> None:
    plant_secrets(box.project)
    (box.project / "Dockerfile.dev").write_text("FROM python:3.12\nCOPY . .\n")
    runs = [
        cli("plan", str(box.project)),
        cli("plan", str(box.project), "--json"),
        cli("init", str(box.project), "--no-syntax", "--diff"),
        cli("init", str(box.project), "--no-syntax"),
    ]
    runs += [cli("lint", str(box.project), "--format", fmt) for fmt in ("text", "json", "sarif", "github")]
    for run in runs:
        assert TOKEN not in run.text
    for name in (".dockerignore", "Dockerfile"):
        assert TOKEN not in (box.project / name).read_text()
