"""A package module the start loads that climbs from ``__file__`` out of its package and reads there runs
from the tree, not from its wheel (project/tree_root_reads.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.plan.model import BuildPlan

PYPROJECT = """[project]
name = "ledger"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = []

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""

JOBS = """import tomllib
from pathlib import Path


def main():
    with open({path}, "rb") as f:
        print(tomllib.load(f))


main()
"""


def _project(tmp_path: Path, path: str, *, src: bool = True, extra: dict[str, str] | None = None) -> Path:
    root = tmp_path / "ledger"
    package = root / ("src/ledger" if src else "ledger")
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "jobs.py").write_text(JOBS.format(path=path), encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "config.toml").write_text("rate = 1\n", encoding="utf-8")
    (root / "Procfile").write_text("worker: python -m ledger.jobs\n", encoding="utf-8")
    for rel, text in (extra or {}).items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _env(plan: BuildPlan) -> dict[str, str]:
    return {e.name: e.value for e in (*plan.runtime_env, *plan.app_env)}


@pytest.mark.parametrize(
    "path",
    [
        'Path(__file__).parent.parent.parent / "config.toml"',
        'Path(__file__).resolve().parents[2] / "config.toml"',
        'os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "config.toml")',
        'os.path.join(os.path.dirname(__file__), "..", "..", "config.toml")',
    ],
)
def test_a_src_package_reading_the_checkout_root_runs_from_its_tree(tmp_path: Path, path: str) -> None:
    source = JOBS.format(path=path).replace("import tomllib", "import os\nimport tomllib")
    root = _project(tmp_path, path)
    (root / "src/ledger/jobs.py").write_text(source, encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.app_install == "source"
    decision = next(d for d in plan.decisions if d.topic == "app-install")
    assert "ledger.jobs climbs from __file__ out of its package and reads config.toml" in decision.reason
    assert _env(plan)["PYTHONPATH"] == "/app/src"


def test_a_folder_handed_to_a_call_counts(tmp_path: Path) -> None:
    source = "from pathlib import Path\n\nfrom loader import load\n\ndefs = load(project_root=Path(__file__).parent.parent.parent)\n"
    root = _project(tmp_path, '"x"')
    (root / "src/ledger/jobs.py").write_text(source, encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.app_install == "source" and _env(plan)["PYTHONPATH"] == "/app/src"


def test_a_flat_package_runs_from_its_tree_without_an_import_path(tmp_path: Path) -> None:
    root = _project(tmp_path, 'Path(__file__).parent.parent / "config.toml"', src=False)
    plan = api.plan(root, syntax_directive=False)
    assert plan.app_install == "source" and "PYTHONPATH" not in _env(plan)


@pytest.mark.parametrize(
    "path",
    [
        'Path(__file__).parent / "rates.toml"',  # inside the package: the wheel carries it
        # out of the package and back into it (datasette's `app_root / "datasette" / "templates"`)
        'Path(__file__).parent.parent.parent / "src" / "ledger" / "rates.toml"',
        'Path(__file__).parents[1] / "ledger" / "rates.toml"',
        'os.path.join(os.path.dirname(os.path.dirname(__file__)), "ledger", "rates.toml")',
        'Path(Path(__file__).parent.parent, "ledger", "rates.toml")',
        'Path(__file__).parent.parent.parent / "missing.toml"',  # nothing there in the tree
        '"/etc/ledger/config.toml"',
    ],
)
def test_reads_inside_the_package_or_of_nothing_keep_the_wheel(tmp_path: Path, path: str) -> None:
    root = _project(tmp_path, path, extra={"src/ledger/rates.toml": "rate = 2\n"})
    jobs = root / "src/ledger/jobs.py"
    jobs.write_text("import os\n" + jobs.read_text(encoding="utf-8"), encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.app_install == "wheel"
    assert "PYTHONPATH" not in _env(plan)


LOGGED = """import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)
log.info("started in %s", ROOT)
logging.debug("root: %s", ROOT)
"""

FALLBACK = """import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    __version__ = version("ledger")
except PackageNotFoundError:  # a checkout without an install: the wheel has its metadata
    with open(Path(__file__).parents[2] / "pyproject.toml", "rb") as f:
        __version__ = tomllib.load(f)["project"]["version"]
"""


@pytest.mark.parametrize("source", [LOGGED, FALLBACK], ids=["logged", "except-fallback"])
def test_a_folder_logged_or_read_in_a_fallback_keeps_the_wheel(tmp_path: Path, source: str) -> None:
    root = _project(tmp_path, '"x"')
    (root / "src/ledger/jobs.py").write_text(source, encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.app_install == "wheel"
    assert "PYTHONPATH" not in _env(plan)


def test_a_read_in_the_try_body_still_counts(tmp_path: Path) -> None:
    source = (
        "from pathlib import Path\n\ntry:\n"
        '    text = (Path(__file__).parents[2] / "config.toml").read_text()\n'
        "except OSError:\n    text = ''\n"
    )
    root = _project(tmp_path, '"x"')
    (root / "src/ledger/jobs.py").write_text(source, encoding="utf-8")
    assert api.plan(root, syntax_directive=False).app_install == "source"


def test_the_import_folder_is_under_the_own_work_directory_when_that_is_kept(tmp_path: Path) -> None:
    """The project keeps its own image's work directory (project/own_workdir.py): the import folder put
    on PYTHONPATH is there, not under /app, where the image has nothing."""
    dockerfile = 'FROM python:3.12-slim\nWORKDIR /srv/ledger\nCOPY . .\nCMD ["python", "-m", "ledger.jobs"]\n'
    extra = {"Dockerfile": dockerfile, "ledger.env": "LEDGER_CONFIG=/srv/ledger/config.toml\n"}
    root = _project(tmp_path, 'Path(__file__).parent.parent.parent / "config.toml"', extra=extra)
    plan = api.plan(root, syntax_directive=False)
    assert plan.app_install == "source" and plan.workdir == "/srv/ledger"
    assert _env(plan)["PYTHONPATH"] == "/srv/ledger/src"


def test_a_test_module_a_string_names_is_not_loaded_by_the_start(tmp_path: Path) -> None:
    # a real CLI named its test folder in a string ("tests", a path it skips when it lists plugins); one
    # test module climbed out of the package to read the checkout's conf/: no start loads tests
    root = _project(tmp_path, '"x"', src=False)
    (root / "ledger/jobs.py").write_text('SKIPPED = ["tests", "docs"]\nprint(SKIPPED)\n', encoding="utf-8")
    (root / "tests").mkdir()
    (root / "tests/__init__.py").write_text("", encoding="utf-8")
    climbs = 'from pathlib import Path\n\nCONF = Path(__file__).resolve().parent.parent / "config.toml"\nprint(CONF.read_text())\n'
    (root / "tests/test_conf.py").write_text(climbs, encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.app_install == "wheel"


@pytest.mark.parametrize(
    "path",
    [
        'Path(__file__).parent.parent.parent / "src" / "other.toml"',  # beside the package, in src/
        'Path(__file__).parents[1] / "ledgerx" / "rates.toml"',  # a sibling folder, not the package
    ],
)
def test_a_climb_back_beside_the_package_still_leaves_it(tmp_path: Path, path: str) -> None:
    root = _project(tmp_path, path)
    (root / "src/other.toml").write_text("rate = 3\n", encoding="utf-8")
    (root / "src/ledgerx").mkdir()
    (root / "src/ledgerx/rates.toml").write_text("rate = 4\n", encoding="utf-8")
    assert api.plan(root, syntax_directive=False).app_install == "source"
