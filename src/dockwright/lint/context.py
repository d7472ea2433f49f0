"""LintContext: the parsed Dockerfile and what rules ask of it (stages, env, user, ignores, project)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dockwright.dockerfile.from_args import resolved_image
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.dockerfile.shell import ShellWord, run_script, shell_commands_with_spans
from dockwright.dockerfile.syntax import Dockerfile, Instruction, Span, Stage
from dockwright.lint.commands import Call, calls_in
from dockwright.lint.project import ProjectDeps
from dockwright.lint.pythonic import installs_python, python_image, runs_python_program
from dockwright.lint.rule import Edit, Fix
from dockwright.lint.windows import windows_image, windows_shell

WEB_SERVERS = frozenset(
    {"gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve", "streamlit", "granian"}
)


#: stage-name words that make a target a development/test/CI image rather than the runtime one
_DEV_TARGET_WORDS = frozenset(
    {
        "dev",
        "devel",
        "develop",
        "development",
        "devcontainer",
        "test",
        "tests",
        "testing",
        "ci",
        "lint",
        "debug",
    }
)


@dataclass(frozen=True)
class LintContext:
    dockerfile: Dockerfile
    path: str
    dockerignore: DockerIgnore | None = None
    dockerignore_path: str | None = None
    context_dir: Path | None = None  # the build context (the Dockerfile's folder) when linting a file on disk
    project: ProjectDeps | None = None
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def text(self) -> str:
        return self.dockerfile.text

    @property
    def final(self) -> Stage | None:
        return self.dockerfile.final_stage

    def line_span(self, instruction: Instruction) -> Span:
        """The instruction's first line (what a finding about the whole instruction points at)."""
        span = instruction.span
        first_line_end = self.text.find("\n", span.start)
        end = span.end if first_line_end == -1 or first_line_end > span.end else first_line_end
        return self.dockerfile.span(span.start, end)

    def call_span(self, instruction: Instruction, call: Call, occurrence: int = 0) -> Span:
        """Where ``call`` (its ``occurrence``-th identical one) starts in a RUN, to the end of that line:
        a heredoc script's own line, a shell-form RUN's continuation line. The instruction's first line
        when the call is on it or cannot be placed (exec form, a ``<<-`` heredoc whose tabs were
        stripped)."""
        if instruction.json_form:
            return self.line_span(instruction)
        heredoc = instruction.heredocs[0] if instruction.heredocs else None
        script = run_script(instruction)
        if heredoc is not None and (script != heredoc.content or heredoc.strip_tabs):
            return self.line_span(instruction)  # a heredoc fed to a program, or tabs stripped
        seen = 0
        for command in self.shell_commands(script):
            if calls_in([[w.text for w in command]]) != [call.as_written]:
                continue
            if seen < occurrence:
                seen += 1
                continue
            start = (
                heredoc.span.start + command[0].start
                if heredoc is not None
                else instruction.source_offset(command[0].start)
            )
            if self.dockerfile.span(start, start + 1).line == instruction.span.line:
                break  # on the instruction's own line: reported there, as every rule does
            line_end = self.text.find("\n", start)
            end = len(self.text) if line_end == -1 else line_end
            end -= self.text[start:end].endswith("\r")
            return self.dockerfile.span(start, max(end, start + 1))
        return self.line_span(instruction)

    def ancestry(self, stage: Stage) -> list[Stage]:
        """The stage and the stages it is built FROM (by name), oldest first."""
        chain = [stage]
        seen = {stage.index}
        while True:
            parent = self.dockerfile.stage_by_name(chain[0].base_image)
            if parent is None or parent.index in seen or parent.index >= chain[0].index:
                return chain
            seen.add(parent.index)
            chain.insert(0, parent)

    def instructions_of(self, stage: Stage, *, inherited: bool = True) -> list[Instruction]:
        key = f"instructions:{stage.index}:{inherited}"
        if key not in self._cache:
            stages = self.ancestry(stage) if inherited else [stage]
            self._cache[key] = tuple(i for s in stages for i in s.instructions)
        cached: tuple[Instruction, ...] = self._cache[key]  # type: ignore[assignment]
        return list(cached)

    def env(self, stage: Stage) -> dict[str, str]:
        """ENV values in effect at the end of a stage (inherited through named parent stages)."""
        values: dict[str, str] = {}
        for instruction in self.instructions_of(stage):
            if instruction.keyword == "ENV":
                for key, value in instruction.pairs:
                    values[key] = value or ""
        return values

    def labels(self, stage: Stage) -> dict[str, str]:
        values: dict[str, str] = {}
        for instruction in self.instructions_of(stage):
            if instruction.keyword == "LABEL":
                for key, value in instruction.pairs:
                    values[key.strip("\"'")] = value or ""
        return values

    def last(self, stage: Stage, keyword: str) -> Instruction | None:
        found = [i for i in self.instructions_of(stage) if i.keyword == keyword]
        return found[-1] if found else None

    def last_before(self, stage: Stage, instruction: Instruction, keyword: str) -> Instruction | None:
        """The last ``keyword`` instruction in effect when ``instruction`` runs (inherited too)."""
        found = None
        for candidate in self.instructions_of(stage):
            if candidate is instruction:
                break
            if candidate.keyword == keyword:
                found = candidate
        return found

    @property
    def development_dockerfile(self) -> bool:
        """Is this a development image by its path (``.devcontainer/``, ``Dockerfile.dev``,
        ``dev.Dockerfile``, ``docker/development/``)? Dev dependencies and dev servers are its point."""
        parts = [p.lower() for p in re.split(r"[\\/]", self.path)]
        if any(p in (".devcontainer", "development", "dev") for p in parts[:-1]):
            return True
        return bool(re.search(r"(^|[._-])(dev|devel|development|devcontainer)([._-]|$)", parts[-1]))

    @property
    def development_image(self) -> bool:
        """Is the final image a development, test or CI one: by its path (:attr:`development_dockerfile`),
        or by the name of its final stage or a stage it is built FROM (``AS dev``, ``AS ci``, ``AS lint``,
        ``AS test``: the last target of a multi-target Dockerfile that is not the runtime one)?"""
        if self.development_dockerfile:
            return True
        final = self.final
        if final is None:
            return False
        names = [stage.name or "" for stage in self.ancestry(final)]
        return any(_DEV_TARGET_WORDS & set(re.split(r"[-_.]", name.lower())) for name in names)

    def resolved_image(self, image: str) -> str:
        """A FROM reference with ``$ARG``/``${ARG}`` replaced by the global ARG defaults (unchanged when
        one has none)."""
        return resolved_image(self.dockerfile, image)

    def shipped_stages(self) -> list[Stage]:
        """The stages whose layers ship as they are: the final stage and the stages it is built FROM
        (a builder's leftovers only ship when copied, so layer-size rules look here)."""
        return self.ancestry(self.final) if self.final is not None else []

    def expand(self, stage: Stage, words: tuple[str, ...]) -> tuple[str, ...] | None:
        """``words`` with ``$VAR``/``${VAR}`` replaced by the ARG defaults and ENV values known in the
        stage (split on whitespace, as the shell would); None when a variable's value is unknown.

        An ARG declared before the first FROM is in scope only in FROM lines: a stage sees its default
        only after declaring it again (``ARG NAME`` with no value), as BuildKit scopes them."""
        if not any("$" in w for w in words):
            return words
        global_defaults = {k: v for i in self.dockerfile.global_args for k, v in i.pairs if v is not None}
        values: dict[str, str] = {}
        for instruction in self.instructions_of(stage):
            if instruction.keyword in ("ARG", "ENV"):
                for key, value in instruction.pairs:
                    if value is None and instruction.keyword == "ARG":
                        value = global_defaults.get(key)
                    if value is not None:
                        values[key] = value
        out: list[str] = []
        for word in words:
            if "$" not in word:
                out.append(word)
                continue
            names = re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", word)
            if any(name not in values for name in names):
                return None
            expanded = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: values[m.group(1)], word)
            out += expanded.split()
        return tuple(out)

    def expanded_call(self, stage: Stage, call: Call) -> Call | None:
        """``call`` with its variables expanded (:meth:`expand`); None when one is unknown."""
        options, args = self.expand(stage, call.options), self.expand(stage, call.args)
        if options is None or args is None:
            return None
        if (options, args) == (call.options, call.args):
            return call
        return Call(call.tool, call.subcommand, args, options, written=call.as_written)

    def runtime_stages(self) -> list[Stage]:
        """The stages whose files reach the final image: its ancestry and every stage it copies or
        mounts from, transitively."""
        final = self.final
        if final is None:
            return []
        reached: dict[int, Stage] = {}
        todo = [final]
        while todo:
            stage = todo.pop()
            for member in self.ancestry(stage):
                if member.index in reached:
                    continue
                reached[member.index] = member
                for instruction in member.instructions:
                    for source in stage_sources(instruction):
                        found = self.dockerfile.stage_by_name(source)
                        if found is None and source.isdigit() and int(source) < len(self.dockerfile.stages):
                            found = self.dockerfile.stages[int(source)]
                        if found is not None and found.index not in reached:
                            todo.append(found)
        return sorted(reached.values(), key=lambda s: s.index)

    def user_at(self, stage: Stage, instruction: Instruction) -> str:
        """The USER in effect when ``instruction`` runs ("root" when none was set)."""
        user = "root"
        for candidate in self.instructions_of(stage):
            if candidate is instruction:
                break
            if candidate.keyword == "USER" and candidate.arguments:
                user = candidate.arguments[0]
        return user

    def home_of(self, user: str) -> str:
        name = user.split(":")[0]
        if name in ("root", "0", ""):
            return "/root"
        key = f"home:{name}"
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._home_of(name)
        return cached  # type: ignore[return-value]

    def _home_of(self, name: str) -> str:
        pattern = re.compile(r"(?:--home-dir|--home|-d)[ =](\S+)[^&;|]*\b" + re.escape(name) + r"\b")
        for instruction in self.dockerfile.instructions:
            if instruction.keyword == "RUN":
                match = pattern.search(instruction.value)
                if match:
                    return match.group(1)
        return f"/home/{name}"

    def shell_commands(self, script: str) -> list[list[ShellWord]]:
        """:func:`shell_commands_with_spans` of ``script``, split once per lint run (rules and fixes ask)."""
        key = "shell:" + script
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = shell_commands_with_spans(script)
        return cached  # type: ignore[return-value]

    def calls_of(self, instruction: Instruction) -> list[Call]:
        """The recognised invocations of a RUN, parsed once per lint run (every rule asks)."""
        key = f"calls:{instruction.span.start}"
        if key not in self._cache:
            if instruction.keyword != "RUN":
                self._cache[key] = []
            else:
                commands = self.shell_commands(run_script(instruction))
                self._cache[key] = calls_in([[w.text for w in command] for command in commands])
        cached: list[Call] = self._cache[key]  # type: ignore[assignment]
        return cached

    def runs(self, stage: Stage) -> list[tuple[Instruction, list[Call]]]:
        """The stage's RUNs with their invocations, ``ONBUILD RUN`` triggers included (as the RUN they
        are: they run in every image built FROM this one, after its last instruction). ``$VARIABLES``
        whose value the stage knows (:meth:`expand`) are expanded: options and packages kept in an ARG
        count; ``Call.written`` keeps what the text says."""
        key = f"runs:{stage.index}"
        if key not in self._cache:
            self._cache[key] = [
                (i, [self.expanded_call(stage, c) or c for c in self.calls_of(i)])
                for i in run_instructions(stage)
            ]
        cached: list[tuple[Instruction, list[Call]]] = self._cache[key]  # type: ignore[assignment]
        return cached

    def start_command(self, stage: Stage) -> list[str]:
        """ENTRYPOINT + CMD words of the final image (shell form split on whitespace)."""
        words: list[str] = []
        for keyword in ("ENTRYPOINT", "CMD"):
            instruction = self.last(stage, keyword)
            if instruction is not None:
                words += list(instruction.arguments)
        return words

    def runs_python(self, stage: Stage) -> bool:
        """Does the stage run Python (see :mod:`dockwright.lint.pythonic`)? FROM another stage inherits."""
        key = f"python:{stage.index}"
        if key not in self._cache:
            self._cache[key] = self._runs_python(stage)
        return bool(self._cache[key])

    def root_image(self, stage: Stage) -> str:
        """The image a stage's files come from: its oldest ancestor's FROM, or, for ``FROM scratch``
        whose first step is ``COPY --from=STAGE / /`` (a trimmed copy of a base), that stage's."""
        seen: set[int] = set()
        while True:
            first = self.ancestry(stage)[0]
            source = _root_copy_source(first)
            parent = self.dockerfile.stage_by_name(source) if source else None
            if parent is None or parent.index in seen or parent.index >= first.index:
                return first.base_image
            seen.add(parent.index)
            stage = parent

    def windows(self, stage: Stage) -> bool:
        """Is the stage a Windows container (a Windows base image, or a PowerShell/cmd ``SHELL``)?"""
        if windows_image(self.resolved_image(self.root_image(stage))):
            return True
        return windows_shell(self.last(stage, "SHELL"))

    def _runs_python(self, stage: Stage) -> bool:
        chain = self.ancestry(stage)
        if python_image(self.root_image(stage)):
            return True
        for member in chain:
            for instruction, calls in self.runs(member):
                if installs_python(calls):
                    return True
                if any(runs_python_program(words[:1]) for words in self._run_words(instruction)):
                    return True
        return runs_python_program(self.start_command(stage))

    def _run_words(self, instruction: Instruction) -> list[list[str]]:
        commands = self.shell_commands(run_script(instruction))
        return [[w.text for w in command if "=" not in w.text] for command in commands]

    def is_web_app(self, stage: Stage) -> bool:
        if self.last(stage, "EXPOSE") is not None:
            return True
        return any(w.rsplit("/", 1)[-1] in WEB_SERVERS for w in self.start_command(stage))


def run_instructions(stage: Stage) -> list[Instruction]:
    """A stage's RUN instructions and its ``ONBUILD RUN`` triggers (their inner RUN), in order."""
    found = []
    for instruction in stage.instructions:
        if instruction.keyword == "ONBUILD" and instruction.inner is not None:
            instruction = instruction.inner
        if instruction.keyword == "RUN":
            found.append(instruction)
    return found


def stage_sources(instruction: Instruction) -> list[str]:
    """What ``COPY --from=`` / ``RUN --mount=from=`` name (a stage or an image)."""
    found = []
    if instruction.keyword in ("COPY", "ADD"):
        flag = instruction.flag("from")
        if flag is not None and flag.value:
            found.append(flag.value)
    for options in instruction.mounts():
        if options.get("from"):
            found.append(options["from"])
    return found


def _word_offsets(
    instruction: Instruction, word: str, after_program: str, ctx: LintContext | None
) -> list[tuple[int, list[ShellWord]]]:
    """(source offset just after ``word``, the command) for each simple command of a shell-form RUN
    that runs ``after_program`` with ``word`` after it; [] for exec form and heredocs."""
    if instruction.json_form or instruction.heredocs:
        return []
    value = instruction.value
    commands = ctx.shell_commands(value) if ctx is not None else shell_commands_with_spans(value)
    found = []
    for command in commands:
        texts = [w.text.rsplit("/", 1)[-1] for w in command]
        if after_program in texts:
            start = texts.index(after_program)
            for shell_word in command[start + 1 :]:
                if shell_word.text == word:
                    found.append((instruction.source_end(shell_word.end), command))
                    break
    return found


def insert_after_word(
    instruction: Instruction, word: str, *, after_program: str, ctx: LintContext | None = None
) -> int | None:
    """Source offset just after the first ``word`` that follows ``after_program`` in a shell-form RUN.

    None when the instruction is exec form or a heredoc (no span edit can be made safely). With
    ``ctx`` the script is split once per lint run.
    """
    found = _word_offsets(instruction, word, after_program, ctx)
    return found[0][0] if found else None


def flag_fix(
    instruction: Instruction,
    *,
    program: str,
    after: str,
    flag: str,
    ctx: LintContext | None = None,
    call: Call | None = None,
) -> Fix | None:
    """A fix inserting ``flag`` right after ``program ... after`` (its safety is the rule's declaration).

    With ``call`` (the flagged invocation) the edit lands in that call's own command, never in an
    earlier one with the same program: with two ``apt-get install`` in one RUN each finding fixes its
    own call (identical calls are told apart in order: each fix claims one command per lint run)."""
    candidates = _word_offsets(instruction, after, program, ctx)
    if call is not None:
        candidates = [(o, c) for o, c in candidates if calls_in([[w.text for w in c]]) == [call.as_written]]
        if ctx is not None:
            claimed: set[int] = ctx._cache.setdefault(  # type: ignore[assignment]
                f"claimed:{instruction.span.start}:{flag}", set()
            )
            candidates = [(o, c) for o, c in candidates if o not in claimed]
            if candidates:
                claimed.add(candidates[0][0])
    if not candidates:
        return None
    offset = candidates[0][0]
    return Fix(f"add {flag}", (Edit(offset, offset, f" {flag}"),))


def _root_copy_source(stage: Stage) -> str | None:
    """``STAGE`` when ``stage`` is ``FROM scratch`` and starts with ``COPY --from=STAGE / /``."""
    if stage.base_image.lower() != "scratch":
        return None
    first = next((i for i in stage.instructions if i.keyword != "ARG"), None)
    source = first.flag("from") if first is not None and first.keyword == "COPY" else None
    if source is None or source.value is None or first is None or first.arguments != ("/", "/"):
        return None
    return source.value.lower()
