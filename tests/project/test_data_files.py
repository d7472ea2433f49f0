"""The .dockerignore never drops a file the code opens or the package build reads."""

from __future__ import annotations

from pathlib import Path

from dockwright import api
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.project.data_files import build_reads, code_reads
from dockwright.project.tree import ProjectTree

APP = """\
import json
import os
from pathlib import Path

import yaml
from dotenv import load_dotenv
from flask import Flask

HERE = Path(__file__).resolve().parent
load_dotenv(".env")
app = Flask(__name__)
SPEC = yaml.safe_load(open("docs/api-spec.yaml"))
SCHEMA = json.loads((HERE / "docs" / "schemas" / "event.json").read_text())
FIXTURE = os.path.join(os.path.dirname(__file__), "tests", "golden.txt")


@app.get("/healthz")
def health():
    return "ok"
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _app(root: Path) -> Path:
    return _write(
        root,
        {
            "app.py": APP,
            "docs/api-spec.yaml": "openapi: 3.1.0\n",
            "docs/schemas/event.json": "{}\n",
            "docs/index.md": "# docs\n",
            "tests/golden.txt": "x\n",
            ".env": "SECRET=1\n",
            "requirements.txt": "flask==3.0.3\npyyaml==6.0.2\npython-dotenv==1.0.1\n",
        },
    )


def test_literals_the_code_opens_with_their_lines(tmp_path: Path) -> None:
    reads = {e.detail: (e.file, e.line) for e in code_reads(ProjectTree(_app(tmp_path)))}
    assert reads["docs/api-spec.yaml"] == ("app.py", 12)
    assert reads["docs/schemas/event.json"] == ("app.py", 13)
    assert reads["tests/golden.txt"] == ("app.py", 14)
    assert reads[".env"] == ("app.py", 10)


def test_the_dockerignore_readmits_what_the_code_opens_but_never_a_secret(tmp_path: Path) -> None:
    plan = api.plan(_app(tmp_path))
    rules = DockerIgnore.parse("\n".join(e.pattern for e in plan.dockerignore))
    assert not rules.excluded("docs/api-spec.yaml")
    assert not rules.excluded("docs/schemas/event.json")
    assert not rules.excluded("tests/golden.txt")
    assert rules.excluded("docs/index.md"), "the rest of docs/ stays out"
    assert rules.excluded(".env"), "a secret is never re-admitted, whoever opens it"
    reason = next(d.reason for d in plan.decisions if d.topic == "dockerignore")
    assert "docs/api-spec.yaml (app.py:12)" in reason


def test_build_inputs_of_manifest_setup_cfg_and_setup_py(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "MANIFEST.in": "include docs/changes.rst\nrecursive-include docs/man *.1\n",
            "docs/changes.rst": "x\n",
            "docs/man/tool.1": "x\n",
            "share/data.csv": "x\n",
            "setup.cfg": "[metadata]\nlong_description = file: docs/long.md\n\n[options.data_files]\n"
            "share/man/man1 = docs/man/tool.1\n",
            "docs/long.md": "x\n",
            "setup.py": 'from setuptools import setup\nsetup(name="t", long_description=open("docs/intro.rst").read())\n',
            "docs/intro.rst": "x\n",
        },
    )
    paths = {e.detail for e in build_reads(ProjectTree(root))}
    assert {"docs/changes.rst", "docs/long.md", "docs/man/tool.1"} <= paths
    assert "docs/man" not in paths, "recursive-include outside a package only feeds the sdist"
    assert "docs/intro.rst" in {e.detail for e in code_reads(ProjectTree(root))}


def test_a_file_the_code_writes_or_dev_tooling_names_is_no_read(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "app.py": 'with open("Dockerfile", "w") as out:\n    out.write("FROM x")\n',
            "dev/gen.py": 'DATA = open("tests/data.json").read()\n',
            "Dockerfile": "FROM x\n",
            "tests/data.json": "{}\n",
        },
    )
    assert code_reads(ProjectTree(root)) == ()
