"""The server table (``data/servers.toml``): which production server serves a WSGI/ASGI app, the
distribution that installs it, and its command line; the programs a start command may name.

Rule: the chosen server must be installed. A server the project already depends on is preferred
(in table order); otherwise the interface's default (gunicorn for WSGI, uvicorn for ASGI) is added to
the lock, and the app facts say so (``AppFacts.adds``) so the plan can warn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dockwright.project.tree import parse_toml


@dataclass(frozen=True)
class Server:
    name: str
    package: str
    interfaces: tuple[str, ...]
    command: tuple[str, ...]
    factory: str  # "call", a flag ("--factory"), or "" (no factory support)
    default: str  # interface it is the default for, or ""
    source: str

    def argv(self, target: str, port: int, interface: str, factory: bool) -> tuple[str, ...]:
        out: list[str] = []
        for part in self.command:
            if part == "{target}":
                if factory and self.factory == "call":
                    out.append(target + "()")
                elif factory and self.factory:
                    out += [self.factory, target]
                else:
                    out.append(target)
            else:
                out.append(part.format(port=port, interface=interface))
        return tuple(out)


@dataclass(frozen=True)
class ServerTable:
    servers: tuple[Server, ...]
    programs: dict[str, str]  # executable -> distribution


@lru_cache(maxsize=1)
def table() -> ServerTable:
    text = resources.files("dockwright.project").joinpath("data/servers.toml").read_text("utf-8")
    data = parse_toml(text)
    servers = tuple(
        Server(
            name=str(s["name"]),
            package=str(s["package"]),
            interfaces=tuple(s["interfaces"]),
            command=tuple(s["command"]),
            factory=str(s.get("factory", "")),
            default=str(s.get("default", "")),
            source=str(s["source"]),
        )
        for s in data["server"]
    )
    return ServerTable(servers, {str(k): str(v) for k, v in data["programs"].items()})


def choose(interface: str, dependencies: frozenset[str], factory: bool) -> tuple[Server, bool]:
    """The server for ``interface``: one the project depends on, else the default; True = must be added."""
    fitting = [s for s in table().servers if interface in s.interfaces and (s.factory or not factory)]
    for server in fitting:
        if server.package in dependencies:
            return server, False
    default = next(s for s in table().servers if s.default == interface)
    return default, default.package not in dependencies


def package_of(program: str) -> str | None:
    """The distribution that installs ``program`` (a server or tool of the table), else None."""
    return table().programs.get(program.rsplit("/", 1)[-1])
