"""Serve where the repository's gunicorn config ``bind`` says (https://docs.gunicorn.org/en/stable/settings.html#bind).

A ``--bind`` on gunicorn's command line wins over the config file's, so the server command the plan
writes for a framework (``gunicorn --bind 0.0.0.0:8000 app:app``) would move the app off the
project's port, and EXPOSE and the probe with it. When the config (``gunicorn.conf.py`` in the working
directory, or the ``-c FILE`` the command names) binds a reachable address with a known port:

- the planned ``--bind`` is dropped (gunicorn keeps the config's), a repository's own is kept (it
  wins in the project's own run too);
- the port (EXPOSE, probe) is the config's, with its line as evidence;
- a port read from the environment (``os.environ.get("PORT", "5000")``) gets ``ENV PORT`` = its default;
  read with no default (``os.environ["PORT"]``), gunicorn cannot even load the config when it is unset
  (``KeyError``) and the container stops, so ``ENV PORT`` = the port the plan chose (the framework's
  default), the reason saying so; the same when a repository's own ``--bind`` wins (the config still
  loads).

When it binds only 127.0.0.1/localhost, which nothing outside the container reaches, a warning says so
and the start binds ``0.0.0.0`` on the config's port.
"""

from __future__ import annotations

from dataclasses import replace

from dockwright.project.detectors.servers import attached_option, bound_words
from dockwright.project.facts import AppFacts, EnvSetting, Evidence, Fact
from dockwright.project.gunicorn_config import Bind, ConfigBind, config_bind, served_argv
from dockwright.project.plan_files import PlanFiles
from dockwright.project.start_cwd import launch_folder

_BIND_FLAGS = ("-b", "--bind")


def _bind_value(argv: tuple[str, ...]) -> str | None:
    """The value of the command's own ``--bind``/``-b`` (the first; ``-b0.0.0.0:5000`` too), None when it
    has none."""
    argv = bound_words("gunicorn", argv)
    for i, arg in enumerate(argv):
        if arg in _BIND_FLAGS and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--bind="):
            return arg.split("=", 1)[1]
    return None


def _rebound(command: tuple[str, ...], value: str, new: str | None) -> tuple[str, ...]:
    """``command`` with its ``--bind VALUE`` (a word pair, ``--bind=VALUE``, or inside a ``sh -c`` string)
    replaced by ``--bind NEW``, or taken out when ``new`` is None."""
    out: list[str] = []
    skip = False
    for i, arg in enumerate(command):
        if skip:
            skip = False
            continue
        if arg in _BIND_FLAGS and command[i + 1 : i + 2] == (value,):
            out += [arg, new] if new else []
            skip = True
        elif arg == f"--bind={value}":
            out += [f"--bind={new}"] if new else []
        elif attached_option("gunicorn", arg) == "-b" and arg == f"-b{value}":
            out += ["--bind", new] if new else []
        elif " " in arg:
            for flag in _BIND_FLAGS:
                arg = arg.replace(f" {flag} {value}", f" {flag} {new}" if new else "")
            out.append(arg)
        else:
            out.append(arg)
    return tuple(out)


def _inserted(command: tuple[str, ...], new: str) -> tuple[str, ...] | None:
    """``command`` with ``--bind NEW`` after the gunicorn program it runs, when that is a word of it."""
    for i, arg in enumerate(command):
        if arg.rsplit("/", 1)[-1] == "gunicorn":
            return (*command[: i + 1], "--bind", new, *command[i + 1 :])
    return None


def _required_why(bind: ConfigBind, name: str, port: int, source: str) -> str:
    return (
        f"{bind.where()} binds port ${name}, which it reads with no default: unset, gunicorn cannot load "
        f"the config and the container stops at start; {name}={port} so it starts, the port of {source}; "
        f"`docker run -e {name}=...` moves it"
    )


def _with_port_env(
    env: tuple[EnvSetting, ...], chosen: Bind, bind: ConfigBind, source: str
) -> tuple[EnvSetting, ...]:
    """PORT set to the config's port: to its default when the config reads it (to the planned port,
    ``source`` saying whose, when it reads it with no default), and any PORT the plan set (gunicorn's
    own default bind reads it) moved to the port served."""
    ev = Evidence(bind.file, bind.line, f"bind = {bind.text}")
    if chosen.env:
        why = f"{bind.where()} binds port ${chosen.env} (default {chosen.port})"
        if chosen.required:
            why = _required_why(bind, chosen.env, chosen.port, source)
        kept = tuple(e for e in env if e.name != chosen.env)
        return (*kept, EnvSetting(chosen.env, str(chosen.port), why, (ev,)))
    why = f"{bind.where()} binds port {chosen.port}; PORT (gunicorn's default bind reads it) says the same"
    return tuple(replace(e, value=str(chosen.port), why=why) if e.name == "PORT" else e for e in env)


def with_config_bind(files: PlanFiles, app: AppFacts, notes: list[str], *, ours: bool) -> AppFacts:
    """``app`` serving where its gunicorn config binds; ``ours``: the start's ``--bind`` is the plan's
    (the servers table's command for a framework), not the repository's."""
    if app.kind.value != "web" or not app.command.value:
        return app
    command = app.command.value
    # `sh entrypoint.sh gunicorn ...`: the script ends by `exec "$@"`, so the server is what follows
    argv = (
        command[2:] if len(command) > 2 and command[1].endswith(".sh") else served_argv(files.tree, command)
    )
    planned = app.port.value
    source = str(app.port.evidence[0]) if app.port.evidence else "the planned port"
    binds, unread = config_bind(files, argv, planned, launch_folder(command))
    if not binds:
        return app
    last = binds[-1]
    own = _bind_value(argv)
    if own is not None and not ours:
        # the repository's --bind wins over its config, in its own run as here; the config still loads
        return replace(app, env=_required_env(app.env, binds, planned, source))
    notes += [n for n in unread if n not in notes]
    if not last.addresses:
        return app
    others = sorted({b.addresses[0].port for b in binds[:-1] if b.addresses} - {last.addresses[0].port})
    if others:
        notes.append(
            f"{last.where()}: the config also binds port {', '.join(map(str, others))} elsewhere; "
            f"served on {last.addresses[0].port} (the last bind), pass --port to choose"
        )
    reachable = [a for a in last.addresses if not a.loopback]
    chosen = (reachable or list(last.addresses))[0]
    required = (
        f"; ${chosen.env} has no default there: ENV {chosen.env}={chosen.port}, the planned port"
        if chosen.required
        else ""
    )
    evidence = Evidence(
        last.file,
        last.line,
        f"bind = {last.text}" + (f", in the if at line {last.guard}" if last.guard else "") + required,
    )
    new_command = command
    if reachable:
        if own is not None:
            new_command = _rebound(command, own, None)
    else:
        ours_now = f"0.0.0.0:{chosen.port}"
        if own is not None:
            new_command = _rebound(command, own, ours_now)
        else:
            new_command = _inserted(command, ours_now) or command
        fix = (
            f"the start binds {ours_now} instead"
            if new_command != command
            else f"pass --start with --bind {ours_now}"
        )
        notes.append(
            f"{last.where()}: bind = {last.text} listens on {chosen.host} only, which nothing outside the "
            f"container reaches; {fix}"
        )
    port: Fact[int | None] = Fact(chosen.port, (evidence,))
    said = app.command.evidence
    if new_command != command:
        kept = "binds 0.0.0.0 on its port" if not reachable else "gunicorn keeps the config's bind"
        kept += f", ENV {chosen.env}={chosen.port} (read with no default)" if chosen.required else ""
        said = (*said, Evidence(last.file, last.line, kept))
    return replace(
        app,
        command=Fact(new_command, said),
        port=port,
        env=_required_env(_with_port_env(app.env, chosen, last, source), binds[:-1], planned, source),
    )


def _required_env(
    env: tuple[EnvSetting, ...], binds: list[ConfigBind], planned: int | None, source: str
) -> tuple[EnvSetting, ...]:
    """``env`` with each variable a bind of ``binds`` reads with no default set to the planned port (the
    config runs whole when gunicorn loads it, an unused branch's bind aside), unless ``env`` sets it."""
    out = list(env)
    for bind in binds:
        for address in bind.addresses:
            if address.required and address.env and planned and all(e.name != address.env for e in out):
                why = _required_why(bind, address.env, planned, source)
                ev = Evidence(bind.file, bind.line, f"bind = {bind.text}")
                out.append(EnvSetting(address.env, str(planned), why, (ev,)))
    return tuple(out)
