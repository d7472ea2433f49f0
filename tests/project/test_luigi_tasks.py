"""Luigi pipelines: a module of ``luigi.Task`` classes runs as ``luigi --module MOD TASK`` (a CLI), with the
app directory on PYTHONPATH and a local scheduler unless the project names a central one
(project/detectors/luigi_tasks.py); ``luigid`` is a server CLI (data/server_clis.toml)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PIPELINE = """\
import luigi


class Fetch(luigi.Task):
    day = luigi.DateParameter()

    def output(self):
        return luigi.LocalTarget(f"out/fetch-{self.day}.csv")


class Tally(luigi.Task):
    day = luigi.DateParameter()

    def requires(self):
        return Fetch(self.day)


class Raw(luigi.ExternalTask):
    pass


class Publish(Tally):
    def requires(self):
        return [Tally(self.day), Raw()]
"""


def _env(app: object) -> dict[str, str]:
    return {e.name: e.value for e in app.env}  # type: ignore[attr-defined]


def test_the_top_task_runs_with_a_local_scheduler(make_project: MakeProject) -> None:
    app = detect_project(
        make_project({"requirements.txt": "luigi\n", "ledger.py": PIPELINE}), python="3.12"
    ).app
    assert app.command.value == ("luigi", "--module", "ledger", "Publish", "--local-scheduler")
    assert app.kind.value == "cli"
    assert _env(app)["PYTHONPATH"] == "/app"
    assert any("Tally" in p for p in app.other_processes)
    assert not any("Raw" in p for p in app.other_processes)


def test_a_launch_line_names_the_task_and_a_central_scheduler(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "Pipfile": '[packages]\nluigi = "*"\n',
        "ledger.py": PIPELINE,
        "run.sh": "pipenv run luigi --module ledger Tally --workers 2\n",
        "luigi.cfg": "[core]\ndefault-scheduler-host = scheduler\n",
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value == ("luigi", "--module", "ledger", "Tally", "--workers", "2")
    assert app.command.evidence[0].file == "run.sh"


def test_luigid_in_a_procfile_serves_on_its_port(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "luigi\n",
        "ledger.py": PIPELINE,
        "Procfile": "web: luigid --state-path /tmp/luigi-state.pickle\n",
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[0] == "luigid"
    assert app.kind.value == "web"
    assert app.port.value == 8082


def test_a_setup_module_that_builds_nothing_is_no_package(make_project: MakeProject) -> None:
    # `setup.py` here is the pipeline's own set-up (a store client), imported by the tasks: pip would run
    # it to build a wheel and stop on its imports
    files: dict[str, str | bytes] = {
        "requirements.txt": "luigi\n",
        "ledger.py": "from setup import store\n" + PIPELINE,
        "setup.py": "import json\n\nstore = json.loads('{}')\n",
    }
    facts = detect_project(make_project(files), python="3.12")
    assert facts.layout.is_package.value is False
    assert facts.dependencies.manager.value == "requirements"
