"""A compose command that names a file by its path inside a bind mount of the project (``./src:/srv``
then ``python /srv/jobs.py``) runs that project file: the image copies it, at its project path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.detectors.compose import _bind_mounts, _through_mounts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

JOBS = "import time\n\nwhile True:\n    time.sleep(60)\n"
COMPOSE = """\
services:
  base: &base
    build: .
    volumes:
      - .:/srv
  jobs:
    <<: *base
    command: ["python", "/srv/jobs.py", "--every", "60"]
    volumes:
      - ./src:/srv
      - type: bind
        source: ./conf
        target: /etc/jobs
      - cache:/srv/cache
volumes:
  cache: {}
"""


def test_a_path_inside_a_project_mount_is_the_project_file(make_project: MakeProject) -> None:
    root = make_project({"src/jobs.py": JOBS, "compose.yaml": COMPOSE, "conf/jobs.ini": "[jobs]\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset(), notes=[])
    assert app.command.value == ("python", "src/jobs.py", "--every", "60")


def test_a_path_the_project_does_not_hold_is_kept(make_project: MakeProject) -> None:
    root = make_project({"src/jobs.py": JOBS})
    mounts = _bind_mounts({"volumes": ["./src:/srv", "/var/data:/data", "cache:/cache"]}, root, root)
    assert mounts == [
        ("/srv", "src")
    ]  # host paths outside the project and named volumes are not mounts of it
    tree = ProjectTree(root)
    assert _through_mounts(("python", "/srv/missing.py"), mounts, tree) == ("python", "/srv/missing.py")
    assert _through_mounts(("python", "/srv/jobs.py"), mounts, tree) == ("python", "src/jobs.py")
