"""A start that runs Django's development server: ``manage.py runserver [ADDR:]PORT``.

What it does: reads the start's last command (``sh -c "... && exec ..."`` too), past a tool manager's
prefix (``uv run``, ``poetry run``: project/command_prefixes.py): ``[python] [path/]manage.py
runserver``, ``python -m django runserver`` or ``django-admin runserver``, and its options (common
ones taking a value, ``--settings X``; ``-6``/``--ipv6``). Its one positional is the address to listen
on, ``PORT`` or ``ADDR:PORT`` (Django's ``naiveip_re``: an IPv4 address, ``[IPv6]``, a host name, or
``0``, short for ``0.0.0.0``); without it runserver listens on ``127.0.0.1:8000`` (``[::1]:8000``
with ``-6``). A port spelled through a variable (``$PORT``) is not read.

Decision: a start given with ``--start`` that runs runserver is a web process on that port (apps.py:
``EXPOSE``, a probe), with a warning that runserver is Django's development server, and a note when it
listens on a loopback address (the default), which nothing outside the container reaches.

Why: ``--start "python manage.py runserver 0.0.0.0:8000"`` was planned as a command-line tool: no port,
no probe, and ``python manage.py`` as the ENTRYPOINT (``docker run IMAGE ARGS`` replaced runserver).

Source: https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from dockwright.project.command_prefixes import without_prefixes
from dockwright.project.detectors.servers import last_command
from dockwright.project.own_image import python_args

SOURCE = "https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver"
DEFAULT_PORT = 8000  # django.core.management.commands.runserver.Command.default_port
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# Django's runserver.naiveip_re: [ADDR:]PORT
_ADDRPORT = re.compile(
    r"(?:(?P<addr>\d{1,3}(?:\.\d{1,3}){3}|\[[a-fA-F0-9:]+\]|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*):)?(?P<port>\d+)"
)
# the options of runserver (and every management command) that take a value
_VALUED = frozenset({"--settings", "--pythonpath", "-v", "--verbosity"})


@dataclass(frozen=True)
class RunServer:
    """What a runserver start listens on."""

    port: int | None  # None: the address is spelled so it cannot be read (``0.0.0.0:$PORT``)
    host: str  # the address it binds (runserver's default: 127.0.0.1)
    address: str  # the ADDR:PORT argument as written, "" when the command gives none

    @property
    def loopback(self) -> bool:
        return self.port is not None and self.host.strip("[]") in LOOPBACK

    @property
    def port_detail(self) -> str:
        """Where the port comes from, for its evidence."""
        if self.address:
            return f"runserver {self.address}: port {self.port}"
        return f"runserver listens on port {DEFAULT_PORT} without an address ({SOURCE})"


def runserver(argv: tuple[str, ...]) -> RunServer | None:
    """The development server ``argv`` starts (module docstring), or None when it runs no runserver."""
    words = without_prefixes(list(last_command(argv)))[0]
    rest = python_args(words)
    if rest is not None:
        if rest[:3] == ["-m", "django", "runserver"]:
            options = rest[3:]
        elif len(rest) >= 2 and posixpath.basename(rest[0]) == "manage.py" and rest[1] == "runserver":
            options = rest[2:]
        else:
            return None
    elif len(words) >= 2 and posixpath.basename(words[0]) in ("manage.py", "django-admin", "django-admin.py"):
        if words[1] != "runserver":
            return None
        options = words[2:]
    else:
        return None
    ipv6 = False
    address = ""
    skip = False
    for word in options:
        if skip:
            skip = False
        elif word in _VALUED:
            skip = True
        elif word in ("-6", "--ipv6"):
            ipv6 = True
        elif not word.startswith("-") and not address:
            address = word
    host = "::1" if ipv6 else "127.0.0.1"
    if not address:
        return RunServer(DEFAULT_PORT, host, "")
    found = _ADDRPORT.fullmatch(address)
    if found is None:
        return RunServer(None, host, address)
    addr = found.group("addr") or host
    return RunServer(int(found.group("port")), "0.0.0.0" if addr == "0" else addr, address)
