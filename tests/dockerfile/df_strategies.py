"""Hypothesis strategies producing Dockerfile-like text (ASCII)."""

from __future__ import annotations

from hypothesis import strategies as st

KEYWORDS = [
    "FROM",
    "RUN",
    "CMD",
    "ENTRYPOINT",
    "COPY",
    "ADD",
    "ENV",
    "ARG",
    "LABEL",
    "EXPOSE",
    "USER",
    "WORKDIR",
    "VOLUME",
    "SHELL",
    "HEALTHCHECK",
    "ONBUILD",
    "STOPSIGNAL",
    "MAINTAINER",
]

WORDS = st.sampled_from(
    [
        "a",
        "b=c",
        'x="y z"',
        "'q w'",
        "$HOME",
        "${A:-b}",
        "&&",
        "||",
        ";",
        "|",
        "/app",
        ".",
        "pip",
        "install",
        "-r",
        "req.txt",
        "AS",
        "as",
        "stage1",
        "python:3.12",
        "NONE",
        "CMD",
        "k=",
        '"a"',
        "1000:1000",
        "80/tcp",
        "--",
        "-y",
        "<<EOF",
        "<<-EOF",
        "<<'EOF'",
        '<<"E2"',
        "a\\ b",
        '"x\\"y"',
        "'it'\\''s'",
        "=",
        "==",
        "`x",
        "a`",
        '["j"]',
        "\\\\",
        '--f="a b"',
    ]
)
FLAGS = st.sampled_from(
    [
        "--mount=type=cache,target=/root/.cache",
        "--mount=type=secret,id=x",
        "--from=builder",
        "--chown=1:1",
        "--link",
        "--platform=linux/amd64",
        "--network=none",
        '--mount="type=bind,source=a b"',
        "--interval=5s",
    ]
)
JSON = st.lists(st.sampled_from(['"a"', '"b c"', '"-c"', '"\\u0041"', "1", '""']), max_size=4).map(
    lambda items: "[" + ", ".join(items) + "]"
) | st.sampled_from(["[", '["a",]', "[]", '[ "x" ]', "['a']"])


@st.composite
def instruction(draw: st.DrawFn, escape: str) -> str:
    kw = draw(st.sampled_from(KEYWORDS))
    if draw(st.booleans()):
        kw = kw.lower()
    if kw.upper() == "ONBUILD":
        kw = kw + " " + draw(st.sampled_from(["RUN", "COPY", "ENV", "CMD"]))
    parts = [kw]
    parts += draw(st.lists(FLAGS, max_size=2))
    if draw(st.integers(0, 4)) == 0:
        parts.append(draw(JSON))
    else:
        parts += draw(st.lists(WORDS, max_size=5))
    pieces: list[str] = []
    for p in parts:
        pieces.append(p)
        sep = draw(st.sampled_from([" ", " ", " ", "  ", "\t", "cont"]))
        if sep == "cont":
            trailing = draw(st.sampled_from(["", " ", "\t "]))
            pieces.append(" " + escape + trailing + "\n")
            for extra in draw(st.lists(st.sampled_from(["", "   ", "# inner comment", "  #x"]), max_size=2)):
                pieces.append(extra + "\n")
            pieces.append(draw(st.sampled_from(["", "  ", "\t"])))
        else:
            pieces.append(sep)
    text = "".join(pieces).rstrip(" \t")
    body = ""
    names = [w for w in parts if w.startswith("<<")]
    if names and kw.upper() in ("RUN", "COPY", "ADD"):
        for opener in names:
            name = opener.lstrip("<-").strip("'\"")
            lines = draw(
                st.lists(st.sampled_from(["echo hi", "\techo tab", "", "  x \\", "EOFX"]), max_size=3)
            )
            term = ("\t" if opener.startswith("<<-") and draw(st.booleans()) else "") + name
            body += "".join(line + "\n" for line in lines) + term + "\n"
    return text + "\n" + body


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    header = draw(
        st.lists(
            st.sampled_from(
                ["# syntax=docker/dockerfile:1", "# escape=`", "# escape=\\", "#escape = `", "# note"]
            ),
            max_size=2,
            unique=True,
        )
    )
    escape = "\\"
    for line in header:
        if line.startswith("# note"):
            break
        if "escape" in line:
            escape = line.rsplit("=", 1)[1].strip()
    out = [h + "\n" for h in header]
    if draw(st.booleans()):
        out.append("ARG BASE=python:3.12\n")
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            out.append("\n")
        elif kind == 1:
            out.append(draw(st.sampled_from(["# comment\n", "  # indented\n", "#\n"])))
        else:
            out.append(draw(instruction(escape)))
    text = "".join(out)
    if draw(st.booleans()):
        text = text.rstrip("\n")
    if draw(st.integers(0, 5)) == 0:
        text = text.replace("\n", "\r\n")
    return text
