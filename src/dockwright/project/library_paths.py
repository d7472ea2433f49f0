"""Settings that name a system library by a path another system's image has.

What it does: a module-level ``GDAL_LIBRARY_PATH`` or ``GEOS_LIBRARY_PATH`` (GeoDjango's settings) set to
a literal absolute path that is not under Debian's multiarch library folder (``/usr/lib/<triplet>/``,
where the image's ``libgdal``/``libgeos_c`` packages put them) is a note: the path is another system's
(Alpine's ``/usr/lib/libgdal.so.32``, Homebrew's ``/opt/homebrew/lib``).

Why: GeoDjango loads the library from that path at start (and at build time, when collectstatic
imports the settings): ``OSError: /usr/lib/libgdal.so.32: cannot open shared object file``. Unset,
GeoDjango finds the library itself (``ctypes.util.find_library``).

Example: ``GDAL_LIBRARY_PATH = "/usr/lib/libgdal.so.32"`` -> "geo/settings.py:12 sets GDAL_LIBRARY_PATH
to /usr/lib/libgdal.so.32, a path of another system's image ...".

Source: https://docs.djangoproject.com/en/stable/ref/contrib/gis/install/geolibs/#gdal-library-path
"""

from __future__ import annotations

from collections.abc import Iterable

from dockwright.project.detectors.scan import ModuleScan

_SETTINGS = ("GDAL_LIBRARY_PATH", "GEOS_LIBRARY_PATH")
_DEBIAN = ("/usr/lib/x86_64-linux-gnu/", "/usr/lib/aarch64-linux-gnu/", "/usr/lib/arm-linux-gnueabihf/")


def library_path_notes(scans: Iterable[ModuleScan]) -> list[str]:
    """A note for each GeoDjango library path set to another system's literal path."""
    notes: list[str] = []
    for scan in scans:
        for name in _SETTINGS:
            value, line = scan.strings.get(name, ("", 0))
            if value.startswith("/") and not value.startswith(_DEBIAN):
                notes.append(
                    f"{scan.rel}:{line} sets {name} to {value}, a path of another system's image: the "
                    "image's Debian keeps the library under /usr/lib/<triplet>/, so GeoDjango stops "
                    f"with OSError when it loads it; read {name} from the environment, or leave it unset "
                    "(GeoDjango then finds the library itself)"
                )
    return notes
