"""uWSGI's listener and its answer to SIGTERM, read from the options it runs with.

What it does: when the start runs uWSGI (``uwsgi``, ``pyuwsgi``; directly or as an entry script's
``exec`` line), its options are read from its command line (``--http :8000``, ``--http-socket=:8000``)
and the ini files it loads (``--ini FILE``, ``FILE.ini`` as an argument, ``FILE:section``; section
``[uwsgi]``), the command line first, as uWSGI applies them:

- the port (EXPOSE, the probe) is its HTTP listener's: ``http``, ``http-socket``, ``https``, or a
  ``socket`` with ``protocol = http``, with that line as evidence; ``%(name)`` is another key of the
  section, ``$(NAME)`` a variable: the app's value, else ``ENV NAME`` = the planned port (uWSGI expands
  an unset one to nothing and cannot bind);
- a ``socket``/``uwsgi-socket`` alone speaks the uwsgi protocol (a front proxy's ``uwsgi_pass``), not
  HTTP: its port is served and a note says an HTTP client cannot talk to it; a listener on 127.0.0.1 or
  localhost alone gets a note too (nothing outside the container reaches it);
- without ``die-on-term``, ``ENV UWSGI_DIE_ON_TERM=1`` (uWSGI reads any option from ``UWSGI_<NAME>``);
- the file it logs to (``logto``/``logto2``, a ``logger``/``req-logger`` of the ``file:`` plugin) is
  made the app user's: uWSGI opens it at start and exits when it cannot (``/var/log/uwsgi.log`` is root's).

Why: a uWSGI project served on port 8000 (the framework's default) while its ini listened on 5000 got
EXPOSE 8000 and a probe that never connects. uWSGI 2.0 answers SIGTERM by reloading itself, so
``docker stop`` waited its full 10 s and killed it (10.2 s measured; 1.2 s with the variable).
Sources: https://uwsgi-docs.readthedocs.io/en/latest/Options.html,
https://uwsgi-docs.readthedocs.io/en/latest/Configuration.html (environment variables, placeholders),
https://uwsgi-docs.readthedocs.io/en/latest/ThingsToKnow.html (SIGTERM reloads before 2.1).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace

from dockwright.errors import ProjectError
from dockwright.project.facts import AppFacts, EnvSetting, Evidence, Fact
from dockwright.project.gunicorn_config import served_argv
from dockwright.project.tree import ProjectTree

PROGRAMS = ("uwsgi", "pyuwsgi")
_HTTP = ("http", "http-socket", "https", "http11-socket")
_UWSGI = ("socket", "uwsgi-socket")
_CONFIG_EXTENSIONS = (".ini",)
_VARIABLE = re.compile(r"\$\((\w+)\)")
_REFERENCE = re.compile(r"%\((\w[\w-]*)\)")


@dataclass(frozen=True)
class Option:
    name: str
    value: str
    file: str  # "" for the command line
    line: int | None

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file else "the start command"


def _name(key: str) -> str:
    return key.strip().lower().replace("_", "-")


def _command_options(argv: tuple[str, ...]) -> tuple[list[Option], list[tuple[str, str]]]:
    """The command line's options, and the ini files (path, section) it loads."""
    options: list[Option] = []
    configs: list[tuple[str, str]] = []
    words = list(argv[1:])
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("-"):
            if word.split(":", 1)[0].endswith(_CONFIG_EXTENSIONS):
                path, _, section = word.partition(":")
                configs.append((path, section or "uwsgi"))
            continue
        key, eq, value = word.lstrip("-").partition("=")
        if not eq:
            nxt = words[index] if index < len(words) else ""
            takes = (
                bool(nxt)
                and not nxt.startswith("-")
                and not nxt.split(":", 1)[0].endswith(_CONFIG_EXTENSIONS)
            )
            value = nxt if takes or _name(key) == "ini" else "true"
            index += 1 if takes or _name(key) == "ini" else 0
        if _name(key) == "ini":
            path, _, section = value.partition(":")
            configs.append((path, section or "uwsgi"))
        else:
            options.append(Option(_name(key), value, "", None))
    return options, configs


def _ini_options(tree: ProjectTree, path: str, section: str) -> list[Option]:
    """The ``key = value`` lines of ``section`` in the ini file at ``path`` (relative to the tree)."""
    rel = posixpath.normpath(path.removeprefix("/app/")).lstrip("./") or path
    if not tree.is_file(rel):
        return []
    out: list[Option] = []
    current = ""
    try:
        lines = tree.numbered_lines(rel)
    except ProjectError:
        return []
    for number, raw in lines:
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == section and "=" in line:
            key, _, value = line.partition("=")
            out.append(Option(_name(key), value.strip(), rel, number))
    return out


def _expanded(value: str, options: list[Option]) -> str:
    known = {o.name: o.value for o in options}
    return _REFERENCE.sub(lambda m: known.get(_name(m.group(1)), m.group(0)), value)


def _port(address: str) -> tuple[str, int | None, str]:
    """(host, port, variable) of an address: ``:8000``, ``0.0.0.0:8000``, ``:$(PORT)``."""
    host, _, tail = address.rpartition(":")
    tail = tail.split(",", 1)[0].strip()
    variable = _VARIABLE.fullmatch(tail)
    if variable:
        return host, None, variable.group(1)
    return host, _tcp_port(tail), ""


def _tcp_port(text: str) -> int | None:
    """``text`` as a TCP port (ASCII digits, 1-65535), else None."""
    if not re.fullmatch(r"[0-9]{1,5}", text):
        return None
    port = int(text)
    return port if 0 < port < 65536 else None


def _log_file(option: Option) -> str:
    """The file an option makes uWSGI log to (``logto PATH``, ``logger file:PATH``,
    ``req-logger file:path=PATH``), else ""."""
    value = option.value.strip()
    if option.name in ("logto", "logto2"):
        return value if value and "$" not in value and "%" not in value else ""
    if option.name not in ("logger", "req-logger"):
        return ""
    plugin = value.split(" ", 1)[-1] if " " in value and not value.startswith("file:") else value
    if not plugin.startswith("file:"):
        return ""
    path = plugin[5:].split(",")[0]
    path = path[5:] if path.startswith("path=") else path
    return path if path and "$" not in path and "%" not in path else ""


def with_uwsgi(tree: ProjectTree, app: AppFacts, notes: list[str], *, port_given: bool) -> AppFacts:
    """``app`` serving where the uWSGI it starts listens, and stopping on SIGTERM (see the module)."""
    if not app.command.value:
        return app
    argv = served_argv(tree, app.command.value)
    if not argv or posixpath.basename(argv[0]) not in PROGRAMS:
        return app
    options, configs = _command_options(argv)
    for path, section in configs:
        options += _ini_options(tree, path, section)
    env = list(app.env)
    if not any(o.name == "die-on-term" and o.value.lower() not in ("false", "0", "no") for o in options):
        why = (
            "uWSGI 2.0 answers SIGTERM (docker stop) by reloading itself, so the stop waits its timeout "
            "and kills it; die-on-term makes it exit (uWSGI reads any option from UWSGI_<NAME>)"
        )
        env.append(EnvSetting("UWSGI_DIE_ON_TERM", "1", why, app.command.evidence[:1]))
    logs = tuple(
        Fact(path, (Evidence(o.file or "start command", o.line, f"{o.name} = {o.value}"),))
        for o in options
        if (path := _log_file(o))
    )
    known = {f.value for f in app.writable_files}
    app = replace(
        app, env=tuple(env), writable_files=(*app.writable_files, *(f for f in logs if f.value not in known))
    )
    if port_given or app.kind.value != "web":
        return app
    protocol = next((o.value for o in options if o.name in ("protocol", "socket-protocol")), "")
    http = [o for o in options if o.name in _HTTP or (o.name in _UWSGI and protocol == "http")]
    listeners = http or [o for o in options if o.name in _UWSGI]
    if not listeners:
        return app
    listener = listeners[0]
    host, port, variable = _port(_expanded(listener.value, options))
    said = f"{listener.name} = {listener.value}"
    if variable:
        given = next((e.value for e in app.env if e.name == variable), None)
        if given is None and app.port.value is not None:
            why = f"{listener.where()} listens on $({variable}), which uWSGI expands to nothing when unset"
            env.append(
                EnvSetting(
                    variable, str(app.port.value), why, (Evidence(listener.file, listener.line, said),)
                )
            )
            app = replace(app, env=tuple(env))
        port = _tcp_port(given or "") or app.port.value
    if port is None:
        return app
    if not http:
        notes.append(
            f"{listener.where()}: {said} speaks the uwsgi protocol (a front proxy's uwsgi_pass), not HTTP; "
            "an HTTP client or load balancer cannot talk to it (http-socket serves HTTP)"
        )
    if host in ("127.0.0.1", "localhost"):
        notes.append(
            f"{listener.where()}: {said} listens on {host} only, which nothing outside the container reaches"
        )
    return replace(app, port=Fact(port, (Evidence(listener.file or "start command", listener.line, said),)))
