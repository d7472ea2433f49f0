"""What an audit loads: neither ``packaging`` nor the project facts' module (``dockwright.project.facts``).

Both loaded during every audit's export wait and cost CPU the engine's export needed on a busy
machine (~15 and ~20 ms; docs/lean.md, auditperf28). packaging loads only when the pip-in-runtime
check must parse a ``Requires-Dist`` line that names pip or setuptools; the report's JSON is made by
:mod:`dockwright.jsonable`. A module list, not a time: an import moved back to a module's top shows
here whatever the machine's load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockwright.dist_names import canonicalize_name

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"

_PROBE = """
import json, sys
from audit_images import F, Img, app_layer, base_layer, serve
before = set(sys.modules)
from dockwright.audit.audit import run_audit
sp = "usr/local/lib/python3.11/site-packages"
metadata = (
    b"Metadata-Version: 2.1\\nName: Flask\\nVersion: 3.0.0\\n"
    + sys.argv[1].encode()
    + b"\\n\\nA long description.\\n"
)
pip = [F(sp + "/pip/__init__.py", 100), F(sp + "/pip-24.0.dist-info/METADATA", b"Name: pip\\n")]
pip += [F(sp + "/setuptools/__init__.py", 100), F(sp + "/setuptools-69.0.0.dist-info/METADATA", b"Name: setuptools\\n")]
layers = [base_layer(), [*app_layer(), F(sp + "/flask-3.0.0.dist-info/METADATA", metadata), *pip]]
report = run_audit("demo:1", serve(Img(layers)))
text = json.dumps(report.to_dict())
checks = {c["id"]: c["status"] + ": " + c["summary"] for c in report.to_dict()["checks"]}
loaded = sorted(set(sys.modules) - before)
print(json.dumps({"loaded": loaded, "pip": checks["pip-in-runtime"]}))
"""


def _audit_loads(requires: str) -> tuple[list[str], str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join((str(SRC), str(HERE))),
        "DOCKWRIGHT_AUDIT_CACHE": "off",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, requires], env=env, capture_output=True, text=True, check=True
    )
    answer = json.loads(done.stdout.splitlines()[-1])
    return answer["loaded"], answer["pip"]


def _under(loaded: list[str], package: str) -> list[str]:
    return [m for m in loaded if m == package or m.startswith(package + ".")]


def test_an_audit_loads_neither_packaging_nor_the_project_facts() -> None:
    loaded, pip = _audit_loads("Requires-Dist: click>=8.1.3\nRequires-Dist: Werkzeug>=3.0.0")
    assert pip.startswith("WARN")  # pip found, no distribution requires it: the Requires-Dist lines were read
    # setuptools found: the table of libraries importing pkg_resources was read (no listed one installed)
    assert "dockwright.project.pkg_resources_users" in loaded
    assert "dockwright.jsonable" in loaded
    assert _under(loaded, "packaging") == []
    assert "dockwright.project.facts" not in loaded


def test_packaging_loads_for_a_requires_dist_line_the_check_parses() -> None:
    """A distribution that requires pip: its line is parsed (and its marker evaluated) by packaging."""
    loaded, pip = _audit_loads('Requires-Dist: pip>=23; python_version >= "3.8"')
    assert "packaging.requirements" in loaded
    assert "pip needed at run time by flask-3.0.0" in pip  # flask requires pip at run time: kept


@pytest.mark.parametrize(
    "name",
    [
        "Django",
        "oslo.concurrency",
        "requests",
        "Flask_SQLAlchemy",
        "zope..interface",
        "a-_.b",
        "A__B--C",
        "ruamel.yaml.clib",
        "",
    ],
)
def test_canonicalize_name_is_packagings(name: str) -> None:
    from packaging.utils import canonicalize_name as packagings

    assert canonicalize_name(name) == packagings(name)


def test_the_credential_shapes_are_read_during_the_export() -> None:
    """The table the report's redaction matches is read by the thread that loads the checklist while
    the engine exports the image, not after the read."""
    probe = (
        "import sys\n"
        "from dockwright.audit.audit import _load_later_modules\n"
        "from dockwright.secret_values import _shapes\n"
        "_load_later_modules()\n"
        "print(_shapes.cache_info().currsize)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1"]
