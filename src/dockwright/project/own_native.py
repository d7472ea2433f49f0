"""The project's own compiled code: does building its wheel need a compiler, and which one?

Read statically (nothing is executed): ``setup.py`` by its AST (``Extension(...)``,
``Pybind11Extension``, ``cythonize``, ``RustExtension``, the ``ext_modules`` / ``cffi_modules`` /
``rust_extensions`` keywords), ``pyproject.toml`` (the build backend, ``[build-system].requires``,
``[tool.maturin]``, ``[tool.scikit-build]``, ``[tool.setuptools-rust]``,
``[[tool.setuptools.ext-modules]]``) and the files a backend builds from (``Cargo.toml``,
``meson.build``, ``CMakeLists.txt``). A file counts only when the declared backend reads it: a
``CMakeLists.txt`` next to a hatchling project compiles nothing in ``pip wheel .``.

Each :class:`OwnNativeNeed` names the toolchain (a key of ``data/toolchains.toml``) and its evidence;
for Rust also the oldest rustc the crate accepts (``rust-version``, else its ``edition``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence, OwnNativeNeed
from dockwright.project.tree import ProjectTree, data_table

# Build backends that always compile: backend module -> (toolchain, name, the file it builds from).
BACKENDS: dict[str, tuple[str, str, str]] = {
    "maturin": ("rust", "maturin", "Cargo.toml"),
    "mesonpy": ("meson", "meson-python", "meson.build"),
    "scikit_build_core.build": ("cmake", "scikit-build-core", "CMakeLists.txt"),
    "scikit_build_core.setuptools.build_meta": ("cmake", "scikit-build-core", "CMakeLists.txt"),
}
# [build-system].requires entries that mean the setuptools build compiles: name -> (toolchain, what).
BUILD_REQUIRES: dict[str, tuple[str, str]] = {
    "setuptools-rust": ("rust", "setuptools-rust"),
    "cython": ("c", "Cython"),
    "pybind11": ("c", "pybind11"),
    "cffi": ("c", "cffi"),
    "nanobind": ("c", "nanobind"),
}
# setup.py calls and keywords: name -> (toolchain, what).
SETUP_CALLS: dict[str, tuple[str, str]] = {
    "Extension": ("c", "setuptools Extension"),
    "Pybind11Extension": ("c", "pybind11 Pybind11Extension"),
    "cythonize": ("c", "Cython cythonize"),
    "RustExtension": ("rust", "setuptools-rust RustExtension"),
}
SETUP_KEYWORDS: dict[str, tuple[str, str]] = {
    "ext_modules": ("c", "setup(ext_modules=...)"),
    "cffi_modules": ("c", "cffi cffi_modules"),
    "rust_extensions": ("rust", "setuptools-rust rust_extensions"),
}
_MESON_RUST = re.compile(r"find_program\(\s*'cargo'|add_languages\([^)]*'rust'|project\([^)]*'rust'")
MAX_EVIDENCE = 3  # per toolchain: enough to find the place, short enough to read in the plan


@lru_cache(maxsize=1)
def toolchain_table() -> dict[str, Any]:
    return data_table("toolchains.toml")


def detect_own_native(tree: ProjectTree, pyproject: dict[str, Any] | None) -> tuple[OwnNativeNeed, ...]:
    """What the project's own wheel compiles, one need per toolchain (first evidence kept in order)."""
    found: list[OwnNativeNeed] = []
    system = (pyproject or {}).get("build-system")
    system = system if isinstance(system, dict) else {}
    backend = str(system.get("build-backend", ""))
    tool = (pyproject or {}).get("tool")
    tool = tool if isinstance(tool, dict) else {}
    if backend in BACKENDS:
        toolchain, name, source_file = BACKENDS[backend]
        evidence = [Evidence("pyproject.toml", tree.line_of("pyproject.toml", r"build-backend"), backend)]
        if tree.is_file(source_file):
            evidence.append(Evidence(source_file, None, f"what {name} builds"))
        found.append(OwnNativeNeed(toolchain, name, tuple(evidence)))
        if backend == "mesonpy" and _meson_uses_rust(tree):
            line = tree.line_of("meson.build", _MESON_RUST.pattern)
            found.append(
                OwnNativeNeed("rust", "meson-python (cargo)", (Evidence("meson.build", line, "cargo"),))
            )
    for section, (toolchain, name) in {
        "maturin": ("rust", "maturin"),
        "scikit-build": ("cmake", "scikit-build-core"),
        "setuptools-rust": ("rust", "setuptools-rust"),
    }.items():
        if section in tool:
            line = tree.line_of("pyproject.toml", rf"^\[+tool\.{re.escape(section)}")
            found.append(
                OwnNativeNeed(toolchain, name, (Evidence("pyproject.toml", line, f"[tool.{section}]"),))
            )
    setuptools = tool.get("setuptools")
    if isinstance(setuptools, dict) and setuptools.get("ext-modules"):
        line = tree.line_of("pyproject.toml", r"tool\.setuptools\.ext-modules")
        found.append(
            OwnNativeNeed("c", "setuptools ext-modules", (Evidence("pyproject.toml", line, "ext-modules"),))
        )
    for text in system.get("requires", []) or []:
        try:
            name = canonicalize_name(Requirement(str(text)).name)
        except InvalidRequirement:
            continue
        if name in BUILD_REQUIRES:
            toolchain, what = BUILD_REQUIRES[name]
            line = tree.line_of("pyproject.toml", re.escape(str(text)))
            found.append(
                OwnNativeNeed(toolchain, what, (Evidence("pyproject.toml", line, f"requires {text}"),))
            )
    found += _from_setup_py(tree)
    return _with_rust_minimum(tree, tool, _merged(found))


def _meson_uses_rust(tree: ProjectTree) -> bool:
    try:
        return bool(_MESON_RUST.search(tree.read_text("meson.build")))
    except ProjectError:
        return False


def _from_setup_py(tree: ProjectTree) -> list[OwnNativeNeed]:
    if not tree.is_file("setup.py"):
        return []
    try:
        module = ast.parse(tree.read_text("setup.py"), "setup.py")
    except (ProjectError, SyntaxError, ValueError):
        return []
    found: list[OwnNativeNeed] = []
    keywords: list[OwnNativeNeed] = []  # after the calls: "setuptools Extension" names the need best
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in SETUP_CALLS:
            toolchain, what = SETUP_CALLS[name]
            evidence = (Evidence("setup.py", node.lineno, f"{name}(...)"),)
            missing = _missing_sources(tree, node) if name == "Extension" else ()
            found.append(OwnNativeNeed(toolchain, what, evidence, missing_sources=missing))
        for keyword in node.keywords:
            if keyword.arg in SETUP_KEYWORDS and not _empty_literal(keyword.value):
                toolchain, what = SETUP_KEYWORDS[keyword.arg]
                where = Evidence("setup.py", keyword.value.lineno, f"{keyword.arg}=")
                keywords.append(OwnNativeNeed(toolchain, what, (where,)))
    return found + keywords


def _missing_sources(tree: ProjectTree, call: ast.Call) -> tuple[Evidence, ...]:
    """C/C++ sources a literal ``Extension(name, sources=[...])`` names that the tree lacks."""
    sources = next((k.value for k in call.keywords if k.arg == "sources"), None)
    if sources is None and len(call.args) > 1:
        sources = call.args[1]
    if not isinstance(sources, (ast.List, ast.Tuple)):
        return ()
    missing: list[Evidence] = []
    for item in sources.elts:
        if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
            continue
        path = item.value
        if path.endswith((".c", ".cpp", ".cc")) and not tree.is_file(path):
            pyx = path.rsplit(".", 1)[0] + ".pyx"
            how = f"; {pyx} is (Cython generates the C file from it)" if tree.is_file(pyx) else ""
            missing.append(Evidence("setup.py", item.lineno, f"{path} is not in the tree{how}"))
    return tuple(missing)


def _empty_literal(node: ast.expr) -> bool:
    return isinstance(node, (ast.List, ast.Tuple)) and not node.elts


def _merged(found: list[OwnNativeNeed]) -> list[OwnNativeNeed]:
    """One need per toolchain: the first one's name, every piece of evidence (duplicates dropped)."""
    merged: dict[str, OwnNativeNeed] = {}
    for need in found:
        first = merged.get(need.toolchain)
        if first is None:
            merged[need.toolchain] = need
        else:
            evidence = tuple(dict.fromkeys((*first.evidence, *need.evidence)))[:MAX_EVIDENCE]
            missing = (*first.missing_sources, *need.missing_sources)
            merged[need.toolchain] = OwnNativeNeed(
                first.toolchain, first.via, evidence, missing_sources=missing
            )
    return list(merged.values())


def _cargo_manifest(tree: ProjectTree, tool: dict[str, Any]) -> str | None:
    """The crate the backend builds: maturin's manifest-path, setuptools-rust's path, else Cargo.toml."""
    maturin = tool.get("maturin")
    candidates: list[str] = []
    if isinstance(maturin, dict) and isinstance(maturin.get("manifest-path"), str):
        candidates.append(maturin["manifest-path"])
    rust = tool.get("setuptools-rust")
    modules = rust.get("ext-modules", []) if isinstance(rust, dict) else []
    for module in modules if isinstance(modules, list) else []:
        if isinstance(module, dict) and isinstance(module.get("path"), str):
            candidates.append(module["path"])
    candidates.append("Cargo.toml")
    return next((c for c in candidates if tree.is_file(c)), None)


def _with_rust_minimum(
    tree: ProjectTree, tool: dict[str, Any], needs: list[OwnNativeNeed]
) -> tuple[OwnNativeNeed, ...]:
    out: list[OwnNativeNeed] = []
    for need in needs:
        if need.toolchain == "rust":
            manifest = _cargo_manifest(tree, tool)
            if manifest is not None:
                minimum, evidence = _rust_minimum(tree, manifest)
                need = replace(
                    need,
                    evidence=tuple(dict.fromkeys((*need.evidence, Evidence(manifest, None, "the crate")))),
                    rust_minimum=minimum,
                    rust_minimum_evidence=evidence,
                )
        out.append(need)
    return tuple(out)


def _rust_minimum(tree: ProjectTree, manifest: str) -> tuple[str | None, Evidence | None]:
    """The oldest rustc a Cargo.toml accepts: ``rust-version``, else the one its edition needs."""
    try:
        cargo = tree.read_toml(manifest)
    except ProjectError:
        return None, None
    package = cargo.get("package")
    package = package if isinstance(package, dict) else {}
    workspace = cargo.get("workspace")
    shared = workspace.get("package", {}) if isinstance(workspace, dict) else {}
    shared = shared if isinstance(shared, dict) else {}
    version = package.get("rust-version")
    if isinstance(version, dict):  # rust-version.workspace = true
        version = shared.get("rust-version")
    if isinstance(version, str):
        line = tree.line_of(manifest, r"^rust-version")
        return version, Evidence(manifest, line, f"rust-version = {version}")
    edition = package.get("edition")
    if isinstance(edition, dict):
        edition = shared.get("edition")
    editions = toolchain_table()["edition"]
    if isinstance(edition, str) and edition in editions:
        line = tree.line_of(manifest, r"^edition")
        return str(editions[edition]), Evidence(manifest, line, f"edition {edition}")
    return None, None
