"""s6-overlay and runit service folders (detectors/service_run.py): the ``run`` script of the service the
repository's image copies is the start; the chain loaders and the install path left out; the recipe's
EXPOSE gives a port-less program of the project its port; the settings the code reads by a prefix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.apps import detect_app
from dockwright.project.detect import detect_project
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own app: a package whose `run` command sets itself up, then serves
MAIN = "import sys\n\nfrom ledger.server import serve\n\nif sys.argv[1:] == ['serve']:\n    serve()\n"
SERVER = (
    "import os\n\nfrom bottle import Bottle\n\nweb = Bottle()\n\n\n"
    "def serve():\n    web.run(host='0.0.0.0', port=int(os.environ.get('LEDGER_PORT', '8085')))\n"
)
SETTINGS = (
    "from cfgkit import Settings\n\nsettings = Settings(env_prefix='LEDGER_')\n"
    "HOME = __import__('os').environ.get('LEDGER_HOME_MODE')\n"
)
RECIPE = (
    "FROM example/s6-base:3\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt\n"
    "COPY . /app\nCOPY docker/root/ /\n"
    "ENV LEDGER_SKIP_WIZARD=yes \\\n    LEDGER_HOME_MODE=container \\\n    PUID=0\nEXPOSE 8085\n"
)
S6_RUN = "#!/usr/bin/with-contenv bash\n\ncd /app || exit 1\nexec \\\n    s6-setuidgid abc /venv/bin/python3 -m ledger serve\n"
FILES: dict[str, str | bytes] = {
    "ledger/__init__.py": "",
    "ledger/__main__.py": MAIN,
    "ledger/server.py": SERVER,
    "ledger/settings.py": SETTINGS,
    "requirements.txt": "bottle\n",
    "Dockerfile": RECIPE,
    "docker/root/etc/s6-overlay/s6-rc.d/svc-ledger/type": "longrun\n",
    "docker/root/etc/s6-overlay/s6-rc.d/svc-ledger/run": S6_RUN,
    "docker/root/etc/s6-overlay/s6-rc.d/init-perms/type": "oneshot\n",
    "docker/root/etc/s6-overlay/s6-rc.d/init-perms/up": "/etc/s6-overlay/s6-rc.d/init-perms/run\n",
    "docker/root/etc/s6-overlay/s6-rc.d/svc-nginx/type": "longrun\n",
    "docker/root/etc/s6-overlay/s6-rc.d/svc-nginx/run": "#!/bin/sh\nexec nginx -g 'daemon off;'\n",
}
DEPS = frozenset({"bottle"})


def _app(make_project: MakeProject, files: dict[str, str | bytes]) -> AppFacts:
    return detect_app(ProjectTree(make_project(files)), None, dependencies=DEPS, notes=[])


def test_the_supervised_service_is_the_start_on_the_exposed_port(make_project: MakeProject) -> None:
    app = _app(make_project, FILES)
    assert app.command.value == ("python", "-m", "ledger", "serve")
    ev = app.command.evidence[0]
    assert ev.file == "docker/root/etc/s6-overlay/s6-rc.d/svc-ledger/run" and ev.line == 4
    assert app.kind.value == "web"
    assert app.port.value == 8085 and app.port.evidence[0].file == "Dockerfile"


def test_the_image_settings_the_code_reads_are_carried_by_name_or_prefix(make_project: MakeProject) -> None:
    app = _app(make_project, FILES)
    carried = {e.name: e.value for e in app.env}
    assert carried.get("LEDGER_SKIP_WIZARD") == "yes"  # read through the settings' prefix LEDGER_
    assert carried.get("LEDGER_HOME_MODE") == "container"  # named in the code
    assert "PUID" not in carried  # the base image's, which the code never reads


@pytest.mark.parametrize(
    "run",
    [
        "#!/command/execlineb -P\nwith-contenv\ns6-setuidgid abc\nfdmove -c 2 1\n/venv/bin/python -m ledger serve\n",
        "#!/bin/bash\nexec chpst -u app:app /usr/bin/python3 -m ledger serve\n",
        "#!/bin/sh\nexec s6-notifyoncheck -d -n 300 -w 1000 s6-applyuidgid -u 911 -g 911 python -m ledger serve\n",
    ],
    ids=["execline", "runit-chpst", "s6-notify"],
)
def test_run_scripts_of_every_supervisor(make_project: MakeProject, run: str) -> None:
    files = {k: v for k, v in FILES.items() if "s6-overlay" not in k}
    files["docker/root/etc/services.d/ledger/run"] = run
    app = _app(make_project, files)
    assert app.command.value == ("python", "-m", "ledger", "serve")


def test_runit_service_in_a_top_level_root_folder(make_project: MakeProject) -> None:
    files = {k: v for k, v in FILES.items() if "s6-overlay" not in k and k != "Dockerfile"}
    files["root/etc/service/web/run"] = "#!/bin/sh\nexec gunicorn --bind 127.0.0.1:9000 ledger.server:web\n"
    app = _app(make_project, {**files, "requirements.txt": "bottle\ngunicorn\n"})
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:9000", "ledger.server:web")
    assert app.port.value == 9000


def test_a_service_folder_no_image_copies_says_nothing(make_project: MakeProject) -> None:
    files = {k.replace("docker/root/", "docs/examples/"): v for k, v in FILES.items()}
    app = _app(make_project, files)
    assert app.command.evidence[0].file != "docs/examples/etc/s6-overlay/s6-rc.d/svc-ledger/run"


PACKAGED = (
    '[project]\nname = "ledger"\nversion = "1.0"\nrequires-python = "==3.12.*"\n'
    'dependencies = ["bottle"]\n\n[build-system]\nrequires = ["flit_core>=3.9"]\n'
    'build-backend = "flit_core.buildapi"\n'
)


def test_a_python_the_package_excludes_is_refused_at_plan_time(make_project: MakeProject) -> None:
    root = make_project({**FILES, "pyproject.toml": PACKAGED})
    with pytest.raises(
        ProjectError, match=r"outside the project's requires-python '==3.12.\*' \(pyproject.toml:4\)"
    ):
        detect_project(root, python="3.13")
    assert detect_project(root).python.version.value.startswith("3.12.")


def test_a_server_service_wins_and_its_folder_is_found_behind_a_variable(make_project: MakeProject) -> None:
    files = {
        "src/ledger/__init__.py": "",
        "src/ledger/asgi.py": "async def application(scope, receive, send):\n    pass\n",
        "src/ledger/worker.py": "import time\n\nwhile True:\n    time.sleep(5)\n",
        "Dockerfile": "FROM example/s6-base:3\nCOPY . /srv/ledger\nCOPY rootfs /\nEXPOSE 8000\n",
        "rootfs/etc/s6-overlay/s6-rc.d/svc-web/type": "longrun\n",
        "rootfs/etc/s6-overlay/s6-rc.d/svc-web/run": (
            "#!/command/with-contenv bash\ncd ${LEDGER_SRC}\n"
            "exec s6-setuidgid ledger granian --interface asgi ledger.asgi:application\n"
        ),
        "rootfs/etc/s6-overlay/s6-rc.d/svc-a-worker/type": "longrun\n",
        "rootfs/etc/s6-overlay/s6-rc.d/svc-a-worker/run": "#!/bin/sh\ncd ${LEDGER_SRC}\nexec python3 ledger/worker.py\n",
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"granian"}), notes=[])
    assert app.command.value == (
        "granian",
        "--working-dir",
        "src",
        "--interface",
        "asgi",
        "ledger.asgi:application",
    )
    assert {(e.name, e.value) for e in app.env} >= {("GRANIAN_HOST", "0.0.0.0"), ("GRANIAN_PORT", "8000")}
    assert app.port.value == 8000


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "hypercorn ledger.asgi:application",
            ("hypercorn", "--bind", "0.0.0.0:8000", "ledger.asgi:application"),
        ),
        (
            "daphne -p 8000 ledger.asgi:application",
            ("daphne", "--bind", "0.0.0.0", "-p", "8000", "ledger.asgi:application"),
        ),
        ("hypercorn --bind 0.0.0.0:8000 ledger.asgi:application", None),
    ],
)
def test_a_server_that_reads_no_variable_gets_its_bind(
    make_project: MakeProject, line: str, expected: tuple[str, ...] | None
) -> None:
    files = {
        "ledger/__init__.py": "",
        "ledger/asgi.py": "async def application(scope, receive, send):\n    pass\n",
        "Procfile": f"web: {line}\n",
    }
    deps = frozenset({"hypercorn", "daphne"})
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=deps, notes=[])
    assert app.command.value == (expected or tuple(line.split()))


def test_a_wrapped_server_without_a_bind_is_named_in_a_note(make_project: MakeProject) -> None:
    files = {
        "ledger/__init__.py": "",
        "ledger/asgi.py": "async def application(scope, receive, send):\n    pass\n",
        "Procfile": "web: sh -c 'sleep 1 && exec hypercorn ledger.asgi:application'\n",
    }
    notes: list[str] = []
    detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"hypercorn"}), notes=notes)
    assert any(
        "hypercorn listens on 127.0.0.1 unless told" in n and "--bind 0.0.0.0:8000 there" in n for n in notes
    ), notes


def test_the_copies_of_a_recipe_without_a_command_are_the_plan_files_own(make_project: MakeProject) -> None:
    # one reader of the own recipe's COPY map: the service folders' detector places its root by it
    from dockwright.project.plan_files import PlanFiles

    files = PlanFiles(ProjectTree(make_project(FILES)))
    assert files.own_final is None  # the base image's init runs the services: no CMD of its own
    assert ("/", "docker/root", True) in files.own_copies


SERVICE = "docker/root/etc/s6-overlay/s6-rc.d/svc-ledger"


@pytest.mark.parametrize(
    "kind",
    [b"\x80\x81 longrun\n", b"longrun\n" + b"#" * 100_000, "folder", "fifo", "outside"],
    ids=["binary", "huge", "folder", "fifo", "outside"],
)
def test_a_type_file_that_cannot_be_read_is_a_note(
    make_project: MakeProject, tmp_path: Path, kind: bytes | str
) -> None:
    import os

    files = {k: v for k, v in FILES.items() if k != f"{SERVICE}/type"}
    if isinstance(kind, bytes):
        files[f"{SERVICE}/type"] = kind
    elif kind == "folder":
        files[f"{SERVICE}/type/x"] = ""
    root = make_project(files)
    if kind == "fifo":
        os.mkfifo(root / SERVICE / "type")  # read, it would wait forever
    elif kind == "outside":
        elsewhere = tmp_path / "elsewhere-type"
        elsewhere.write_text("oneshot\n")  # read, the service would be left out
        (root / SERVICE / "type").symlink_to(elsewhere)
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=DEPS, notes=notes)
    assert app.command.value == ("python", "-m", "ledger", "serve")
    assert any(n.startswith(f"{SERVICE}/type: not read") and "long-running" in n for n in notes), notes
