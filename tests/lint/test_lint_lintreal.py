"""Classes found running lint on ~40 real Python Dockerfiles beside hadolint (session 16, lintreal).

Each fixture is ours, written after the pattern seen (never the projects' text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.dockerfile.parser import parse
from dockwright.dockerfile.syntax import Instruction
from dockwright.errors import DockwrightError
from dockwright.lint.linter import apply_fixes, lint_paths, lint_text
from dockwright.lint.shellcheck import shell_of, shellcheck_path
from dockwright.lint.windows import windows_image


def codes(text: str) -> list[str]:
    return [f.code for f in lint_text(text)]


# -- Windows containers: no root, no tini, no ShellCheck on PowerShell/cmd -------------------------

WINDOWS = (
    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
    'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]\n'
    "ENV PYTHONUNBUFFERED=1\n"
    "RUN $url = ('https://example.org/py-{0}.exe' -f $env:PYV); Invoke-WebRequest -Uri $url -OutFile py.exe\n"
    "USER ContainerUser\n"
    'CMD ["python", "-m", "app"]\n'
)


@pytest.mark.parametrize(
    "image",
    [
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        "microsoft/windowsservercore",
        "mcr.microsoft.com/windows/nanoserver:ltsc2025",
        "python:3.13-windowsservercore-ltsc2022",
    ],
)
def test_windows_images_are_recognised(image: str) -> None:
    assert windows_image(image)


@pytest.mark.parametrize("image", ["python:3.13-slim-trixie", "mcr.microsoft.com/devcontainers/python:3.13"])
def test_linux_images_are_not_windows(image: str) -> None:
    assert not windows_image(image)


def test_windows_stage_gets_no_linux_user_or_init_advice() -> None:
    found = codes(WINDOWS)
    assert not {"DW401", "DW402", "DW605", "DW801"} & set(found)
    # the same image on Linux still gets them
    linux = WINDOWS.replace("mcr.microsoft.com/windows/servercore:ltsc2022", "python:3.13.1-slim")
    linux = linux.replace("USER ContainerUser", "USER app").replace("SHELL", "# SHELL")
    assert {"DW402", "DW605"} <= set(codes(linux))


def test_windows_base_without_shell_runs_as_no_root() -> None:
    text = "FROM microsoft/windowsservercore:10.0.14393.1884\nRUN echo print(1) > c:\\hello.py\n"
    text += 'CMD ["py", "c:/hello.py"]\n'
    assert "DW401" not in codes(text)


@pytest.mark.parametrize(
    ("program", "base", "dialect"),
    [
        ("powershell", "", None),
        ("C:\\Windows\\System32\\cmd.exe", "", None),
        ("/bin/zsh", "", None),
        ("/bin/bash", "", "bash"),
        ("/bin/ash", "", "busybox"),
        (None, "mcr.microsoft.com/windows/servercore:ltsc2022", None),
        (None, "python:3.13-alpine3.21", "busybox"),
        (None, "python:3.13-slim", "sh"),
    ],
)
def test_shellcheck_reads_only_posix_shells(program: str | None, base: str, dialect: str | None) -> None:
    shell: Instruction | None = None
    if program is not None:
        text = f'FROM {base or "python:3.13-slim"}\nSHELL ["{program}", "-c"]\n'
        shell = next(i for i in parse(text, "Dockerfile").instructions if i.keyword == "SHELL")
    assert shell_of(shell, base) == dialect


# -- pip options that take a value are not packages ------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        "--exists-action w",
        "--timeout 60",
        "--retries 5",
        "--proxy http://proxy:3128",
        "--use-feature truststore",
    ],
)
def test_pip_option_values_are_not_read_as_packages(options: str) -> None:
    text = f"FROM python:3.13.1-slim\nRUN pip install --no-cache-dir {options} -r requirements.txt\n"
    assert "DW303" not in codes(text)
    loose = text.replace("-r requirements.txt", "flask")
    assert [f.message for f in lint_text(loose) if f.code == "DW303"] == [
        "unpinned: flask; pin with == (or install from a hash-locked file)"
    ]


# -- one DW302 per RUN, however many branches repeat the file --------------------------------------


def test_requirements_file_in_two_case_branches_is_one_finding() -> None:
    text = (
        "FROM python:3.13.1-slim\n"
        'RUN case "$CHANNEL" in \\\n'
        "      nightly) pip install --no-cache-dir -r /src/requirements.txt ./nightly.zip ;; \\\n"
        "      *) pip install --no-cache-dir -r /src/requirements.txt app==1.0 ;; \\\n"
        "    esac\n"
    )
    assert codes(text).count("DW302") == 1


# -- apt-get dist-clean removes the lists ----------------------------------------------------------


def test_apt_dist_clean_counts_as_removing_lists() -> None:
    text = (
        "FROM python:3.13.1-slim-trixie\n"
        "RUN set -eux; apt-get update; apt-get install -y --no-install-recommends tzdata; apt-get dist-clean\n"
    )
    assert "DW202" not in codes(text)
    assert "DW202" in codes(text.replace("dist-clean", "clean"))


# -- a hadolint pragma is hadolint's too: never a stale suppression --------------------------------


def test_hadolint_pragma_is_not_reported_unused() -> None:
    text = "FROM python:3.13.1-slim\n# hadolint ignore=DL3013,DL3008\nRUN pip install --no-cache-dir ./pkg\n"
    assert "DW900" not in codes(text)
    ours = text.replace("# hadolint ignore=DL3013,DL3008", "# dockwright: ignore=DW303")
    assert "DW900" in codes(ours)


def test_fixes_keep_windows_line_endings() -> None:
    text = "FROM python:3.13.1-slim\r\nRUN pip install flask==3.1.0\r\nUSER 10001:10001\r\n"
    fixed, count = apply_fixes(text, lint_text(text))
    assert count == 1
    assert "pip install --no-cache-dir flask==3.1.0\r\n" in fixed
    assert fixed.count("\r\n") == text.count("\r\n") and "\n" not in fixed.replace("\r\n", "")


# -- ONBUILD RUN triggers run in every child image: linted as the RUN they are ----------------------


def test_onbuild_run_trigger_is_linted_and_fixed() -> None:
    text = (
        "FROM python:3.13.1-slim\nWORKDIR /app\nUSER 10001:10001\n"
        "ONBUILD COPY requirements.txt ./\nONBUILD RUN pip install --exists-action w -r requirements.txt\n"
    )
    found = [f for f in lint_text(text) if f.code == "DW301"]
    assert [(f.span.line, f.span.column) for f in found] == [(5, 9)]
    fixed, count = apply_fixes(text, found)
    assert count == 1
    assert "ONBUILD RUN pip install --no-cache-dir --exists-action w -r requirements.txt\n" in fixed
    assert "DW301" not in codes(fixed)


# -- a global ARG read in a RUN of a stage that never declares it is empty there -------------------

GLOBAL_ARG = (
    'ARG PIP_OPTIONS="--no-cache-dir"\n'
    "ARG BASE=python:3.13.1-slim\n"
    "FROM ${BASE} AS build\n"
    "RUN pip install $PIP_OPTIONS -r requirements.txt && echo $HTTP_PROXY $BASE\n"
    "FROM ${BASE}\n"
    "ARG PIP_OPTIONS\n"
    "RUN pip install ${PIP_OPTIONS} -r requirements.txt\n"
)


def test_global_arg_not_declared_in_the_stage_is_reported_once_with_a_fix() -> None:
    found = [f for f in lint_text(GLOBAL_ARG) if f.code == "DW610"]
    # the second stage declares it; $BASE is used in FROM (the base may set it); proxies are passed
    assert [(f.span.line, f.message.split(" ")[0]) for f in found] == [(4, "$PIP_OPTIONS")]
    assert found[0].fix is not None and found[0].fix.applicability.value == "unsafe"
    fixed, count = apply_fixes(GLOBAL_ARG, found, unsafe=True)
    assert count == 1
    assert "FROM ${BASE} AS build\nARG PIP_OPTIONS\nRUN pip install" in fixed
    assert "DW610" not in codes(fixed)


def test_global_arg_fix_keeps_crlf() -> None:
    text = GLOBAL_ARG.replace("\n", "\r\n")
    fixed, _ = apply_fixes(text, [f for f in lint_text(text) if f.code == "DW610"], unsafe=True)
    assert "FROM ${BASE} AS build\r\nARG PIP_OPTIONS\r\nRUN" in fixed


def test_global_arg_set_by_the_script_or_an_inherited_env_is_in_scope() -> None:
    base = 'ARG OPTS="-q"\nFROM python:3.13.1-slim AS base\n'
    assert "DW610" not in codes(base + "ENV OPTS=$OPTS\nFROM base\nRUN pip $OPTS --version\n")
    assert "DW610" not in codes(base + "RUN OPTS=-v; pip $OPTS --version\n")
    assert "DW610" not in codes(base + "RUN for OPTS in a b; do echo $OPTS; done\n")


def test_global_arg_scope_is_what_expansion_reads() -> None:
    # the flags a global ARG holds do not reach an undeclared stage: uv sync there is not known locked
    text = 'ARG UV_FLAGS="--locked"\nFROM python:3.13.1-slim\nRUN uv sync $UV_FLAGS\n'
    assert "DW610" in codes(text)
    declared = text.replace("RUN uv sync", "ARG UV_FLAGS\nRUN uv sync")
    assert "DW304" not in codes(declared) and "DW610" not in codes(declared)


# -- apt-mark auto + purge --auto-remove removes the whole toolchain (the official images' way) ----

AUTO_REMOVE = (
    "FROM debian:trixie-slim\n"
    'RUN set -eux; saved="$(apt-mark showmanual)"; apt-get update;'
    " apt-get install -y --no-install-recommends gcc libffi-dev python3-dev; \\\n"
    "    python3 -m pip --version; apt-mark auto '.*' > /dev/null; apt-mark manual $saved; \\\n"
    "    apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; apt-get dist-clean\n"
)


def test_apt_mark_auto_then_auto_remove_keeps_no_toolchain() -> None:
    assert "DW205" not in codes(AUTO_REMOVE)
    # without the auto-removing purge, the toolchain stays
    assert "DW205" in codes(AUTO_REMOVE.replace("purge -y --auto-remove", "purge -y"))


# -- the last stage of a multi-target file can be its dev/CI target --------------------------------

TARGETS = (
    "FROM python:3.13.1-slim AS base\nRUN pip install --no-cache-dir poetry==2.1.1\n"
    'FROM base AS web\nRUN poetry install --only main\nUSER 10001:10001\nCMD ["gunicorn", "app:app"]\n'
    "FROM base AS dev\nRUN poetry install\n"
    "FROM dev AS ci\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential"
    " && rm -rf /var/lib/apt/lists/*\nUSER 10001:10001\n"
)


def test_final_dev_or_ci_target_gets_no_runtime_only_advice() -> None:
    found = codes(TARGETS)
    assert "DW306" not in found and "DW204" not in found
    # the same stages named as a runtime keep both findings
    runtime = TARGETS.replace("AS dev", "AS app").replace("FROM dev AS ci", "FROM app AS release")
    assert {"DW306", "DW204"} <= set(codes(runtime))


def test_bare_copy_source_names_the_build_context_possibility() -> None:
    text = "FROM python:3.13.1-slim AS app\nFROM app AS plugin\nCOPY --from=plugin-src . /opt/plugin\n"
    [message] = [f.message for f in lint_text(text) if f.code == "DW106"]
    assert "--build-context plugin-src=" in message and "pin a version" in message
    uv = "FROM python:3.13.1-slim\nCOPY --from=ghcr.io/astral-sh/uv /uv /bin/uv\n"
    assert [
        f.message.startswith("`ghcr.io/astral-sh/uv` is an image") for f in lint_text(uv) if f.code == "DW106"
    ] == [True]


# -- an apt-get install inside a heredoc or on a continuation line is reported on its own line -----


def test_apt_findings_point_at_each_install_line() -> None:
    text = (
        "FROM python:3.13.1-slim\n"
        "RUN <<EOF\n"
        "apt-get update\n"
        "apt-get install -y git\n"
        "apt-get install -y curl\n"
        "rm -rf /var/lib/apt/lists/*\n"
        "EOF\n"
        "RUN apt-get update \\\n"
        "    && apt-get install -y make \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
    )
    found = [f for f in lint_text(text) if f.code == "DW201"]
    assert [(f.span.line, f.span.column) for f in found] == [(4, 1), (5, 1), (9, 8)]
    fixed, count = apply_fixes(text, found, unsafe=True)
    assert count == 1 and "&& apt-get install --no-install-recommends -y make" in fixed
    # on the RUN's own line, the finding stays at the instruction (as every rule reports)
    one_line = "FROM python:3.13.1-slim\nRUN apt-get update && apt-get install -y make\n"
    assert [(f.span.line, f.span.column) for f in lint_text(one_line) if f.code == "DW201"] == [(2, 1)]
    crlf = text.replace("\n", "\r\n")
    assert [(f.span.line, f.span.end_column) for f in lint_text(crlf) if f.code == "DW201"] == [
        (4, 23),
        (5, 24),
        (9, 33),
    ]


# -- options and packages kept in a stage's ARG are read with their default -------------------------


def test_options_in_a_stage_arg_count_and_packages_there_are_checked() -> None:
    text = (
        "FROM python:3.13.1-slim\n"
        'ARG APT_OPTIONS="--no-install-recommends --yes"\n'
        'ARG PIP_PACKAGES="flask gunicorn==23.0.0"\n'
        "RUN apt-get update && apt-get install $APT_OPTIONS tini && rm -rf /var/lib/apt/lists/*\n"
        "RUN pip install --no-cache-dir $PIP_PACKAGES\n"
    )
    found = {f.code: f.message for f in lint_text(text)}
    assert "DW201" not in found and "DW206" not in found
    assert found["DW303"].startswith("unpinned: flask (with the ARG/ENV defaults);")
    # a value the stage does not know (a global ARG never declared there) is left alone
    unknown = 'ARG PIP_PACKAGES="flask"\n' + text.replace('ARG PIP_PACKAGES="flask gunicorn==23.0.0"\n', "")
    assert "DW303" not in codes(unknown)


def test_fix_of_an_expanded_call_edits_what_is_written() -> None:
    text = 'FROM python:3.13.1-slim\nARG APT_OPTIONS="--yes"\nRUN apt-get install $APT_OPTIONS tini\n'
    found = [f for f in lint_text(text) if f.code == "DW201"]
    fixed, count = apply_fixes(text, found, unsafe=True)
    assert count == 1 and "RUN apt-get install --no-install-recommends $APT_OPTIONS tini\n" in fixed


def test_utf16_dockerfile_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes("FROM python:3.13.1-slim\r\nUSER 10001\r\n".encode("utf-16"))
    with pytest.raises(DockwrightError, match="UTF-16 text; Docker reads Dockerfiles as UTF-8"):
        lint_paths([path])


def test_shellcheck_next_to_the_interpreter_wins_over_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pipx and unactivated venvs: the extra's shellcheck sits beside python, not on PATH
    from dockwright.lint import shellcheck

    own = tmp_path / "bin" / "shellcheck"
    own.parent.mkdir()
    own.write_text("#!/bin/sh\n")
    own.chmod(0o755)
    monkeypatch.setattr(shellcheck.sys, "executable", str(tmp_path / "bin" / "python"))
    monkeypatch.setenv("PATH", "")
    shellcheck.shellcheck_path.cache_clear()
    try:
        assert shellcheck.shellcheck_path() == str(own)
        own.unlink()
        shellcheck.shellcheck_path.cache_clear()
        assert shellcheck.shellcheck_path() is None
    finally:
        shellcheck.shellcheck_path.cache_clear()


# -- a URL that follows a branch is as unpinned as a bare name --------------------------------------


@pytest.mark.parametrize(
    ("url", "moves"),
    [
        ("https://github.com/acme/plugin/archive/main.zip", True),
        ("https://github.com/acme/plugin/archive/refs/heads/master.tar.gz#egg=plugin", True),
        ("https://gitlab.com/acme/plugin/-/archive/main/plugin-main.zip", True),
        ("git+https://github.com/acme/plugin.git", True),
        ("git+ssh://git@github.com/acme/plugin.git@main#egg=plugin", True),
        ("https://github.com/acme/plugin/archive/v1.4.0.zip", False),
        ("git+ssh://git@github.com/acme/plugin.git@v1.4.0", False),
        ("git+https://github.com/acme/plugin.git@3f9c2a1b#egg=plugin", False),
        ("https://github.com/acme/plugin/archive/$PLUGIN_REF.zip", False),
        ("https://files.example.org/plugin-1.4.0.tar.gz", False),
    ],
)
def test_branch_urls_are_unpinned(url: str, moves: bool) -> None:
    text = f"FROM python:3.13.1-slim\nRUN pip install --no-cache-dir {url}\n"
    messages = [f.message for f in lint_text(text) if f.code == "DW303"]
    assert bool(messages) is moves
    assert all(m.endswith("; name a tag or commit in a URL") for m in messages)


# -- one ShellCheck process per dialect for a whole run ---------------------------------------------


def _count_shellcheck_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The argument lists of the ShellCheck processes started from now on (each still runs)."""
    from dockwright.lint import shellcheck

    calls: list[list[str]] = []
    real_popen = shellcheck.subprocess.Popen

    def counting_popen(args: list[str], **kwargs: object) -> object:
        calls.append(args)
        return real_popen(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(shellcheck.subprocess, "Popen", counting_popen)
    return calls


@pytest.mark.skipif(shellcheck_path() is None, reason="ShellCheck not installed")
def test_a_run_over_many_dockerfiles_asks_shellcheck_once_per_dialect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    bodies = {
        "a": "FROM python:3.13.1-slim\nRUN echo $HOME\n",
        "b": 'FROM python:3.13.1-slim\nSHELL ["/bin/bash", "-c"]\nRUN echo $PATH && cd /tmp\n',
        "c": "FROM python:3.13.1-alpine3.21\nRUN echo $HOME\n",
    }
    paths = []
    for name, body in bodies.items():
        (tmp_path / name).mkdir()
        paths.append(tmp_path / name / "Dockerfile")
        paths[-1].write_text(body)
    alone = [
        (f.path, f.span, f.message) for p in paths for f in lint_paths([p]).findings if f.code == "DW801"
    ]
    calls = _count_shellcheck_runs(monkeypatch)
    together = [(f.path, f.span, f.message) for f in lint_paths(paths).findings if f.code == "DW801"]
    assert together == alone and len(alone) >= 3
    assert sorted(a[2] for a in calls) == ["--shell=bash", "--shell=busybox", "--shell=sh"]


@pytest.mark.skipif(shellcheck_path() is None, reason="ShellCheck not installed")
def test_a_large_run_shares_a_dialect_over_the_cores_with_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dockwright.lint import shellcheck

    paths = []
    for index in range(2 * shellcheck.FILES_PER_PROCESS):
        (tmp_path / f"p{index}").mkdir()
        paths.append(tmp_path / f"p{index}" / "Dockerfile")
        paths[-1].write_text(f"FROM python:3.13.1-slim\nRUN echo $HOME{index} && cd /tmp\n")
    monkeypatch.setattr(shellcheck, "_cores", lambda: 1)
    one = [(f.path, f.span, f.message) for f in lint_paths(paths).findings if f.code == "DW801"]
    calls = _count_shellcheck_runs(monkeypatch)
    monkeypatch.setattr(shellcheck, "_cores", lambda: 4)
    shared = [(f.path, f.span, f.message) for f in lint_paths(paths).findings if f.code == "DW801"]
    assert shared == one and len(one) >= 2 * len(paths)
    assert len(calls) == 2  # 48 files: two shares of 24, not four of 12
    assert sorted(len(a) for a in calls) == [4 + shellcheck.FILES_PER_PROCESS] * 2


def test_shares_are_interleaved_and_never_smaller_than_the_minimum() -> None:
    from dockwright.lint.shellcheck import FILES_PER_PROCESS, _shares

    files = [f"f{i}" for i in range(3 * FILES_PER_PROCESS + 5)]
    assert _shares(files[:5], 8) == [files[:5]]
    shares = _shares(files, 2)
    assert len(shares) == 2 and sorted(f for s in shares for f in s) == sorted(files)
    assert shares[0][:2] == ["f0", "f2"]
    assert len(_shares(files, 8)) == 3


def test_pipenv_dev_install_is_flagged_in_the_shipped_image_only() -> None:
    text = (
        "FROM python:3.12.8-slim AS test\nRUN pipenv install --system --dev --deploy\n"
        "FROM python:3.12.8-slim\nRUN pipenv install --system -d --deploy\n"
    )
    found = [f for f in lint_text(text) if f.code == "DW307"]
    assert [f.span.line for f in found] == [4] and "--dev` in the final image" in found[0].message


def test_uv_sync_without_a_lock_asks_for_one_and_offers_no_locked_fix(tmp_path: Path) -> None:
    (tmp_path / "docker").mkdir()
    dockerfile = tmp_path / "docker" / "Dockerfile"
    dockerfile.write_text("FROM python:3.12.8-slim\nRUN uv sync\n")
    found = [f for f in lint_paths([dockerfile]).findings if f.code == "DW304"]
    assert len(found) == 1 and found[0].fix is None and "commit one (`uv lock`)" in found[0].message
    (tmp_path / "uv.lock").write_text("version = 1\n")
    found = [f for f in lint_paths([dockerfile]).findings if f.code == "DW304"]
    assert len(found) == 1 and found[0].fix is not None


@pytest.mark.parametrize(
    ("run", "flagged"),
    [
        ("RUN pip install rich>=13 click", True),
        ("RUN uv pip install --system 'click==8.1.7' numpy<2", True),
        ('RUN pip install "foo>=1" && echo foo>=1', False),  # the unquoted one is echo's
        ("RUN pip install --upgrade pip>/dev/null", False),  # a redirect meant as one
        ('RUN ["pip", "install", "rich>=13"]', False),  # exec form: no shell
    ],
)
def test_dw311_flags_only_a_version_comparison_the_shell_reads(run: str, flagged: bool) -> None:
    found = [f for f in lint_text(f"FROM python:3.12.8-slim\n{run}\n") if f.code == "DW311"]
    assert bool(found) is flagged
