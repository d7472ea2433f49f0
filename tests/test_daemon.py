"""dockwright's daemon (dockwright/daemon_client.py, dockwright/daemon/server.py): a command handed to
the warm process runs as it does in a process of its own: the same output, exit status, working
folder, standard input, environment and umask; signals reach it; a foreign or stale request is refused."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dockwright import daemon_client
from dockwright.daemon import server

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_wanted_follows_the_switch_and_ci() -> None:
    assert daemon_client.wanted({})
    assert not daemon_client.wanted({"DOCKWRIGHT_DAEMON": "off"})
    assert not daemon_client.wanted({"DOCKWRIGHT_DAEMON": "0"})
    assert not daemon_client.wanted({"CI": "true"})  # as Nx and Turborepo: no daemon in CI
    assert daemon_client.wanted({"CI": "true", "DOCKWRIGHT_DAEMON": "on"})
    assert daemon_client.wanted({"CI": "false"})


def test_the_socket_folder_is_the_users_alone(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir()
    folder = daemon_client.runtime_folder({"XDG_RUNTIME_DIR": str(runtime)})
    assert folder == str(runtime / "dockwright")
    assert stat.S_IMODE(Path(folder).stat().st_mode) == 0o700
    Path(folder).chmod(0o750)  # open to the group: no daemon, commands run in their own process
    assert daemon_client.runtime_folder({"XDG_RUNTIME_DIR": str(runtime)}) is None
    Path(folder).chmod(0o700)
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "dockwright").symlink_to(folder)
    assert daemon_client.runtime_folder({"XDG_RUNTIME_DIR": str(linked)}) is None
    assert daemon_client.runtime_folder({"TMPDIR": str(tmp_path)}) == str(
        tmp_path / f"dockwright-{os.getuid()}"
    )


def test_a_changed_module_file_is_seen(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("x = 1\n")
    files = server.file_states([str(module)])
    assert not server.changed(files)
    module.write_text("x = 22\n")
    assert server.changed(files)
    module.unlink()
    assert server.changed(server.file_states([]) | {str(module): (0, 0)})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """An environment whose commands go through a daemon of their own (its own socket folder), and
    that daemon, started by a first command; stopped at the end."""
    runtime = tmp_path_factory.mktemp("runtime")
    runtime.chmod(0o700)
    env = {
        **os.environ,
        "DOCKWRIGHT_DAEMON": "on",
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache")),
        "DOCKWRIGHT_PLAN_CACHE": "off",
        "DEPLOY_TOKEN": "not-for-the-daemon",  # the first command's environment: not the server's
    }
    _first_command_starts_a_daemon([sys.executable, "-m", "dockwright"], env)
    path = _socket(env)
    assert Path(path).exists(), "the first command started no daemon"
    yield env
    _dockwright(env, "daemon", "stop", "--all")
    for _ in range(100):
        if not Path(path).exists():
            break
        time.sleep(0.1)
    assert not Path(path).exists()


def _first_command_starts_a_daemon(command: list[str], env: dict[str, str], cwd: Path | str = "/") -> None:
    """Run a first command; then wait until the daemon it started answers (it loads every module)."""
    subprocess.run([*command, "--version"], env=env, capture_output=True, check=True, cwd=cwd)
    for _ in range(300):
        status = subprocess.run([*command, "daemon", "status"], env=env, capture_output=True, text=True)
        if status.stdout.startswith("pid:"):
            break
        time.sleep(0.1)
    assert status.stdout.startswith("pid:"), status.stdout


def _socket(env: dict[str, str]) -> str:
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from dockwright import daemon_client as c; print(c.socket_path(os.environ))",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd="/",
        check=True,
    )
    return found.stdout.strip()


def _dockwright(
    env: dict[str, str], *args: str, cwd: Path | str = "/", stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockwright", *args],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _served_count(env: dict[str, str]) -> int:
    status = _dockwright(env, "daemon", "status").stdout
    line = next(line for line in status.splitlines() if line.startswith("commands served:"))
    return int(line.split(":")[1])


def _alone(env: dict[str, str]) -> dict[str, str]:
    return {**env, "DOCKWRIGHT_DAEMON": "off"}


def test_a_served_command_answers_as_its_own_process(served: dict[str, str], tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(EXAMPLES / "flask-requirements", project)
    before = _served_count(served)
    through = _dockwright(served, "plan", ".", "--json", cwd=project)  # a relative path: the client's folder
    alone = _dockwright(_alone(served), "plan", ".", "--json", cwd=project)
    assert _served_count(served) == before + 1
    assert through.returncode == alone.returncode == 0
    assert through.stdout == alone.stdout
    assert through.stderr == alone.stderr


def test_a_served_audit_reads_the_save_its_client_sent(served: dict[str, str]) -> None:
    """The client sends an audit's save before the hand-over and passes the connection with its
    streams: the child reads that export (one save asked per audit) and reports what an audit in a
    process of its own reports."""
    import json
    import tempfile

    from tests.audit.audit_images import Img, app_layer, base_layer, layer_tar, oci_archive, sha
    from tests.engine.test_docker_api import Daemon

    folder = tempfile.mkdtemp(prefix="dw-served-audit-", dir="/tmp")  # a socket path must stay short
    engine = Daemon(f"{folder}/docker.sock")
    try:
        img = Img([base_layer(), app_layer()])
        diff_ids = [sha(layer_tar(layer)) for layer in img.layers]
        inspect = {"Id": sha(b"image"), "RepoTags": ["team/app:1"], "Size": 0, "Config": img.config}
        inspect["RootFS"] = {"Type": "layers", "Layers": diff_ids}
        engine.answers["/images/get?names=team%2Fapp%3A1"] = (200, oci_archive(img, "team/app:1"))
        engine.answers["/images/team/app:1/json"] = (200, json.dumps(inspect).encode())
        env = {**served, "DOCKER_HOST": f"unix://{engine.path}", "DOCKWRIGHT_AUDIT_CACHE": "off"}
        env["DOCKWRIGHT_AUDIT_FOLDERS"] = "off"  # a root-run audit would inspect first, for Docker's folders
        for name in ("DOCKWRIGHT_DOCKER", "DOCKER_CONTEXT", "DOCKWRIGHT_ENGINE"):
            env.pop(name, None)  # a client named there is run (`sandbox env` names one): no API socket
        before = _served_count(served)
        client = subprocess.Popen(
            [sys.executable, "-m", "dockwright", "audit", "team/app:1", "--format", "json"],
            env=env,
            cwd="/",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        out, err = client.communicate(timeout=120)
        through = subprocess.CompletedProcess(client.args, client.returncode, out, err)
        saves = [i for i, line in enumerate(engine.requests) if line.startswith("GET /images/get")]
        assert [engine.peers[i] for i in saves] == [client.pid], "the client sent the save"
        alone = _dockwright(_alone(env), "audit", "team/app:1", "--format", "json")
        assert _served_count(served) == before + 1
        assert through.returncode == alone.returncode, through.stderr
        reports = [json.loads(run.stdout) for run in (through, alone)]
        for report in reports:
            report.pop("seconds", None)
        assert reports[0] == reports[1]
    finally:
        engine.close()
        shutil.rmtree(folder, ignore_errors=True)


_CRAFTED = """
import os, socket, sys
from dockwright import daemon_client as c
text = c.identity()
for kind, extras, count in [tuple(part.split(":")) for part in sys.argv[1:]]:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(c.socket_path(os.environ, text))
    fields = c.request_fields(text, "/", ["--version"], extras) if kind == "R" else []
    socket.send_fds(conn, [c.frame(kind.encode(), fields)], [0, 1, 2, 0, 0][: int(count)])
    answer = conn.recv(1).decode() or "-"
    # one write, framed: a served `--version` writes to this same stdout meanwhile, maybe unbuffered
    os.write(1, f"@@{kind}:{extras}:{count}={answer}@@\\n".encode())
    conn.close()
"""


def _crafted(env: dict[str, str], *requests: str) -> list[str]:
    """Each request (KIND:EXTRAS:DESCRIPTORS) sent as a client would, and the server's first answer."""
    done = subprocess.run(
        [sys.executable, "-c", _CRAFTED, *requests],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    return re.findall(r"@@[RQ]:[a-z]*:\d+=(.)@@", done.stdout)


def test_a_run_request_must_name_the_descriptors_it_passes(served: dict[str, str]) -> None:
    """After the streams a request passes the descriptors its extras field names (f: the working
    folder, s: an audit's save): any other count or name is refused, not run."""
    assert _crafted(served, "R::3", "R:s:4") == [daemon_client.STARTED.decode()] * 2
    refused = daemon_client.REFUSED.decode()
    assert _crafted(served, "R:s:3", "R::4", "R:x:4", "R:ss:5", "R:sf:5") == [refused] * 5


def test_descriptors_passed_with_other_requests_are_closed(served: dict[str, str]) -> None:
    pid = int(_dockwright(served, "daemon", "status").stdout.split()[1])
    before = len(list(Path(f"/proc/{pid}/fd").iterdir()))
    _crafted(served, "Q::3", "Q::5", "Q::4")
    assert len(list(Path(f"/proc/{pid}/fd").iterdir())) == before


def test_the_work_held_for_after_the_answer_runs_when_the_command_raised(tmp_path: Path) -> None:
    """A command that ends by an exception (no quick exit) still runs what it held, at its exit."""
    stored = tmp_path / "stored"
    code = (
        "import os, sys; from dockwright import daemon_client, launch; "
        "launch.arm_quick_exit(); daemon_client.mark_inside(os.dup(2)); "
        f"daemon_client.after_answer(lambda: open({str(stored)!r}, 'w').write('ok')); "
        "raise SystemExit(3)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 3
    assert stored.read_text() == "ok"


def test_a_served_child_reports_its_end_once_its_output_is_out() -> None:
    """report_end (from the last exit handler of a served command) closes the standard streams, then
    sends the status on the child's copy of the client's connection: the client has all the output
    and the status while the child is still ending."""
    ours, theirs = socket.socketpair()
    code = (
        "import time; from dockwright import daemon_client; "
        f"daemon_client.mark_inside({theirs.fileno()}); print('done', flush=True); "
        "daemon_client.report_end(3); time.sleep(30)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, pass_fds=(theirs.fileno(),)
    )
    theirs.close()
    try:
        ours.settimeout(20)
        assert daemon_client.received(ours, 5) == daemon_client.ENDED + (3).to_bytes(4, "big", signed=True)
        assert child.stdout is not None and child.stdout.read() == b"done\n"  # its end: the streams closed
        assert child.poll() is None
    finally:
        child.kill()
        child.wait()
        ours.close()


def test_the_work_held_for_after_the_answer_runs_once_the_client_has_it(tmp_path: Path) -> None:
    """The quick exit reports the end (the client leaves), then runs what ``after_answer`` held (a
    cache's writes), then exits: the held work here cannot end before the test has the status."""
    ours, theirs = socket.socketpair()
    go_read, go_write = os.pipe()
    stored = tmp_path / "stored"
    code = (
        "import os, sys; from dockwright import daemon_client, launch; "
        "quick = launch.arm_quick_exit(); "
        f"daemon_client.mark_inside({theirs.fileno()}); "
        f"daemon_client.after_answer(lambda: os.read({go_read}, 1) and open({str(stored)!r}, 'w').write('ok')); "
        "print('done', flush=True); quick(0); sys.exit(0)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, pass_fds=(theirs.fileno(), go_read)
    )
    theirs.close()
    os.close(go_read)
    try:
        ours.settimeout(20)
        assert daemon_client.received(ours, 5) == daemon_client.ENDED + (0).to_bytes(4, "big", signed=True)
        assert not stored.exists()
        os.write(go_write, b"g")
        assert child.wait(timeout=20) == 0
        assert stored.read_text() == "ok"
    finally:
        os.close(go_write)
        if child.poll() is None:
            child.kill()
        child.wait()
        ours.close()


_LEFT_BEHIND = """
import os, sys


class _Hook:  # dockwright.launch.main starts a process that outlives the command, in its group
    def find_spec(self, name, path=None, target=None):
        if name != "dockwright.launch":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            main = module.main

            def patched(argv=None):
                log = os.environ.get("DW_LEFT_BEHIND")
                if log:
                    import subprocess

                    script = f"trap 'echo hangup >> {log}; exit 1' HUP; sleep 2 & wait; echo survived >> {log}"
                    subprocess.Popen(["sh", "-c", script])
                return main(argv)

            module.main = patched

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _Hook())
"""


def test_a_process_a_command_leaves_running_is_not_hung_up(tmp_path: Path) -> None:
    """The child reports its end before its exit (report_end) and the client says DONE before it
    leaves: its leaving is no hang-up, so what the command left running in its group (a cleanup's
    engine command, a build ahead's stop) is not sent SIGHUP. A client that leaves without DONE
    still hangs the group up (test_ctrl_c_reaches_the_served_command and the SIGKILL test)."""
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(_LEFT_BEHIND)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    path = os.pathsep.join(p for p in (str(inject), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "DOCKWRIGHT_DAEMON": "on", "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("CI", None)
    _first_command_starts_a_daemon([sys.executable, "-m", "dockwright"], env)
    try:
        logs = [tmp_path / f"left-{number}.log" for number in range(3)]
        for log in logs:
            done = _dockwright({**env, "DW_LEFT_BEHIND": str(log)}, "--version")
            assert done.returncode == 0 and done.stdout.startswith("dockwright")
        assert _served_count(env) >= 3
        deadline = time.monotonic() + 30
        while not all(log.exists() for log in logs) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [log.read_text().strip() for log in logs] == ["survived"] * 3
    finally:
        _dockwright(env, "daemon", "stop", "--all")


def test_exit_status_stdin_and_environment_reach_the_command(served: dict[str, str], tmp_path: Path) -> None:
    dockerfile = "FROM python:3.12\nRUN pip install flask\nCMD python app.py\n"
    for env in (served, _alone(served)):
        linted = _dockwright(env, "lint", "-", stdin=dockerfile)
        assert linted.returncode == 1 and "DW" in linted.stdout  # findings: exit 1, read from stdin
    through = _dockwright(served, "lint", "-", stdin=dockerfile)
    alone = _dockwright(_alone(served), "lint", "-", stdin=dockerfile)
    assert through.stdout == alone.stdout
    missing = _dockwright(served, "plan", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: ")
    chosen = _dockwright({**served, "DOCKWRIGHT_ENGINE": "bogus"}, "build", str(tmp_path), "--dry-run")
    assert chosen.returncode == 2 and "'bogus' (DOCKWRIGHT_ENGINE)" in chosen.stderr


def test_files_a_served_init_writes_follow_the_clients_umask(served: dict[str, str], tmp_path: Path) -> None:
    modes = []
    for name, env in (("through", served), ("alone", _alone(served))):
        project = tmp_path / name
        shutil.copytree(EXAMPLES / "flask-requirements", project)
        done = subprocess.run(
            ["sh", "-c", f'umask 027 && exec "{sys.executable}" -m dockwright init --no-syntax .'],
            env=env,
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        modes.append(stat.S_IMODE((project / "Dockerfile").stat().st_mode))
    assert modes[0] == modes[1] == 0o640


def _lint_waiting(env: dict[str, str], **options: object) -> subprocess.Popen[str]:
    """``lint -`` with its input held open: the command waits for it (``options``: more of Popen's)."""
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "dockwright", "lint", "-"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )


def _waiting_for_input(pid: int) -> bool:
    """Whether the process ``pid`` is blocked reading a pipe (its stdin)."""
    try:
        return "pipe_read" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


def _interrupted(
    env: dict[str, str], reader: Callable[[subprocess.Popen[str]], int | None]
) -> tuple[int, str]:
    """``lint -`` waiting for its input (``reader``: the pid that reads it), then SIGINT (a terminal's
    Ctrl-C) to the command's own process."""
    # SIGINT not ignored, whatever this test's parent does (a background job's children ignore it)
    client = _lint_waiting(env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for _ in range(600):
        pid = reader(client)
        if pid is not None and _waiting_for_input(pid):
            break
        time.sleep(0.05)
    client.send_signal(signal.SIGINT)
    # its input stays open until it has ended: closed at once, the command could read the end of its
    # input and lint nothing before a forwarded signal reached it (a race the test lost under load)
    client.wait(timeout=30)
    _out, err = client.communicate(timeout=30)
    return client.returncode, err


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="reads /proc")
def test_ctrl_c_reaches_the_served_command(served: dict[str, str]) -> None:
    """SIGINT to the client is forwarded to the command's process group: the command stops as it
    does alone."""
    before = set(_daemon_children(served))

    def child(_client: subprocess.Popen[str]) -> int | None:
        started = set(_daemon_children(served)) - before
        return started.pop() if started else None

    through = _interrupted(served, child)
    alone = _interrupted(_alone(served), lambda client: client.pid)
    assert through == alone
    assert through[0] == 2 and "error: " in through[1]


def test_a_request_of_another_installation_is_refused(served: dict[str, str]) -> None:
    path = _socket(served)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(path)
        request = daemon_client.frame(
            daemon_client.RUN, [b"another dockwright", b"/", b"18", b"0", b"dockwright"]
        )
        socket.send_fds(connection, [request[: daemon_client.HEADER]], [0, 1, 2])
        connection.sendall(request[daemon_client.HEADER :])
        assert daemon_client.received(connection, 5)[:1] == daemon_client.REFUSED
    assert Path(path).exists()  # still serving its own installation
    assert stat.S_IMODE(Path(path).stat().st_mode) == 0o600


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc")
def test_a_request_cut_short_leaves_no_descriptor_open(served: dict[str, str]) -> None:
    """Descriptors sent with a request that is not whole are closed, not kept by the server."""
    path = _socket(served)
    pid = _daemon_pid(served)
    before = len(list(Path(f"/proc/{pid}/fd").iterdir()))
    for _ in range(3):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(path)
            socket.send_fds(connection, [b"XX"], [0, 1, 2])  # then closed: a header cut short
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(path)
            socket.send_fds(connection, [b"NOT A REQUEST"], [0, 1, 2])
    _dockwright(served, "daemon", "status")  # answered once the cut requests were read
    assert len(list(Path(f"/proc/{pid}/fd").iterdir())) == before


def test_daemon_commands_run_in_their_own_process(served: dict[str, str]) -> None:
    before = _served_count(served)
    status = _dockwright(served, "daemon", "status")
    assert status.returncode == 0 and f"socket: {_socket(served)}" in status.stdout
    assert _served_count(served) == before  # status itself was not handed over
    off = _dockwright(_alone(served), "daemon", "status")
    assert off.stdout.startswith("off: ")


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_the_server_keeps_none_of_the_first_commands_secrets(served: dict[str, str]) -> None:
    environment = Path(f"/proc/{_daemon_pid(served)}/environ").read_bytes()
    assert b"not-for-the-daemon" not in environment
    assert b"XDG_RUNTIME_DIR=" in environment  # what picks its socket stays


def _daemon_pid(env: dict[str, str]) -> str:
    status = _dockwright(env, "daemon", "status").stdout
    return next(line.split(":")[1].strip() for line in status.splitlines() if line.startswith("pid:"))


def _daemon_children(env: dict[str, str]) -> list[int]:
    pid = _daemon_pid(env)
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_a_command_killed_outright_ends_its_client_the_same_way(served: dict[str, str]) -> None:
    """SIGKILL (an out-of-memory kill) of the command: its client ends by SIGKILL too, no traceback."""
    before = set(_daemon_children(served))
    client = _lint_waiting(served)
    for _ in range(100):
        started = set(_daemon_children(served)) - before
        if started:
            break
        time.sleep(0.1)
    assert started
    os.kill(started.pop(), signal.SIGKILL)
    _out, err = client.communicate(timeout=30)
    assert client.returncode == -signal.SIGKILL
    assert "Traceback" not in err


def test_a_signal_the_client_ignores_is_not_forwarded(served: dict[str, str]) -> None:
    """A command started with SIGINT ignored (a shell's background job) goes on after one, as alone."""
    results = []
    for env in (served, _alone(served)):
        client = _lint_waiting(env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        time.sleep(1.0)
        client.send_signal(signal.SIGINT)
        out, _err = client.communicate("FROM python:3.12\n", timeout=60)
        results.append((client.returncode, out))
    assert results[0] == results[1]
    assert results[0][0] == 1  # the lint ran to its findings


def test_interpreter_flags_reach_the_server(tmp_path: Path) -> None:
    """A command run with interpreter options (-X ...) starts a server with the same ones, which then
    serves it: a server of other flags would refuse its own socket."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "DOCKWRIGHT_DAEMON": "on", "XDG_RUNTIME_DIR": str(runtime)}
    command = [sys.executable, "-X", f"pycache_prefix={tmp_path / 'pycache'}", "-m", "dockwright"]
    try:
        _first_command_starts_a_daemon(command, env, cwd=tmp_path)
        subprocess.run([*command, "--version"], env=env, capture_output=True, check=True, cwd=tmp_path)
        status = subprocess.run([*command, "daemon", "status"], env=env, capture_output=True, text=True)
        assert "commands served: 1" in status.stdout
    finally:
        subprocess.run([*command, "daemon", "stop", "--all"], env=env, capture_output=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")
def test_a_change_in_a_watched_folder_is_seen(tmp_path: Path) -> None:
    from dockwright.daemon.watch import Watch, watched_folders

    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    module = tmp_path / "site" / "m.py"
    module.parent.mkdir()
    module.write_text("x = 1\n")
    folders = watched_folders([str(module)], str(package))
    assert folders == {str(module.parent), str(package), str(package / "data")}
    watch = Watch(folders)
    try:
        assert not watch.changed()
        (package / "__pycache__" / "m.pyc").write_bytes(b"")  # bytecode: not watched
        assert not watch.changed()
        (package / "data" / "table.toml").write_text("a = 1\n")  # a template or table
        assert watch.changed()
        assert watch.changed()  # it stays changed
    finally:
        watch.close()
    second = Watch(folders)
    try:
        module.write_text("x = 2\n")  # written in place, as some editors do
        assert second.changed()
    finally:
        second.close()
