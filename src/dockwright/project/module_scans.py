"""Every module of the project parsed once: the scans the start detectors read, and what the later steps
(the syntax floor, the data files and model files the code opens) take from the same trees.

The scans are made before the syntax floor is worked out and outlive the app's detection: a step after
it reads ``ModuleScan.as_written`` (the host's grammar parsed the module as written),
``ModuleScan.path_reads`` (``data_files.path_literals``) and ``ModuleScan.model_loads``
(``model_files.model_loads``) instead of parsing the module again. Path reads are gathered for the
modules whose reads the data-files step takes (``data_files.code_sources``) and the other app modules
(the missing-configuration step reads those a start loads), model loads for the app
modules that name a loader (``model_files.looked_for``): the other modules are parsed by the step that
needs them, as before. What scanning says (an unreadable file, one that does not parse) is said where
the app's detection says it.
"""

from __future__ import annotations

import ast
import pickle
from dataclasses import dataclass
from typing import Any

from dockwright import readset
from dockwright.errors import ProjectError
from dockwright.project.ast_walk import walks_kept
from dockwright.project.chat_bots import add_client_loops
from dockwright.project.class_path_writes import (
    add_class_path_writes,
    attribute_writes,
    class_paths,
    may_write,
)
from dockwright.project.code_secrets import code_secrets, holds_literal_secret
from dockwright.project.data_files import code_sources, path_literals
from dockwright.project.detectors.base import outside_app
from dockwright.project.detectors.scan import ModuleScan, parse_source, scan_parsed
from dockwright.project.helper_writes import may_define_writer, module_writers
from dockwright.project.metadata import code_skip_dirs
from dockwright.project.model_files import looked_for, model_loads
from dockwright.project.socketio_server import looked_for as may_serve_socketio
from dockwright.project.socketio_server import socketio_servers
from dockwright.project.source_roots import source_roots
from dockwright.project.tree import ProjectTree

SYNTAX_SKIPPED = ": not valid Python syntax; skipped"


@dataclass(frozen=True)
class ModuleScans:
    """The scan of every module that parses (by project path) and the notes scanning made."""

    by_rel: dict[str, ModuleScan]
    notes: tuple[str, ...]


def scan_modules(tree: ProjectTree) -> ModuleScans:
    """Every module of ``tree`` read, parsed and scanned once."""
    out: dict[str, ModuleScan] = {}
    notes: list[str] = []
    src_package = "src/__init__.py" in tree.python_files
    roots = source_roots(_pyproject(tree))
    sources = set(code_sources(tree, code_skip_dirs(tree)))
    paths: dict[str, dict[str, ast.expr]] = {}  # class attributes holding paths, for class_path_writes
    writes: dict[str, list[tuple[ast.Call, str, str]]] = {}
    for rel in tree.python_files:
        try:
            text = tree.read_text(rel)
        except ProjectError as exc:
            notes.append(f"skipped {exc}")
            continue
        found = _kept_scan(rel, text, src_package, roots, rel in sources)
        if found is None:
            if not outside_app(rel):  # tests/docs/examples are never the app: their syntax is no news
                notes.append(f"{rel}{SYNTAX_SKIPPED}")
            continue
        scan, class_attributes, attribute_calls = found
        if class_attributes is not None:
            paths[rel] = class_attributes
        if attribute_calls is not None:
            writes[rel] = attribute_calls
        out[rel] = scan
    add_class_path_writes(out, paths, writes)
    add_client_loops(out)  # `MyBot().run(TOKEN)`, MyBot a discord client of another module
    return ModuleScans(out, tuple(notes))


_Scanned = tuple[ModuleScan, dict[str, ast.expr] | None, list[tuple[ast.Call, str, str]] | None]


def _kept_scan(
    rel: str, text: str, src_package: bool, roots: tuple[str, ...], in_sources: bool
) -> _Scanned | None:
    """:func:`_scanned`, or what an earlier planning of a kept plan scanned from the same text
    (:func:`dockwright.readset.memo`): a build after a source edit scans again only what changed."""
    if not readset.memo_active():
        return _scanned(rel, text, src_package, roots, in_sources)
    made: list[_Scanned | None] = []

    def make() -> bytes | None:
        made.append(_scanned(rel, text, src_package, roots, in_sources))
        if made[0] is not None and (made[0][0].literal_secrets or made[0][0].holds_secret):
            return None  # its trees and strings hold the secret: scanned again each time, never kept
        return pickle.dumps(made[0], protocol=pickle.HIGHEST_PROTOCOL)

    blob = readset.memo("module-scan", [rel, text, src_package, list(roots), in_sources], make)
    if made or blob is None:
        return made[0] if made else None
    kept: _Scanned | None = pickle.loads(blob)  # the kept plan's store, under the user's MAC
    return kept


def _scanned(
    rel: str, text: str, src_package: bool, roots: tuple[str, ...], in_sources: bool
) -> _Scanned | None:
    """One module parsed and scanned (None: it does not parse), with its class attributes holding paths
    and its attribute writes (class_path_writes) where the text may have them; a pure function of its
    arguments (:func:`_kept_scan` keeps its results by them)."""
    parsed = parse_source(rel, text)
    if parsed is None:
        return None
    module, as_written = parsed
    class_attributes = attribute_calls = None
    with walks_kept():  # the analyses below walk one module's tree (and its bodies) once
        scan = scan_parsed(rel, text, module, as_written, src_package=src_package, roots=roots)
        if in_sources:
            scan.path_reads = path_literals(module)
        elif not outside_app(rel):
            scan.path_reads = _path_reads(module)  # for config_templates, which parsed it again
        # the model-files step parses a module as written only: one rewritten has none to say
        scan.model_loads = model_loads(module) if as_written and looked_for(rel, text) else []
        scan.socketio = socketio_servers(module) if may_serve_socketio(text) else []
        # helper_writes parses a module as written only (ast.parse), and one whose text names a writer
        writing = as_written and may_define_writer(text)
        scan.written_parameters = module_writers(module) if writing else {}
        scan.literal_secrets = code_secrets(module, text)  # named in a note (detect.py), never kept
        scan.holds_secret = bool(scan.literal_secrets) or holds_literal_secret(module, text)
        if "__file__" in text:
            class_attributes = class_paths(module)
        if may_write(text):
            attribute_calls = attribute_writes(module)
    return scan, class_attributes, attribute_calls


def _path_reads(module: ast.Module) -> list[tuple[str, int | None]] | None:
    """The path reads of a module the data-files step leaves out (None where they cannot be read: the
    step that needs them then parses it, as before)."""
    try:
        return path_literals(module)
    except RecursionError:
        return None


def _pyproject(tree: ProjectTree) -> dict[str, Any] | None:
    if not tree.is_file("pyproject.toml"):
        return None
    try:
        return tree.read_toml("pyproject.toml")
    except ProjectError:
        return None  # said where the manager reads it
