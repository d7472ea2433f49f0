"""The HTML report is one self-contained file, and renders in headless Chromium when it is installed."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from audit_images import F, Img, app_layer, base_layer, serve

from dockwright import api
from dockwright.audit.report import render_html, write_report


def _report():  # type: ignore[no-untyped-def]
    img = Img(
        [
            base_layer(),
            app_layer(),
            [F("root/.cache/pip/http/x", 2_000_000), F("app/.env", b"A=<script>alert(1)</script>\n")],
            [F("data/tmp.bin", 4_000_000)],
            [F("data/tmp.bin", kind="whiteout")],
        ]
    )
    img.config["User"] = ""
    return api.audit("demo:1", engine=serve(img, "oci"))


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    page = render_html(_report())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<svg" in page and "<style>" in page
    # nothing fetched from anywhere: no external src/href, no @import, no url(...)
    assert not re.search(r"""(?:src|href)\s*=\s*['"]?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page and "<script" not in page
    assert "&lt;script&gt;" in page or "alert" not in page
    for text in ("Pro shipping checklist", "Layers", "largest files", "/root/.cache/pip", "FAIL"):
        assert text in page
    target = tmp_path / "out" / "report.html"
    write_report(target, page)
    assert target.read_text(encoding="utf-8") == page
    assert not [p for p in target.parent.iterdir() if p.name != "report.html"]  # no temp file left


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="chromium not on PATH (apt-get install chromium)"
)
def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(_report()), encoding="utf-8")
    shot = tmp_path / "report.png"
    argv = [
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--screenshot={shot}",
        "--window-size=1280,1600",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        page.as_uri(),
    ]
    subprocess.run(argv, capture_output=True, timeout=120, check=False)
    assert shot.is_file(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    assert _png_size(data) == (1280, 1600)
    assert len(data) > 30_000  # a blank page compresses to a few kB; a rendered report does not
    keep = Path("/tmp/dockwright-audit-report.png")
    shutil.copyfile(shot, keep)  # left for a human to look at
