"""Unit tests for each feature of the Dockerfile parser."""

from __future__ import annotations

from pathlib import Path

from dockwright.dockerfile import Dockerfile, parse


def sl(df: Dockerfile, span: object) -> str:
    return df.text[span.start : span.end]  # type: ignore[attr-defined]


def test_spans_of_instruction_flags_and_arguments() -> None:
    text = "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\n"
    df = parse(text)
    run = df.instructions[1]
    assert run.keyword == "RUN"
    assert sl(df, run.span) == "RUN --mount=type=cache,target=/root/.cache pip install flask"
    assert (run.span.line, run.span.column, run.span.end_line) == (2, 1, 2)
    assert sl(df, run.keyword_span) == "RUN"
    mount = run.flag("mount")
    assert mount is not None
    assert (mount.name, mount.value) == ("mount", "type=cache,target=/root/.cache")
    assert sl(df, mount.span) == "--mount=type=cache,target=/root/.cache"
    assert mount.value_span is not None and sl(df, mount.value_span) == "type=cache,target=/root/.cache"
    assert sl(df, run.args_span) == "pip install flask"
    assert run.value == "pip install flask"
    assert run.arguments == ("pip", "install", "flask")
    assert [sl(df, s) for s in run.argument_spans] == ["pip", "install", "flask"]
    assert run.args_span.column == 44


def test_several_flags_and_flags_named() -> None:
    df = parse("FROM a\nRUN --mount=type=cache,target=/a --mount=type=secret,id=t --network=none true\n")
    run = df.instructions[1]
    assert [f.value for f in run.flags_named("mount")] == ["type=cache,target=/a", "type=secret,id=t"]
    assert run.flag("network") is not None and run.flag("network").value == "none"  # type: ignore[union-attr]
    assert run.flag("missing") is None


def test_copy_flags_boolean_link() -> None:
    df = parse("FROM a\nCOPY --from=build --chown=1000:1000 --link /src /dst\n")
    copy = df.instructions[1]
    assert [(f.name, f.value) for f in copy.flags] == [
        ("from", "build"),
        ("chown", "1000:1000"),
        ("link", None),
    ]
    assert copy.arguments == ("/src", "/dst")


def test_directives_only_at_top() -> None:
    df = parse(
        "# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM a\n# escape=\\\nRUN a `\n  b\n"
    )
    assert [(d.name, d.value) for d in df.directives] == [
        ("syntax", "docker/dockerfile:1"),
        ("escape", "`"),
        ("check", "skip=all"),
    ]
    assert df.escape == "`"
    assert df.instructions[1].value == "a   b"
    assert [c.text for c in df.comments] == ["escape=\\"]


def test_directive_after_comment_is_a_comment() -> None:
    df = parse("# hello\n# escape=`\nFROM a\n")
    assert df.directives == ()
    assert df.escape == "\\"
    assert [c.text for c in df.comments] == ["hello", "escape=`"]
    assert [c.text for c in df.instructions[0].comments] == ["hello", "escape=`"]


def test_invalid_and_duplicate_escape_are_errors() -> None:
    assert "invalid escape" in parse("# escape=x\nFROM a\n").errors[0].message
    assert "only one escape" in parse("# escape=`\n# escape=`\nFROM a\n").errors[0].message


def test_continuation_with_comments_and_empty_lines() -> None:
    text = "FROM a\nRUN apt-get update \\\n  # why\n\n  && apt-get install -y curl\nUSER 1\n"
    df = parse(text)
    run = df.instructions[1]
    assert run.value == "apt-get update   && apt-get install -y curl"
    assert (run.span.line, run.span.end_line) == (2, 5)
    assert [c.text for c in run.inner_comments] == ["why"]
    assert run.empty_continuation_lines == (4,)
    assert df.instructions[2].keyword == "USER"


def test_escaped_escape_is_not_a_continuation() -> None:
    df = parse("FROM a\nRUN echo \\\\\nUSER x\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "USER"]


def test_backtick_escape_continuation_keeps_backslashes() -> None:
    df = parse("# escape=`\nFROM a\nRUN dir C:\\ `\n  && echo x\n")
    assert df.instructions[1].value == "dir C:\\   && echo x"


def test_heredocs() -> None:
    text = 'FROM a\nCOPY <<EOF <<-"E2" /dst/\nhello\nEOF\n\ttabbed\n\tE2\nRUN <<EOF\nset -e\nEOF\n'
    df = parse(text)
    copy, run = df.instructions[1], df.instructions[2]
    assert [(h.delimiter, h.content, h.strip_tabs, h.quoted) for h in copy.heredocs] == [
        ("EOF", "hello\n", False, False),
        ("E2", "\ttabbed\n", True, True),
    ]
    assert copy.heredocs[1].effective_content == "tabbed\n"
    assert (copy.span.line, copy.span.end_line) == (2, 6)
    assert sl(df, copy.heredocs[0].span) == "hello\nEOF"
    assert copy.heredocs[1].opener_span is not None and sl(df, copy.heredocs[1].opener_span) == '<<-"E2"'
    assert run.heredocs[0].content == "set -e\n"
    assert sl(df, run.span) == "RUN <<EOF\nset -e\nEOF"


def test_unterminated_heredoc_is_an_error_not_an_exception() -> None:
    df = parse("FROM a\nRUN <<EOF\necho\n")
    assert df.errors and "unterminated heredoc" in df.errors[0].message
    assert df.errors[0].span.line == 2
    assert not df.instructions[1].heredocs[0].terminated


def test_heredoc_in_quotes_or_json_is_not_a_heredoc() -> None:
    df = parse("FROM a\nRUN echo '<<EOF'\nRUN [\"<<EOF\"]\n")
    assert df.instructions[1].heredocs == () and df.instructions[2].heredocs == ()


def test_json_and_shell_forms() -> None:
    df = parse('FROM a\nCMD ["a", "b"]\nCMD ["a", ]\nENTRYPOINT exec x\nCMD ["a"] trailing\nVOLUME ["/d"]\n')
    cmd, bad, ep, trailing, vol = df.instructions[1:]
    assert cmd.json_form and cmd.arguments == ("a", "b")
    assert [sl(df, s) for s in cmd.argument_spans] == ['"a"', '"b"']
    assert not bad.json_form and bad.raw_values == ('["a", ]',)
    assert not ep.json_form and ep.arguments == ("exec", "x")
    assert trailing.json_form and trailing.arguments == ("a",)  # like BuildKit's json.Decoder
    assert vol.json_form and vol.arguments == ("/d",)


def test_json_array_of_non_strings_is_an_error() -> None:
    df = parse("FROM a\nCMD [1]\n")
    assert "strings only" in df.errors[0].message
    assert len(df.instructions) == 2


def test_arg_before_from_and_stages() -> None:
    text = (
        "ARG PY=3.12\nFROM python:${PY} AS Builder\nRUN x\n"
        "FROM --platform=linux/arm64 python:3.12-slim as final\nCOPY --from=builder /a /a\n"
    )
    df = parse(text)
    assert [a.arguments for a in df.global_args] == [("PY=3.12",)]
    assert df.global_args[0].stage_index == -1
    assert df.global_args[0].pairs == (("PY", "3.12"),)
    assert [(s.index, s.name, s.base_image, s.platform) for s in df.stages] == [
        (0, "builder", "python:${PY}", None),
        (1, "final", "python:3.12-slim", "linux/arm64"),
    ]
    assert df.stage_by_name("BUILDER") is df.stages[0]
    assert df.final_stage is df.stages[1]
    assert [i.keyword for i in df.stages[0].instructions] == ["RUN"]
    assert df.stages[1].instructions[0].stage_index == 1
    assert df.stages[1].from_instruction.keyword == "FROM"


def test_bad_from_arity_is_reported() -> None:
    df = parse("FROM a b\n")
    assert df.errors[0].message.startswith("FROM requires")


def test_onbuild_inner_instruction() -> None:
    df = parse("FROM a\nONBUILD RUN --mount=type=cache,target=/c pip install x\n")
    ob = df.instructions[1]
    assert ob.keyword == "ONBUILD" and ob.inner is not None
    assert ob.inner.keyword == "RUN"
    assert ob.inner.flag("mount") is not None
    assert ob.inner.value == "pip install x"
    assert sl(df, ob.inner.span) == "RUN --mount=type=cache,target=/c pip install x"
    assert ob.inner.stage_index == 0


def test_env_label_pairs() -> None:
    df = parse('FROM a\nENV A=1 B="two words"\nENV LEGACY some value\nLABEL a.b="x y"\n')
    env, legacy, label = df.instructions[1:]
    assert env.pairs == (("A", "1"), ("B", "two words"))
    assert env.raw_values == ("A", "1", "B", '"two words"')
    assert legacy.pairs == (("LEGACY", "some value"),)
    assert label.pairs == (("a.b", "x y"),)


def test_unknown_instruction_is_an_error_and_parsing_goes_on() -> None:
    df = parse("FROM a\nFOO bar\nRUN x\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "FOO", "RUN"]
    err = df.errors[0]
    assert err.message == "unknown instruction: FOO"
    assert (err.span.line, err.span.column) == (2, 1)


def test_comments_directly_above() -> None:
    df = parse("# far\n\n# hadolint ignore=DL3008\n# dockwright: ignore=DW1\nFROM a\n")
    assert [c.text for c in df.instructions[0].comments] == [
        "hadolint ignore=DL3008",
        "dockwright: ignore=DW1",
    ]


def test_lowercase_keyword_and_crlf() -> None:
    df = parse("from a as b\r\nrun echo \\\r\n  x\r\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    assert df.instructions[0].raw_keyword == "from"
    assert df.stages[0].name == "b"
    assert df.instructions[1].value == "echo   x"
    assert sl(df, df.instructions[1].span) == "run echo \\\r\n  x"


def test_empty_and_garbage_never_raise() -> None:
    for text in ["", "\n", "\\", "\ufeff", "[", '"', "<<EOF", "RUN <<", "FROM\n" * 3, "\x00\x01"]:
        parse(text)
    assert parse("").errors[0].message == "file with no instructions"


def test_fixtures_parse_without_exceptions(fixtures_dir: Path) -> None:
    for path in sorted(fixtures_dir.glob("*.Dockerfile")):
        df = parse(path.read_text(encoding="utf-8"), str(path))
        assert df.path == str(path)


def test_value_offsets_map_back_to_the_text() -> None:
    from dockwright.dockerfile.shell import shell_commands_with_spans

    text = "FROM a\nRUN apt-get update \\\n  # note\n    && pip install flask\n"
    df = parse(text)
    run = df.instructions[1]
    words = [w for cmd in shell_commands_with_spans(run.value) for w in cmd]
    pip = next(w for w in words if w.text == "pip")
    span = df.value_span(run, pip.start, pip.end)
    assert sl(df, span) == "pip"
    assert (span.line, span.column) == (4, 8)
    whole = df.value_span(run, 0, len(run.value))
    assert (whole.start, whole.end) == (run.args_span.start, run.args_span.end)
    assert df.span(0, 4) == run.span.__class__(0, 4, 1, 1, 1, 5)


def test_parse_file_tolerates_bad_bytes(tmp_path: Path) -> None:
    from dockwright.dockerfile import parse_file

    path = tmp_path / "Dockerfile"
    path.write_bytes(b"\xef\xbb\xbfFROM a\nRUN echo \xff\n")
    df = parse_file(path)
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    assert df.instructions[1].value == "echo \ufffd"
    assert df.path == str(path)


def test_heredoc_opener_spans_follow_each_other() -> None:
    df = parse("FROM a\nRUN echo x<<EOF; cat <<EOF\nbody\nEOF\n")
    hd = df.instructions[1].heredocs
    assert len(hd) == 1 and hd[0].opener_span is not None
    assert hd[0].opener_span.start == df.text.index("<<EOF\nbody")
