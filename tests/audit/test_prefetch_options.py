"""audit.prefetch's copy of `dockwright audit`'s options, pinned to the click command: every option,
flag and choice of the command is sorted by the pre-scan (a new one fails here until it is), and for
every command line these tests enumerate the early save is sent or not as expected while the
command's output and exit code are the same as without the pre-scan."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from audit_images import Img, app_layer, base_layer, legacy_archive
from tests.engine.test_docker_api import Daemon

from dockwright import launch
from dockwright.audit import prefetch
from dockwright.cli import cli
from dockwright.cli.audit_cmd import audit_command

IMAGE = "demo:1"
SAVE = "GET /images/get?names=demo%3A1 HTTP/1.0"


def _options() -> list[click.Option]:
    return [param for param in audit_command.params if isinstance(param, click.Option)]


def _names(option: click.Option) -> list[str]:
    return [*option.opts, *option.secondary_opts]


def test_every_option_of_the_command_is_sorted_by_the_pre_scan() -> None:
    help_names = set(cli.context_settings["help_option_names"])
    command = {name for option in _options() for name in _names(option)} | help_names
    known = prefetch._VALUE_OPTIONS | prefetch._FLAGS | prefetch._DECLINED
    assert command == known, "sort a new option of `dockwright audit` in audit/prefetch.py"
    for sets in [
        (prefetch._VALUE_OPTIONS, prefetch._FLAGS),
        (prefetch._VALUE_OPTIONS, prefetch._DECLINED),
        (prefetch._FLAGS, prefetch._DECLINED),
    ]:
        assert not sets[0] & sets[1]


def test_flags_and_value_options_are_what_click_reads() -> None:
    for option in _options():
        names = set(_names(option))
        if option.is_eager and not option.expose_value:  # --explain, --list-checks: print and exit
            assert names <= prefetch._DECLINED
        elif option.is_flag:
            assert names <= prefetch._FLAGS | prefetch._DECLINED, names
        else:
            assert names <= prefetch._VALUE_OPTIONS | prefetch._DECLINED, names
            assert not option.multiple and option.nargs == 1, names  # the pre-scan reads one value


def test_every_choice_is_sorted_and_numbers_are_known() -> None:
    choices = {
        name: tuple(option.type.choices)
        for option in _options()
        if isinstance(option.type, click.Choice)
        for name in _names(option)
        if name not in prefetch._DECLINED
    }
    assert set(prefetch._CHOICES) == set(choices) == set(prefetch._DECLINED_CHOICES)
    for name, values in choices.items():
        started, declined = set(prefetch._CHOICES[name]), set(prefetch._DECLINED_CHOICES[name])
        assert not started & declined and started | declined == set(values), name
    numbers = {
        name
        for option in _options()
        if isinstance(option.type, (click.types.FloatParamType, click.types.IntParamType))
        for name in _names(option)
    }
    assert numbers - prefetch._DECLINED == set(prefetch._NUMBERS)
    others = {
        name
        for option in _options()
        if not isinstance(option.type, (click.Choice, click.types.StringParamType, click.Path))
        and not option.is_flag
        for name in _names(option)
    }
    assert others - prefetch._DECLINED <= set(prefetch._NUMBERS), "a type the pre-scan cannot check"


def test_the_pre_scan_loads_no_click() -> None:
    """It runs before click loads (see the module and docs/lean.md): importing it must not load it."""
    code = "import sys, dockwright.audit.prefetch; print('click' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "False"


def _command_lines() -> list[tuple[list[str], bool]]:
    """Each option alone, once per value of a choice, with whether the save is sent early."""
    lines: list[tuple[list[str], bool]] = []
    samples = {"--context": ".", "--max-size": "250", "--platform": "linux/amd64", "--explain": "lock"}
    for option in _options():
        name = option.opts[-1] if option.opts[-1].startswith("--") else option.opts[0]
        if isinstance(option.type, click.Choice):
            for value in option.type.choices:
                lines.append(
                    ([name, str(value)], name in prefetch._CHOICES and value in prefetch._CHOICES[name])
                )
        elif name in ("--env-file", "--network"):
            value = "app.env" if name == "--env-file" else "host"
            lines.append(([name, value], False))  # a usage error without --run
        elif option.is_flag:
            lines.append(([name], name in prefetch._FLAGS))
        elif name in ("-o", "--output"):
            lines.append(([name, "report.txt"], True))
        else:
            lines.append(([name, samples.get(name, "value")], name in prefetch._VALUE_OPTIONS))
    lines.append((["--max-size", "0"], False))
    lines.append((["--max-size", "2", "--format", "json", "--engine", "docker", "--from", "engine"], True))
    return lines


@pytest.mark.parametrize(
    ("options", "sent"), _command_lines(), ids=lambda v: " ".join(v) if isinstance(v, list) else str(v)
)
def test_the_pre_scan_decides_as_expected(options: list[str], sent: bool) -> None:
    assert (prefetch.command_image(["audit", IMAGE, *options]) == IMAGE) is sent


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Daemon]:
    folder = tempfile.mkdtemp(prefix="dw-opt-", dir="/tmp")  # a socket path must stay short
    served = Daemon(f"{folder}/docker.sock")
    image = Img([base_layer(), app_layer()])
    inspect = {"Id": "sha256:" + "ab" * 32, "RepoTags": [IMAGE], "Size": 0, "Config": image.config}
    served.answers[f"/images/{IMAGE}/json"] = (200, json.dumps(inspect).encode())
    served.answers["/images/get?names=demo%3A1"] = (200, legacy_archive(image, IMAGE))
    for name in ("DOCKWRIGHT_DOCKER", "DOCKER_CONTEXT", "DOCKWRIGHT_ENGINE", "DOCKWRIGHT_REGISTRY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{served.path}")
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.setenv("PATH", folder)  # no engine CLI: only the socket answers
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.chdir(tmp_path)
    try:
        yield served
    finally:
        prefetch._close_early()
        served.close()
        shutil.rmtree(folder, ignore_errors=True)


def _run(
    args: list[str], cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str, str]:
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", str(cache))  # a fresh layer cache: the save is sent
    Path("report.txt").unlink(missing_ok=True)
    code = launch.main(args)
    out, err = capsys.readouterr()
    report = Path("report.txt").read_text() if Path("report.txt").exists() else ""
    return code, _timeless(out), _timeless(err), _timeless(report)


def _timeless(text: str) -> str:
    """The text without its timings (the audit's and --run's own seconds)."""
    text = re.sub(r'"seconds": \d+(\.\d+)?', '"seconds": T', text)
    return re.sub(r"\b\d+(\.\d+)? ?(s|ms)\b", "T", text)


@pytest.mark.parametrize(
    "options",
    [options for options, _ in _command_lines() if "registry" not in options],  # no network here
    ids=" ".join,
)
def test_the_command_answers_the_same_with_and_without_the_early_save(
    engine: Daemon,
    options: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["audit", IMAGE, *options]
    sent = prefetch.command_image(args) is not None
    started: list[bool] = []
    start_early = prefetch.start_early
    with monkeypatch.context() as patched:
        patched.setattr(
            prefetch, "start_early", lambda argv: started.append(start_early(argv)) or started[-1]
        )
        early = _run(args, tmp_path / "cache-early", monkeypatch, capsys)
    assert started == [sent]
    assert engine.requests.count(SAVE) == (1 if sent else engine.requests.count(SAVE))
    assert not prefetch._EARLY, "the audit took the save, or it was closed"
    engine.requests.clear()
    with monkeypatch.context() as patched:
        patched.setattr(prefetch, "start_early", lambda _args: False)
        late = _run(args, tmp_path / "cache-late", monkeypatch, capsys)
    assert early == late, (early[0], early[2], late[0], late[2])
