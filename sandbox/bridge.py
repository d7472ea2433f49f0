"""A bridge for the sandbox's engine, so ``docker run -p HOST:CONTAINER`` publishes ports as on users' hosts.

With ``--bridge=none`` every container had to run ``--network host``, which hides a whole class of
defects: a server bound to 127.0.0.1 inside the container answers there, but not through a published
port (how users run images). ``up`` creates a bridge of its own (never ``docker0``, which a host engine
may own) and starts dockerd with ``--bridge=NAME --iptables=false``. The host reaches a published port
through Docker's userland proxy (``docker-proxy``), the path a user's ``curl 127.0.0.1:PORT`` takes on
any Docker host too (Docker's NAT rules skip 127.0.0.0/8), so no firewall rule of the host changes and
nothing clashes with another engine's iptables chains. Containers get no route out (no NAT): the sandbox
is offline anyway, and builds keep ``--network host``.

When the bridge cannot be made (no CAP_NET_ADMIN, no bridge support, its subnet already routed) the
engine runs as before, ``--bridge=none``; ``up`` logs why and the publishing test skips.
``DOCKWRIGHT_SANDBOX_BRIDGE=0`` asks for that directly.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
from pathlib import Path

NAME = "dwsandbox0"
# a /24 of RFC 1918 space Docker's own default pools (172.17-172.30, 192.168.x) leave free
ADDRESS = "172.31.240.1/24"
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


def wanted() -> bool:
    return os.environ.get("DOCKWRIGHT_SANDBOX_BRIDGE", "1") != "0"


def exists() -> bool:
    return Path("/sys/class/net", NAME).exists()


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    program = shutil.which("ip", path=SYSTEM_PATH) or "ip"
    return subprocess.run([program, *args], capture_output=True, text=True, timeout=20)


def engines_on_it(proc: Path = Path("/proc")) -> list[int]:
    """Pids of running processes started with ``--bridge=NAME`` (another sandbox's dockerd shares no bridge:
    two engines on one subnet would hand out the same addresses)."""
    flag = f"--bridge={NAME}".encode()
    pids = []
    for cmdline in proc.glob("[0-9]*/cmdline"):
        try:
            if flag in cmdline.read_bytes().split(b"\0"):
                pids.append(int(cmdline.parent.name))
        except OSError:
            continue  # exited meanwhile, or not ours to read
    return sorted(pids)


def routed_clash(routes: str, address: str = ADDRESS) -> str | None:
    """The route of ``ip -o -4 route show`` output that overlaps the bridge's subnet, else None."""
    subnet = ipaddress.ip_interface(address).network
    for line in routes.splitlines():
        words = line.split()
        if not words or words[0] == "default" or (len(words) > 2 and words[2] == NAME):
            continue
        try:
            network = ipaddress.ip_network(words[0], strict=False)
        except ValueError:
            continue
        if network.version == 4 and network.overlaps(subnet):
            return line.strip()
    return None


def ensure() -> str | None:
    """Create the bridge (or reuse ours); None when it is ready, else why not (one line)."""
    if not wanted():
        return "DOCKWRIGHT_SANDBOX_BRIDGE=0 left it out"
    if shutil.which("ip", path=SYSTEM_PATH) is None:
        return "no `ip` command (iproute2) on this host"
    users = engines_on_it()
    if users:
        return f"bridge {NAME} is in use by another engine (pid {', '.join(map(str, users))})"
    try:
        if not exists():
            routes = _ip("-o", "-4", "route", "show")
            clash = routed_clash(routes.stdout)
            if clash is not None:
                return f"its subnet {ADDRESS} is already routed here ({clash})"
            for argv in (("link", "add", NAME, "type", "bridge"), ("addr", "add", ADDRESS, "dev", NAME)):
                done = _ip(*argv)
                if done.returncode != 0:
                    reason = f"`ip {' '.join(argv)}` failed: {done.stderr.strip() or done.returncode}"
                    remove()
                    return reason
        done = _ip("link", "set", NAME, "up")
        if done.returncode != 0:
            return f"`ip link set {NAME} up` failed: {done.stderr.strip() or done.returncode}"
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"ip: {error}"
    return None


def remove() -> str | None:
    """Delete the bridge once no engine uses it; what was done (or left) for the log, None if absent."""
    if not exists():
        return None
    attached = sorted(p.name for p in Path("/sys/class/net", NAME, "brif").glob("*"))
    if attached:
        return f"bridge {NAME} left in place: {', '.join(attached)} still attached"
    users = engines_on_it()
    if users:
        return f"bridge {NAME} left in place: in use by pid {', '.join(map(str, users))}"
    try:
        done = _ip("link", "delete", NAME)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bridge {NAME} not removed: {error}"
    return f"removed bridge {NAME}" if done.returncode == 0 else f"bridge {NAME}: {done.stderr.strip()}"


def publishes(docker: str) -> bool:
    """Whether the engine behind ``docker`` has a default bridge network, so ``-p`` publishes ports."""
    try:
        done = subprocess.run(
            [docker, "network", "inspect", "-f", "{{.Driver}}", "bridge"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.strip() == "bridge"
