"""Rootless Podman in the sandbox: an unprivileged user whose own Podman builds and runs ``EXAMPLE``.

CI runs as root, so the rootless leg makes what a rootless machine has: a user (``USER``) with
subordinate UID/GID ranges in /etc/subuid and /etc/subgid (``newuidmap``/``newgidmap`` from ``uidmap``
map them), a runtime directory, and its own ``~/.config/containers``: ``containers.conf`` with
``default_ulimits = []`` (the kernel here refuses Podman's default rlimits, as for rootful Podman) and
``storage.conf`` with the first storage driver that works for the user: native overlay (kernel 5.13+),
else overlay through ``fuse-overlayfs``, else ``vfs`` (a full copy per layer: slow). The stand-in base
images of ``EXAMPLE`` go into that user's image store, piped from the cached root filesystem tarballs
(the user cannot read the sandbox cache under root's home).

dockwright itself runs as root here (its interpreter lives under /root); it drives the user's Podman
through ``wrapper(settings)``, a ``podman`` that runs as ``USER`` (``runuser``), named by
``DOCKWRIGHT_PODMAN``. The build context must be readable by ``USER``.

Only on a machine where this process is root and podman and runuser are installed; set
``DOCKWRIGHT_SANDBOX_ROOTLESS=0`` to leave the leg out (the rootless test then skips, saying so).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path

from sandbox import images
from sandbox.config import Settings, log

USER = "dockwright-rootless"
EXAMPLE = "flask-bare"  # the smallest web example: a slim build, no compiled dependency
SUBORDINATE = (524288, 65536)  # first subordinate ID and count when useradd assigned none
CONTAINERS_CONF = """\
# Made by `python -m sandbox up` (dockwright's test sandbox, rootless leg): the kernel here refuses
# podman's default rlimits inside containers ("error setting rlimit ... operation not permitted").
[containers]
default_ulimits = []
"""
# storage.conf per driver, in the order tried
STORAGE = {
    "overlay": '[storage]\ndriver = "overlay"\n',
    "fuse-overlayfs": '[storage]\ndriver = "overlay"\n[storage.options.overlay]\nmount_program = "{fuse}"\n',
    "vfs": '[storage]\ndriver = "vfs"\n',
}


def wanted() -> str | None:
    """Why the rootless leg cannot be made on this machine, else None."""
    if os.environ.get("DOCKWRIGHT_SANDBOX_ROOTLESS", "1") == "0":
        return "DOCKWRIGHT_SANDBOX_ROOTLESS=0"
    if os.geteuid() != 0:
        return "sandbox up does not run as root (it makes a user for the leg): run as a non-root user instead"
    missing = [
        tool for tool in ("podman", "runuser", "useradd", "newuidmap", "newgidmap") if not shutil.which(tool)
    ]
    if missing:
        return f"{', '.join(missing)} not installed (apt-get install podman uidmap)"
    return None


def wrapper(settings: Settings) -> Path:
    return settings.state / "rootless" / "podman"


def driver_file(settings: Settings) -> Path:
    return settings.state / "rootless" / "driver"


def unavailable_file(settings: Settings) -> Path:
    """Why the leg could not be made (the test's skip reason), written by the last ``up``."""
    return settings.state / "rootless" / "unavailable"


def _left_out(settings: Settings, reason: str) -> None:
    log(f"rootless: left out ({reason}); the rootless podman test skips, saying so")
    unavailable_file(settings).parent.mkdir(parents=True, exist_ok=True)
    unavailable_file(settings).write_text(reason + "\n")
    wrapper(settings).unlink(missing_ok=True)


def _account() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--create-home",
                "--shell",
                "/usr/sbin/nologin",
                "--comment",
                "dockwright sandbox",
                USER,
            ],
            check=True,
            capture_output=True,
        )
        log(f"rootless: made the user {USER}")
        return pwd.getpwnam(USER)


def _has_range(path: Path) -> bool:
    return path.exists() and any(line.split(":")[0] == USER for line in path.read_text().splitlines())


def _ensure_ranges() -> None:
    """Subordinate UIDs and GIDs for the user (useradd assigns them where login.defs says so)."""
    if _has_range(Path("/etc/subuid")) and _has_range(Path("/etc/subgid")):
        return
    first, count = SUBORDINATE
    span = f"{first}-{first + count - 1}"
    subprocess.run(
        ["usermod", "--add-subuids", span, "--add-subgids", span, USER], check=True, capture_output=True
    )
    log(f"rootless: gave {USER} subordinate IDs {span}")


def _runtime_dir(account: pwd.struct_passwd) -> Path:
    return Path("/run/user") / str(account.pw_uid)


def pause_pidfile(runtime_dir: Path) -> Path:
    """Where rootless Podman records its pause process (the holder of the user's namespaces)."""
    return runtime_dir / "libpod" / "tmp" / "pause.pid"


def _user_runtime() -> tuple[Path, int] | None:
    try:
        account = pwd.getpwnam(USER)
    except KeyError:
        return None
    return _runtime_dir(account), account.pw_uid


def pause_process(runtime: tuple[Path, int] | None = None) -> int | None:
    """The pid of ``USER``'s Podman pause process when one runs (``runtime``: (runtime dir, uid) to
    look in, default the user's), else None. The pid is checked: a live process of that uid whose
    name is podman's, so a stale pidfile never names someone else's process."""
    runtime = runtime or _user_runtime()
    if runtime is None:
        return None
    folder, uid = runtime
    try:
        pid = int(pause_pidfile(folder).read_text().strip())
        proc = Path("/proc") / str(pid)
        owner, name = proc.stat().st_uid, (proc / "comm").read_text().strip()
    except (OSError, ValueError):
        return None
    return pid if owner == uid and name.startswith("podman") else None


def stop_pause(runtime: tuple[Path, int] | None = None) -> int | None:
    """Stop ``USER``'s Podman pause process (it outlives every podman command and ``down``); the pid
    stopped, else None. SIGTERM, SIGKILL after 5 s; the next podman command of the user starts a new one."""
    runtime = runtime or _user_runtime()
    pid = pause_process(runtime) if runtime is not None else None
    if runtime is None or pid is None:
        return None
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists() or _zombie(pid):
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
    pause_pidfile(runtime[0]).unlink(missing_ok=True)
    log(f"stopped {USER}'s podman pause process (pid {pid})")
    return pid


def _zombie(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def _temp_dir(account: pwd.struct_passwd) -> Path:
    """The user's own TMPDIR. Buildah keeps ``RUN --mount=type=cache`` folders in ``$TMPDIR/buildah-cache``
    for rootful and rootless builds alike: where a rootful build made ``/var/tmp/buildah-cache`` first,
    it is root's, and pip in a rootless build finds its cache mount not writable and disables it."""
    return Path("/var/tmp") / f"{USER}-{account.pw_uid}"


def _write_wrapper(settings: Settings, account: pwd.struct_passwd) -> None:
    folders = f"{_runtime_dir(account)} {_temp_dir(account)}"
    script = (
        "#!/bin/sh\n"
        f"# Made by `python -m sandbox up`: podman as {USER} (rootless), for DOCKWRIGHT_PODMAN.\n"
        f"for d in {folders}; do\n"
        f'  [ -d "$d" ] || install -d -m 700 -o {account.pw_uid} -g {account.pw_gid} "$d"\n'
        "done\n"
        f"cd / && exec runuser -u {USER} -- env -i HOME={account.pw_dir} USER={USER} LANG=C.UTF-8 "
        f"XDG_RUNTIME_DIR={_runtime_dir(account)} TMPDIR={_temp_dir(account)} "
        'PATH=/usr/sbin:/usr/bin:/sbin:/bin podman "$@"\n'
    )
    path = wrapper(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != script:
        path.write_text(script)
        path.chmod(0o755)


def _user_file(account: pwd.struct_passwd, name: str, text: str) -> bool:
    """Write ``~/.config/containers/NAME`` owned by the user; True when it changed."""
    folder = Path(account.pw_dir) / ".config" / "containers"
    path = folder / name
    if path.exists() and path.read_text() == text:
        return False
    for part in (folder.parent, folder):
        part.mkdir(exist_ok=True)
        os.chown(part, account.pw_uid, account.pw_gid)
    path.write_text(text)
    os.chown(path, account.pw_uid, account.pw_gid)
    return True


def podman_as_user(
    settings: Settings, *args: str, stdin: Path | None = None
) -> subprocess.CompletedProcess[str]:
    with (stdin or Path(os.devnull)).open("rb") as source:
        done = subprocess.run([str(wrapper(settings)), *args], stdin=source, capture_output=True, timeout=600)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    )


def _choose_driver(settings: Settings, account: pwd.struct_passwd) -> str:
    """The first storage driver the user's podman works with (kept once chosen)."""
    chosen = driver_file(settings)
    if chosen.exists() and chosen.read_text().strip() in STORAGE:
        _user_file(account, "storage.conf", _storage(chosen.read_text().strip()))
        return chosen.read_text().strip()
    errors = []
    for name in STORAGE:
        if name == "fuse-overlayfs" and not shutil.which("fuse-overlayfs"):
            errors.append("fuse-overlayfs: not installed")
            continue
        _user_file(account, "storage.conf", _storage(name))
        podman_as_user(settings, "system", "reset", "--force")  # another driver's store would be refused
        done = podman_as_user(
            settings, "info", "--format", "{{.Store.GraphDriverName}} {{.Host.Security.Rootless}}"
        )
        if done.returncode == 0 and done.stdout.split() == [
            name.replace("fuse-overlayfs", "overlay"),
            "true",
        ]:
            chosen.write_text(name)
            log(f"rootless: {USER}'s podman stores images with {name}")
            return name
        errors.append(f"{name}: {(done.stderr.strip().splitlines() or ['no answer'])[-1]}")
    raise RuntimeError("; ".join(errors))


def _storage(name: str) -> str:
    return STORAGE[name].replace("{fuse}", shutil.which("fuse-overlayfs") or "/usr/bin/fuse-overlayfs")


def bases() -> set[str]:
    """The base images the example's generated Dockerfile starts from, and the uv image builders mount."""
    from dockwright import api
    from sandbox import uvimage
    from sandbox.config import REPO
    from sandbox.inputs import INDEX_LOOKUP

    plan = api.plan(REPO / "examples" / EXAMPLE, syntax_directive=False, index_lookup=INDEX_LOOKUP)
    return {plan.builder_image, plan.base_image, uvimage.tag()}


def ensure_rootless(settings: Settings) -> None:
    """Make the rootless leg (idempotent); log why not where it cannot be made."""
    reason = wanted()
    if reason:
        return _left_out(settings, reason)
    from sandbox.podman import qualified

    account = _account()
    _ensure_ranges()
    _write_wrapper(settings, account)
    _user_file(account, "containers.conf", CONTAINERS_CONF)
    try:
        _choose_driver(settings, account)
    except RuntimeError as error:
        return _left_out(settings, f"no storage driver works for {USER}'s podman: {error}")
    unavailable_file(settings).unlink(missing_ok=True)
    for recipe in images.recipes_for(bases(), settings):
        digest = images.recipe_digest(recipe)
        for tag, changes in recipe.tags:
            label = podman_as_user(
                settings,
                "image",
                "inspect",
                "--format",
                '{{index .Labels "dockwright.sandbox.recipe"}}',
                qualified(tag),
            )
            if label.returncode == 0 and label.stdout.strip() == digest:
                log(f"rootless: cached {qualified(tag)}")
                continue
            command = ["import", "--quiet"]
            for change in (*changes, f"LABEL dockwright.sandbox.recipe={digest}"):
                command += ["--change", change]
            done = podman_as_user(
                settings, *command, "-", qualified(tag), stdin=images.rootfs(settings, recipe)
            )
            if done.returncode != 0:
                raise SystemExit(f"sandbox: rootless podman import of {tag} failed: {done.stderr.strip()}")
            log(f"rootless: tagged {qualified(tag)} for {USER}")
