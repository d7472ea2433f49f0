"""An own image that EXPOSEs one port and probes it over HTTP serves there, whatever the source scan
knows of its framework (rw37: sygnal, a Twisted service run as `python -m`, was planned as a worker
with no EXPOSE and no probe)."""

from __future__ import annotations

from tests.project.conftest import MakeProject
from tests.project.test_start_detectors import app_of

SERVICE = """from twisted.internet import reactor
from twisted.web.resource import Resource
from twisted.web.server import Site

root = Resource()
reactor.listenTCP(5000, Site(root))
reactor.run()
"""
PYPROJECT = """[project]
name = "pushsvc"
version = "1.0"
dependencies = ["twisted"]

[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"
"""


def _files(healthcheck: str) -> dict[str, str]:
    dockerfile = (
        "FROM python:3.13-slim\nCOPY . /src\nRUN pip install /src\nEXPOSE 5000/tcp\n"
        f'ENTRYPOINT ["python", "-m", "pushsvc"]\n{healthcheck}'
    )
    return {
        "pyproject.toml": PYPROJECT,
        "pushsvc/__init__.py": "",
        "pushsvc/__main__.py": SERVICE,
        "Dockerfile": dockerfile,
    }


def test_an_http_probe_of_the_exposed_port_makes_the_own_image_a_web_process(
    make_project: MakeProject,
) -> None:
    root = make_project(_files("HEALTHCHECK CMD curl --fail http://localhost:5000/health || exit 1\n"))
    app = app_of(root, deps=("twisted",))
    assert (app.kind.value, app.port.value, app.health_path.value) == ("web", 5000, "/health")
    assert any("own image probes" in e.detail for e in app.health_path.evidence)


def test_without_a_probe_the_own_image_process_stays_a_worker(make_project: MakeProject) -> None:
    app = app_of(make_project(_files("")), deps=("twisted",))
    assert app.kind.value == "worker" and app.port.value is None


def test_a_probe_of_another_port_says_nothing_of_the_exposed_one(make_project: MakeProject) -> None:
    root = make_project(_files("HEALTHCHECK CMD curl --fail http://localhost:9090/metrics || exit 1\n"))
    assert app_of(root, deps=("twisted",)).kind.value == "worker"
