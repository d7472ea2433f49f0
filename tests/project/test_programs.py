"""Programs the app starts through subprocess/os that a Debian package provides: found with their lines,
installed in the runtime's apt step (decision runtime-programs), or only warned about (programs = warn,
or a runtime without apt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.config import load_options
from dockwright.errors import ConfigError
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.detect import detect_project
from dockwright.project.detectors.scan import scan_module
from dockwright.project.programs import program_table
from dockwright.render.render import render_dockerfile

RUNS = """\
import os
import subprocess
from subprocess import check_output

TOOL = os.environ.get("TOOL", "pandoc")


def log(repo):
    return check_output(["git", "log", "--oneline"], cwd=repo)


def convert(path):
    subprocess.run(f"ffmpeg -i {path} out.mp3", shell=True, check=True)
    subprocess.run([TOOL, path])  # a variable: not guessed
    os.system("/usr/bin/pg_dump mydb > dump.sql")
    subprocess.run(["mytool", "--x"])  # not a table program
"""


def test_literal_first_words_of_subprocess_and_os_calls_are_recorded() -> None:
    scan = scan_module("tool.py", RUNS)
    assert scan is not None
    assert scan.programs == [("git", 9), ("ffmpeg", 13), ("/usr/bin/pg_dump", 15), ("mytool", 16)]


FOUND = """\
import asyncio
import shutil
from shutil import which


def encoder():
    return shutil.which("ffmpeg") or "./bin/ffmpeg"


async def convert(src):
    await asyncio.create_subprocess_exec(encoder(), "-i", src, "out.mp3")


def has_git():
    return which("git") is not None
"""


def test_a_program_looked_up_on_path_counts_when_the_module_runs_what_it_found() -> None:
    """``shutil.which("ffmpeg")`` then a run whose program is not a literal: both looked-up programs are
    the module's (it runs one of them); a lookup alone (a feature test) is not a run."""
    scan = scan_module("media.py", FOUND)
    assert scan is not None and scan.programs == [("ffmpeg", 7), ("git", 15)]
    alone = scan_module(
        "media.py",
        FOUND.replace('await asyncio.create_subprocess_exec(encoder(), "-i", src, "out.mp3")', "pass"),
    )
    assert alone is not None and alone.programs == []
    python = FOUND.replace(
        'await asyncio.create_subprocess_exec(encoder(), "-i", src, "out.mp3")',
        'await asyncio.create_subprocess_exec(sys.executable, "-m", "alembic", "upgrade", "head")',
    )
    interpreter = scan_module("media.py", "import sys\n" + python)
    assert interpreter is not None and interpreter.programs == []  # the interpreter is no found program


def test_every_table_row_names_a_debian_package_page() -> None:
    table = program_table()
    assert table["git"].apt == "git" and table["ffprobe"].apt == "ffmpeg"
    assert all(row.source.startswith("https://packages.debian.org/") for row in table.values())


def test_programs_warn_leaves_them_out_and_warns_that_the_runtime_lacks_them(tmp_path: Path) -> None:
    (tmp_path / "tool.py").write_text(RUNS + "\nif __name__ == '__main__':\n    log('.')\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("import subprocess\nsubprocess.run(['rsync'])\n")
    facts = detect_project(tmp_path)
    assert [(f.value, f.evidence[0].file, f.evidence[0].line) for f in facts.app.programs] == [
        ("git", "tool.py", 9),
        ("ffmpeg", "tool.py", 13),
        ("pg_dump", "tool.py", 15),
    ]  # tests/ is never the app: its rsync is not counted
    plan = make_plan(facts, PlanOptions(programs="warn"))
    assert "git" not in {a.name for a in plan.runtime_apt}
    decision = plan.decision("runtime-programs")
    assert decision is not None and decision.choice == "git ffmpeg postgresql-client"
    warning = next(w for w in plan.warnings if w.startswith("the app starts git (tool.py:9)"))
    assert "install the Debian package git in the runtime stage" in warning
    assert "packages.debian.org/trixie/git" in warning


def _project(tmp_path: Path, requirements: str = "") -> Path:
    (tmp_path / "tool.py").write_text(RUNS + "\nif __name__ == '__main__':\n    log('.')\n", encoding="utf-8")
    if requirements:
        (tmp_path / "requirements.txt").write_text(requirements, encoding="utf-8")
    return tmp_path


def test_the_programs_packages_install_in_the_trimmed_bases_apt_step(tmp_path: Path) -> None:
    plan = make_plan(detect_project(_project(tmp_path)))
    assert [a.name for a in plan.runtime_apt] == ["git", "ffmpeg", "postgresql-client"]
    assert "provides git, which the app starts (tool.py:9)" in plan.runtime_apt[0].why
    decision = plan.decision("runtime-programs")
    assert decision is not None and decision.choice == "git ffmpeg postgresql-client"
    assert "installed in the runtime's apt step" in decision.reason and "git (tool.py:9)" in decision.reason
    assert 'programs = "warn"' in decision.reason
    text = render_dockerfile(plan)
    base = text.split("FROM python:")[1]  # the trimmed base stage: its second RUN installs them
    assert "install -y --no-install-recommends git ffmpeg postgresql-client" in base
    runtime = text.split("FROM root AS runtime")[1]
    assert "apt-get" not in runtime
    # not warned about as missing; ffmpeg's closure is large, which is said with the opt-out
    assert not any(w.startswith("the app starts") for w in plan.warnings)
    (large,) = [w for w in plan.warnings if w.startswith("ffmpeg (Debian ffmpeg) adds about")]
    assert '`programs = "warn"`' in large


def test_programs_join_the_runtime_libraries_in_one_apt_step(tmp_path: Path) -> None:
    plan = make_plan(detect_project(_project(tmp_path, "psycopg2==2.9.10\n")))
    assert [a.name for a in plan.runtime_apt] == ["libpq5", "git", "ffmpeg", "postgresql-client"]
    text = render_dockerfile(plan)
    assert text.count("apt-get -c") == 1
    assert "--no-install-recommends libpq5 git ffmpeg postgresql-client" in text


def test_an_upstream_runtime_installs_them_in_its_own_apt_step(tmp_path: Path) -> None:
    plan = make_plan(detect_project(_project(tmp_path)), PlanOptions(runtime_base="upstream"))
    runtime = render_dockerfile(plan).split("AS runtime")[1]
    assert "install -y --no-install-recommends git ffmpeg postgresql-client" in runtime
    assert runtime.index("COPY --from=tini") < runtime.index("apt-get update")


def test_a_runtime_without_apt_keeps_the_warning(tmp_path: Path) -> None:
    plan = make_plan(detect_project(_project(tmp_path)), PlanOptions(strategy="alpine"))
    assert "git" not in {a.name for a in plan.runtime_apt}
    decision = plan.decision("runtime-programs")
    assert decision is not None and "Alpine (apk)" in decision.reason
    assert any(w.startswith("the app starts git (tool.py:9)") for w in plan.warnings)


def test_the_programs_option_is_read_from_pyproject_env_and_command_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dockwright]\nprograms = "warn"\n', encoding="utf-8")
    assert load_options(tmp_path, env={}).programs == "warn"
    assert load_options(tmp_path, env={"DOCKWRIGHT_PROGRAMS": "install"}).programs == "install"
    assert load_options(tmp_path, {"programs": "install"}, env={}).programs == "install"
    with pytest.raises(ConfigError, match="'install' or 'warn'"):
        load_options(tmp_path, {"programs": "always"}, env={})


def test_cli_plan_init_and_build_take_the_programs_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import shutil

    from dockwright.cli import main

    project = tmp_path / "flask-git"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "flask-git", project)
    assert main(["plan", str(project), "--json", "--programs", "warn"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runtime_apt"] == []
    (decision,) = [d for d in data["decisions"] if d["topic"] == "runtime-programs"]
    assert decision["reason"].startswith("not installed: asked for (programs = warn)")
    assert main(["init", str(project), "--programs", "install"]) == 0
    assert "--no-install-recommends git" in (project / "Dockerfile").read_text()
    assert main(["build", str(project), "--programs", "bogus", "--dry-run"]) == 2
    assert "'bogus' is not one of 'install', 'warn'" in capsys.readouterr().err


def test_the_uv_strategy_installs_them_after_tini_too(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "fastapi-uv"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "fastapi-uv", project)
    main = project / "main.py"
    main.write_text(main.read_text() + "\nimport subprocess\nREV = subprocess.run(['git', 'rev-parse'])\n")
    plan = make_plan(detect_project(project), PlanOptions(strategy="uv"))
    assert [a.name for a in plan.runtime_apt] == ["git"]
    text = render_dockerfile(plan)
    assert "--no-install-recommends git" in text.split("AS base", 1)[1].split("\nFROM ", 1)[0]
