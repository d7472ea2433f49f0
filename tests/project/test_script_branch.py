"""An entry script that serves only for one first argument is run with it (rw37: an image shape with
`ENTRYPOINT ["app"]` and `CMD ["run"]`, whose script hands any other argument to manage.py: run bare,
it printed manage.py's help and exited 0)."""

from __future__ import annotations

import pytest
from tests.project.conftest import MakeProject
from tests.project.test_start_detectors import app_of

from dockwright.project.script_branch import branch_argument

RUN_BRANCH = """#!/bin/bash
set -e
if [ "$1" == "run" ]; then
  python manage.py migrate --noinput
  exec gunicorn mysite.wsgi --bind 0.0.0.0:8000 --workers 2
fi
exec python manage.py "$@"
"""
CASES = """#!/bin/sh
case "$1" in
  serve|web)
    exec gunicorn app:app
    ;;
  worker) exec celery -A tasks worker ;;
  *)
    exec "$@"
    ;;
esac
"""


@pytest.mark.parametrize(
    ("text", "line", "word"),
    [
        (RUN_BRANCH, 5, "run"),
        (CASES, 4, "serve"),
        (CASES, 6, "worker"),
        (CASES, 8, None),  # `*)`: any argument, none too
        ('#!/bin/sh\nif [ -n "$X" ]; then\n  echo x\nfi\nexec gunicorn app:app\n', 5, None),
        ('#!/bin/sh\nif [ "$1" = "run" ]; then\n  echo a\nelse\n  exec gunicorn app:app\nfi\n', 5, None),
        (
            '#!/bin/sh\nif [[ $1 == web ]]; then\n  if [ -n "$M" ]; then\n    migrate\n  fi\n  exec uvicorn a:b\nfi\n',
            6,
            "web",
        ),
        ('#!/bin/sh\nif [ "$1" != "run" ]; then\n  exec "$@"\nfi\nexec gunicorn app:app\n', 5, None),
    ],
)
def test_the_word_the_line_runs_for(text: str, line: int, word: str | None) -> None:
    assert branch_argument(text, line) == word


def test_the_entry_script_is_run_with_its_serving_argument(make_project: MakeProject) -> None:
    files = {
        "manage.py": "import django\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = 'mysite.urls'\n",
        "mysite/urls.py": "urlpatterns = []\n",
        "mysite/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "docker/entrypoint.sh": RUN_BRANCH,
    }
    app = app_of(make_project(files), deps=("django", "gunicorn"))
    assert app.command.value == ("bash", "docker/entrypoint.sh", "run")
    assert "first argument is run" in app.command.evidence[0].detail
    assert app.kind.value == "web" and app.port.value == 8000
