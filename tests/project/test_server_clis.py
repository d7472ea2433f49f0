"""Servers started by a tool's own CLI (``datasette serve``, ``thumbor``, ``mlflow server`` ...): a web
process on the tool's port, listening on all interfaces (data/server_clis.toml)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.detectors.server_clis import server_cli, table
from dockwright.project.tree import ProjectTree, parse_toml

MakeProject = Callable[[dict[str, str | bytes]], Path]


def test_every_row_has_a_documented_source_and_a_bind_when_it_binds_loopback() -> None:
    for row in table():
        assert row.source.startswith("https://"), row.program
        if row.host_default in ("127.0.0.1", "localhost"):
            assert row.bind and row.bind[0].split("=", 1)[0] in row.host_flags, row.program


def test_which_commands_start_a_server() -> None:
    assert server_cli(("datasette", "serve", "data.db")) is not None
    assert server_cli(("datasette", "data.db")) is not None  # `serve` is datasette's default command
    assert server_cli(("datasette", "inspect", "data.db")) is None
    assert server_cli(("mlflow", "server")) is not None
    assert server_cli(("mlflow", "run", ".")) is None
    assert server_cli(("prefect", "server", "start")) is not None
    assert server_cli(("prefect", "worker", "start")) is None
    row = server_cli(("/usr/local/bin/jupyter", "lab"))
    assert row is not None and row.package == "jupyterlab"
    row = server_cli(("pypi-server", "run", "-p", "8080", "/data/packages"))
    assert row is not None and row.port == 8080 and not row.bind  # pypiserver listens on all IPs
    assert server_cli(("pypi-server", "update")) is None


def test_procfile_datasette_gets_its_port_and_listens_on_all_interfaces(make_project: MakeProject) -> None:
    root = make_project({"Procfile": "web: datasette serve catalog.db -m meta.yml\n", "catalog.db": b""})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"datasette"}))
    assert app.kind.value == "web"
    assert app.command.value == ("datasette", "serve", "catalog.db", "-m", "meta.yml", "--host", "0.0.0.0")
    assert app.port.value == 8001
    assert "docs.datasette.io" in app.port.evidence[0].detail
    assert app.adds.value == ()


def test_a_port_flag_and_host_flag_of_the_command_are_kept(make_project: MakeProject) -> None:
    root = make_project(
        {"Procfile": "web: mlflow server -h 0.0.0.0 -p 5500 --backend-store-uri sqlite:///m.db\n"}
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"mlflow"}))
    assert app.command.value == (
        "mlflow",
        "server",
        "-h",
        "0.0.0.0",
        "-p",
        "5500",
        "--backend-store-uri",
        "sqlite:///m.db",
    )
    assert app.port.value == 5500


def test_a_shell_command_gets_the_bind_flag_on_its_last_command(make_project: MakeProject) -> None:
    root = make_project({"Procfile": "web: prefect server database upgrade -y && prefect server start\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"prefect"}))
    assert app.command.value[:2] == ("/bin/sh", "-c")
    assert app.command.value[2].endswith("exec prefect server start --host 0.0.0.0")
    assert app.port.value == 4200


def test_a_server_the_project_does_not_depend_on_is_added(make_project: MakeProject) -> None:
    root = make_project({"Procfile": "web: jupyter lab --port=9999\n", "requirements.txt": "pandas\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"pandas"}))
    assert app.command.value == ("jupyter", "lab", "--port=9999", "--ip=0.0.0.0")
    assert app.port.value == 9999
    assert app.adds.value == ("jupyterlab",)


def test_the_project_that_is_the_server_cli_runs_it(make_project: MakeProject) -> None:
    pyproject = (
        '[project]\nname = "thumbor"\nversion = "1"\n'
        '[project.scripts]\nthumbor = "thumbor.server:main"\nthumbor-config = "thumbor.config:generate"\n'
    )
    root = make_project(
        {
            "pyproject.toml": pyproject,
            "thumbor/__init__.py": "",
            "thumbor/server.py": "def main():\n    pass\n",
        }
    )
    app = detect_app(ProjectTree(root), parse_toml(pyproject), dependencies=frozenset())
    assert app.kind.value == "web"
    assert app.command.value == ("thumbor",)  # it binds 0.0.0.0 by default: nothing to add
    assert app.port.value == 8888
    assert app.health_path.value == "/healthcheck"
    assert app.adds.value == ()


def test_a_project_whose_cli_is_named_like_a_server_but_is_another_stays_a_cli(
    make_project: MakeProject,
) -> None:
    pyproject = (
        '[project]\nname = "my-tools"\nversion = "1"\n[project.scripts]\ndatasette = "tools.cli:main"\n'
    )
    root = make_project(
        {"pyproject.toml": pyproject, "tools/__init__.py": "", "tools/cli.py": "def main(): ...\n"}
    )
    app = detect_app(ProjectTree(root), parse_toml(pyproject), dependencies=frozenset())
    assert app.kind.value == "cli"


def test_explicit_start_of_a_server_cli_is_web_on_its_port_with_a_note(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "datasette\n", "app.py": "print('x')\n"})
    notes: list[str] = []
    app = detect_app(
        ProjectTree(root),
        None,
        start="datasette serve x.db",
        dependencies=frozenset({"datasette"}),
        notes=notes,
    )
    assert app.kind.value == "web"
    assert app.port.value == 8001
    assert any("--host 0.0.0.0" in n for n in notes)


def test_a_procfile_process_other_than_web_keeps_its_kind(make_project: MakeProject) -> None:
    procfile = "web: gunicorn app:app\nnotebook: jupyter lab\n"
    root = make_project({"Procfile": procfile, "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"flask", "gunicorn", "jupyterlab"}))
    assert app.command.value[0] == "gunicorn"
    assert any(o.startswith("notebook: jupyter lab ") for o in app.other_processes)


def test_the_airflow_and_prefect_rows_are_their_documented_defaults() -> None:
    """Checked against the tools' own references (the rows' sources): Airflow's CLI and configuration
    references, Prefect's CLI and settings references."""
    rows = {(row.program, *row.subcommand): row for row in table()}
    webserver, api_server = rows["airflow", "webserver"], rows["airflow", "api-server"]
    prefect = rows["prefect", "server", "start"]
    assert (webserver.port, webserver.host_default, webserver.bind) == (8080, "0.0.0.0", ())
    assert {"-H", "--hostname"} <= set(webserver.host_flags) and {"-p", "--port"} == set(webserver.port_flags)
    assert (api_server.port, api_server.host_default, api_server.bind) == (8080, "0.0.0.0", ())
    assert {"-H", "--host"} == set(api_server.host_flags) and {"-p", "--port"} == set(api_server.port_flags)
    assert (prefect.port, prefect.host_default, prefect.bind) == (4200, "127.0.0.1", ("--host", "0.0.0.0"))
    assert webserver.source.startswith("https://airflow.apache.org/docs/apache-airflow/")
    assert api_server.source.startswith("https://airflow.apache.org/docs/apache-airflow/")
    assert prefect.source.startswith("https://docs.prefect.io/")


def test_airflow_listens_on_every_interface_by_itself(make_project: MakeProject) -> None:
    for command, port in [("airflow webserver", 8080), ("airflow api-server -p 9090", 9090)]:
        root = make_project({"Procfile": f"web: {command}\n"})
        app = detect_app(ProjectTree(root), None, dependencies=frozenset({"apache-airflow"}))
        assert (app.kind.value, app.command.value, app.port.value) == ("web", tuple(command.split()), port)


def test_the_projects_own_server_cli_beats_the_app_object_in_its_source(make_project: MakeProject) -> None:
    # the lnbits repository: `lnbits` is the documented start; `app = create_app()` is what it serves
    pyproject = (
        '[project]\nname = "lnbits"\nversion = "1"\ndependencies = ["fastapi", "uvicorn"]\n'
        '[project.scripts]\nlnbits = "lnbits.server:main"\nlnbits-cli = "lnbits.commands:main"\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    root = make_project(
        {
            "pyproject.toml": pyproject,
            "lnbits/__init__.py": "",
            "lnbits/app.py": "from fastapi import FastAPI\n\ndef create_app():\n    return FastAPI()\n",
            "lnbits/__main__.py": "from .app import create_app\n\napp = create_app()\n",
            "lnbits/server.py": "import uvicorn\n\ndef main():\n    uvicorn.run('lnbits.__main__:app')\n",
            "lnbits/commands.py": "def main():\n    pass\n",
        }
    )
    app = detect_app(
        ProjectTree(root),
        parse_toml(pyproject),
        dependencies=frozenset({"fastapi", "uvicorn"}),
        project="lnbits",
    )
    assert app.kind.value == "web"
    assert app.command.value == ("lnbits", "--host", "0.0.0.0")
    assert app.port.value == 5000


def test_the_dagster_rows() -> None:
    grpc = server_cli(("dagster", "api", "grpc", "-m", "pipeline"))
    assert grpc is not None and grpc.host_default == "localhost" and grpc.port == 4000
    assert server_cli(("dagster", "dev")) is None  # the development UI
    assert server_cli(("dagster", "api", "execute_run")) is None  # what a run launcher runs: a job
    web = server_cli(("dagster-webserver", "-w", "workspace.yaml"))
    assert web is not None and web.port == 3000 and web.health == "/server_info"


def test_the_own_images_dagster_code_server_is_the_start(make_project: MakeProject) -> None:
    """A dependency's server the repository's image runs (a Dagster code location): web on its port,
    made to listen on every interface."""
    dockerfile = (
        "FROM python:3.12-slim\nWORKDIR /opt/dagster/app\nCOPY . .\nRUN pip install -r requirements.txt\n"
        'EXPOSE 4000\nCMD ["dagster", "api", "grpc", "-p", "4000", "-m", "pipeline"]\n'
    )
    files: dict[str, str | bytes] = {
        "pipeline/__init__.py": "from dagster import Definitions\n\ndefs = Definitions()\n",
        "requirements.txt": "dagster==1.11.8\n",
        "Dockerfile": dockerfile,
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"dagster"}))
    assert app.kind.value == "web"
    assert app.command.value == (
        "dagster",
        "api",
        "grpc",
        "-p",
        "4000",
        "-m",
        "pipeline",
        "--host",
        "0.0.0.0",
    )
    assert app.port.value == 4000


LITESTAR_APP = (
    "from litestar import Litestar, get\n\n\n"
    '@get("/")\nasync def index() -> str:\n    return "hi"\n\n\n'
    "app = Litestar(route_handlers=[index])\n"
)


def test_litestar_run_is_the_frameworks_own_server_cli() -> None:
    row = server_cli(("litestar", "run", "--host", "0.0.0.0"))
    assert row is not None and row.package == "litestar" and row.needs == "uvicorn"
    assert row.port == 8000 and row.host_default == "127.0.0.1"
    assert server_cli(("litestar", "routes")) is None


def test_a_procfiles_litestar_run_is_the_start_with_its_port(make_project: MakeProject) -> None:
    root = make_project({"Procfile": "web: litestar run --port 8100\n", "app.py": LITESTAR_APP})
    notes: list[str] = []
    deps = frozenset({"litestar", "uvicorn"})
    app = detect_app(ProjectTree(root), None, dependencies=deps, notes=notes)
    assert app.command.value == ("litestar", "run", "--port", "8100", "--host", "0.0.0.0")
    assert (app.kind.value, app.port.value) == ("web", 8100)
    assert app.adds.value == ()
    assert not [n for n in notes if "litestar" in n]


def test_litestar_run_without_uvicorn_in_the_dependencies_adds_it(make_project: MakeProject) -> None:
    # `litestar run` imports uvicorn, which only litestar's standard/full/cli extras install
    root = make_project({"Procfile": "web: litestar run --host 0.0.0.0\n", "app.py": LITESTAR_APP})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"litestar"}))
    assert app.command.value == ("litestar", "run", "--host", "0.0.0.0")
    assert app.adds.value == ("uvicorn",)
    assert "litestar run" in app.adds.evidence[-1].detail


def test_litestar_run_with_the_standard_extra_declared_adds_nothing(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    files = {
        "Procfile": "web: litestar run --host 0.0.0.0\n",
        "app.py": LITESTAR_APP,
        "requirements.txt": "litestar[standard]==2.16.0\n",
    }
    app = detect_project(make_project(files)).app
    assert app.command.value == ("litestar", "run", "--host", "0.0.0.0")
    assert app.adds.value == ()


def test_the_same_litestar_run_seen_again_is_no_other_process(make_project: MakeProject) -> None:
    # the compose service runs the own Dockerfile's CMD; the framework detector finds the app it serves
    from dockwright.project.detect import detect_project

    files = {
        "compose.yaml": "services:\n  api:\n    build: .\n",
        "Dockerfile": 'FROM python:3.12\nCOPY . .\nCMD ["litestar", "run", "--host", "0.0.0.0"]\n',
        "app.py": LITESTAR_APP,
        "requirements.txt": "litestar[standard]==2.16.0\n",
    }
    app = detect_project(make_project(files)).app
    assert app.command.value[0] in ("litestar", "uvicorn") and app.port.value == 8000
    assert app.other_processes == ()


def test_litestar_s_app_option_before_run_is_read(make_project: MakeProject) -> None:
    # `litestar --app MODULE:APP run`: the group's options come before the sub-command
    assert server_cli(("litestar", "--app", "svc.main:app", "run")) is not None
    assert server_cli(("litestar", "--app=svc.main:app", "--app-dir", "src", "run")) is not None
    assert server_cli(("litestar", "--app", "svc.main:app", "routes")) is None
    root = make_project({"Procfile": "web: litestar --app app:app run --port 8100\n", "app.py": LITESTAR_APP})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"litestar", "uvicorn"}))
    assert app.command.value == ("litestar", "--app", "app:app", "run", "--port", "8100", "--host", "0.0.0.0")
    assert app.port.value == 8100
