"""Project name, version, git revision and source URL (for OCI labels), and the tree's layout."""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Mapping
from typing import Any

from dockwright.project.data_files import build_reads, code_reads
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence, Fact, Layout, Metadata
from dockwright.project.git_ignored import git_ignored, tracked_in
from dockwright.project.hatch_hooks import BuildHooks, read_build_hooks
from dockwright.project.local_state import local_state
from dockwright.project.setup_py_version import setup_py_version
from dockwright.project.setup_script import has_setup_script
from dockwright.project.setuptools_static import read_setuptools, setup_py_metadata
from dockwright.project.source_roots import module_path
from dockwright.project.source_size import detect_source_size
from dockwright.project.tree import ProjectTree
from dockwright.project.versioneer import detect_versioneer

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_URL_KEYS = ("repository", "source", "source code", "code", "homepage", "home")
TEST_DIRS = ("tests", "test", "testing")
DOC_DIRS = ("docs", "doc", "documentation")


# folders that name a layout, never an app: a project found in one is named after the folder above
_LAYOUT_FOLDERS = frozenset({"src"})


def _setup_cfg(tree: ProjectTree) -> dict[str, tuple[str, int]]:
    if not tree.is_file("setup.cfg"):
        return {}
    out: dict[str, tuple[str, int]] = {}
    section = ""
    for number, line in enumerate(tree.read_text("setup.cfg").splitlines(), 1):
        header = re.match(r"^\[(.+)\]\s*$", line)
        if header:
            section = header.group(1).strip()
            continue
        match = re.match(r"^(\w[\w-]*)\s*=\s*(\S.*)$", line)
        if section == "metadata" and match:
            out[match.group(1)] = (match.group(2).strip(), number)
    return out


def git_revision(tree: ProjectTree) -> Fact[str | None]:
    """Resolve .git/HEAD by reading refs and packed-refs directly (no subprocess)."""
    git = ".git"
    if tree.is_file(".git"):  # worktree/submodule: "gitdir: path"
        return Fact(None, (Evidence(".git", None, "a gitdir link; revision not resolved"),))
    if not tree.is_file(f"{git}/HEAD"):
        return Fact(None, (Evidence(".", None, "not a git checkout"),))
    head = tree.read_text(f"{git}/HEAD").strip()
    if _SHA.match(head):
        return Fact(head, (Evidence(".git/HEAD", 1, "detached HEAD"),))
    if not head.startswith("ref:"):
        return Fact(None, (Evidence(".git/HEAD", 1, "unreadable HEAD"),))
    ref = head[4:].strip()
    if tree.is_file(f"{git}/{ref}"):
        sha = tree.read_text(f"{git}/{ref}").strip()
        if _SHA.match(sha):
            return Fact(sha, (Evidence(f".git/{ref}", 1, f"HEAD → {ref}"),))
    if tree.is_file(f"{git}/packed-refs"):
        for number, line in enumerate(tree.read_text(f"{git}/packed-refs").splitlines(), 1):
            parts = line.split()
            if len(parts) == 2 and parts[1] == ref and _SHA.match(parts[0]):
                return Fact(parts[0], (Evidence(".git/packed-refs", number, f"HEAD → {ref}"),))
    return Fact(None, (Evidence(".git/HEAD", 1, f"{ref} has no commit yet"),))


def git_tag_version(tree: ProjectTree, revision: str | None) -> Fact[str] | None:
    """The version of a ``vX.Y.Z`` tag on HEAD (loose refs, packed-refs), as SCM backends read it."""
    if not revision:
        return None
    tags: list[tuple[str, str]] = []
    for name in tree.listdir(".git/refs/tags") if tree.is_dir(".git/refs/tags") else []:
        rel = f".git/refs/tags/{name}"
        if tree.is_file(rel):
            tags.append((name, tree.read_text(rel).strip()))
    if tree.is_file(".git/packed-refs"):
        lines = tree.read_text(".git/packed-refs").splitlines()
        for number, line in enumerate(lines):
            parts = line.split()
            if len(parts) == 2 and parts[1].startswith("refs/tags/"):
                peeled = (
                    lines[number + 1][1:] if number + 1 < len(lines) and lines[number + 1][:1] == "^" else ""
                )
                tags.append((parts[1][10:], peeled or parts[0]))
    for name, sha in sorted(tags, reverse=True):
        match = re.match(r"^v?(\d+(\.\d+)*([abc]|rc|\.post|\.dev)?\d*)$", name)
        if sha == revision and match:
            return Fact(match.group(1), (Evidence(".git/refs/tags", None, f"tag {name} on HEAD"),))
    return None


def detect_metadata(
    tree: ProjectTree, pyproject: dict[str, Any] | None, git_tree: ProjectTree | None = None
) -> Metadata:
    """``git_tree``: the checkout the project sits in when it is not ``tree`` itself (a workspace
    member, a monorepo's backend/), for the revision and a tag version."""
    git_tree = git_tree or tree
    pyproject = pyproject or {}
    project = pyproject.get("project") if isinstance(pyproject.get("project"), dict) else None
    poetry = pyproject.get("tool", {}).get("poetry", {})
    cfg = _setup_cfg(tree)

    def line(key: str) -> int | None:
        return tree.line_of("pyproject.toml", rf"^{key}\s*=")

    name: Fact[str] | None = None
    version: Fact[str] | None = None
    description: Fact[str | None] = Fact(None)
    if project:
        if project.get("name"):
            name = Fact(str(project["name"]), (Evidence("pyproject.toml", line("name"), "[project] name"),))
        if project.get("version"):
            version = Fact(
                str(project["version"]), (Evidence("pyproject.toml", line("version"), "[project] version"),)
            )
        elif "version" in project.get("dynamic", []):
            version = static_dynamic_version(tree, pyproject) or Fact(
                "0.0.0", (Evidence("pyproject.toml", None, "version is dynamic; 0.0.0 for labels"),)
            )
        if project.get("description"):
            description = Fact(
                str(project["description"]), (Evidence("pyproject.toml", None, "[project] description"),)
            )
    if isinstance(poetry, dict):
        if name is None and poetry.get("name"):
            name = Fact(
                str(poetry["name"]), (Evidence("pyproject.toml", line("name"), "[tool.poetry] name"),)
            )
        if (version is None or version.value == "0.0.0") and poetry.get("version"):
            version = Fact(
                str(poetry["version"]),
                (Evidence("pyproject.toml", line("version"), "[tool.poetry] version"),),
            )
        if description.value is None and poetry.get("description"):
            description = Fact(
                str(poetry["description"]), (Evidence("pyproject.toml", None, "[tool.poetry]"),)
            )
    if name is None and "name" in cfg:
        name = Fact(cfg["name"][0], (Evidence("setup.cfg", cfg["name"][1], "[metadata] name"),))
    if version is None and "version" in cfg and not cfg["version"][0].startswith(("attr:", "file:")):
        version = Fact(cfg["version"][0], (Evidence("setup.cfg", cfg["version"][1], "[metadata] version"),))
    elif version is None and "version" in cfg:
        version = _attr_or_file(tree, cfg["version"][0], "setup.cfg", cfg["version"][1])
    setup_py = setup_py_metadata(tree) if name is None or version is None or not description.value else {}
    if name is None and "name" in setup_py:
        name = Fact(setup_py["name"][0], (Evidence("setup.py", setup_py["name"][1], "setup(name=...)"),))
    if version is None and "version" in setup_py:
        found, number = setup_py["version"]
        version = Fact(found, (Evidence("setup.py", number, "setup(version=...)"),))
    elif version is None:  # setup.py's `version=get_version()`: the file it reads
        version = setup_py_version(tree)
    if description.value is None and "description" in setup_py:
        found, number = setup_py["description"]
        description = Fact(found, (Evidence("setup.py", number, "setup(description=...)"),))
    if name is None and tree.root.name in _LAYOUT_FOLDERS and tree.root.parent.name:
        # the build context is the repository's src/ (the one folder holding the project): "src" names
        # a layout, not the app
        why = f"no declared name; the name of the folder holding {tree.root.name}/"
        name = Fact(tree.root.parent.name, (Evidence(".", None, why),))
    if name is None:
        name = Fact(tree.root.name, (Evidence(".", None, "no declared name; the directory name"),))
    if version is None or version.value == "0.0.0":
        tagged = git_tag_version(git_tree, git_revision(git_tree).value)
        if tagged is not None:
            version = tagged
    if version is None:
        version = Fact("0.0.0", (Evidence("default", None, "no declared version; 0.0.0"),))

    source_url: Fact[str | None] = Fact(None, (Evidence("default", None, "no project URL"),))
    urls = dict((project or {}).get("urls") or {})
    for key in ("repository", "homepage"):
        if isinstance(poetry, dict) and poetry.get(key):
            urls.setdefault(key, poetry[key])
    lowered = {str(k).lower(): str(v) for k, v in urls.items()}
    for key in _URL_KEYS:
        if key in lowered:
            url_line = tree.line_of("pyproject.toml", rf"^[\"']?{key}[\"']?\s*=")
            source_url = Fact(lowered[key], (Evidence("pyproject.toml", url_line, f"project URL {key!r}"),))
            break
    return Metadata(name, version, git_revision(git_tree), source_url, description)


_VERSION_LITERAL = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", re.MULTILINE)


def static_dynamic_version(tree: ProjectTree, pyproject: dict[str, Any]) -> Fact[str] | None:
    """A dynamic ``[project] version`` its backend reads from a file, read as it does: setuptools'
    ``[tool.setuptools.dynamic] version`` (``attr = "pkg.__version__"``: the module's literal, or
    ``file``), hatch's ``[tool.hatch.version] path`` (its ``__version__`` line), pdm's
    ``[tool.pdm.version] source = "file"``. None when it comes from git or code."""
    tool = pyproject.get("tool") if isinstance(pyproject.get("tool"), dict) else {}
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    dynamic = setuptools.get("dynamic") if isinstance(setuptools, dict) else None
    spec = dynamic.get("version") if isinstance(dynamic, dict) else None
    line = tree.line_of("pyproject.toml", r"^\s*version\s*=\s*\{")
    if isinstance(spec, dict) and isinstance(spec.get("attr"), str):
        return _attr_or_file(tree, "attr: " + spec["attr"], "pyproject.toml", line)
    files = spec.get("file") if isinstance(spec, dict) else None
    if isinstance(files, list) and len(files) == 1 and isinstance(files[0], str):
        files = files[0]  # `file = ["VERSION"]`: one file's text is the version
    if isinstance(files, str):
        return _attr_or_file(tree, "file: " + files, "pyproject.toml", line)
    for table in ("hatch", "pdm"):
        found = tool.get(table) if isinstance(tool, dict) else None
        config = found.get("version") if isinstance(found, dict) else None
        path = config.get("path") if isinstance(config, dict) else None
        if (
            isinstance(path, str)
            and isinstance(config, dict)
            and (table == "hatch" or config.get("source") == "file")
        ):
            return _literal_in(tree, path, f"[tool.{table}.version] path")
    return None


def _attr_or_file(tree: ProjectTree, spec: str, where: str, line: int | None) -> Fact[str] | None:
    """``attr: pkg.__version__`` (the module's ``__version__`` literal, under src/ too) or ``file:
    VERSION`` (its stripped text), as setuptools reads them; None otherwise."""
    kind, _, value = spec.partition(":")
    value = value.strip()
    if kind.strip() == "file":
        rel = value.split(",")[0].strip()
        if tree.is_file(rel):
            text = tree.read_text(rel).strip()
            if re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", text):
                return Fact(text, (Evidence(where, line, f"version = file: {rel}"), Evidence(rel, 1, text)))
        return None
    module, _, attr = value.rpartition(".")
    if attr != "__version__" or not module:
        return None
    file = module_path(tree, module)
    found = _literal_in(tree, file, f"version = attr: {value}") if file else None
    return (
        Fact(found.value, (Evidence(where, line, f"version = attr: {value}"), *found.evidence))
        if found
        else None
    )


def _literal_in(tree: ProjectTree, rel: str, why: str) -> Fact[str] | None:
    """The ``__version__ = "X"`` literal of ``rel``, with its line."""
    if not tree.is_file(rel):
        return None
    text = tree.read_text(rel)
    match = _VERSION_LITERAL.search(text)
    if match is None:
        return None
    number = text.count("\n", 0, match.start()) + 1
    return Fact(match.group(1), (Evidence(rel, number, f"__version__ ({why})"),))


def _scripts_without_backend(tree: ProjectTree, pyproject: dict[str, Any]) -> bool:
    """A PEP 621 project that declares console scripts and no build system, installed by pip: uv's own
    sync leaves such a project uninstalled (no build system: a virtual project) unless
    ``[tool.uv] package = true`` (https://docs.astral.sh/uv/concepts/projects/config/#build-systems)."""
    project = pyproject.get("project")
    if not isinstance(project, dict) or "build-system" in pyproject:
        return False
    groups = project.get("entry-points")
    console = groups.get("console_scripts") if isinstance(groups, dict) else None
    if not (project.get("scripts") or project.get("gui-scripts") or console):
        return False
    uv = pyproject.get("tool", {}).get("uv", {})
    packaged = isinstance(uv, dict) and uv.get("package")
    return bool(packaged) if tree.is_file("uv.lock") or isinstance(packaged, bool) else True


def metadata_reads(tree: ProjectTree, pyproject: dict[str, Any] | None) -> list[str]:
    """The files a build backend reads to make the project's metadata, where they exist in ``tree``: the
    ``readme``, the license file and ``license-files`` it declares, the license-like files at the top
    (LICENSE*, COPYING*, NOTICE*, AUTHORS*: backends' defaults), MANIFEST.in, and a hatch metadata
    hook's script (``[tool.hatch.metadata.hooks.custom]``, ``hatch_build.py`` by default)."""
    pyproject = pyproject or {}
    tool = pyproject.get("tool") if isinstance(pyproject.get("tool"), dict) else {}
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    project = pyproject.get("project") if isinstance(pyproject.get("project"), dict) else {}
    readme = (project or {}).get("readme") or (poetry.get("readme") if isinstance(poetry, dict) else None)
    if isinstance(readme, dict):
        readme = readme.get("file")
    lic = (project or {}).get("license")
    license_files = (project or {}).get("license-files", []) or []
    hatch = tool.get("hatch") if isinstance(tool, dict) else None
    hooks = (hatch.get("metadata") or {}).get("hooks") if isinstance(hatch, dict) else None
    custom = hooks.get("custom") if isinstance(hooks, dict) else None
    declared = [
        *(readme if isinstance(readme, list) else [readme]),
        lic.get("file") if isinstance(lic, dict) else None,
        *(license_files if isinstance(license_files, list) else []),
        *([custom.get("path", "hatch_build.py")] if isinstance(custom, dict) else []),
    ]
    # Only files that exist inside the project: a declared path is re-included in .dockerignore.
    reads = [posixpath.normpath(p) for p in declared if isinstance(p, str) and tree.is_file(p)]
    for name in tree.top_files():
        if (
            name.upper().startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS"))
            or name == "MANIFEST.in"
        ):
            reads.append(name)
    return list(dict.fromkeys(reads))


def code_skip_dirs(tree: ProjectTree) -> tuple[str, ...]:
    """The top folders of tests and docs, whose code's file reads are no data the app needs."""
    return tuple(d for d in tree.top_dirs() if d in TEST_DIRS or d in DOC_DIRS)


def detect_layout(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    scans: Mapping[str, ModuleScan] | None = None,
    git_tree: ProjectTree | None = None,
) -> Layout:
    """The project's layout; ``scans``: the module scans (project/module_scans.py), whose path reads
    stand for parsing the modules again; ``git_tree``: the checkout the project sits in when it is not
    ``tree`` itself (its .gitignore)."""
    pyproject = pyproject or {}
    build = pyproject.get("build-system") if isinstance(pyproject.get("build-system"), dict) else None
    is_package: Fact[bool]
    backend: Fact[str | None]
    requires: tuple[str, ...] = ()
    hooks = BuildHooks()
    poetry = pyproject.get("tool", {}).get("poetry", {})
    pdm = pyproject.get("tool", {}).get("pdm", {})
    uv = pyproject.get("tool", {}).get("uv", {})
    # uv: `package = false` keeps a project with a [build-system] virtual: `uv sync` installs its
    # dependencies and never builds it (https://docs.astral.sh/uv/reference/settings/#package)
    uv_virtual = isinstance(uv, dict) and uv.get("package") is False
    # Rye: `virtual = true` is the same (https://rye.astral.sh/guide/virtual/: the project itself is
    # never installed, only its dependencies; Rye's docker guide runs it from its source)
    rye = pyproject.get("tool", {}).get("rye", {})
    rye_virtual = isinstance(rye, dict) and rye.get("virtual") is True
    # `[project] name = ""` (older `pdm init` wrote it for an application): a wheel's metadata needs a
    # name, so no backend builds one (pip stops on "InvalidRequirement ... '==0.0.0'"); PDM installs
    # only the dependencies of such a project
    declared = pyproject.get("project")
    nameless = (
        isinstance(declared, dict) and isinstance(declared.get("name"), str) and not declared["name"].strip()
    )
    non_package = (
        (isinstance(poetry, dict) and poetry.get("package-mode") is False)
        or (isinstance(pdm, dict) and pdm.get("distribution") is False)
        or uv_virtual
        or rye_virtual
        or nameless
    )
    if build and build.get("build-backend") and not non_package:
        hooks = read_build_hooks(tree, pyproject, str(build["build-backend"]))
        requires = tuple(dict.fromkeys((*(str(r) for r in build.get("requires", [])), *hooks.requires)))
        bline = tree.line_of("pyproject.toml", r"^build-backend\s*=")
        ev = Evidence("pyproject.toml", bline, f"[build-system] build-backend = {build['build-backend']!r}")
        is_package, backend = Fact(True, (ev,)), Fact(str(build["build-backend"]), (ev,))
    elif non_package:
        if uv_virtual:
            line = tree.line_of("pyproject.toml", r"^package\s*=\s*false")
            ev = Evidence(
                "pyproject.toml",
                line,
                "[tool.uv] package = false: uv installs the dependencies and never builds the project "
                "(a virtual project), so its source is the app",
            )
        elif rye_virtual:
            ev = Evidence(
                "pyproject.toml",
                tree.line_of("pyproject.toml", r"^virtual\s*=\s*true"),
                "[tool.rye] virtual = true: Rye installs the dependencies and never builds the project "
                "(a virtual project), so its source is the app",
            )
        elif nameless:
            ev = Evidence(
                "pyproject.toml",
                tree.line_of("pyproject.toml", r"^name\s*="),
                "[project] name is empty: no build backend makes a wheel without a name (PDM installs only "
                "its dependencies), so its source is the app",
            )
        else:
            ev = Evidence("pyproject.toml", None, "package-mode/distribution = false: not built as a wheel")
        is_package, backend = Fact(False, (ev,)), Fact(None, (ev,))
    elif has_setup_script(tree):
        # setup.cfg alone is not a package: pip needs setup.py or a [build-system] to build one.
        ev = Evidence("setup.py", None, "legacy setuptools")
        setup_requires = read_setuptools(tree).get("setup_requires")
        extra = setup_requires.values if setup_requires else ()
        requires = ("setuptools>=40.8.0", *extra)
        is_package, backend = Fact(True, (ev,)), Fact("setuptools.build_meta:__legacy__", (ev,))
        hooks = read_build_hooks(tree, pyproject, backend.value)
    elif _scripts_without_backend(tree, pyproject):
        # PEP 517's fallback: pip (and `uv pip install`) build a pyproject.toml without [build-system]
        # with setuptools' legacy backend; [project.scripts] exist only once the project is installed
        # https://pip.pypa.io/en/stable/reference/build-system/pyproject-toml/#fallback-behaviour
        line = tree.line_of("pyproject.toml", r"^\[project\.((gui-)?scripts|entry-points\.console_scripts)\]")
        ev = Evidence(
            "pyproject.toml",
            line,
            "console scripts without [build-system]: pip builds it with setuptools' legacy backend "
            "(PEP 517's fallback), and only that install makes the scripts",
        )
        requires = ("setuptools>=40.8.0",)
        is_package, backend = Fact(True, (ev,)), Fact("setuptools.build_meta:__legacy__", (ev,))
    else:
        ev = Evidence("pyproject.toml" if pyproject else ".", None, "no build backend: an application tree")
        is_package, backend = Fact(False, (ev,)), Fact(None, (ev,))

    reads = metadata_reads(tree, pyproject) if is_package.value else []
    dirs = tuple(tree.top_dirs())
    scm = scm_version_env(tree, pyproject, requires) if is_package.value else None
    dockerfile = next((n for n in ("Dockerfile", "Containerfile") if tree.is_file(n)), None)
    tests_dirs = tuple(d for d in dirs if d in TEST_DIRS)
    docs_dirs = tuple(d for d in dirs if d in DOC_DIRS)
    data_reads = _first_per_path((*code_reads(tree, code_skip_dirs(tree), scans), *build_reads(tree)))
    # the checkout's index, read once and only when asked: a .gitignore, a database file or an upload folder
    tracked = functools.cache(functools.partial(tracked_in, tree, git_tree))
    return Layout(
        is_package=is_package,
        build_backend=backend,
        build_requires=requires,
        files_build_reads=tuple(dict.fromkeys(reads)),
        present_dirs=dirs,
        venv_dirs=tree.venv_dirs,
        tests_dirs=tests_dirs,
        docs_dirs=docs_dirs,
        existing_dockerfile=dockerfile,
        existing_dockerignore=".dockerignore" if tree.is_file(".dockerignore") else None,
        git_ignored=git_ignored(tree, git_tree, tracked),
        scm_version_env=scm,
        versioneer_file=detect_versioneer(tree, pyproject or {}, requires) if is_package.value else None,
        scm_commit_hash=scm_commit_hash(tree, pyproject or {}) if is_package.value else None,
        data_reads=data_reads,
        local_state=local_state(tree, tracked, data_reads),
        source_size=detect_source_size(tree, (*tests_dirs, *docs_dirs)),
        catalogs_compiled_by=hooks.compiles_catalogs if is_package.value else None,
        node_run_by=hooks.runs_node if is_package.value else None,
        scm_file_finder=scm_file_finder(tree, pyproject or {}, requires, backend.value)
        if is_package.value
        else None,
    )


def _first_per_path(reads: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """One evidence per path (the first: the code's read before the build's)."""
    out: dict[str, Evidence] = {}
    for read in reads:
        out.setdefault(read.detail, read)
    return tuple(out.values())


# Build-time requirement (canonical name) -> the variable that makes it use a given version instead of git.
SCM_PRETEND = {
    "setuptools-scm": "SETUPTOOLS_SCM_PRETEND_VERSION",  # https://setuptools-scm.readthedocs.io/en/latest/overrides/
    "hatch-vcs": "SETUPTOOLS_SCM_PRETEND_VERSION",  # https://github.com/ofek/hatch-vcs (wraps setuptools-scm)
    "poetry-dynamic-versioning": "POETRY_DYNAMIC_VERSIONING_BYPASS",  # its README, "Environment variables"
    # https://github.com/ninoseki/uv-dynamic-versioning (its README's BYPASS variable: a static version)
    "uv-dynamic-versioning": "UV_DYNAMIC_VERSIONING_BYPASS",
}
PDM_SCM = "PDM_BUILD_SCM_VERSION"  # https://backend.pdm-project.org/metadata/#dynamic-project-version


def untagged_scm_note(metadata: Metadata, layout: Layout) -> str | None:
    """A warning when the build backend takes its version from git but HEAD carries no version tag:
    dockwright does not walk the history (``git describe``), so the wheel and the label would say 0.0.0
    unless the build is given the version."""
    scm = layout.scm_version_env
    if scm is None or scm.value is None or metadata.version.value != "0.0.0" or not metadata.revision.value:
        return None
    where = scm.evidence[0].file + (f":{scm.evidence[0].line}" if scm.evidence[0].line else "")
    return (
        f"{metadata.name.value}'s version comes from git ({where}) and HEAD "
        f"{metadata.revision.value[:12]} carries no version tag: the wheel, `--version` and the image label "
        "would say 0.0.0; build with --build-arg VERSION=X.Y.Z (what `git describe --tags` names) or tag HEAD"
    )


def scm_commit_hash(tree: ProjectTree, pyproject: dict[str, Any]) -> Fact[str] | None:
    """pyproject.toml when hatch-vcs's metadata hook (``[tool.hatch.metadata.hooks.vcs.urls]``) puts
    ``{commit_hash}`` in a URL: the hook runs ``git rev-parse HEAD`` for it whatever the pretend version
    (hatch-vcs's ``metadata_hook.py`` and ``vcs_utils.get_commit_hash``), so the wheel build stops on
    ``FileNotFoundError: 'git'`` in a builder without git and .git."""
    hooks = pyproject.get("tool", {}).get("hatch", {}).get("metadata", {}).get("hooks", {})
    vcs = hooks.get("vcs", {}) if isinstance(hooks, dict) else {}
    urls = vcs.get("urls", {}) if isinstance(vcs, dict) else {}
    if not isinstance(urls, dict) or not any("{commit_hash}" in str(u) for u in urls.values()):
        return None
    line = tree.line_of("pyproject.toml", r"\{commit_hash\}")
    why = "[tool.hatch.metadata.hooks.vcs.urls] names {commit_hash}, which hatch-vcs asks git for"
    return Fact("pyproject.toml", (Evidence("pyproject.toml", line, why),))


# setuptools plugins whose `setuptools.file_finders` entry point lists the files of the checkout (git's
# tracked files): without .git they list none, and setuptools' package data (include_package_data) is empty
# https://setuptools-scm.readthedocs.io/en/latest/usage/#file-finders-hook-makes-most-of-manifestin-unnecessary
_FILE_FINDERS = frozenset({"setuptools-scm", "setuptools-git-versioning", "setuptools-git", "setuptools-svn"})


def _requirement_key(text: str) -> str:
    """A build requirement's name, lowercase with ``-`` (``setuptools_scm>=8`` -> ``setuptools-scm``)."""
    return re.split(r"[<>=!~\[ ;]", text.strip(), maxsplit=1)[0].lower().replace("_", "-")


def scm_file_finder(
    tree: ProjectTree, pyproject: dict[str, Any], requires: tuple[str, ...], backend: str | None
) -> Evidence | None:
    """The build requirement that makes setuptools take the package data from git, when the package data
    is on (pyproject's ``[project]`` default, ``include_package_data`` in setup.cfg or setup.py) and no
    MANIFEST.in lists the files instead."""
    if not (backend or "").startswith("setuptools") or tree.is_file("MANIFEST.in"):
        return None
    plugin = next((r for r in requires if _requirement_key(r) in _FILE_FINDERS), None)
    if plugin is None:
        return None
    tool = pyproject.get("tool") if isinstance(pyproject.get("tool"), dict) else {}
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    flag = setuptools.get("include-package-data") if isinstance(setuptools, dict) else None
    if flag is None and isinstance(pyproject.get("project"), dict):
        flag = True  # pyproject-configured setuptools includes package data by default
    if flag is None:
        text = "\n".join(tree.read_text(f) for f in ("setup.cfg", "setup.py") if tree.is_file(f))
        flag = bool(re.search(r"include_package_data\s*[=:]\s*(?:True|true|1|yes)", text))
    if not flag:
        return None
    where = "pyproject.toml" if pyproject.get("build-system") else "setup.py"
    return Evidence(
        where, None, f"build requires {plugin}: setuptools takes the package data from git's files"
    )


def scm_version_env(
    tree: ProjectTree, pyproject: dict[str, Any], requires: tuple[str, ...]
) -> Fact[str | None]:
    """Which variable hands the build backend a version when it would read it from git."""
    for text in requires:
        name = _requirement_key(text)
        if name in SCM_PRETEND:
            where = "setup.py" if not pyproject.get("build-system") else "pyproject.toml"
            ev = Evidence(where, None, f"build requires {text}: the version comes from git")
            return Fact(SCM_PRETEND[name], (ev,))
    pdm = pyproject.get("tool", {}).get("pdm", {})
    version = pdm.get("version", {}) if isinstance(pdm, dict) else {}
    if isinstance(version, dict) and version.get("source") == "scm":
        line = tree.line_of("pyproject.toml", r"^source\s*=\s*[\"']scm")
        return Fact(PDM_SCM, (Evidence("pyproject.toml", line, "[tool.pdm.version] source = 'scm'"),))
    if tree.is_file("setup.py") and "use_scm_version" in tree.read_text("setup.py"):
        line = tree.line_of("setup.py", r"use_scm_version")
        return Fact(SCM_PRETEND["setuptools-scm"], (Evidence("setup.py", line, "use_scm_version"),))
    return Fact(None, ())
