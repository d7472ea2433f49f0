"""Entrypoint scripts with a command only root can run (``chown``, ``gosu`` ...) are not the start of an
image that starts as its non-root user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.root_commands import (
    given_paths,
    ignored_root_lines,
    root_command_table,
    root_line,
    without_root,
)
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

DROPS_ROOT = (
    "#!/usr/bin/env bash\nset -euo pipefail\npython manage.py migrate\nchown -R shop:shop /srv/shop\n"
    "exec gosu shop gunicorn shop.wsgi:application \\\n    --bind 0.0.0.0:8000 \\\n    --workers 3\n"
)
SETTINGS = "INSTALLED_APPS = ['django.contrib.admin']\nWSGI_APPLICATION = 'shop.wsgi.application'\n"


def test_every_row_names_a_source() -> None:
    table = root_command_table()
    assert {"gosu", "su-exec", "chown", "useradd", "apt-get"} <= set(table)
    assert all(row.source.startswith("https://") and row.does for row in table.values())


def test_the_first_root_only_line_is_named() -> None:
    found = root_line(DROPS_ROOT)
    assert found is not None and (found.line, found.program) == (4, "chown")
    found = root_line("#!/bin/sh\npython manage.py migrate && exec su-exec app gunicorn a:b\n")
    assert found is not None and (found.line, found.program) == (2, "su-exec")
    found = root_line("#!/bin/sh\nexec /usr/sbin/gosu app uvicorn a:b\n")
    assert found is not None and found.program == "gosu"


def test_handled_failures_and_scripts_that_ask_who_runs_them_are_not_named() -> None:
    assert root_line("#!/bin/sh\nchown -R app /data || true\nexec gunicorn a:b\n") is None
    asks = '#!/bin/sh\nif [ "$(id -u)" = "0" ]; then\n  exec gosu app "$0" "$@"\nfi\nexec gunicorn a:b\n'
    assert root_line(asks) is None
    assert root_line("#!/bin/sh\n# chown -R app /data\necho 'run gosu later'\nexec gunicorn a:b\n") is None


def test_a_script_that_drops_root_is_not_the_start(make_project: MakeProject) -> None:
    root = make_project(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
            "shop/__init__.py": "",
            "shop/settings.py": SETTINGS,
            "shop/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
            "docker/entrypoint.sh": DROPS_ROOT,
        }
    )
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"django", "gunicorn"}), notes=notes)
    assert app.command.value[0] == "gunicorn" and "shop.wsgi:application" in app.command.value
    assert app.port.value == 8000
    [note] = [n for n in notes if n.startswith("docker/entrypoint.sh")]
    assert "line 4 runs chown" in note and "starts as its non-root user" in note


def test_a_wrapping_script_that_drops_root_is_not_used(make_project: MakeProject) -> None:
    script = '#!/bin/sh\nset -e\nalembic upgrade head\nchown -R app:app /app/data\nexec "$@"\n'
    root = make_project(
        {
            "Dockerfile": 'FROM python:3.13-slim\nENTRYPOINT ["./entrypoint.sh"]\nCMD ["uvicorn", "svc:api"]\n',
            "entrypoint.sh": script,
            "svc.py": "from fastapi import FastAPI\n\napi = FastAPI()\n",
        }
    )
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"fastapi", "uvicorn"}), notes=notes)
    assert app.command.value[0] == "uvicorn"
    assert any("entrypoint.sh:4 runs chown" in n and "is not used" in n for n in notes)


def test_a_line_after_continued_lines_keeps_its_own_number() -> None:
    script = (
        "#!/bin/sh\n"
        'cmd="exec gunicorn shop:app \\\n'
        "     --bind 0.0.0.0:8000 \\\n"
        '     --workers 2"\n'
        "usermod -o -u 1000 shop\n"
        'eval "$cmd"\n'
    )
    found = root_line(script)
    assert found is not None and (found.line, found.program) == (5, "usermod")


def test_a_chown_the_script_goes_on_after_does_not_stop_the_start() -> None:
    goes_on = (
        "#!/bin/sh\nmkdir -p data\npython manage.py migrate\nchown -R www-data: data\nexec gunicorn a:b\n"
    )
    assert root_line(goes_on) is None
    [ignored] = ignored_root_lines(goes_on)
    assert (ignored.line, ignored.program) == (4, "chown")
    for stops in (
        goes_on.replace("#!/bin/sh\n", "#!/bin/sh\nset -eu\n"),
        goes_on.replace("#!/bin/sh\n", "#!/bin/sh -e\n"),
        goes_on.replace("#!/bin/sh\n", "#!/bin/sh\nset -x -e\n"),
        goes_on.replace("#!/bin/sh\n", "#!/bin/bash\nset -o errexit\n"),
        goes_on.replace("data\nexec", "data && exec"),  # the start is chained to it
        goes_on.replace("exec gunicorn a:b", "exec gosu app gunicorn a:b"),  # gosu needs root itself
    ):
        assert root_line(stops) is not None, stops
        assert ignored_root_lines(stops) == []
    # a user's creation is not a file's owner: what follows needs that user
    assert root_line("#!/bin/sh\nuseradd app\nexec gunicorn a:b\n") is not None


def test_a_chown_whose_failure_exits_stops_the_start() -> None:
    # `|| exit 1` (or a block that exits) ends the script where the chown fails, set -e or not
    base = "#!/bin/sh\nchown -R www-data: data{tail}\nexec gunicorn a:b\n"
    for tail in (" || exit 1", " || { echo 'cannot chown' >&2; exit 1; }", " || return 1"):
        script = base.format(tail=tail)
        assert root_line(script) is not None, script
        assert ignored_root_lines(script) == []
    assert root_line(base.format(tail=" || echo 'could not chown'")) is None  # handled: goes on


def MEDIA(path: str) -> bool:  # noqa: N802 - the folders the image makes writable
    return path in ("/app/media", "media")


def test_a_dropper_and_a_chown_of_a_writable_folder_are_left_out() -> None:
    script = (
        "#!/bin/sh\nset -e\npython manage.py migrate\nchown -R app:app /app/media\n"
        'exec su-exec "app:app" gunicorn shop.wsgi \\\n    --bind 0.0.0.0:8000\n'
    )
    freed = without_root(script, MEDIA)
    assert freed is not None
    assert freed.text.split("\n")[3:6] == ["", "exec gunicorn shop.wsgi \\", "    --bind 0.0.0.0:8000"]
    assert [d.split(":", 1)[0] for d in freed.dropped] == ["line 4", "line 5"]
    assert "su-exec app:app before gunicorn" in freed.dropped[1]
    assert root_line(freed.text) is None
    # a dropper on a step's line too: `gosu app python manage.py migrate` runs the command itself
    step = without_root("#!/bin/sh\nset -e\ngosu app python manage.py migrate\nexec gunicorn a:b\n", MEDIA)
    assert step is not None and step.text.split("\n")[2] == "python manage.py migrate"


def test_what_needs_root_for_real_keeps_the_script_roots() -> None:
    tail = "exec gosu app gunicorn a:b\n"
    for needs_root in (
        f"#!/bin/sh\nset -e\napt-get update\napt-get install -y libpq5\n{tail}",  # packages at start
        f"#!/bin/sh\nset -e\nuseradd app\n{tail}",
        f"#!/bin/sh\nset -e\nchown -R app /srv/data\n{tail}",  # a folder the image does not make writable
        f"#!/bin/sh\nset -e\nchown -R app $DATA_DIR\n{tail}",  # a folder only known at run time
        "#!/bin/sh\nset -e\nchown -R app /app/media && exec gosu app gunicorn a:b\n",  # one line, two commands
        '#!/bin/sh\nif [ "$(id -u)" = 0 ]; then chown -R app /app/media; fi\nexec gosu app gunicorn a:b\n',
    ):
        assert without_root(needs_root, MEDIA) is None, needs_root
    assert without_root("#!/bin/sh\nexec gunicorn a:b\n", MEDIA) is None  # nothing to leave out


def test_the_paths_a_chown_gives() -> None:
    assert given_paths(("chown", "-R", "--from=root", "app:app", "/app/media", "logs")) == (
        "/app/media",
        "logs",
    )
    assert given_paths(("chgrp", "-R", "app", "/app/media")) == ("/app/media",)
    assert given_paths(("chown", "app")) is None
    assert given_paths(("gosu", "app", "gunicorn")) is None


def _django(script: str) -> dict[str, str | bytes]:
    settings = SETTINGS + "MEDIA_ROOT = BASE_DIR / 'media'\n"
    return {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
        "shop/__init__.py": "",
        "shop/settings.py": "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
        + settings,
        "shop/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "entrypoint.sh": script,
    }


def test_a_server_through_a_dropper_runs_inline_with_the_scripts_steps(make_project: MakeProject) -> None:
    script = (
        "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nchown -R app /app/media\n"
        "exec gosu app gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers 3\n"
    )
    notes: list[str] = []
    root = make_project(_django(script))
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"django", "gunicorn"}), notes=notes)
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "python manage.py migrate --noinput && exec gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers 3",
    )
    assert app.kind.value == "web" and app.port.value == 8000
    [note] = [n for n in notes if n.startswith("entrypoint.sh")]
    assert "line 4: chown -R app /app/media" in note and "line 5: gosu app before gunicorn" in note


def test_a_server_through_a_dropper_in_a_script_with_structure_runs_directly(
    make_project: MakeProject,
) -> None:
    script = (
        "#!/bin/sh\nset -e\nuntil python manage.py migrate --noinput; do sleep 1; done\n"
        "exec s6-setuidgid app uvicorn shop.asgi:application --host 0.0.0.0 --port 8001\n"
    )
    notes: list[str] = []
    root = make_project(_django(script))
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"django", "uvicorn"}), notes=notes)
    assert app.command.value == ("uvicorn", "shop.asgi:application", "--host", "0.0.0.0", "--port", "8001")
    assert app.port.value == 8001
    assert any("through s6-setuidgid" in n and "other lines do not run" in n for n in notes)


def test_a_script_that_installs_packages_at_start_stays_refused(make_project: MakeProject) -> None:
    script = (
        "#!/bin/sh\nset -e\napt-get install -y libpq5\npython manage.py migrate --noinput\n"
        "exec gosu app gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers 3\n"
    )
    notes: list[str] = []
    root = make_project(_django(script))
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"django", "gunicorn"}), notes=notes)
    assert app.command.value[0] == "gunicorn" and "--workers" not in app.command.value  # the framework's
    assert any("line 3 runs apt-get" in n and "not used" in n for n in notes)
