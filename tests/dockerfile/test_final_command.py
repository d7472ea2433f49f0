"""final_command: the final stage's ENTRYPOINT, CMD and WORKDIR as BuildKit resolves them."""

from __future__ import annotations

from dockwright.dockerfile.final_command import final_command
from dockwright.dockerfile.parser import parse


def test_inherited_through_named_stages_with_workdir() -> None:
    text = (
        'FROM python:3.13-slim AS base\nWORKDIR /srv\nCMD ["python", "run.py"]\n'
        "FROM base AS app\nWORKDIR app\n"
    )
    command = final_command(parse(text))
    assert command is not None
    assert command.argv == ("python", "run.py")
    assert command.workdir == "/srv/app"
    assert command.instruction is not None and command.instruction.span.line == 3


def test_entrypoint_resets_only_an_inherited_cmd() -> None:
    inherited = final_command(parse('FROM x AS a\nCMD ["serve"]\nFROM a\nENTRYPOINT ["tool"]\n'))
    assert inherited is not None and inherited.argv == ("tool",)
    same_stage = final_command(parse('FROM x\nCMD ["serve"]\nENTRYPOINT ["tool"]\n'))
    assert same_stage is not None and same_stage.argv == ("tool", "serve")


def test_an_image_base_starts_empty_and_shell_forms_split() -> None:
    command = final_command(parse("FROM other/image\nCMD python -m pkg --flag 'a b'\n"))
    assert command is not None
    assert command.argv == ("python", "-m", "pkg", "--flag", "a b")
    assert command.workdir == "/"


def test_unknown_without_stage_or_with_an_unsplittable_shell_form() -> None:
    assert final_command(parse("")) is None
    assert final_command(parse("FROM x\nCMD python 'unclosed\n")) is None
    nothing = final_command(parse("FROM x\nRUN true\n"))
    assert nothing is not None and nothing.argv == () and nothing.instruction is None


def test_tcp_ports_exposed_through_the_stages() -> None:
    text = (
        "FROM python:3.13-slim AS base\nEXPOSE 8080/tcp 53/udp\n"
        'FROM base\nEXPOSE $PORT 9000 "8080"\nCMD ["python", "run.py"]\n'
    )
    command = final_command(parse(text))
    assert command is not None
    assert [(port, e.span.line) for port, e in command.exposed] == [(8080, 2), (9000, 4)]
    other = final_command(parse("FROM python:3.13-slim AS build\nEXPOSE 5000\nFROM python:3.13-slim\n"))
    assert other is not None and other.exposed == ()  # a stage the final one is not built FROM
