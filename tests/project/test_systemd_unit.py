"""systemd units (detectors/systemd_unit.py): a ``*.service`` whose ExecStart= runs the app's server is a
start source, its socket or loopback bind made the container's port, ranked after Procfile/compose."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own app: a Flask app in a package under src/
APP = "from flask import Flask\n\napp = Flask(__name__)\n\n@app.get('/health')\ndef health():\n    return 'ok'\n"
FILES = {"src/shop/__init__.py": "", "src/shop/web.py": APP, "requirements.txt": "flask\ngunicorn\n"}
UNIT = """[Unit]
Description=shop
After=network.target

[Service]
User=shop
WorkingDirectory=/srv/shop/src
Environment="SHOP_MODE=production" LOG_LEVEL=info
EnvironmentFile=/etc/shop.env
ExecStart=/srv/shop/venv/bin/gunicorn --workers 3 \\
    --bind unix:/run/shop.sock shop.web:app
Restart=always

[Install]
WantedBy=multi-user.target
"""
DEPS = frozenset({"flask", "gunicorn", "uvicorn"})


def _app(make_project: MakeProject, files: dict[str, str]) -> tuple[AppFacts, list[str]]:
    notes: list[str] = []
    app = detect_app(ProjectTree(make_project({**FILES, **files})), None, dependencies=DEPS, notes=notes)
    return app, notes


def test_a_unit_socket_bind_runs_on_the_containers_port(make_project: MakeProject) -> None:
    app, notes = _app(make_project, {"deploy/shop.service": UNIT})
    assert app.command.value == ("gunicorn", "--chdir", "src", "--workers", "3", "shop.web:app")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("deploy/shop.service", 10)
    env = {e.name: e.value for e in app.env}
    assert env["SHOP_MODE"] == "production" and env["LOG_LEVEL"] == "info"
    assert env["PORT"] == str(app.port.value)  # gunicorn with no bind reads PORT
    assert any("EnvironmentFile=" in n and "--env-file" in n for n in notes)


def test_loopback_binds_become_all_interfaces(make_project: MakeProject) -> None:
    unit = "[Service]\nExecStart=/usr/bin/python3 -m gunicorn -b 127.0.0.1:8002 --chdir src shop.web:app\n"
    app, _ = _app(make_project, {"shop.service": unit})
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8002", "--chdir", "src", "shop.web:app")
    assert app.port.value == 8002
    asgi = {
        "api.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "requirements.txt": "fastapi\nuvicorn\n",
    }
    unit = (
        "[Service]\nExecStart=/opt/venv/bin/uvicorn api:app --host=127.0.0.1 --port 8003 --uds /run/a.sock\n"
    )
    app, _ = _app(make_project, {**asgi, "etc/systemd/api.service": unit})
    assert app.command.value == ("uvicorn", "api:app", "--host", "0.0.0.0", "--port", "8003")
    assert app.port.value == 8003


def test_a_procfile_outranks_the_unit(make_project: MakeProject) -> None:
    app, _ = _app(
        make_project,
        {
            "deploy/shop.service": UNIT,
            "Procfile": "web: gunicorn --chdir src -b 0.0.0.0:$PORT shop.web:app\n",
        },
    )
    assert app.command.evidence[0].file == "Procfile"


def test_a_python_worker_unit(make_project: MakeProject) -> None:
    files = {"poller.py": "import time\n\nwhile True:\n    time.sleep(5)\n", "tool.py": "print(1)\n"}
    unit = "[Service]\nWorkingDirectory=/home/pi/poller\nExecStart=-/usr/bin/python3 -u /home/pi/poller/poller.py\n"
    root = make_project({**files, "poller.service": unit})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset())
    assert app.command.value == ("python", "poller.py") and app.kind.value == "worker"


def test_units_that_are_not_the_start(make_project: MakeProject) -> None:
    for rel, unit in (
        ("tests/shop.service", UNIT),  # under tests/
        ("deploy/web.service", "[Service]\nExecStart=/usr/bin/node server.js\n"),  # another program
        ("deploy/x.service", "[Unit]\nExecStart=/srv/venv/bin/gunicorn other:app\n"),  # not [Service]
    ):
        app, _ = _app(make_project, {rel: unit})
        assert app.command.evidence[0].file != rel


def test_runner_prefixes_and_host_only_options(make_project: MakeProject) -> None:
    unit = (
        "[Service]\nWorkingDirectory=/root/shop\n"
        "ExecStart=/usr/local/bin/mise exec -- pipenv --python /root/.pyenv/shims/python run gunicorn --bind unix:/run/g.sock --chdir src "
        "--access-logfile /var/log/g/access.log --error-logfile - --pid /run/g.pid shop.web:app --workers 3\n"
    )
    app, notes = _app(make_project, {"deploy/g.service": unit})
    assert app.command.value == (
        "gunicorn",
        "--chdir",
        "src",
        "--error-logfile",
        "-",
        "shop.web:app",
        "--workers",
        "3",
    )
    assert any("--access-logfile /var/log/g/access.log, --pid /run/g.pid" in n for n in notes)


def test_a_checkout_named_like_its_package_is_the_root(make_project: MakeProject) -> None:
    files = {"shop/__init__.py": "", "shop/wsgi.py": APP, "manage.py": "print(1)\n"}
    unit = "[Service]\nWorkingDirectory=/srv/shop\nExecStart=/srv/venv/bin/gunicorn --bind unix:/run/s.sock shop.wsgi:app\n"
    app, _ = _app(make_project, {**files, "shop.service": unit})
    assert app.command.value == ("gunicorn", "shop.wsgi:app")  # /srv/shop is the checkout, not shop/


def test_secret_values_of_a_unit_stay_out_of_the_image(make_project: MakeProject) -> None:
    """A unit's ``Environment=`` often holds the host's credentials: a secret-named variable with a literal
    value or a URL with a password is never an ``ENV`` of the image, but a variable ``docker run`` gives."""
    unit = UNIT.replace(
        'Environment="SHOP_MODE=production" LOG_LEVEL=info',
        'Environment="SHOP_MODE=production" "SECRET_KEY=k8s-9f2c1e77" "DATABASE_URL=postgres://shop:pw77@db/shop"',
    )
    app, notes = _app(make_project, {"deploy/shop.service": unit})
    env = {e.name: e.value for e in app.env}
    assert env["SHOP_MODE"] == "production"
    assert "SECRET_KEY" not in env and "DATABASE_URL" not in env
    required = {f.value: f.evidence[0] for f in app.required_env}
    assert required["SECRET_KEY"].file == "deploy/shop.service" and "DATABASE_URL" in required
    assert any("SECRET_KEY" in n and "docker run -e" in n for n in notes)
    assert not any("k8s-9f2c1e77" in n or "pw77" in n for n in notes)


def test_a_loopback_bind_without_a_port_becomes_all_interfaces(make_project: MakeProject) -> None:
    """gunicorn's ``--bind localhost`` (port 8000, its default) listens on the loopback alone, which no
    one outside the container reaches: it becomes ``0.0.0.0`` too."""
    unit = "[Service]\nExecStart=/srv/venv/bin/gunicorn --bind localhost --chdir src shop.web:app\n"
    app, _ = _app(make_project, {"shop.service": unit})
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0", "--chdir", "src", "shop.web:app")


def test_a_task_queue_unit_is_a_worker_not_the_web_start(make_project: MakeProject) -> None:
    """A unit running a task queue of the servers table (celery beat, an rq worker) is a worker: the web
    app's start is another source's (here the framework scan's), the unit's process one of the others."""
    tasks = {
        "src/shop/tasks.py": "from celery import Celery\n\ncelery = Celery('shop')\n",
        "requirements.txt": "flask\ngunicorn\ncelery\n",
    }
    unit = "[Service]\nWorkingDirectory=/srv/shop/src\nExecStart=/srv/venv/bin/celery --app shop.tasks beat\n"
    root = make_project({**FILES, **tasks, "deploy/shop-beat.service": unit})
    app = detect_app(ProjectTree(root), None, dependencies=DEPS | {"celery"})
    assert app.kind.value == "web"
    assert app.command.value[0] == "gunicorn" and app.command.evidence[0].file != "deploy/shop-beat.service"


def test_daemontools_and_runit_chain_loaders_are_left_out(make_project: MakeProject) -> None:
    # `envdir DIR setuidgid USER gunicorn ...`: the environment folder and the user are the host's; the
    # command after them is the server
    for exec_start in (
        "/usr/bin/envdir /home/shop/envdir setuidgid shop gunicorn --chdir src shop.web:app",
        "chpst -u shop:shop -e /etc/shop/env -v /srv/venv/bin/gunicorn --chdir src shop.web:app",
        "softlimit -m 500000000 envuidgid shop gunicorn --chdir src shop.web:app",
    ):
        app, _ = _app(make_project, {"shop.service": f"[Service]\nExecStart={exec_start}\n"})
        assert app.command.value == ("gunicorn", "--chdir", "src", "shop.web:app"), exec_start


def test_a_unit_in_a_mirror_of_the_hosts_etc_is_found(make_project: MakeProject) -> None:
    # deploy files laid out as they land on the host: support/etc/systemd/system/shop.service
    unit = "[Service]\nExecStart=/srv/venv/bin/gunicorn --chdir src shop.web:app\n"
    app, _ = _app(make_project, {"support/etc/systemd/system/shop.service": unit})
    assert app.command.value == ("gunicorn", "--chdir", "src", "shop.web:app")


SOCKET = "[Unit]\nDescription=shop socket\n\n[Socket]\nListenStream={listen}\n{extra}\n[Install]\nWantedBy=sockets.target\n"


def test_socket_activation_s_tcp_port_is_the_app_s_port(make_project: MakeProject) -> None:
    for listen in ("8011", "0.0.0.0:8011", "127.0.0.1:8011", "[::]:8011"):
        socket = SOCKET.format(listen=listen, extra="")
        app, _ = _app(make_project, {"deploy/shop.service": UNIT, "deploy/shop.socket": socket})
        assert app.command.value == ("gunicorn", "--chdir", "src", "--workers", "3", "shop.web:app")
        assert app.port.value == 8011, listen
        assert (app.port.evidence[0].file, app.port.evidence[0].line) == ("deploy/shop.socket", 5)
        assert (
            f"ListenStream={listen} (the socket systemd listens on for shop.service)"
            in app.port.evidence[0].detail
        )
        assert {e.name: e.value for e in app.env}["PORT"] == "8011"  # gunicorn with no bind reads PORT


def test_a_socket_named_otherwise_counts_through_service_or_requires(make_project: MakeProject) -> None:
    named = SOCKET.format(listen="9100", extra="Service=shop.service\n")
    app, _ = _app(make_project, {"deploy/shop.service": UNIT, "deploy/web.socket": named})
    assert app.port.value == 9100
    required = UNIT.replace("After=network.target", "After=network.target\nRequires=web.socket")
    socket = SOCKET.format(listen="9101", extra="")
    app, _ = _app(make_project, {"deploy/shop.service": required, "deploy/web.socket": socket})
    assert app.port.value == 9101


def test_a_unix_socket_or_another_unit_s_socket_says_no_port(make_project: MakeProject) -> None:
    unix = SOCKET.format(listen="/run/shop.sock", extra="")
    app, _ = _app(make_project, {"deploy/shop.service": UNIT, "deploy/shop.socket": unix})
    assert app.port.evidence[0].file != "deploy/shop.socket"
    other = SOCKET.format(listen="9200", extra="")
    app, _ = _app(make_project, {"deploy/shop.service": UNIT, "deploy/metrics.socket": other})
    assert app.port.value != 9200


def test_a_commented_requires_names_no_socket(make_project: MakeProject) -> None:
    commented = UNIT.replace("After=network.target", "After=network.target\n#Requires=web.socket")
    socket = SOCKET.format(listen="9102", extra="")
    app, _ = _app(make_project, {"deploy/shop.service": commented, "deploy/web.socket": socket})
    assert app.port.value != 9102


def test_host_tuning_prefixes_of_exec_start_are_left_out_and_said(make_project: MakeProject) -> None:
    unit = (
        "[Service]\nExecStart=/usr/bin/nice -n 10 /usr/bin/taskset -c 0 /srv/shop/venv/bin/gunicorn "
        "-b 127.0.0.1:8004 --chdir src shop.web:app\n"
    )
    app, notes = _app(make_project, {"shop.service": unit})
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8004", "--chdir", "src", "shop.web:app")
    note = next(n for n in notes if "left out of the start: /usr/bin/nice -n 10" in n)
    assert note.startswith("shop.service:2: ") and "/usr/bin/taskset -c 0 (a host's CPU list" in note
