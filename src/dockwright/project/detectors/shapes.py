"""The candidate shapes several detectors share (a helper: it detects nothing itself).

- :func:`runs_file`: a framework's own runner serving one file (``streamlit run FILE``, ``panel serve``);
- :func:`launched_file`: the file a launch line runs with a framework's program (``named.py``), served so;
- :func:`run_file_server`: an ``X run FILE`` server (Streamlit, Chainlit): the launched file, else the
  first module importing the framework;
- :func:`self_run_module`: an app that starts itself (``ui.run()``, ``ft.app(main)``): its module and call;
- :func:`runs_notebook`: a notebook served by a notebook server (``voila NB``, ``panel serve NB``);
- :func:`runner_worker`: a worker its framework's program starts on a target (``huey_consumer``, ``arq``);
- :func:`worker_import`: where a worker's program imports its module from (the runner's folder option,
  else ``PYTHONPATH``) when its imports resolve only from a folder that is not the work directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from dockwright.project.detectors.base import Candidate, Context, import_folder
from dockwright.project.detectors.named import Launch, named_module
from dockwright.project.detectors.scan import Framework, Invocation, ModuleScan, signatures
from dockwright.project.detectors.servers import runner
from dockwright.project.facts import Evidence
from dockwright.project.model_files import APP_DIR

Env = tuple[tuple[str, str, str], ...]


def runs_file(
    fw: Framework,
    scan: ModuleScan,
    ev: Evidence,
    target: str = "",
    notes: tuple[str, ...] = (),
    port: int | None = None,
) -> Candidate:
    """The web candidate a framework's own runner starts on one file (``target``: default the path;
    ``port``: what the launch line that named it asks for)."""
    served = runs_notebook(fw, scan.rel, ev, port)
    return replace(served, target=target or scan.rel, module=scan.module, notes=notes)


def launched_file(
    ctx: Context, fw: Framework, launcher: str, accept: Callable[[ModuleScan], bool]
) -> Candidate | None:
    """The framework's runner on the file a launch line runs with ``launcher`` (a regex: ``solara\\s+run``)
    that ``accept`` takes, on the launch line's port; None without one."""
    named = named_module(ctx, launcher, accept)
    if named is None:
        return None
    scan, launch = named
    return runs_file(fw, scan, launch.evidence, port=launch.port)


def run_file_server(ctx: Context, fw: Framework, launcher: str) -> list[Candidate]:
    """A framework whose program serves one file (``streamlit run FILE``, ``chainlit run FILE``): the file
    a launch line runs with ``launcher``, else the first module importing the framework (no package's
    ``__init__.py``)."""

    def imports(scan: ModuleScan) -> bool:
        return fw.module in scan.imports and not scan.rel.endswith("__init__.py")

    launched = launched_file(ctx, fw, launcher, imports)
    if launched is not None:
        return [launched]
    first = next((s for s in ctx.scans if imports(s)), None)
    return [runs_file(fw, first, Evidence(first.rel, None, f"imports {fw.name}"))] if first else []


def self_run_module(
    ctx: Context, run_call: Callable[[ModuleScan], Invocation | None], said: str
) -> tuple[ModuleScan, Invocation, Evidence] | None:
    """The module of an app that starts itself (``ui.run(...)``, ``ft.app(main)``), its call and the
    evidence: the file a launch line runs with ``python``, else the first module ``run_call`` finds a
    call in (``said`` at that line). ``run_call`` is asked once per module."""
    calls: dict[str, Invocation | None] = {}

    def call(scan: ModuleScan) -> Invocation | None:
        if scan.rel not in calls:
            calls[scan.rel] = run_call(scan)
        return calls[scan.rel]

    named = named_module(ctx, r"python[\d.]*", lambda s: call(s) is not None)
    scan = named[0] if named else next((s for s in ctx.scans if call(s) is not None), None)
    found = call(scan) if scan is not None else None
    if scan is None or found is None:
        return None
    return scan, found, named[1].evidence if named else Evidence(scan.rel, found.line, said)


def runs_notebook(fw: Framework, rel: str, ev: Evidence, port: int | None = None) -> Candidate:
    """The web candidate a notebook server (``voila``, ``panel serve``) starts on the notebook ``rel``
    (``port``: what the launch line that named it asks for)."""
    return Candidate(
        fw.name,
        "web",
        "web",
        (ev,),
        framework=fw,
        target=rel,
        rel=rel,
        port=port,
        port_evidence=ev if port else None,
    )


def launched_notebook(fw: Framework, launch: Launch) -> Candidate:
    """:func:`runs_notebook` on the notebook a launch line runs, on its port."""
    return runs_notebook(fw, launch.rel, launch.evidence, launch.port)


@dataclass(frozen=True)
class WorkerImport:
    """Where a worker's program imports its module from: ``module`` is its name there; ``chdir`` the
    folder the runner's own option names (celery's ``--workdir``, dramatiq's ``--path``), or ``env`` the
    ``PYTHONPATH`` that puts the folder on the import path of a runner without one (arq, huey, faust ...);
    ``said`` what the evidence adds. All empty but ``module`` when the work directory serves."""

    module: str
    folder: str = ""  # the folder it is imported from, by either way
    chdir: str = ""
    env: Env = ()
    said: str = ""


def worker_import(ctx: Context, name: str, scan: ModuleScan, module: str = "") -> WorkerImport:
    """:class:`WorkerImport` for the module of ``scan`` started by the runner table's program for
    ``name`` (else the program ``name``): a module whose imports resolve only from a folder that is not
    the work directory (``src/jobs/worker.py`` importing ``settings`` beside it in ``src/``, a src layout
    the project does not install, a folder whose name is no identifier: base.import_folder) is imported
    from that folder, as the web start imports its app (``uvicorn --app-dir src``); ``arq
    jobs.worker.WorkerSettings`` run from /app stops with ``No module named 'jobs'``. ``module``: the
    name the detector would use (default the scan's); a name the code spells from the root (``src.app``,
    base.as_imported) keeps it."""
    named = module or scan.module
    folder, there = import_folder(ctx, scan)
    if not folder or named != scan.module:
        return WorkerImport(named)
    program = runner(name)  # saq and taskiq have no row: their programs take no folder option
    said = f"; imported as {there} from {folder}/, where its imports resolve"
    if program is not None and program.chdir:
        return WorkerImport(there, folder, chdir=folder, said=f"{said} ({program.chdir})")
    started = program.command[0] if program is not None else name
    why = (
        f"{started} imports {there} from {folder}/, where its own imports resolve (from {APP_DIR} its "
        f"name {scan.module} is not found); {started} has no option for it"
    )
    env = (("PYTHONPATH", f"{APP_DIR}/{folder}", why),)
    return WorkerImport(there, folder, env=env, said=f"{said} (PYTHONPATH)")


def runner_worker(
    ctx: Context,
    name: str,
    scan: ModuleScan,
    ev: Evidence,
    attr: str,
    notes: tuple[str, ...] = (),
    env: Env = (),
    *,
    module: str = "",
    sep: str = ".",
) -> Candidate:
    """The worker the runner table's program for ``name`` (``servers.toml``: ``huey_consumer``, ``arq``,
    ``faust``) starts on ``attr`` of the module of ``scan`` (``module``: as the detector names it;
    ``sep`` joins them; an empty ``attr`` names the module alone), imported from the folder its imports
    resolve from (:func:`worker_import`)."""
    program = runner(name)
    assert program is not None, name
    where = worker_import(ctx, name, scan, module)
    target = f"{where.module}{sep}{attr}" if attr else where.module
    if where.said:
        ev = Evidence(ev.file, ev.line, ev.detail + where.said)
    return Candidate(
        name,
        "worker",
        "worker",
        (ev,),
        command=program.argv(target=target, chdir=where.chdir),
        framework=signatures().framework(name),
        module=scan.module,
        rel=scan.rel,
        notes=notes,
        env=(*where.env, *env),
    )
