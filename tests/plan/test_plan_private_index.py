"""The pipconf secret mount only where a private index is in play (plan/private_index.py).

Every secret mount costs a RUN a root-filesystem content hash on Docker < 27.3, so the mount is kept
only when the project names another index (its requirements, manager tables, lock, a pip.conf/pip.ini/
uv.toml) or the user asks for it; decision ``private-index`` says which.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.cli import main
from dockwright.plan.common import PIP_SECRET_MOUNT
from dockwright.plan.model import BuildPlan
from dockwright.plan.private_index import HEADER_OFF, HEADER_ON

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
TOKEN = "hunter22-token"


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("DOCKWRIGHT_PRIVATE_INDEX", "DOCKWRIGHT_STRATEGY"):
        monkeypatch.delenv(key, raising=False)


def _mounts(plan: BuildPlan) -> int:
    steps = (*plan.builder_steps, *plan.runtime_steps, *(s for st in plan.side_stages for s in st.steps))
    return sum(PIP_SECRET_MOUNT in step.flags for step in steps)


def _copy(name: str, tmp_path: Path) -> Path:
    project = tmp_path / name
    shutil.copytree(EXAMPLES / name, project)
    return project


def test_a_project_on_pypi_gets_no_pipconf_mount_and_the_header_says_how_to_add_it() -> None:
    plan = api.plan(EXAMPLES / "flask-requirements")
    assert _mounts(plan) == 0 and plan.secrets == ()
    decision = plan.decision("private-index")
    assert decision is not None and decision.choice == "off"
    assert "Docker < 27.3" in decision.reason and "--private-index" in decision.reason
    assert HEADER_OFF in plan.header and HEADER_ON not in plan.header


@pytest.mark.parametrize("strategy", ["slim", "pex", "pyinstaller"])
def test_every_pip_strategy_follows_the_decision(strategy: str) -> None:
    off = api.plan(EXAMPLES / "flask-requirements", strategy=strategy)
    on = api.plan(EXAMPLES / "flask-requirements", strategy=strategy, private_index=True)
    assert _mounts(off) == 0 and ("pipconf", "/root/.config/pip/pip.conf") not in off.secrets
    assert _mounts(on) >= 1 and HEADER_ON in on.header
    assert ("pipconf", "/root/.config/pip/pip.conf") in on.secrets or strategy != "slim"


def test_the_projects_own_indexes_turn_it_on_with_their_evidence() -> None:
    plan = api.plan(EXAMPLES / "private-index")
    decision = plan.decision("private-index")
    assert decision is not None and decision.choice == "on"
    assert "pyproject.toml:15" in decision.reason and "[[tool.uv.index]] dwlocal" in decision.reason
    assert _mounts(plan) >= 1 and ("pipconf", "/root/.config/pip/pip.conf") in plan.secrets


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("pip.conf", f"[global]\ntimeout = 60\nindex-url = https://me:{TOKEN}@corp.example/simple\n", 3),
        ("pip.ini", "[global]\nextra_index_url = https://corp.example/simple\n", 2),
        ("uv.toml", '[[index]]\nname = "corp"\nurl = "https://corp.example/simple"\n', 1),
        ("uv.toml", 'index-url = "https://corp.example/simple"\n', 1),
    ],
)
def test_an_installer_config_file_naming_an_index_turns_it_on(
    tmp_path: Path, name: str, text: str, where: int
) -> None:
    project = _copy("flask-requirements", tmp_path)
    (project / name).write_text(text)
    plan = api.plan(project)
    decision = plan.decision("private-index")
    assert decision is not None and decision.choice == "on"
    assert f"{name}:{where}" in decision.reason
    assert _mounts(plan) >= 1
    assert TOKEN not in json.dumps(plan.to_dict())  # the URL's value is never read into a fact


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pip.conf", "[global]\ntimeout = 60\n"),
        ("pip.conf", "[global]\nindex-url = https://pypi.org/simple\n"),
        ("uv.toml", 'cache-dir = "/tmp/uv"\n'),
        ("uv.toml", 'extra-index-url = ["https://pypi.org/simple"]\n'),
    ],
)
def test_config_files_without_an_index_leave_it_off(tmp_path: Path, name: str, text: str) -> None:
    project = _copy("flask-requirements", tmp_path)
    (project / name).write_text(text)
    assert _mounts(api.plan(project)) == 0


def test_a_pip_conf_outside_the_project_is_no_evidence(tmp_path: Path) -> None:
    outside = tmp_path / "pip.conf"
    outside.write_text("[global]\nindex-url = https://corp.example/simple\n")
    project = _copy("flask-requirements", tmp_path)
    (project / "pip.conf").symlink_to(outside)
    assert _mounts(api.plan(project)) == 0


def test_the_users_choice_wins_over_the_evidence_and_names_where_it_was_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _copy("private-index", tmp_path)
    with (project / "pyproject.toml").open("a") as handle:
        handle.write("\n[tool.dockwright]\nprivate-index = false\n")
    plan = api.plan(project)
    decision = plan.decision("private-index")
    assert decision is not None and decision.choice == "off"
    assert "[tool.dockwright] private-index = false" in decision.reason
    assert _mounts(plan) == 0
    # the netrc of the lock's own indexes stays: it is the credentials, not the mirror
    assert any("id=netrc" in flag for step in plan.builder_steps for flag in step.flags)
    monkeypatch.setenv("DOCKWRIGHT_PRIVATE_INDEX", "1")
    decision = api.plan(project).decision("private-index")
    assert decision is not None and decision.choice == "on" and "DOCKWRIGHT_PRIVATE_INDEX" in decision.reason


def test_cli_plan_and_init_take_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _copy("flask-requirements", tmp_path)
    assert main(["plan", str(project), "--json", "--private-index"]) == 0
    data = json.loads(capsys.readouterr().out)
    (decision,) = [d for d in data["decisions"] if d["topic"] == "private-index"]
    assert decision["choice"] == "on" and "--private-index" in decision["reason"]
    assert main(["init", str(project), "--private-index"]) == 0
    assert "--mount=type=secret,id=pipconf," in (project / "Dockerfile").read_text()
    assert main(["init", str(project), "--force", "--no-private-index"]) == 0
    assert "--mount=type=secret,id=pipconf," not in (project / "Dockerfile").read_text()


def test_a_bad_config_value_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _copy("flask-requirements", tmp_path)
    with (project / "pyproject.toml").open("a") as handle:
        handle.write('\n[tool.dockwright]\nprivate-index = "maybe"\n')
    assert main(["plan", str(project)]) == 2
    assert "private-index must be true or false" in capsys.readouterr().err
