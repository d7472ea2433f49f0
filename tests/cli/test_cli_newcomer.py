"""A newcomer's path through the CLI: what a wrong input, a help page or a preview prints."""

from __future__ import annotations

import contextlib
import shlex
from pathlib import Path

import click
import pytest

from dockwright.cli import main


def test_lint_diff_prints_real_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12.8-slim\nADD app.py /app/\nRUN echo \x1b[31m\n")
    assert main(["lint", str(dockerfile), "--diff"]) == 0
    out = capsys.readouterr().out
    assert "\n-ADD app.py /app/\n+COPY app.py /app/\n" in out
    assert "\\x0a" not in out
    assert "\x1b" not in out and "\\x1b[31m" in out  # still no terminal control from the file


@pytest.mark.parametrize("verb", [("build",), ("build", "--dry-run"), ("base", "build")])
def test_build_paths_say_what_plan_says(
    verb: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """build and base build word a wrong PATH as plan and init do (not click's 'Invalid value for [PATH]')."""
    missing, a_file = tmp_path / "missing", tmp_path / "file"
    a_file.write_text("")
    assert main([*verb, str(missing)]) == 2
    assert capsys.readouterr().err == f"error: {missing}: no such directory\n"
    assert main([*verb, str(a_file)]) == 2
    assert capsys.readouterr().err == f"error: {a_file}: not a directory\n"


def test_build_refuses_a_bad_tag_before_the_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12.8-slim\n")
    (tmp_path / "app.py").write_text("print('hi')\n")
    assert main(["build", str(tmp_path), "--dry-run", "--tag", "My App!"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --tag: 'My App!' is not an image reference") and "e.g. myapp:1.0" in err
    assert err.count("\n") == 1


def test_a_report_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    """audit -o and sbom -o into a place that refuses the file (here: below a file)."""
    from dockwright.audit.report import write_report
    from dockwright.errors import WriteRefused

    (tmp_path / "plain").write_text("")
    target = tmp_path / "plain" / "report.json"
    with pytest.raises(WriteRefused) as refused:
        write_report(target, "{}")
    assert str(refused.value) == f"cannot write {target}: {target.parent} is not a directory"


def test_lint_fix_in_a_read_only_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno
    import os

    from dockwright.render import writer

    def read_only(target: Path, content: str | bytes) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target.parent / ".Dockerfile.x.tmp"))

    monkeypatch.setattr(writer, "atomic_write", read_only)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12.8-slim\nADD app.py /app/\n")
    assert main(["lint", "--fix", str(dockerfile)]) == 2
    assert capsys.readouterr().err == f"error: cannot write {dockerfile}: Read-only file system\n"


def _verb(name: str) -> click.Command:
    from dockwright.cli import cli

    command: click.Command | None = cli
    for part in name.split():
        assert isinstance(command, click.Group)
        command = command.get_command(click.Context(command), part)
    assert command is not None
    return command


@pytest.mark.parametrize("verb", ["plan", "init", "lint", "rule", "build", "audit", "sbom", "base build"])
def test_every_verb_help_ends_with_examples_that_parse(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The examples in --help use options the verb has, with values it accepts (a help text cannot lie)."""
    from dockwright.cli.help_examples import examples

    assert main([*verb.split(), "--help"]) == 0
    shown = capsys.readouterr().out
    assert "\n  Examples:\n" in shown
    command = _verb(verb)
    for line, what in examples(verb):
        assert f"  {line}\n" in shown and f"# {what}\n" in shown
        words = shlex.split(line)
        assert words[: 1 + len(verb.split())] == ["dockwright", *verb.split()]
        args = [w for i, w in enumerate(words) if w[0] not in "<>" and words[i - 1][0] not in "<>"]
        with contextlib.suppress(click.exceptions.Exit):  # --list-checks answers while parsing
            command.make_context(verb, args[1 + len(verb.split()) :])


@pytest.mark.parametrize("verb", ["plan", "init", "lint", "rule", "build", "audit", "sbom", "base build"])
def test_every_option_says_what_it_does(verb: str) -> None:
    silent = [p.name for p in _verb(verb).params if isinstance(p, click.Option) and not p.help]
    assert silent == []


def test_build_takes_start_as_its_error_asks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Dockerfile of the user's, no start dockwright can detect: its CMD is the start (the image runs
    it; followups2); without a CMD the error says 'pass --start', and build takes it."""
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n")
    (tmp_path / "Dockerfile").write_text('FROM python:3.12.8-slim\nCMD ["python", "-c", "print(1)"]\n')
    assert main(["build", str(tmp_path), "--dry-run"]) == 0
    assert f"--file {tmp_path}/Dockerfile" in capsys.readouterr().out
    (tmp_path / "Dockerfile").write_text("FROM python:3.12.8-slim\n")
    assert main(["build", str(tmp_path), "--dry-run"]) == 2
    assert (
        "Dockerfile has no CMD or ENTRYPOINT either: add one to it, or pass --start"
        in capsys.readouterr().err
    )
    assert main(["build", str(tmp_path), "--dry-run", "--start", "python -c 'print(1)'"]) == 0
    assert f"--file {tmp_path}/Dockerfile" in capsys.readouterr().out


def test_an_option_name_means_the_same_value_on_every_verb() -> None:
    """Same option name, same metavar: --network NAME on build, base build and audit, and so on.
    Left out: --format (each verb has its own formats) and --output (build's is a buildx SPEC, the
    reports' a FILE; renaming either would break users)."""
    verbs = ["plan", "init", "lint", "rule", "build", "audit", "sbom", "base build"]
    shown: dict[str, set[str]] = {}
    for verb in verbs:
        for param in _verb(verb).params:
            if (
                not isinstance(param, click.Option)
                or param.is_flag
                or param.opts[-1] in ("--format", "--output")
            ):
                continue
            kind = param.type
            metavar = param.metavar or (
                "|".join(kind.choices) if isinstance(kind, click.Choice) else kind.name.upper()
            )
            shown.setdefault(param.opts[-1], set()).add(metavar)
    assert {name: metavars for name, metavars in shown.items() if len(metavars) > 1} == {}


def test_an_exact_python_newer_than_the_table_is_a_warning() -> None:
    from dockwright.project.python_version import python_notes, release_table

    pinned = release_table().minors["3.12"].latest
    assert python_notes(pinned) == []
    (note,) = python_notes("3.12.99")
    assert note.startswith(f"Python 3.12.99 is newer than the newest 3.12 patch dockwright knows ({pinned}")
    assert note.endswith(f"--python 3.12 pins {pinned}")
    assert python_notes("3.12.0") == []  # older patches have images


@pytest.mark.parametrize("argv", [[], ["base"]])
def test_a_group_without_a_command_prints_its_help(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`dockwright` alone printed its whole help folded into one `error:` line, exit 2."""
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"Usage: dockwright {' '.join(argv)}".rstrip() + " [OPTIONS] COMMAND")
    assert "\nCommands:\n" in captured.out and captured.err == ""


def _flask_app(folder: Path) -> None:
    """A Flask app whose requirements are hash-locked already (init resolves nothing)."""
    (folder / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    pin = "flask==3.0.0 --hash=sha256:" + "a" * 64
    (folder / "requirements.txt").write_text(f"{pin}\ngunicorn==23.0.0 --hash=sha256:{'b' * 64}\n")


def test_init_dry_run_stops_where_init_would(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A .dockerignore of the user's: --dry-run said 'would update' and exit 0, init then refused."""
    _flask_app(tmp_path)
    (tmp_path / ".dockerignore").write_text("# mine\n*.pyc\n")
    refusal = "error: .dockerignore exists and differs; use --force to replace it (--diff shows the change)\n"
    assert main(["init", str(tmp_path), "--dry-run"]) == 2
    assert capsys.readouterr().err == refusal
    assert main(["init", str(tmp_path)]) == 2
    assert capsys.readouterr().err == refusal
    assert main(["init", str(tmp_path), "--dry-run", "--force"]) == 0
    assert "would update: .dockerignore\n" in capsys.readouterr().out
    assert (tmp_path / ".dockerignore").read_text() == "# mine\n*.pyc\n"


def test_stdin_filename_without_stdin_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12.8-slim\n")
    assert main(["lint", str(tmp_path / "Dockerfile"), "--stdin-filename", "docker/Dockerfile"]) == 2
    assert capsys.readouterr().err == (
        "error: --stdin-filename goes with `-` (the Dockerfile on stdin) (see: dockwright lint --help)\n"
    )


def test_base_build_points_to_its_own_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The planner's 'pass --start' named an option base build does not have."""
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n")
    assert main(["base", "build", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot tell how the app starts") and "--start" not in err
    assert err.endswith(": give --python X.Y to build a base without planning the project\n")


def test_quickstart_refuses_an_unknown_example_before_installing_anything() -> None:
    import subprocess

    script = Path(__file__).resolve().parents[2] / "scripts" / "quickstart.sh"
    done = subprocess.run(
        ["bash", str(script), "no-such-example"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: no example 'no-such-example'; choose one of: ")
    assert " flask-requirements " in done.stderr and "README" not in done.stderr


def test_manager_without_its_files_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--manager poetry on a requirements project planned no dependencies at all (flask dropped)."""
    _flask_app(tmp_path)
    assert main(["plan", str(tmp_path), "--manager", "poetry"]) == 2
    assert capsys.readouterr().err == (
        "error: --manager poetry: the project has no poetry files (found: requirements (requirements.txt))\n"
    )
    assert main(["plan", str(tmp_path), "--manager", "requirements", "--json"]) == 0


def test_build_target_must_name_a_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _flask_app(tmp_path)
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.12.8-slim AS Builder\nFROM python:3.12.8-slim AS runtime\nCMD ["python", "app.py"]\n'
    )
    assert main(["build", str(tmp_path), "--dry-run", "--target", "tests"]) == 2
    assert capsys.readouterr().err == (
        "error: --target tests: the Dockerfile has no stage of that name (its stages: builder, runtime)\n"
    )
    assert main(["build", str(tmp_path), "--dry-run", "--target", "builder"]) == 0
    assert "--target builder" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["audit", "--platform"], "dockwright audit"),
        (["--debug", "lint", "--format"], "dockwright lint"),
        (["base", "build", "--uid"], "dockwright base build"),
    ],
)
def test_a_missing_option_value_points_to_the_verbs_help(
    argv: list[str], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Click raises 'requires an argument' without the verb's context: it pointed to `dockwright --help`."""
    assert main(argv) == 2
    assert (
        capsys.readouterr().err
        == f"error: Option '{argv[-1]}' requires an argument. (see: {command} --help)\n"
    )


@pytest.mark.parametrize("verb", ["audit", "sbom"])
def test_context_that_is_a_file_is_worded_as_a_missing_one(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("")
    assert main([verb, "demo:1", "--context", str(a_file)]) == 2
    assert capsys.readouterr().err == f"error: --context {a_file}: not a directory\n"


def test_env_file_errors_name_the_reason(tmp_path: Path) -> None:
    from dockwright.audit.audit import read_env_file
    from dockwright.errors import ConfigError

    with pytest.raises(
        ConfigError, match=r"^--env-file .*missing: cannot read it: No such file or directory$"
    ):
        read_env_file(tmp_path / "missing")
    (tmp_path / "latin1.env").write_bytes(b"NAME=caf\xe9\n")
    with pytest.raises(
        ConfigError, match=r"latin1.env: not UTF-8 text \(invalid continuation byte at byte 8\)$"
    ):
        read_env_file(tmp_path / "latin1.env")


@pytest.mark.parametrize("verb", ["audit", "sbom"])
def test_an_empty_image_is_a_usage_error(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`audit ""` asked the engine, which answered 'docker image inspect: (no message)'."""
    assert main([verb, " "]) == 2
    assert (
        capsys.readouterr().err
        == f"error: Invalid value for 'IMAGE': is empty (see: dockwright {verb} --help)\n"
    )


def test_lint_of_an_empty_path_names_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["lint", ""]) == 2
    assert capsys.readouterr().err == "error: no Dockerfile found in .\n"


def test_a_list_with_a_wrong_item_names_the_item(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["flask", 5]\n'
    )
    (tmp_path / "app.py").write_text("print(1)\n")
    assert main(["plan", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "error: pyproject.toml: project.dependencies must be a list of strings, got a list with 5 (int) at [1]\n"
    )


def test_init_diff_shows_a_users_file_without_its_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """lint --diff escaped them; init --diff printed the user's Dockerfile raw."""
    _flask_app(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM python:3.12.8-slim\nRUN echo \x1b]0;owned\x07\n")
    assert main(["init", str(tmp_path), "--diff"]) == 0
    out = capsys.readouterr().out
    assert "\n-RUN echo \\x1b]0;owned\\x07\n" in out and "\x1b" not in out and "\x07" not in out


def test_no_start_names_the_scripts_that_could_not_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lone script with a syntax error: the error said only 'no ... script found'."""
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n")
    (tmp_path / "main.py").write_text("x = (\n")
    assert main(["plan", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "error: cannot tell how the app starts (no framework, entry point or script found; "
        "not valid Python syntax, so not read: main.py); pass --start\n"
    )
