"""``detect_project``: read a project directory into :class:`ProjectFacts`.

Each part has its own module (tree → python_version, managers, apps, native, metadata); this one only
wires them together. Command-line overrides win and carry the evidence ``command line``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project import direct_urls, health_version
from dockwright.project.alembic_config import credential_note, migrate_note, migration_files
from dockwright.project.apps import detect_app
from dockwright.project.buildsteps import detect_build_steps, prisma_env
from dockwright.project.code_secrets import code_secret_notes
from dockwright.project.compose_migrations import with_compose_migration
from dockwright.project.constraints import constraint_pins, detect_constraints
from dockwright.project.deploy_env import DeployEnv
from dockwright.project.detectors.app_server_base import with_prestart
from dockwright.project.dropped_workers import with_dropped_worker
from dockwright.project.entry_run import with_start_script
from dockwright.project.extras import with_extras
from dockwright.project.facts import (
    FACTS_SCHEMA,
    AppFacts,
    Dependencies,
    Fact,
    ProjectFacts,
    PythonFacts,
    UvSelection,
    WorkspaceFacts,
)
from dockwright.project.foreign import detect_foreign, source_builds
from dockwright.project.generated_pins import GeneratedPins, pins_evidence, with_generated_pins
from dockwright.project.gitdeps import detect_git
from dockwright.project.gunicorn_bind import with_config_bind
from dockwright.project.gunicorn_config import config_notes, loads_module, served_argv
from dockwright.project.index_config import detect_index_config
from dockwright.project.index_pins import PinIndex, with_index_files
from dockwright.project.indexes import detect_indexes
from dockwright.project.launcher_migrations import migrations_outside_wheel, with_launcher_migration
from dockwright.project.library_paths import library_path_notes
from dockwright.project.local_wheels import detect_local_wheels
from dockwright.project.lock_reach import uv_reach
from dockwright.project.managers import GENERATED_LOCK, read_dependencies, read_uv_lock
from dockwright.project.metadata import detect_layout, detect_metadata, untagged_scm_note
from dockwright.project.model_files import model_notes
from dockwright.project.module_native import module_needs
from dockwright.project.module_scans import scan_modules
from dockwright.project.native import lean_notes, native_needs
from dockwright.project.optional_extras import optional_extras, requirement_names, self_extras
from dockwright.project.own_copies import with_script_links, without_present_links
from dockwright.project.own_native import detect_own_native
from dockwright.project.own_script_calls import own_script_calls
from dockwright.project.own_volumes import with_own_volumes
from dockwright.project.own_workdir import DEFAULT as DEFAULT_WORKDIR
from dockwright.project.own_workdir import moved_env, own_workdir
from dockwright.project.pathdeps import built_from_folders, folders_native
from dockwright.project.pid_files import with_pid_files_in_tmp
from dockwright.project.pip_options import pip_only_options
from dockwright.project.plan_files import PlanFiles
from dockwright.project.platform_port import with_platform_port
from dockwright.project.privilege_options import with_user_options_dropped
from dockwright.project.programs import shipped_programs
from dockwright.project.project_folders import runs_from_its_folder
from dockwright.project.public_certificates import public_certificates
from dockwright.project.python_choice import LockTarget, choose_python, pin_conflicts
from dockwright.project.python_version import (
    choose_suite,
    detect_python,
    outside_package_range,
    python_notes,
    release_table,
)
from dockwright.project.removed_calls import with_removed_calls
from dockwright.project.renamed_programs import renamed_evidence
from dockwright.project.requirement_layers import compiled_set
from dockwright.project.root_module import (
    imports_from_a_folder,
    poetry_package_above,
    poetry_without_its_package,
    root_module_outside_wheel,
    uninstalled_script_note,
)
from dockwright.project.secret_files import script_secret_notes, secret_files
from dockwright.project.server_source import carried_servers, with_server_source
from dockwright.project.settings_outside import settings_outside_wheel
from dockwright.project.setuptools_discovery import flat_layout_refused
from dockwright.project.setuptools_packages import data_outside_wheel, start_outside_packages
from dockwright.project.socketio_server import with_socketio_options
from dockwright.project.src_imports import src_import, with_served_src, with_src_path
from dockwright.project.start_credentials import with_credentials_withheld
from dockwright.project.start_cwd import launch_folder
from dockwright.project.start_extras import extras_for_start
from dockwright.project.state_dirs import with_state_dirs
from dockwright.project.syntax import SyntaxFloor, host_minor, syntax_floor
from dockwright.project.system_packages import system_packages
from dockwright.project.tree import ProjectTree, committed_recipe_notes, lossy_script_notes
from dockwright.project.tree_root_reads import reads_the_tree_root, with_import_root
from dockwright.project.undeclared_imports import ImportCheck
from dockwright.project.uv_required import uv_required_version
from dockwright.project.uv_selection import Member, conflict_sets, run_extras, select
from dockwright.project.uwsgi_config import with_uwsgi
from dockwright.project.vcs_locked import vcs_notes
from dockwright.project.workflow_recipes import not_shipped
from dockwright.project.workspace import (
    MAX_PARENTS,
    locate,
    member_dependencies,
    nested_members,
    service_folders_note,
    with_selection,
)


def _with_start_extras(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    deps: Dependencies,
    asked: tuple[str, ...],
    command: tuple[str, ...],
    name: str,
    notes: list[str],
    python: str | None = None,
    uv_member: WorkspaceFacts | None = None,
) -> Dependencies:
    """``deps`` with the optional extras the start's own module imports from (see start_extras); a
    uv.lock project's (a workspace member's: ``uv_member``) are added to its selection (uv_selection),
    unless they conflict with it."""
    have = {canonicalize_name(e) for e in asked}
    installed = frozenset(p.name for p in deps.locked)
    needed = [
        (e, ev)
        for e, ev in extras_for_start(tree, pyproject, command, installed, name)
        if canonicalize_name(e) not in have
    ]
    if not needed:
        return deps
    names = tuple(e for e, _ in needed)
    why = "; ".join(str(ev) for _, ev in needed)
    fixed = deps.hashed_requirements or deps.lock_file
    selection = deps.uv_selection
    if selection is not None and python is not None:  # uv.lock holds every extra: install it from there
        chosen = {canonicalize_name(e) for e in (*selection.extra_names, *names)}
        if not any(len(chosen & s) > 1 for s in conflict_sets(pyproject, _selection_member(uv_member))):
            more = tuple(Fact(e, (ev,)) for e, ev in needed)
            selection = replace(selection, extras=(*selection.extras, *more))
            if uv_member is not None:
                locked = list(member_dependencies(uv_member, python, deps.declared, selection).locked)
            else:
                locked = read_uv_lock(tree, python, canonicalize_name(name), selection).locked
            notes.append(f"optional extra {', '.join(names)} installed, the start needs it: {why}")
            return replace(
                deps, locked=tuple(sorted(locked, key=lambda p: (p.name, p.version))), uv_selection=selection
            )
    if fixed:
        notes.append(
            f"{why}: {fixed} fixes the installed set without it, so the start would stop on "
            "ModuleNotFoundError; lock the extra there or move its requirements to the main dependencies"
        )
        return deps
    try:
        deps = with_extras(tree, pyproject, deps, names, name)
    except ProjectError as error:
        notes.append(f"{why}; the extra could not be added: {error.message}")
        return deps
    notes.append(f"optional extra {', '.join(names)} installed, the start needs it: {why}")
    return deps


def _generated_conflicts(
    py: PythonFacts, deps: Dependencies, seen: Dependencies, generated: GeneratedPins
) -> list[str]:
    """Where the generated lock's own pins (not the project's) do not install on ``py``."""
    own_pins = {p.name for p in deps.locked}
    only = replace(seen, locked=tuple(p for p in seen.locked if p.name not in own_pins))
    return list(pin_conflicts(py, only, generated.line_of))


def _selection_member(workspace: WorkspaceFacts | None) -> Member | None:
    """The uv workspace member whose selection is read, with the root's files (None: no workspace, or
    the root is the member, whose own files are the root's)."""
    if workspace is None or workspace.member.value == ".":
        return None
    root = ProjectTree(Path(workspace.context))
    pyproject = root.read_toml("pyproject.toml") if root.is_file("pyproject.toml") else None
    return Member(workspace.package, root, pyproject)


def _shown_folder(app: Path, named_root: Path | None) -> str:
    """The app's folder as the user sees it from the folder they named (``packages/api/``), "" when it is
    that folder (or outside it)."""
    if named_root is None:
        return ""
    try:
        rel = app.resolve().relative_to(named_root.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else f"{rel}/"


def detect_project(
    root: Path,
    *,
    python: str | None = None,
    debian: str | None = None,
    manager: str | None = None,
    start: str | None = None,
    port: int | None = None,
    process: str | None = None,
    package: str | None = None,
    workspace: WorkspaceFacts | None = None,
    extras: tuple[str, ...] = (),
    groups: tuple[str, ...] | None = None,
    index_lookup: PinIndex | None = None,
    generated: GeneratedPins | None = None,
    lock_target: LockTarget | None = None,
    unless_same: ProjectFacts | None = None,
    named_root: Path | None = None,
    lock_name: str = GENERATED_LOCK,
) -> ProjectFacts:
    """Detect everything about the project at ``root``; raise ProjectError on bad input (``lock_name``:
    the name of the lock dockwright writes, the configured ``lock-name``).

    ``named_root``: the folder the user named when ``root`` is the app found inside it (a workspace member):
    the files a refusal names are shown relative to it.

    ``index_lookup`` gives pins whose lock lists no files (requirements, Pipfile.lock) their files and
    Requires-Python from the package index, so the Python is chosen with them in view; ``generated``
    (the pins of the lock ``init`` generated) joins them for that choice. ``lock_target`` (with the
    lookup off): the Python an existing generated lock was resolved for, kept when the range allows it.
    ``unless_same`` (with ``generated``): the facts detected without ``generated``, returned as they are
    when the generated pins move neither the Python nor any note (the rest of the detection reads
    nothing else of them), so a plan does not detect the project twice.

    Without ``workspace``, :func:`~dockwright.project.workspace.locate` first finds the app (``root``
    itself, the uv workspace member ``package`` or the one app member, or the app's folder of a
    monorepo). With it, ``root`` is that app and ``workspace`` says where the build context is (a uv
    workspace's lock there gives the dependencies)."""
    named_root = Path(root) if workspace is None and named_root is None else named_root
    if workspace is None:
        location = locate(Path(root), package)
        root, workspace = location.app, location.workspace
    tree = ProjectTree(Path(root), _nested_members(workspace))
    pyproject: dict[str, Any] | None = (
        tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    )
    notes: list[str] = [
        f"{name} is not a regular file (a FIFO, socket or device); it was not read"
        for name in tree.special_files()
    ]
    services_elsewhere = service_folders_note(tree) if workspace is None else None
    if services_elsewhere:
        notes.append(services_elsewhere)
    uv_member = workspace if workspace is not None and workspace.kind == "uv-workspace" else None
    subdirectory = workspace is not None and workspace.kind == "subdirectory"
    outer = ProjectTree(Path(workspace.context).parent) if workspace is not None and subdirectory else None
    files = PlanFiles(tree, outer)  # the files several steps read: read once (project/plan_files.py)
    deploy_env = DeployEnv(files)  # the deploy descriptors' settings: read once, by the first look-up
    python_tree = _python_tree(tree, uv_member)
    py = detect_python(
        python_tree,
        pyproject,
        override=python,
        debian=debian,
        deploy_env=deploy_env if python_tree is tree else None,
    )
    git_tree = _git_tree(tree, workspace)  # the checkout above an app folder: its revision, its .gitignore
    metadata = detect_metadata(tree, pyproject, git_tree)

    # a uv.lock project: the extras its run instructions select and its production groups (uv_selection)
    selection: UvSelection | None = None
    refused: ProjectError | None = None  # raised only when uv.lock is what the image installs from
    if tree.is_file("uv.lock") or uv_member is not None:
        # a workspace member: its own extras and groups (uv sync --package), read from its folder
        member = _selection_member(uv_member)
        try:
            selection = select(tree, pyproject, extras, groups, notes, member)
        except ProjectError as error:
            selection, refused = UvSelection(), error

    def dependencies(version: str) -> Dependencies:
        if uv_member is not None:
            found = member_dependencies(uv_member, version, tuple(_pep621_names(pyproject)), selection)
        else:
            found = read_dependencies(
                tree,
                pyproject,
                python=version,
                override=manager,
                project_name=canonicalize_name(metadata.name.value),
                uv=selection,
                lock_name=lock_name,
            )
        if index_lookup is None:
            return found
        own = detect_indexes(tree, pyproject, found.input_files, found.lock_file)[0]
        return with_index_files(found, version, index_lookup, own, notes)

    deps = dependencies(py.version.value)
    if refused is not None and deps.uv_selection is not None:
        raise refused
    scans = scan_modules(tree)  # parsed once: the syntax floor, the app, the data and model files read them
    floor = syntax_floor(tree, release_table().latest, scans=scans.by_rel)
    chosen = choose_python(py, deps, floor, lock_target)
    constrained = deps  # the constraints files' pins too (pip install -c), with the index's files
    if index_lookup is not None:
        own = detect_indexes(tree, pyproject, deps.input_files, deps.lock_file)[0]
        for pins in constraint_pins(tree, detect_constraints(tree, outer)):
            merged = with_generated_pins(constrained, pins)
            constrained = with_index_files(merged, py.version.value, index_lookup, own, notes)
            chosen = _rechosen(py, chosen, constrained, floor, pins, f"in {pins.path}")
    seen = None  # the generated lock's pins too, with the index's files of them
    if generated is not None and index_lookup is not None:
        said = len(notes)
        own = detect_indexes(tree, pyproject, deps.input_files, deps.lock_file)[0]
        merged = with_generated_pins(constrained, generated)
        seen = with_index_files(merged, py.version.value, index_lookup, own, notes)
        chosen = _rechosen(py, chosen, seen, floor, generated)
        if (
            unless_same is not None
            and chosen.version.value == unless_same.python.version.value == py.version.value
            and len(notes) == said
            and not _generated_conflicts(chosen, deps, seen, generated)
        ):
            return unless_same
    if chosen.version.value != py.version.value:
        # another minor may be built on another Debian suite (3.8: bookworm only)
        py = replace(chosen, debian=choose_suite(chosen.version.value, requested=debian))
        deps = dependencies(py.version.value)
    else:
        py = chosen
    notes += python_notes(py.version.value)
    deps = replace(deps, git=detect_git(tree, deps))  # fetched at their commits, built as wheels
    notes += vcs_notes(tree, deps, uv_sync=uv_member is not None)
    notes += direct_urls.check(tree, deps, py.version.value)  # refuses what the download would refuse
    notes += pin_conflicts(py, deps, lambda name: _pinned_at(tree, deps, name))
    if seen is not None and generated is not None:  # a Python the project states: warned, never moved
        notes += _generated_conflicts(py, deps, seen, generated)
    if deps.uv_selection is None:  # uv.lock: the selection names them to uv sync and the conversion
        recipe = () if extras else _recipe_extras(tree, pyproject, deps, notes)
        extras = extras or tuple(f.value for f in recipe)  # what the project's own image installs
        deps = with_extras(tree, pyproject, deps, extras, metadata.name.value)
        if recipe:  # where the choice is written: plan/kept_selection.py keeps it when init replaces it
            deps = replace(
                deps, declared_evidence=(*deps.declared_evidence, *(f.evidence[0] for f in recipe))
            )
        if groups:
            raise ProjectError(
                f"groups {', '.join(groups)}: only a uv.lock project's dependency groups can be chosen "
                f"(the dependencies come from {deps.lock_file or ', '.join(deps.input_files) or 'nowhere'})"
            )
    indexes, index_notes = detect_indexes(tree, pyproject, deps.input_files, deps.lock_file)
    deps = replace(
        deps,
        indexes=indexes,
        constraints=detect_constraints(tree, outer),
        local_wheels=detect_local_wheels(tree, deps.input_files),
        index_config=detect_index_config(tree),
        pip_only_options=pip_only_options(tree, deps.hashed_requirements),
        uv_required=uv_required_version(ProjectTree(Path(uv_member.context)) if uv_member else tree),
    )
    notes += index_notes
    carried = carried_servers(tree, deps)  # a server a declared package installs (daphne: Channels 2)
    depends_on = frozenset(
        (
            {p.name for p in deps.locked}
            | {_requirement_name(r) for r in deps.declared}
            | {_requirement_name(f.value) for f in deps.uncovered}
            | set(carried)
        )
        - {""}
    )
    built: list[bool] = []
    try:
        app = detect_app(
            tree,
            pyproject,
            start=start,
            port=port,
            process=process,
            dependencies=depends_on,
            extras_declared=frozenset(e for r in deps.declared for e in requirement_extras(r)),
            notes=notes,
            imports=_with_specifiers(
                _import_check(tree, pyproject, deps, uv_member is not None, extras), deps
            ),
            project=canonicalize_name(metadata.name.value),
            built=built,
            scans=scans,
            deploy_env=deploy_env,
        )
    except ProjectError as error:
        unread = [n.removeprefix("skipped ") for n in notes if n.startswith("skipped ")]
        if not unread:
            raise
        # the start may be in a file that could not be read: say so, not only "cannot tell"
        raise type(error)(f"{error.message}; could not read {'; '.join(unread)}", file=error.file) from error
    app = with_server_source(tree, deps, app, carried)
    app = renamed_evidence(tree, app)
    app = _health_of_pinned(tree, deps, app)
    newer = set(floor.files) - set(floor.unparsed)
    notes[:] = [
        f"{n.split(':', 1)[0]}: Python {floor.minimum} syntax; the app detector (Python "
        f"{host_minor()} grammar) could not read it"
        if n.endswith("not valid Python syntax; skipped") and n.split(":", 1)[0] in newer
        else n
        for n in notes
    ]
    deps = _with_start_extras(
        tree,
        pyproject,
        deps,
        extras,
        app.command.value,
        metadata.name.value,
        notes,
        py.version.value,
        uv_member,
    )
    if uv_member is not None:  # the members the selected extras and groups reach are copied too
        workspace = with_selection(uv_member, deps.uv_selection)
    deps = built_from_folders(deps, workspace)  # path dependencies: built as wheels, not locked
    native = (
        *native_needs(deps, py.version.value, py.debian.value),
        *module_needs(tree, depends_on, py.debian.value),
    )
    notes += lean_notes(native, depends_on)
    builds = source_builds(tree)
    platform_apt, platform_notes = system_packages(tree, depends_on, py.debian.value)
    notes += platform_notes
    layout = detect_layout(tree, pyproject, scans.by_rel, git_tree)
    if layout.existing_dockerfile:
        notes.append(existing_dockerfile_note(layout.existing_dockerfile))
    if start is None:  # a launcher script's migration runs before the server that replaces it
        app = with_prestart(files, app, notes)  # an app-server base image's pre-start hook
        app = with_script_links(
            files, app, notes
        )  # paths the repository's image copied the script's files to
        app = with_launcher_migration(tree, app, depends_on, notes)
        if not app.command.evidence or "applies the migrations" not in app.command.evidence[-1].detail:
            app = with_compose_migration(files, app, depends_on, notes)
    if layout.is_package.value:
        outside = (
            root_module_outside_wheel(tree, pyproject, app.command.value)
            or migrations_outside_wheel(tree, app.command.value)
            or imports_from_a_folder(tree, app.command.value)
            or poetry_without_its_package(tree, pyproject, layout.build_backend.value)
            or poetry_package_above(tree, pyproject, layout.build_backend.value)
            or flat_layout_refused(tree, pyproject, layout.build_backend.value)
            or start_outside_packages(tree, pyproject, app.command.value)
            or data_outside_wheel(tree, pyproject, layout.build_backend.value, app.command.value)
            or settings_outside_wheel(tree, app, pyproject)
            or runs_from_its_folder(tree, pyproject)
        )
        climbs = (
            None if outside else reads_the_tree_root(tree, scans.by_rel.values(), app.command.value or ())
        )
        if climbs is not None:
            outside = climbs.evidence
            app = with_import_root(app, climbs)
        if outside is not None:
            layout = replace(layout, is_package=Fact(False, (outside,)))
            app = with_served_src(tree, app)  # its package under src/, which nothing installs now
            script = uninstalled_script_note(pyproject, app.command.value or (), outside)
            if script:
                notes.append(script)
    imported = src_import(tree, scans.by_rel.values(), app.command.value or ())
    if imported is not None:  # a root script importing the src/ layout's package: installed, or on the path
        name, where = imported
        installed = layout.is_package.value and bool(layout.build_backend.value)
        app = replace(app, own_imports=Fact((name,), (where,))) if installed else with_src_path(app, where)
    if layout.is_package.value:  # the wheel does not carry them: the runtime copies them beside it
        refused_python = outside_package_range(tree, pyproject, py, _shown_folder(Path(root), named_root))
        if refused_python is not None:
            raise ProjectError(refused_python)
        layout = replace(layout, migration_files=migration_files(tree, depends_on))
    else:  # the tree is copied whole: to the folder the project's files name, when they name one
        layout = replace(layout, own_workdir=own_workdir(tree))
        if layout.own_workdir is not None:  # the paths set under /app are under that folder
            app = moved_env(app, layout.own_workdir.value)
    layout = replace(
        layout,
        secret_files=secret_files(tree, app.command.value or ()),
        public_certificates=public_certificates(tree),
    )
    notes += [n for n in script_secret_notes(tree, app.command.value or ()) if n not in notes]
    notes += code_secret_notes(scans.by_rel, notes)  # the modules' own literal secrets, by file and line
    notes += library_path_notes(scans.by_rel.values())  # GeoDjango's library paths of another system
    workdir = layout.own_workdir.value if layout.own_workdir is not None else DEFAULT_WORKDIR
    app = without_present_links(tree, app, workdir)  # the copy of the project already has them
    migrate = migrate_note(tree, depends_on, app.command.value or ())
    if migrate and not any("alembic" in n and "migrat" in n for n in notes):
        notes.append(migrate)
    password = credential_note(tree, depends_on)
    if password:
        notes.append(password)
    if layout.is_package.value:  # the wheel is installed: release and maintenance scripts are not
        app = replace(app, programs=shipped_programs(tree, app.programs))
    # gunicorn reads its config: the tree's, the working directory; a `python:` module's, wherever it is
    module_config = loads_module(served_argv(tree, app.command.value)) if app.command.value else False
    if (not layout.is_package.value or module_config) and start is None and port is None:
        app = with_config_bind(files, app, notes, ours=bool(built))
    app = with_uwsgi(tree, app, notes, port_given=port is not None)
    if start is None:  # a command given on the command line is run as given
        app = with_socketio_options(files, app, scans.by_rel.values(), depends_on, notes)
    app = with_dropped_worker(files, app)
    app = with_removed_calls(tree, scans.by_rel.values(), depends_on, deps.declared, app)
    app = with_own_volumes(files, app, notes)
    # a library's state folder (prometheus-client's multiprocess mode): set, the app user's, emptied at start
    app = with_state_dirs(
        tree, app, scans.by_rel.values(), depends_on, notes, own_start=start is None, workdir=workdir
    )
    if start is None and port is None:  # the platform's $PORT the project's own image served on
        app = with_platform_port(files, app, ours=bool(built))
    if not layout.is_package.value:  # the tree is the working directory: gunicorn reads its config
        notes += [
            n
            for n in config_notes(
                files, served_argv(tree, app.command.value), launch_folder(app.command.value)
            )
            if n not in notes
        ]
    notes += [
        n for n in model_notes(tree, scans.by_rel) if n not in notes
    ]  # model files the app loads at start
    untagged = untagged_scm_note(metadata, layout)
    if untagged:
        notes.append(untagged)
    build_steps = detect_build_steps(
        tree,
        app,
        depends_on,
        deps.hashed_requirements or deps.lock_file or next(iter(deps.input_files), "dependencies"),
    )
    done_by = {"pybabel-compile": layout.catalogs_compiled_by, "frontend": layout.node_run_by}
    if layout.is_package.value:
        build_steps = tuple(
            replace(step, done_by=done_by.get(step.kind) or step.done_by) for step in build_steps
        )
    app = with_start_script(tree, app, build_steps, notes)  # its programs, a writable STATIC_ROOT
    app = replace(app, own_scripts=own_script_calls(tree, pyproject, app))
    if start is None:  # a command given on the command line is run as given
        app = with_user_options_dropped(app, notes)  # no setuid of a non-root server
        app = with_pid_files_in_tmp(app, notes)  # no PID file in a root-owned folder
    app = with_credentials_withheld(app, notes)  # no literal credential in the CMD (start_credentials.py)
    given = {f.value for f in app.required_env} | {e.name for e in app.env}
    schema_env = tuple(f for f in prisma_env(tree, build_steps) if f.value not in given)
    if schema_env:
        app = replace(app, required_env=(*app.required_env, *schema_env))
    notes += [n for n in lossy_script_notes(tree) if n not in notes]
    notes += [n for n in committed_recipe_notes(tree) if n not in notes]
    return ProjectFacts(
        schema=FACTS_SCHEMA,
        root=str(tree.root),
        metadata=metadata,
        python=py,
        dependencies=deps,
        app=app,
        native=native,
        layout=layout,
        notes=tuple(notes),
        build_steps=build_steps,
        workspace=workspace,
        own_native=(*detect_own_native(tree, pyproject), *folders_native(workspace)),
        foreign=detect_foreign(tree, deps, py.version.value, builds),
        source_builds=builds,
        system_packages=platform_apt,
    )


def _nested_members(workspace: WorkspaceFacts | None) -> frozenset[str]:
    """The other uv workspace members inside the app member's folder (their sources are not its own)."""
    if workspace is None or workspace.kind != "uv-workspace":
        return frozenset()
    folders = [m.removesuffix("pyproject.toml").strip("/") for m in workspace.manifests]
    return nested_members(workspace.member.value, [f for f in folders if f])


def _git_tree(tree: ProjectTree, workspace: WorkspaceFacts | None) -> ProjectTree | None:
    """The checkout an app in a bigger tree sits in: the nearest folder above it with ``.git``."""
    if workspace is None or tree.exists(".git"):
        return None
    for folder in list(tree.root.parents)[:MAX_PARENTS]:
        if (folder / ".git").exists():
            return ProjectTree(folder)
    return None


def _rechosen(
    py: PythonFacts,
    without: PythonFacts,
    seen: Dependencies,
    floor: SyntaxFloor,
    generated: GeneratedPins,
    where: str = "in the generated lock",
) -> PythonFacts:
    """The Python chosen with the generated lock's (or a constraints file's: ``where``) pins in view
    (``seen``), its reason naming the pins that ruled the newer Pythons out; ``without`` (the choice
    before them) when they change nothing."""
    chosen = choose_python(py, seen, floor)
    if chosen.version.value == without.version.value:
        return without
    evidence = pins_evidence(seen, generated, without.version.value)
    if not evidence or not chosen.version.evidence:
        return chosen
    first, *rest = chosen.version.evidence
    detail = f"{first.detail}; {where}, {evidence}"
    return replace(chosen, version=Fact(chosen.version.value, (replace(first, detail=detail), *rest)))


def _health_of_pinned(tree: ProjectTree, deps: Dependencies, app: AppFacts) -> AppFacts:
    """The framework's health path of the release the project pins (project/health_version.py)."""
    package = health_version.package_of(app)
    version = health_version.pinned_version(deps, package) if package else None
    if package is None or version is None:
        return app
    return health_version.with_version(app, version, _pinned_at(tree, deps, package))


def _pinned_at(tree: ProjectTree, deps: Dependencies, name: str) -> str:
    """``file:line`` where ``name`` is pinned: its entry in the lock, else its requirements line."""
    spelled = "[-_.]+".join(re.escape(part) for part in re.split(r"[-_.]+", name))
    if deps.lock_file:
        json_lock = deps.lock_file.endswith("Pipfile.lock")
        pattern = rf'^\s*"{spelled}":' if json_lock else rf'^name = "{spelled}"'
        files = [deps.lock_file]
    else:
        pattern, files = rf"^\s*{spelled}\s*(\[[^\]]*\])?\s*==", list(deps.input_files)
    for rel in files:
        line = tree.line_of(rel, f"(?i){pattern}")
        if line is not None:
            return f"{rel}:{line}"
    return files[0] if files else "the lock"


def _python_tree(tree: ProjectTree, workspace: WorkspaceFacts | None) -> ProjectTree:
    """Where ``.python-version`` is looked for: the member, else the workspace root (as uv does)."""
    if workspace is None or tree.is_file(".python-version"):
        return tree
    root = ProjectTree(Path(workspace.context))
    return root if root.is_file(".python-version") else tree


def _pep621_names(pyproject: dict[str, Any] | None) -> list[str]:
    project = (pyproject or {}).get("project")
    deps = project.get("dependencies", []) if isinstance(project, dict) else []
    return [str(d) for d in deps or []]


def existing_dockerfile_note(path: str) -> str:
    """The plan's note about a Dockerfile already there (``init`` drops it once it has written)."""
    return f"{path} exists; `init` keeps it unless --force is given"


def _import_check(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    deps: Dependencies,
    workspace: bool,
    extras: tuple[str, ...],
) -> ImportCheck | None:
    """How the app's imports are checked against the dependencies: a whole lock lists what is installed
    (a uv.lock's development groups aside); declared requirements say less (another package may bring
    an import); a declaration only the build backend can tell (a computed install_requires) says nothing.
    The extras count too: those asked for and those a requirements line installing the project names
    (``-e .[all]``)."""
    extras = tuple(dict.fromkeys((*extras, *self_extras(deps.declared))))
    optional = tuple(
        (key, frozenset(requirement_names(e.lines))) for key, e in optional_extras(tree, pyproject).items()
    )
    if deps.lock_file and deps.manager.value == "uv" and not workspace:
        lock = deps.lock_file
        chosen = deps.uv_selection
        groups = chosen.group_names if chosen else ()
        extras = tuple(dict.fromkeys((*extras, *(chosen.extra_names if chosen else ()))))
        return ImportCheck(
            lock, lambda wanted: uv_reach(tree, lock, wanted, groups), extras, optional=optional
        )
    if deps.lock_file or deps.hashed_requirements:
        return ImportCheck(deps.lock_file or deps.hashed_requirements, extras=extras, optional=optional)
    compiled = (*(f.value for f in deps.layers), *deps.input_files[1:2])
    if deps.manager.value == "pip-tools" and compiled_set(tree, compiled):
        # pip-compile's output lists the whole set its input resolves to: a whole lock, as a hashed one
        return ImportCheck(" + ".join(compiled), extras=extras, optional=optional)
    if deps.dynamic is not None:
        return None
    # a declaration that lists nothing (a [project] table of tool settings only): nothing is installed
    empty = deps.input_files[0] if deps.input_files and not deps.declared else ""
    return ImportCheck(
        extras=extras,
        nothing_declared=not deps.input_files or bool(empty),
        optional=optional,
        declared_in=empty,
    )


def _with_specifiers(check: ImportCheck | None, deps: Dependencies) -> ImportCheck | None:
    """The check with each dependency's specifier: the lock's exact version, else the declared one."""
    if check is None:
        return None
    found: dict[str, str] = {}
    for text in deps.declared:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        found[canonicalize_name(requirement.name)] = str(requirement.specifier)
    found.update({p.name: f"=={p.version}" for p in deps.locked if p.version})
    return replace(check, specifiers=tuple(sorted(found.items())))


_RECIPE = "a container recipe"


def _recipe_extras(
    tree: ProjectTree, pyproject: dict[str, Any] | None, deps: Dependencies, notes: list[str]
) -> list[Fact[str]]:
    """The optional extras of a package whose lock dockwright writes that its own container recipe installs
    (a Dockerfile's ``pip install ".[all]"``, compose's ``command``: uv_selection's ``run_extras``, its
    container recipes only, not one named for tests or development; development-named extras never):
    the image the repository builds has them, and a CLI's subcommands import them. Nothing when a lock or
    hash-locked file fixes the set, or the optional dependencies are computed by the build backend
    (with_extras would refuse both)."""
    if deps.hashed_requirements or deps.lock_file or deps.dynamic is not None:
        return []
    project = (pyproject or {}).get("project")
    dynamic = project.get("dynamic", []) if isinstance(project, dict) else []
    if isinstance(dynamic, list) and "optional-dependencies" in dynamic:
        return []
    found = [
        replace(f, evidence=shipped)
        for f in run_extras(tree, pyproject)
        if f.evidence and f.evidence[0].detail.startswith(_RECIPE)
        # a test or development recipe (Dockerfile.test, docker-compose.dev.yml) is not the image's
        for shipped in [tuple(e for e in f.evidence if not not_shipped(e.file))]
        if shipped
    ]
    if found:
        where = "; ".join(str(f.evidence[0]) for f in found)
        names = ", ".join(f.value for f in found)
        notes.append(f"optional extra {names} installed, as the project's own image: {where}")
    return found


def requirement_extras(text: str) -> list[str]:
    """``name[extra]`` (canonical names) for each extra a PEP 508 requirement string asks for."""
    try:
        req = Requirement(text)
    except InvalidRequirement:
        return []
    return [f"{canonicalize_name(req.name)}[{canonicalize_name(e)}]" for e in sorted(req.extras)]


def _requirement_name(text: str) -> str:
    """The canonical distribution name of a PEP 508 requirement string ('' when unreadable)."""
    try:
        return canonicalize_name(Requirement(text).name)
    except InvalidRequirement:
        return ""
