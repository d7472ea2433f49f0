"""Recognise package-manager invocations in RUN scripts by parsing commands, never by grepping.

``pip install x``, ``pip3.11 install``, ``/usr/local/bin/pip install``, ``python -m pip install``,
``python3.11 -m pip install`` and ``uv pip install`` are all pip installs; ``pipx install``,
``pip download`` and ``uv pip compile`` are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from dockwright.dockerfile.shell import run_script, shell_commands
from dockwright.dockerfile.syntax import Instruction
from dockwright.python_program import PYTHON_PROGRAM

_PIP = re.compile(r"^pip(3(\.\d+)?)?$")
_WRAPPERS = {"sudo", "exec", "env", "time", "nice", "command"}


@dataclass(frozen=True)
class Call:
    """One invocation: the tool (pip, uv, uv-pip, apt-get, apt, apt-mark, apk, poetry, pipenv, pdm) and its
    words."""

    tool: str
    subcommand: str
    args: tuple[str, ...]
    #: options written before the subcommand (``apt-get -y --no-install-recommends install``)
    options: tuple[str, ...] = ()
    #: the call as written, when this one has its ``$VARIABLES`` expanded (fixes edit what is written)
    written: Call | None = field(default=None, compare=False, repr=False)

    @property
    def as_written(self) -> Call:
        return self.written or self

    def has(self, *options: str) -> bool:
        """Does any argument, before or after the subcommand, equal one of ``options`` (or ``option=...``)?"""
        return any(a == o or a.startswith(o + "=") for a in self.options + self.args for o in options)

    def has_short(self, letter: str) -> bool:
        """Is the one-letter option ``-<letter>`` given, alone or bundled (``-qy``)?"""
        return any(
            a.startswith("-") and not a.startswith("--") and letter in a[1:] for a in self.options + self.args
        )

    def value_of(self, *options: str) -> list[str]:
        values = []
        words = self.options + self.args
        for index, arg in enumerate(words):
            for option in options:
                if arg == option and index + 1 < len(words):
                    values.append(words[index + 1])
                elif arg.startswith(option + "="):
                    values.append(arg.split("=", 1)[1])
        return values

    def positionals(self, takes_value: frozenset[str] = frozenset()) -> list[str]:
        out: list[str] = []
        skip = False
        for arg in self.args:
            if skip:
                skip = False
                continue
            if arg.startswith("-"):
                skip = arg in takes_value
                continue
            out.append(arg)
        return out


def _strip(words: list[str]) -> list[str]:
    """Drop leading ``VAR=value`` assignments and wrappers such as ``sudo``/``exec``."""
    index = 0
    while index < len(words) and (
        ("=" in words[index] and not words[index].startswith("-")) or words[index] in _WRAPPERS
    ):
        index += 1
    return words[index:]


#: options that take a separate value when written before a subcommand (apt's ``-o``, uv's
#: ``--directory``, poetry's ``-C``, apk's ``-X``): their value is not the subcommand
_GLOBAL_VALUE_OPTIONS = frozenset(
    {"-o", "-c", "-t", "--target-release", "--directory", "--project", "-C", "-P", "-X", "--repository"}
    | {"--root", "-p", "--python", "--cache-dir", "--config-file", "--config", "--venv"}
)


def _subcommand(args: list[str]) -> tuple[str, list[str], list[str]]:
    """The subcommand, the words after it and the options before it."""
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg.startswith("-"):
            skip = arg in _GLOBAL_VALUE_OPTIONS
            continue
        return arg, args[index + 1 :], args[:index]
    return "", [], args


# the interpreter's own options (`python3 -B -m pip`): flags, and the two that take a value
_PYTHON_FLAGS = re.compile(r"^-[bBdEhiIOqsSuvVxP]+$")
_PYTHON_VALUED = ("-X", "-W")


def _without_interpreter_options(rest: list[str]) -> list[str]:
    """The words after ``python``'s own options (``-B``, ``-OO``, ``-X utf8``, ``-Wignore``), so ``-m`` is
    found after them."""
    index = 0
    while index < len(rest):
        word = rest[index]
        if word in _PYTHON_VALUED:
            index += 2
        elif word.startswith(_PYTHON_VALUED) or _PYTHON_FLAGS.match(word):
            index += 1
        else:
            break
    return rest[index:]


def classify(words: list[str]) -> Call | None:
    words = _strip(words)
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    rest = words[1:]
    if PYTHON_PROGRAM.match(program):
        rest = _without_interpreter_options(rest)
    if PYTHON_PROGRAM.match(program) and len(rest) >= 2 and rest[0] == "-m":
        module = rest[1]
        if module == "pip":
            sub, args, before = _subcommand(rest[2:])
            return Call("pip", sub, tuple(args), tuple(before))
        if module in ("uv", "poetry", "pipenv", "pdm"):
            program, rest = module, rest[2:]
    if _PIP.match(program):
        sub, args, before = _subcommand(rest)
        return Call("pip", sub, tuple(args), tuple(before))
    if program == "uv":
        sub, args, before = _subcommand(rest)
        if sub == "pip":
            inner, inner_args, inner_before = _subcommand(args)
            return Call("uv-pip", inner, tuple(inner_args), tuple(before + inner_before))
        return Call("uv", sub, tuple(args), tuple(before))
    if program in ("apt-get", "apt", "apt-mark", "apk", "poetry", "pipenv", "pdm"):
        sub, args, before = _subcommand(rest)
        return Call(program, sub, tuple(args), tuple(before))
    return None


def calls(instruction: Instruction) -> list[Call]:
    """Every recognised invocation in a RUN instruction (shell form, exec form or heredoc)."""
    if instruction.keyword != "RUN":
        return []
    return calls_in(shell_commands(run_script(instruction)))


def calls_in(commands: Iterable[list[str]]) -> list[Call]:
    """The recognised invocations among simple commands (as :func:`shell_commands` splits them)."""
    found = []
    for words in commands:
        call = classify(words)
        if call is not None:
            found.append(call)
    return found


def is_pip_install(call: Call) -> bool:
    return call.tool in ("pip", "uv-pip") and call.subcommand == "install"


def installs_dependencies(call: Call) -> bool:
    """A dependency install step (what should come before the source copy)."""
    if is_pip_install(call):
        return True
    if call.tool == "pip" and call.subcommand == "wheel":
        return True
    return (call.tool, call.subcommand) in {
        ("uv", "sync"),
        ("poetry", "install"),
        ("pipenv", "install"),
        ("pipenv", "sync"),
        ("pdm", "install"),
        ("pdm", "sync"),
    }


_PACKAGE_VALUE_OPTIONS = frozenset({"-o", "-t", "--target-release", "--virtual", "-X", "--repository"})


def removed_packages(found: list[Call]) -> set[str]:
    """The OS packages (and apk virtual names) these invocations remove again."""
    removed: set[str] = set()
    for call in found:
        if (call.tool in ("apt-get", "apt") and call.subcommand in ("purge", "remove", "autoremove")) or (
            call.tool == "apk" and call.subcommand == "del"
        ):
            removed.update(p.split("=", 1)[0] for p in call.positionals(_PACKAGE_VALUE_OPTIONS))
    return removed


def _apt_auto_removes_all(found: list[Call]) -> bool:
    """``apt-mark auto '.*'`` then ``apt-get purge --auto-remove`` (or ``autoremove``): the official
    python images' way of removing every package the RUN installed but those marked manual again."""
    marked = any(c.tool == "apt-mark" and c.subcommand == "auto" for c in found)
    return marked and any(
        c.tool in ("apt-get", "apt")
        and (c.subcommand == "autoremove" or (c.subcommand in ("purge", "remove") and c.has("--auto-remove")))
        for c in found
    )


def packages_kept(found: list[Call]) -> list[str]:
    """:func:`installed_packages` minus those the same RUN removes (apt-get purge, apk del of a --virtual,
    every apt package after ``apt-mark auto`` and an auto-removing purge)."""
    if _apt_auto_removes_all(found):
        found = [c for c in found if c.tool not in ("apt-get", "apt")]
    removed = removed_packages(found)
    if not removed:
        return installed_packages(found)
    kept: list[str] = []
    for call in found:
        virtual = set(call.value_of("--virtual", "-t")) if call.tool == "apk" else set()
        if call.subcommand == "add" and virtual & removed:
            continue  # the whole virtual package is deleted again
        kept += [p for p in installed_packages([call]) if p.split("=", 1)[0] not in removed]
    return kept


def installed_packages(found: list[Call]) -> list[str]:
    """The OS packages that ``apt-get install`` / ``apt install`` / ``apk add`` invocations name."""
    packages: list[str] = []
    for call in found:
        if (call.tool in ("apt-get", "apt") and call.subcommand == "install") or (
            call.tool == "apk" and call.subcommand == "add"
        ):
            packages += call.positionals(_PACKAGE_VALUE_OPTIONS)
    return packages
