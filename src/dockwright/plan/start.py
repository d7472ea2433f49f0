"""Start-related decisions every strategy shares, applied to its plan by the planner.

- A CLI's program goes into ENTRYPOINT after tini and CMD holds only the start's own arguments (the
  repository image's ``CMD ["tool", "--help"]``), so ``docker run img --help`` reaches the program and
  ``docker run img ARG ...`` replaces those arguments (upstream CLI images do the same); so does a
  server that takes its arguments at ``docker run``, as the repository's own image had it
  (``AppFacts.run_arguments``). One of several
  console scripts that the repository's own image installs without naming a command (a suite of tools,
  ``AppFacts.tool_suite``) stays in CMD after tini alone: ``docker run IMAGE TOOL ARG ...`` runs any.
- Environment the app needs (the settings module its container config names, ``PORT`` for a
  ``$PORT`` command) becomes ENV with its reason; required variables (secrets among them) are only
  listed: in the plan and in a comment block of the Dockerfile, never given a value; a start command
  carrying a literal credential (``-b redis://:pw@redis``) is warned about (the CMD is the image's config).
- Directories the app writes at run time are created owned by the app user (code stays root-owned);
  never /, a folder above the app or a folder of programs (a warning names such a write).
- The other processes the project has are listed, with how to pick one (``--process NAME``).
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex

from dockwright.plan.model import BuildPlan, Decision, EnvVar, Step
from dockwright.project.entry_wrapper import skip_pattern
from dockwright.project.facts import Fact
from dockwright.project.flask_instance import installed_folder
from dockwright.project.script_branch import ARGUMENT_SAID
from dockwright.project.start_credentials import literal_credentials
from dockwright.redact import redact

SHELL_RUNTIMES = ("slim", "alpine", "uv")


def apply(plan: BuildPlan) -> BuildPlan:
    app = plan.facts.app
    decisions = list(plan.decisions)
    warnings = list(plan.warnings)
    header = list(plan.header)
    entrypoint, cmd = plan.entrypoint, plan.cmd
    if app.kind.value == "cli" and cmd and app.tool_suite.value:
        others = [s for s in app.tool_suite.value if s != cmd[0]]
        decisions.append(
            Decision(
                "entrypoint",
                " ".join(entrypoint),
                f"a suite of tools: ENTRYPOINT is tini alone and CMD the first ({' '.join(cmd)}), so "
                f"`docker run IMAGE {others[0] if others else cmd[0]} ARG ...` runs another by name, as the "
                "repository's own image does; " + "; ".join(str(e) for e in app.tool_suite.evidence),
            )
        )
    elif app.kind.value == "cli" and cmd:
        program = _program_words(cmd)
        entrypoint, cmd = (*entrypoint, *cmd[:program]), cmd[program:]
        decisions.append(
            Decision(
                "entrypoint",
                " ".join(entrypoint),
                "a CLI: the program is the ENTRYPOINT after tini, so `docker run IMAGE --help` and "
                "`docker run IMAGE ARG ...` pass arguments to it "
                + (
                    f"(CMD holds the start's own arguments, {shlex.join(cmd)}, which `docker run IMAGE "
                    "ARG ...` replaces)"
                    if cmd
                    else "(CMD holds no default arguments)"
                ),
            )
        )
    elif app.run_arguments.value and cmd:
        entrypoint, cmd = (*entrypoint, *cmd), ()
        decisions.append(
            Decision(
                "entrypoint",
                " ".join(entrypoint),
                "the server takes its arguments at `docker run` (`docker run IMAGE ARG ...`), as the "
                "repository's own image does with this ENTRYPOINT and no CMD; "
                + "; ".join(str(e) for e in app.run_arguments.evidence),
            )
        )
    command = app.command.value
    # `bash entrypoint.sh run`: the word picks the script's serving branch; the script is not a wrapper
    branch = any(ARGUMENT_SAID in e.detail for e in app.command.evidence)
    if (
        (len(command) == 2 or (len(command) == 3 and branch))
        and command[0] in ("sh", "bash")
        and command[1].endswith(".sh")
    ):
        decisions.append(
            Decision(
                "entry-script",
                " ".join(command),
                f"the repository starts through {command[1]}; it runs with its own shell ({command[0]}), "
                "so its mode bits need no COPY --chmod, and its final `exec` hands tini's child "
                "to the server (SIGTERM reaches it); " + "; ".join(str(e) for e in app.command.evidence),
            )
        )
    if len(command) > 2 and not branch and command[0] in ("sh", "bash") and command[1].endswith(".sh"):
        decisions.append(
            Decision(
                "entry-script",
                " ".join(command[:2]),
                f'the repository\'s entrypoint {command[1]} runs its steps and ends by `exec "$@"`: the '
                "start runs through it as the repository's own image does, so its steps run before the "
                "server (which the final exec makes tini's child); "
                + "; ".join(str(e) for e in app.command.evidence if e.file == command[1]),
            )
        )
    env = list(plan.app_env)
    for setting in app.env:
        if setting.name not in {e.name for e in (*env, *plan.runtime_env)}:
            env.append(EnvVar(setting.name, setting.value, setting.why))
    if app.required_env:
        names = [f.value for f in app.required_env]
        header += [
            "Required at run time (never baked in; pass them when starting the container):",
            "  docker run " + " ".join(f"-e {n}=..." for n in names) + " IMAGE",
            *(f"  {f.value}: {f.evidence[0]}" for f in app.required_env if f.evidence),
        ]
        decisions.append(
            Decision(
                "required-env",
                " ".join(names),
                "the app reads these without a default; values are secrets or deployment-specific, so "
                "the image sets none (`dockwright audit --run --env-file FILE` passes them)",
            )
        )
    steps = list(plan.runtime_steps)
    venv = next((e.value for e in plan.runtime_env if e.name == "VIRTUAL_ENV"), None)
    kept_dirs = [(f, _writable_dir(plan, f)) for f in app.writable]
    kept_files = [(f, posixpath.join(plan.workdir, f.value)) for f in app.writable_files]
    # the folders inside the app's own installed packages (project/package_folders.py), and only those,
    # may be below the venv
    inside = {folder for folder, _ in app.installed_writable}
    installed = frozenset(path for f, path in kept_dirs if f.value in inside)
    for fact, path in [*kept_dirs, *kept_files]:
        if not _ownable(path, plan.workdir, venv, installed):
            where = f" ({fact.evidence[0]})" if fact.evidence else ""
            warnings.append(
                f"the app writes {path}{where}, which is not made the app user's: it is the root, a folder "
                "above the app or one of the system's, whose files the app user could then rewrite"
            )
    kept_dirs = [(f, p) for f, p in kept_dirs if _ownable(p, plan.workdir, venv, installed)]
    kept_files = [(f, p) for f, p in kept_files if _ownable(p, plan.workdir, venv, installed)]
    if kept_dirs or kept_files:
        dirs = [p for _, p in kept_dirs]
        files = [p for _, p in kept_files]
        owned = [f for f, _ in (*kept_dirs, *kept_files)]
        if plan.strategy in SHELL_RUNTIMES:
            owner = f"{plan.user.uid}:{plan.user.gid}"
            # the paths come from the project (its code, its image's VOLUME): quoted for the shell
            said = [shlex.quote(p) for p in dirs + files]
            made = (
                *((f"mkdir -p {' '.join(said[: len(dirs)])}",) if dirs else ()),
                *((f"touch {' '.join(said[len(dirs) :])}",) if files else ()),
            )
            chown = f"chown -R {owner} {' '.join(said)}"
            own = (*made, chown)
            last = steps[-1] if steps else None
            if last and last.instruction == "RUN" and "collectstatic" in last.args[0]:
                # owned in the collectstatic layer (no second layer); only a STATIC_ROOT the start script
                # collects into again is said to be that (log files in the app directory are not)
                details = [e.detail for f in app.writable for e in f.evidence]
                collects_again = any(d.startswith("runs collectstatic at start") for d in details)
                why = last.why + (
                    "; then owned by the app user, whose start script collects into it again"
                    if collects_again
                    else f"; then {', '.join(dirs + files)} owned by the app user, "
                    "which writes there at run time"
                )
                # made before collectstatic: importing the settings may open files there (a task
                # queue's SQLite file, a log file), and the chown after it covers what that made
                why += " (made first: the settings may open files there when they load)" if made else ""
                steps[-1] = dataclasses.replace(last, args=(*made, *last.args, chown), why=why)
            else:
                why = "the app writes here at run time; only these " + (
                    "directories and files belong to the app user"
                    if files and dirs
                    else "files belong to the app user (the app directory stays root's)"
                    if files
                    else "directories belong to the app user"
                )
                steps.append(Step("RUN", own, why=why))
            decisions.append(
                Decision(
                    "writable",
                    " ".join(dirs + files),
                    "created owned by the app user; "
                    + "; ".join(str(f.evidence[0]) for f in owned if f.evidence),
                )
            )
        else:
            warnings.append(
                f"the app writes {', '.join(dirs + files)} at run time but the {plan.strategy} runtime has "
                "no shell to create them: mount a volume there"
            )
    if app.start_skips:
        _skip_steps(plan, app.start_skips, steps, decisions, warnings)
    if app.start_links:
        _link_steps(plan, app.start_links, steps, decisions, warnings)
    if app.other_processes:
        decisions.append(
            Decision(
                "processes",
                app.process,
                "also seen: " + "; ".join(app.other_processes) + ". Build an image for another one with "
                "`dockwright init --process NAME` (or one Dockerfile, another CMD at `docker run`)",
            )
        )
    started = " ".join((*entrypoint, *cmd))
    if literal_credentials(started):  # a shell variable in a URL (`redis://:$REDIS_PASSWORD@...`) is none
        warnings.append(
            f"the start command carries a credential ({redact(started)[:120]}): the image's CMD keeps it, "
            "readable by anyone who has the image (docker inspect); read it from an environment variable "
            "given at `docker run` instead"
        )
    return dataclasses.replace(
        plan,
        entrypoint=entrypoint,
        cmd=cmd,
        app_env=tuple(env),
        runtime_steps=tuple(steps),
        header=tuple(header),
        decisions=tuple(decisions),
        warnings=tuple(warnings),
    )


# folders of the system's programs, libraries and configuration (FHS 3.0, ch. 3-4,
# https://refspecs.linuxfoundation.org/FHS_3.0/fhs/index.html) and of the venv's: never the app user's,
# nor anything in them; /usr and /usr/local themselves hold them all
_PROGRAMS = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sbin", "/sys")
_PROGRAMS_USR = ("bin", "sbin", "lib", "lib32", "lib64", "libexec", "include")
_HOLDERS = ("/usr", "/usr/local")


def _program_words(command: tuple[str, ...]) -> int:
    """How many leading words of a CLI's start name the program (``python -m pkg``, ``python run.py``,
    ``tool``); the rest are its default arguments. A shell line is one program whole."""
    name = posixpath.basename(command[0])
    if name in ("sh", "bash", "dash"):
        return len(command)
    if re.fullmatch(r"python(\d+(\.\d+)?)?", name):
        if len(command) > 2 and command[1] == "-m":
            return 3
        if len(command) > 1 and command[1].endswith(".py"):
            return 2
        return len(command)
    return 1


def _ownable(path: str, workdir: str, venv: str | None, installed: frozenset[str] = frozenset()) -> bool:
    """Whether ``chown -R`` may give ``path`` to the app user: not the root, not a folder above the app's
    (``/app/..``), not a folder of programs or one holding them (``/usr/lib``, ``/etc``, the venv's)."""
    path = posixpath.normpath(path)
    if venv and path in installed and _in_a_package(path, venv):
        return True  # a folder inside the app's own installed package (project/package_folders.py)
    holders = (*_HOLDERS, *((venv,) if venv else ()))
    programs = (*_PROGRAMS, *(f"{h}/{d}" for h in holders for d in _PROGRAMS_USR))
    above = posixpath.normpath(workdir).startswith(path.rstrip("/") + "/")
    system = path in holders or any(path == s or path.startswith(s + "/") for s in programs)
    return path != "/" and not above and not system


def _in_a_package(path: str, venv: str) -> bool:
    """``path`` is a folder below a package folder of the venv's site-packages (``.../site-packages/pkg/
    state``), not site-packages or the package's folder itself."""
    lib = venv.rstrip("/") + "/lib/"
    if not path.startswith(lib):
        return False
    parts = path[len(lib) :].split("/")
    return len(parts) >= 4 and parts[0].startswith("python") and parts[1] == "site-packages"


def _writable_dir(plan: BuildPlan, fact: Fact[str]) -> str:
    """The folder of a writable fact in the image: under the working directory (an absolute STATIC_ROOT
    stays), or, for an app installed as a wheel, the venv's ``var/`` for a Flask instance folder and
    site-packages for a folder inside one of the app's packages (project/package_folders.py)."""
    prefix = next((e.value for e in plan.runtime_env if e.name == "VIRTUAL_ENV"), None)
    if plan.app_install != "wheel" or not prefix:
        return posixpath.join(plan.workdir, fact.value)
    below = dict(plan.facts.app.installed_writable).get(fact.value)
    if below is not None:
        return posixpath.join(site_packages(prefix, plan.python_version), below)
    return installed_folder(fact, prefix) or posixpath.join(plan.workdir, fact.value)


def site_packages(venv: str, python_version: str) -> str:
    """The venv's site-packages for Python ``X.Y[.Z]``."""
    minor = ".".join(python_version.split(".")[:2])
    return f"{venv}/lib/python{minor}/site-packages"


def _link_steps(
    plan: BuildPlan,
    links: tuple[Fact[tuple[str, str]], ...],
    steps: list[Step],
    decisions: list[Decision],
    warnings: list[str],
) -> None:
    """Symbolic links that make the paths the start names resolve in this image, where the project is the
    working directory: those an app-server base image's pre-start hook names (``/app/seed.py``, its
    ``/app`` being the repository's ``app/``: relative links, detectors/app_server_base.py), and those the
    repository's own image copied a project file to (``/opt/svc/check.py``: absolute links,
    project/own_copies.py)."""
    placed = [
        (link if link.startswith("/") else posixpath.join("/app", link), target)
        for link, target in (f.value for f in links)
    ]
    named = ", ".join(link for link, _ in placed)
    hooked = any(not f.value[0].startswith("/") for f in links)
    if (
        plan.strategy not in SHELL_RUNTIMES
        or (hooked and plan.workdir != "/app")
        or plan.app_install == "wheel"
    ):
        warnings.append(
            f"the start names {named}, which this image has elsewhere (its {plan.strategy} runtime "
            f"{'installs the app as a wheel' if plan.app_install == 'wheel' else 'cannot link them'}): the "
            "start stops there; run its steps before the app starts"
        )
        return
    absolute = {f.value[0] for f in links if f.value[0].startswith("/")}
    folders = sorted({posixpath.dirname(link) for link in absolute})
    made = ("mkdir -p " + " ".join(shlex.quote(f) for f in folders),) if folders else ()
    edits = made + tuple(
        "ln -s " + " ".join(shlex.quote(p) for p in (posixpath.join(plan.workdir, target), link))
        for link, target in placed
    )
    why = (
        "the start names these paths as the image it was written for had them (a folder of the project "
        "copied or mounted there): each links to the file this image has"
    )
    steps.append(Step("RUN", edits, why=why))
    decisions.append(Decision("links", named, "; ".join(str(f.evidence[0]) for f in links if f.evidence)))


def _skip_steps(
    plan: BuildPlan,
    skips: tuple[Fact[tuple[str, int, str]], ...],
    steps: list[Step],
    decisions: list[Decision],
    warnings: list[str],
) -> None:
    """The image's copy of the start script with its build-step commands turned into ``:`` (a no-op that
    keeps the line's shell structure: ``then :``, ``&& : ||``), one ``sed -i -E`` per line, by our
    pattern (project/entry_wrapper.py SKIPPED_STEPS) and the line number."""
    where = ", ".join(f"{rel}:{line}" for rel, line, _ in (f.value for f in skips))
    if plan.strategy not in SHELL_RUNTIMES:
        warnings.append(
            f"{where}: the start script runs a build step at start, which rewrites the app's files, and the "
            f"{plan.strategy} runtime has no shell to skip it in the image's copy: the script stops there"
        )
        return
    edits = tuple(
        f"sed -i -E '{line}s/{skip_pattern(kind, posix=True)}/:/' "
        + shlex.quote(posixpath.join(plan.workdir, rel))
        for rel, line, kind in (f.value for f in skips)
    )
    why = (
        "the start script's build steps are done at build time; its copy in the image runs `:` in their "
        "place (its other lines unchanged)"
    )
    steps.append(Step("RUN", edits, why=why))
    decisions.append(
        Decision("start-script-steps", where, "; ".join(str(e) for f in skips for e in f.evidence))
    )
