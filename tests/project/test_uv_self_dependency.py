"""A uv.lock where a locked package depends on the project itself (plugins of a host app, as a forum's
plugins depend on the forum): the project's own install satisfies that edge; the conversion pins
everything else and never the project (dockwright/lock/convert.py)."""

from __future__ import annotations

from pathlib import Path

from dockwright.lock.convert import convert

WHEEL = "https://files.example.org/{0}-{1}-py3-none-any.whl"
LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "hostapp"
version = "2.1.0"
source = {{ editable = "." }}
dependencies = [
    {{ name = "hostapp-plugin-portal" }},
    {{ name = "six" }},
]

[package.optional-dependencies]
extra = [{{ name = "idna" }}]

[[package]]
name = "hostapp-plugin-portal"
version = "2.0.0"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [
    {{ name = "hostapp", extra = ["extra"] }},
]
wheels = [{{ url = "{portal}", hash = "sha256:{a}" }}]

[[package]]
name = "six"
version = "1.17.0"
source = {{ registry = "https://pypi.org/simple" }}
wheels = [{{ url = "{six}", hash = "sha256:{b}" }}]

[[package]]
name = "idna"
version = "3.10"
source = {{ registry = "https://pypi.org/simple" }}
wheels = [{{ url = "{idna}", hash = "sha256:{c}" }}]
"""


def test_a_plugin_depending_on_the_project_is_pinned_and_the_project_is_not(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "hostapp"\nversion = "2.1.0"\n')
    (tmp_path / "uv.lock").write_text(
        LOCK.format(
            portal=WHEEL.format("hostapp_plugin_portal", "2.0.0"),
            six=WHEEL.format("six", "1.17.0"),
            idna=WHEEL.format("idna", "3.10"),
            a="a" * 64,
            b="b" * 64,
            c="c" * 64,
        )
    )
    body = convert(tmp_path, "convert-uv", "uv.lock", "3.12.9")
    pinned = {line.split("==")[0] for line in body.splitlines() if "==" in line}
    # the plugin asks for the project's extra: its dependencies come along
    assert pinned == {"hostapp-plugin-portal", "six", "idna"}
