"""A uv.lock where a locked package depends on the project itself (plugins of a host app, as a forum's
plugins depend on the forum): the project's own install satisfies that edge; the conversion pins
everything else and never the project (dockwright/lock/convert.py)."""

from __future__ import annotations

from pathlib import Path

from dockwright.lock.convert import convert
from uv_lock_text import uv_entry, uv_package


def test_a_plugin_depending_on_the_project_is_pinned_and_the_project_is_not(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "hostapp"\nversion = "2.1.0"\n')
    host = uv_entry(
        "hostapp",
        "2.1.0",
        'editable = "."',
        deps='{ name = "hostapp-plugin-portal" }, { name = "six" }',
        extras='extra = [{ name = "idna" }]',
    )
    # the plugin asks for the project with one of its extras: that extra's dependencies come along
    plugin = uv_package("hostapp-plugin-portal", "2.0.0", deps='{ name = "hostapp", extra = ["extra"] }')
    lock = 'version = 1\nrequires-python = ">=3.11"\n\n' + host + plugin
    lock += uv_package("six", "1.17.0") + uv_package("idna", "3.10")
    (tmp_path / "uv.lock").write_text(lock)
    body = convert(tmp_path, "convert-uv", "uv.lock", "3.12.9")
    pinned = {line.split("==")[0] for line in body.splitlines() if "==" in line}
    assert pinned == {"hostapp-plugin-portal", "six", "idna"}
