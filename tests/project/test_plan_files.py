"""plan_files: the files several steps of a plan read are read once per plan."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from dockwright import api
from dockwright.project import plan_files
from dockwright.project.detect import detect_project
from dockwright.project.plan_files import PlanFiles
from dockwright.project.tree import ProjectTree

APP = "from flask import Flask\n\napp = Flask(__name__)\n"
RENDER = """services:
  - type: web
    name: shop
    runtime: python
    startCommand: gunicorn app:app
    preDeployCommand: echo ready
    envVars:
      - key: MODE
        value: prod
"""
CONFIG = 'workers = 2\nbind = "0.0.0.0:8000"\naccesslog = "-"\n'
DOCKERFILE = 'FROM python:3.12-slim\nVOLUME /data\nCMD ["gunicorn", "--timeout", "60", "app:app"]\n'


def _project(root: Path) -> Path:
    (root / "app.py").write_text(APP, encoding="utf-8")
    (root / "requirements.txt").write_text("flask==3.0.0\ngunicorn==22.0.0\n", encoding="utf-8")
    (root / "render.yaml").write_text(RENDER, encoding="utf-8")
    (root / "gunicorn.conf.py").write_text(CONFIG, encoding="utf-8")
    (root / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    return root


def test_a_plan_reads_each_shared_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: Counter[str] = Counter()
    finals: list[object] = []
    parsed: Counter[str] = Counter()
    load, own_final, python_module = plan_files.load, plan_files.own_final, PlanFiles.python_module

    def counted_load(tree: ProjectTree, rel: str) -> Any:
        loads[rel] += 1
        return load(tree, rel)

    def counted_final(tree: ProjectTree) -> Any:
        finals.append(tree)
        return own_final(tree)

    def counted_module(self: PlanFiles, rel: str) -> Any:
        parsed[rel] += rel not in self._modules
        return python_module(self, rel)

    monkeypatch.setattr(plan_files, "load", counted_load)
    monkeypatch.setattr(plan_files, "own_final", counted_final)
    monkeypatch.setattr(PlanFiles, "python_module", counted_module)
    plan = api.plan(_project(tmp_path), syntax_directive=False)
    assert "gunicorn" in plan.cmd
    assert loads["render.yaml"] == 1 and max(loads.values()) == 1
    assert len(finals) == 1
    assert parsed == Counter({"gunicorn.conf.py": 1})


def test_a_file_that_does_not_parse_is_none_every_time(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("workers = (\n", encoding="utf-8")
    files = PlanFiles(ProjectTree(tmp_path))
    assert files.python_module("conf.py") is None
    assert files.python_module("conf.py") is None
    assert files.descriptor("render.yaml") is None


# the own image copies its entry script and a helper from a recipe folder; both the start detectors (which
# script the image runs) and the start's links (the helper's path in that image) place files by the copies
COPYING_RECIPE = """\
FROM python:3.13-slim
WORKDIR /opt/svc
COPY . /build
COPY deploy/docker/entrypoint.sh /opt/svc/
COPY deploy/docker/check.py /opt/svc/check.py
EXPOSE 8080
ENTRYPOINT ["./entrypoint.sh"]
"""
COPYING_SCRIPT = (
    "#!/bin/sh\nset -eu\npython3 /opt/svc/check.py\nexec gunicorn --bind 0.0.0.0:8080 svc.app:app\n"
)


def test_the_own_image_s_copies_are_worked_out_once_per_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "deploy/docker").mkdir(parents=True)
    (tmp_path / "deploy/docker/Dockerfile").write_text(COPYING_RECIPE, encoding="utf-8")
    (tmp_path / "deploy/docker/entrypoint.sh").write_text(COPYING_SCRIPT, encoding="utf-8")
    (tmp_path / "deploy/docker/check.py").write_text("print('ok')\n", encoding="utf-8")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc/__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "svc/app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "requirements.txt").write_text("flask\ngunicorn\n", encoding="utf-8")
    reads: list[object] = []
    image_copies = plan_files.image_copies

    def counted(tree: ProjectTree, dockerfile: Any) -> Any:
        reads.append(tree)
        return image_copies(tree, dockerfile)

    monkeypatch.setattr(plan_files, "image_copies", counted)
    facts = detect_project(tmp_path, python="3.13")
    assert facts.app.command.value == ("sh", "deploy/docker/entrypoint.sh")  # found through the copies
    assert ("/opt/svc/check.py", "deploy/docker/check.py") in {f.value for f in facts.app.start_links}
    assert len(reads) == 1
