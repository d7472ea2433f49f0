"""The variables a start's listen options are spelled with: ``--bind "$APP_HOST":"$APP_PORT"``.

What it does: in the start's server command (the last command of a shell line too), a bind option
whose value is two variables (``--bind $HOST:$PORT``, ``-b ${H}:${P}``), or a host or port option whose
value is one (``--host $APP_HOST``, ``--port ${APP_PORT}``), names the variables the image sets: the
host's to ``0.0.0.0`` (every interface: the container's port is reached from outside), the port's to
the planned port. A variable with a default in the line (``${PORT:-8000}``) or set already is left.

Why: unset, the shell expands them to nothing: gunicorn got ``--bind :`` and listened on its default
127.0.0.1:8000, unreachable from outside; the plan listed them as required values to pass at ``docker
run``, which only the start itself reads.

Example: ``exec gunicorn "$APP_NAME".wsgi --bind "$APP_HOST":"$APP_PORT"`` -> ``APP_HOST=0.0.0.0``,
``APP_PORT=8000``.
"""

from __future__ import annotations

import re

_VARIABLE = r"\$(?:\{(\w+)\}|(\w+))"
_PAIR = re.compile(rf"^{_VARIABLE}:{_VARIABLE}$")
_ONE = re.compile(rf"^{_VARIABLE}$")
_BIND = ("--bind", "-b", "--listen")
# long options only: short ones mean other things to some servers (gunicorn's -p is its pid file)
_HOST = ("--host", "--address", "--server.address")
_PORT = ("--port", "--server.port", "--server-port")


def bind_variables(argv: tuple[str, ...]) -> list[tuple[str, str]]:
    """(variable, "host" or "port") of each listen option ``argv`` spells with variables only."""
    out: list[tuple[str, str]] = []
    for flag, value in _options(argv):
        pair = _PAIR.match(value) if flag in _BIND else None
        if pair is not None:
            out += [(pair.group(1) or pair.group(2), "host"), (pair.group(3) or pair.group(4), "port")]
            continue
        one = _ONE.match(value)
        if one is not None and flag in (*_HOST, *_PORT):
            out.append((one.group(1) or one.group(2), "host" if flag in _HOST else "port"))
    return list(dict.fromkeys(out))


def _options(argv: tuple[str, ...]) -> list[tuple[str, str]]:
    """(flag, value) of each ``--flag value`` and ``--flag=value`` of ``argv``."""
    out: list[tuple[str, str]] = []
    for index, word in enumerate(argv):
        flag, eq, value = word.partition("=")
        if eq and flag.startswith("--"):
            out.append((flag, value))
        elif word.startswith("-") and index + 1 < len(argv):
            out.append((word, argv[index + 1]))
    return out
