"""Readings of an image that several checks share: folder totals, site-packages trees, the app's
command and virtualenv (each pass over every file computed once per image)."""

from __future__ import annotations

import re
import shlex
import weakref
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from dockwright.audit.checks.base import Evidence
from dockwright.audit.image import FileEntry, ImageFacts

_T = TypeVar("_T")

_MEMO: dict[tuple[int, str], tuple[weakref.ref[ImageFacts], object]] = {}


def _memo(facts: ImageFacts, name: str, compute: Callable[[ImageFacts], _T]) -> _T:
    """``compute(facts)`` once per ImageFacts (the checks share a few passes over every file)."""
    key = (id(facts), name)
    held = _MEMO.get(key)
    if held is not None and held[0]() is facts:
        return held[1]  # type: ignore[return-value]
    value = compute(facts)
    _MEMO[key] = (weakref.ref(facts), value)
    weakref.finalize(facts, _MEMO.pop, key, None)
    return value


def share_readings(early: ImageFacts, whole: ImageFacts) -> None:
    """Let ``whole`` use the readings computed on ``early``: the same image's facts before the secret
    scan's hits were added (:func:`dockwright.audit.image.read_image_stages`). Every reading here is
    of the file table alone, so they are shared only when both facts hold the very same table."""
    if early.files is not whole.files:
        return
    for (key, name), (ref, value) in list(_MEMO.items()):
        if key == id(early) and ref() is early:
            _MEMO[(id(whole), name)] = (weakref.ref(whole), value)
            weakref.finalize(whole, _MEMO.pop, (id(whole), name), None)


def _dir_totals(facts: ImageFacts) -> dict[str, tuple[int, int, FileEntry]]:
    """Every folder holding regular files → (bytes, files, its first largest file), in one pass.

    The files are first summed by the folder they are in (one dictionary step per file), then each
    folder's sums are added to its parents (an image has ~10x fewer folders than files). The result
    is the per-file walk's, key order included: folders in the order a walk of the files meets them,
    and of equally large files the first met."""
    direct: dict[str, list[Any]] = {}  # folder -> [bytes, files, -(largest size), order, entry]
    for order, entry in enumerate(facts.regular_files()):
        path = entry.path
        folder = path[: path.rfind("/")] if "/" in path else None
        if folder is None:
            continue  # a file at the top: in no folder
        row = direct.get(folder)
        if row is None:
            direct[folder] = [entry.size, 1, -entry.size, order, entry]
        else:
            row[0] += entry.size
            row[1] += 1
            if -entry.size < row[2]:
                row[2], row[3], row[4] = -entry.size, order, entry
    totals: dict[str, list[Any]] = {}
    for folder, (size, count, neg, order, entry) in direct.items():
        at = folder.find("/")
        while True:
            parent = folder if at < 0 else folder[:at]
            row = totals.get(parent)
            if row is None:
                totals[parent] = [size, count, neg, order, entry]
            else:
                row[0] += size
                row[1] += count
                if (neg, order) < (row[2], row[3]):
                    row[2], row[3], row[4] = neg, order, entry
            if at < 0:
                break
            at = folder.find("/", at + 1)
    return {folder: (row[0], row[1], row[4]) for folder, row in totals.items()}


def dir_totals(facts: ImageFacts) -> dict[str, tuple[int, int, FileEntry]]:
    """:func:`_dir_totals` of ``facts``, computed once (the checks and the report's largest folders)."""
    return _memo(facts, "dir_totals", _dir_totals)


def _group_dirs(facts: ImageFacts, roots: Iterable[str], detail: str) -> list[Evidence]:
    """One evidence row per root directory: total bytes of its files, layer of its largest file."""
    totals = dir_totals(facts)
    out = []
    for root in sorted(set(roots)):
        row = totals.get(root)
        if row is not None:
            size, count, biggest = row
            out.append(Evidence("/" + root, biggest.layer, size, f"{count} files; {detail}"))
    return out


def _in_site_packages(path: str) -> bool:
    return "/site-packages/" in path or "/dist-packages/" in path


def _command(facts: ImageFacts) -> list[str]:
    argv = [*facts.config.entrypoint, *facts.config.cmd]
    if len(argv) >= 3 and argv[0] in ("/bin/sh", "sh", "/bin/bash", "bash") and argv[1] == "-c":
        try:
            return argv[:2] + shlex.split(argv[2]) + argv[3:]
        except ValueError:
            return argv
    return argv


def _site_trees(facts: ImageFacts) -> dict[str, frozenset[str]]:
    """site-packages/dist-packages roots → names of the distributions installed there."""
    return _memo(facts, "site_trees", _find_site_trees)


def _find_site_trees(facts: ImageFacts) -> dict[str, frozenset[str]]:
    trees: dict[str, set[str]] = {}
    for path in facts.files:
        if "-packages/" not in path:  # in both markers: one substring test skips the other files
            continue
        for marker in ("/site-packages/", "/dist-packages/"):
            at = path.find(marker)
            if at >= 0:
                root = path[: at + len(marker) - 1]
                first = path[at + len(marker) :].partition("/")[0]
                names = trees.setdefault(root, set())
                if first.endswith((".dist-info", ".egg-info")):
                    names.add(first.split("-", 1)[0].lower())
                break
    return {root: frozenset(names) for root, names in trees.items()}


_BOOTSTRAP = {"pip", "setuptools", "wheel", "distribute"}


def _app_venv(facts: ImageFacts) -> str | None:
    """The virtualenv the app runs in: the one whose ``X/bin`` holds a program the command names by
    its path (``/opt/app/bin/start.sh`` or ``/opt/app/bin/gunicorn``, the venv not on PATH; after an
    init or a shell too), else the first PATH entry ``X/bin`` with an ``X/pyvenv.cfg``, else None."""
    for arg in _command(facts):
        folder = arg.strip("/").rpartition("/")[0] if arg.startswith("/") else ""
        root = folder.removesuffix("/bin")
        if folder.endswith("/bin") and f"{root}/pyvenv.cfg" in facts.files:
            return root
    for entry in (facts.config.env_value("PATH") or "").split(":"):
        root = entry.strip("/").removesuffix("/bin")
        if entry.rstrip("/").endswith("/bin") and f"{root}/pyvenv.cfg" in facts.files:
            return root
    return None


_INTERPRETER = re.compile(r"(?:usr/(?:local/)?)?bin/python(3\.\d+)")


def image_python(facts: ImageFacts) -> str | None:
    """The image's CPython as X.Y (``usr/local/bin/python3.12``, Debian's ``usr/bin/python3.11``),
    when it has exactly one; else None."""
    return _memo(facts, "image_python", _image_python)


def _image_python(facts: ImageFacts) -> str | None:
    found = {m[1] for path in facts.files if "bin/python3." in path and (m := _INTERPRETER.fullmatch(path))}
    return found.pop() if len(found) == 1 else None
