"""Tests for the RUN shell helpers."""

from __future__ import annotations

from dockwright.dockerfile import parse
from dockwright.dockerfile.shell import run_script, shell_commands, shell_commands_with_spans


def test_split_on_operators_respecting_quotes() -> None:
    assert shell_commands(
        "apt-get update && apt-get install -y 'a && b' || true; echo \"x | y\" | tee f"
    ) == [
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "a && b"],
        ["true"],
        ["echo", "x | y"],
        ["tee", "f"],
    ]


def test_redirections_substitutions_and_comments() -> None:
    assert shell_commands("cmd 2>&1 >/dev/null & echo $(a && b) `c;d` # note && x\nnext") == [
        ["cmd", "2>&1", ">/dev/null"],
        ["echo", "$(a && b)", "`c;d`"],
        ["next"],
    ]


def test_tolerant_of_unbalanced_quotes() -> None:
    assert shell_commands("echo 'oops && more") == [["echo", "oops && more"]]
    assert shell_commands('echo "x') == [["echo", "x"]]
    assert shell_commands("echo $(unclosed") == [["echo", "$(unclosed"]]


def test_word_offsets() -> None:
    script = "pip  install 'x y'"
    words = shell_commands_with_spans(script)[0]
    assert [script[w.start : w.end] for w in words] == ["pip", "install", "'x y'"]


def test_run_script_forms() -> None:
    df = parse(
        "FROM a\n"
        "RUN pip install \\\n  flask\n"
        "RUN <<-EOF\n\tpip install x\n\tEOF\n"
        "RUN python3 <<EOF\nprint(1)\nEOF\n"
        'RUN ["sh", "-c", "pip install y"]\n'
        'RUN ["pip", "install", "z z"]\n'
        "ONBUILD RUN echo hi\n"
    )
    scripts = [run_script(i) for i in df.instructions[1:]]
    assert scripts == [
        "pip install   flask",
        "pip install x\n",
        "python3 <<EOF",
        "pip install y",
        "pip install 'z z'",
        "echo hi",
    ]
