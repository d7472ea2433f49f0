"""The files a start names: an environment assignment's value, not the assignment itself."""

from dockwright.plan.strategies.slim import _file_args


def test_assignment_names_its_value() -> None:
    line = "CONF=/app/conf/server_conf.py exec gunicorn -c /app/conf/server_conf.py svc.main:app"
    assert _file_args(("/bin/sh", "-c", line)) == ["/app/conf/server_conf.py"]


def test_plain_files_kept() -> None:
    assert _file_args(("/bin/sh", "-c", "./manage.py migrate && exec ./run.sh")) == [
        "./manage.py",
        "./run.sh",
    ]
