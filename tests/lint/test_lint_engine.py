"""Suppressions, configuration, fixes, formats, the CLI, and the generated output's zero findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dockwright.cli import main
from dockwright.lint.docs import rules_markdown
from dockwright.lint.linter import LintOptions, apply_fixes, lint_text
from dockwright.lint.rule import Severity
from dockwright.secrets import SECRET_PATTERNS
from sandbox import inputs

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"


def test_hadolint_ignore_comments_are_honoured_through_aliases() -> None:
    text = "FROM python:3.12.8-slim\n# hadolint ignore=DL3013\nRUN pip install --no-cache-dir flask\n"
    assert "DW303" not in [f.code for f in lint_text(text)]


def test_stage_and_file_suppressions() -> None:
    text = "# dockwright: ignore-file=DW604\nFROM python:3.12.8-slim\n# dockwright: ignore-stage=DW606\nWORKDIR app\n"
    found = [f.code for f in lint_text(text)]
    assert "DW604" not in found and "DW606" not in found and "DW900" not in found


def test_select_ignore_and_severity_overrides() -> None:
    text = "FROM python:3.12.8-slim\nWORKDIR app\n"
    only = lint_text(text, options=LintOptions(select=("DW6",)))
    assert {f.code for f in only} <= {"DW601", "DW602", "DW603", "DW604", "DW605", "DW606"}
    assert "DW606" not in [f.code for f in lint_text(text, options=LintOptions(ignore=("DW606",)))]
    overridden = lint_text(
        text, options=LintOptions(select=("DW606",), severities=(("DW606", Severity.ERROR),))
    )
    assert overridden[0].severity is Severity.ERROR


def test_safe_fixes_apply_and_are_idempotent() -> None:
    text = (
        "FROM python:3.12.8-slim\nADD app.py /app/\n"
        "RUN apt-get update && apt-get install -y tini && rm -rf /var/lib/apt/lists/*\n"
        "RUN pip install flask==3.1.0\nCMD gunicorn app:app\n"
    )
    fixed, count = apply_fixes(text, lint_text(text))
    assert count == 2
    assert "COPY app.py" in fixed and "--no-cache-dir" in fixed
    assert "CMD gunicorn app:app" in fixed, "unsafe fixes wait for --unsafe-fixes"
    assert "--no-install-recommends" not in fixed, "dropping recommends may drop a needed package: unsafe"
    again, count_again = apply_fixes(fixed, lint_text(fixed))
    assert count_again == 0 and again == fixed
    unsafe, _ = apply_fixes(fixed, lint_text(fixed), unsafe=True)
    assert 'CMD ["gunicorn", "app:app"]' in unsafe and "--no-install-recommends" in unsafe


def _project_copy(name: str, tmp_path: Path) -> Path:
    example, _, strategy = name.partition("@")
    example, _, app = example.partition("/")  # a monorepo example's app: monorepo/services/api
    target = tmp_path / name.replace("/", "-")
    shutil.copytree(REPO / "examples" / example, target)
    from dockwright import api

    project = target / app if app else target
    plan = api.plan(project, strategy=strategy or None)
    if strategy or plan.support_files:  # the support files (.dockwright/...) the Dockerfile COPYs
        api.init(project, strategy=strategy or None)
    # where init puts them: a workspace member's Dockerfile and its ignore file are in its folder
    shutil.copy(GOLDEN / name / "Dockerfile", target / plan.dockerfile_path)
    shutil.copy(GOLDEN / name / "dockerignore", target / plan.dockerignore_path)
    return target / plan.dockerfile_path


GOLDEN_CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name not in inputs.MONOREPO_APPS)
GOLDEN_CASES += [f"{name}/{app}" for name, apps in sorted(inputs.MONOREPO_APPS.items()) for app in apps]


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_generated_dockerfiles_have_zero_findings(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = _project_copy(name, tmp_path)
    assert main(["lint", str(dockerfile)]) == 0, capsys.readouterr().out


def _example_strategies() -> list[str]:
    from dockwright.initialize import detect
    from dockwright.plan.planner import STRATEGIES, verdict_of
    from dockwright.plan.strategies.base import PlanOptions

    cases = []
    for example in inputs.examples():  # a monorepo example's apps: test_monorepo.py
        facts = detect(example, PlanOptions())
        cases += [f"{example.name}@{s.name}" for s in STRATEGIES[1:] if verdict_of(s, facts).ok]
    return cases


@pytest.mark.parametrize("case", _example_strategies())
def test_every_strategy_writes_a_dockerfile_with_zero_findings(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dockwright import api

    example, _, strategy = case.partition("@")
    project = tmp_path / example
    shutil.copytree(REPO / "examples" / example, project)
    result = api.init(project, strategy=strategy)
    written = result.context / result.plan.dockerfile_path  # a workspace member's is in its folder
    assert main(["lint", str(written)]) == 0, capsys.readouterr().out


def test_dockerignore_rules(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask==3.1.0\n")
    dockerfile = "FROM python:3.12.8-slim\nCOPY requirements.txt ./\n"
    found = [f.code for f in lint_text(dockerfile, context_dir=tmp_path)]
    assert "DW701" in found
    (tmp_path / ".dockerignore").write_text("*.txt\n")
    found = [f.code for f in lint_text(dockerfile, context_dir=tmp_path)]
    assert "DW702" in found and "DW703" in found
    secrets = "\n".join(s.pattern for s in SECRET_PATTERNS)
    (tmp_path / ".dockerignore").write_text(
        f".git\n.venv\nvenv\n**/__pycache__\n{secrets}\n*.txt\n!requirements.txt\n"
    )
    found = [f.code for f in lint_text(dockerfile, context_dir=tmp_path)]
    assert not {"DW701", "DW702", "DW703"} & set(found)


def test_cli_exit_codes_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nCMD python app.py\n")
    assert main(["lint", str(bad), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "dockwright.lint/1" and data["findings"]
    assert main(["lint", str(bad), "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all("## What it does" in r["help"]["markdown"] for r in rules)
    assert main(["lint", str(bad), "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::")
    assert main(["lint", str(tmp_path / "missing")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_fix_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "Dockerfile"
    original = "FROM python:3.12.8-slim\nADD app.py /app/\n"
    bad.write_text(original)
    assert main(["lint", str(bad), "--diff"]) == 0
    assert "+COPY app.py /app/" in capsys.readouterr().out
    assert bad.read_text() == original
    main(["lint", str(bad), "--fix"])
    assert bad.read_text() == "FROM python:3.12.8-slim\nCOPY app.py /app/\n"


def test_every_rule_documents_the_fixed_sections() -> None:
    from dockwright.lint.registry import RULES

    for rule in RULES:
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert section in rule.docs, (rule.code, section)


def test_parity_table_names_real_rules_and_says_why() -> None:
    from dockwright.lint.docs import parity
    from dockwright.lint.registry import rule_by_code

    table = parity()
    assert len(table["hadolint"]) >= 60 and len(table["buildkit"]) >= 20
    for entries in table.values():
        for code, entry in entries.items():
            assert entry.get("covered") or entry.get("why"), code
            for covered in filter(None, entry.get("covered", "").split(",")):
                assert covered.strip() == "DW8xx" or rule_by_code(covered.strip()) is not None, (
                    code,
                    covered,
                )


def test_docs_rules_md_is_current() -> None:
    assert (REPO / "docs" / "rules.md").read_text() == rules_markdown(), (
        "regenerate: python -m dockwright.lint.docs > docs/rules.md"
    )


def test_documented_modules_keep_their_line_breaks() -> None:
    """A backslash ending a line inside a plain docstring joins two lines of a Dockerfile example
    (``RUN apt-get update \\``): every documented rule or check module with one is a raw string."""
    modules = [*(REPO / "src/dockwright/lint/rules").glob("dw*.py")]
    modules += [*(REPO / "src/dockwright/audit/checks").glob("*.py")]
    joined = [
        path.name
        for path in modules
        if (text := path.read_text()).startswith('"""') and "\\\n" in text[3 : text.index('"""', 3)]
    ]
    assert not joined


def test_pyproject_lint_config_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.dockwright.lint]\nignore = ["DW6", "DW7"]\nseverity = { DW101 = "error" }\n'
    )
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian\nWORKDIR app\nUSER 10001\n")
    assert main(["lint", str(dockerfile), "--format", "json"]) == 1
    found = {f["code"]: f["severity"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert found == {"DW101": "error"}


def test_rule_listing_and_docs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "--all"]) == 0
    assert "DW301" in capsys.readouterr().out
    assert main(["rule", "DL3042"]) == 0
    assert "## What it does" in capsys.readouterr().out
