"""GeoDjango's library paths set to another system's literal path are noted (project/library_paths.py)."""

from __future__ import annotations

from dockwright.project.detectors.scan import scan_module
from dockwright.project.library_paths import library_path_notes


def test_another_systems_library_path_is_noted_and_debians_is_not() -> None:
    source = (
        "import os\n"
        'GDAL_LIBRARY_PATH = "/usr/lib/libgdal.so.32"\n'
        'GEOS_LIBRARY_PATH = "/usr/lib/x86_64-linux-gnu/libgeos_c.so.1"\n'
    )
    scan = scan_module("geo/settings.py", source)
    assert scan is not None
    notes = library_path_notes([scan])
    assert len(notes) == 1 and notes[0].startswith(
        "geo/settings.py:2 sets GDAL_LIBRARY_PATH to /usr/lib/libgdal.so.32"
    )
    from_env = scan_module(
        "geo/prod.py", "import os\nGDAL_LIBRARY_PATH = os.environ.get('GDAL_LIBRARY_PATH')\n"
    )
    assert from_env is not None and library_path_notes([from_env]) == []
