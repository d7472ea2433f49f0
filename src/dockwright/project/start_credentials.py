"""A literal credential in the start command never reaches the image: the plan takes it out of the CMD
and names an environment variable the container gets at run time (``docker run -e``).

A Procfile line ``worker: celery -A proj worker -b redis://:s3cret@redis:6379/0``, a compose
``command: ... --database-url postgresql://app:pw@db/app`` or a script's ``exec bot --token 123:abc``
would otherwise become ``CMD [..., "redis://:s3cret@redis:6379/0"]``: ``docker inspect`` and every
registry that holds the image would show the password. The word that holds it (a URL with a password,
the value of a secret-named option such as ``--token``/``--password``/``--api-key``) becomes
``"${NAME}"`` in a ``/bin/sh -c "exec ..."`` start, and ``NAME`` is listed with the plan's other
required variables. A credential that cannot be cut out as one word is refused with one line (the user
moves it by hand): beside what the shell expands in the same word (``redis://:pw@$HOST/0``), or inside
a quoted command of the ``sh -c`` text (``su app -c 'celery -b redis://:pw@r/0 worker'``).

The variable's name: a table of the programs' own variables for their options (celery's ``-b`` is
``CELERY_BROKER_URL``, which celery reads itself), else the long option's name (``--database-url`` →
``DATABASE_URL``; ``--broker`` → ``BROKER_URL`` for a URL), else the URL's scheme (``postgresql`` →
``DATABASE_URL``, ``redis`` → ``REDIS_URL``), else ``START_SECRET``.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, replace

from dockwright.errors import ConfigError
from dockwright.lazy_re import lazy
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.redact import has_literal_credentials, option_value_secret, redact_literal
from dockwright.secret_values import literal_secret, secret_shape

#: (program, option) → the variable the program itself reads for it (its documentation)
_PROGRAM_VARIABLES: dict[tuple[str, str], str] = {
    # https://docs.celeryq.dev/en/stable/reference/cli.html (-b/--broker); CELERY_BROKER_URL is read
    # by celery's app when the broker is not given (docs: configuration, broker_url)
    ("celery", "-b"): "CELERY_BROKER_URL",
    ("celery", "--broker"): "CELERY_BROKER_URL",
    ("celery", "--result-backend"): "CELERY_RESULT_BACKEND",
}
#: URL schemes of databases: their conventional variable (12-factor's DATABASE_URL, dj-database-url)
_DATABASE_SCHEMES = ("postgres", "postgresql", "mysql", "mariadb", "mssql", "oracle", "cockroachdb")
_SCHEME = lazy(r"^([A-Za-z][A-Za-z0-9.+-]*)://")
_OPTION = lazy(r"^--?[A-Za-z][A-Za-z0-9_-]*$")
_ASSIGNMENT = lazy(r"^([A-Za-z_][A-Za-z0-9_]*)=")
_SHELL_WORD = lazy(r"""(?:[^\s'"\\;&|()<>`]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+""")


@dataclass(frozen=True)
class Moved:
    """A credential taken out of the start: the variable that holds it now and the word it was in
    (redacted, for the note)."""

    name: str
    shown: str


def _variable(program: str, option: str | None, value: str) -> str:
    if option and (program, option) in _PROGRAM_VARIABLES:
        return _PROGRAM_VARIABLES[(program, option)]
    scheme = _SCHEME.match(value)
    if option and option.startswith("--"):
        name = re.sub(r"[^A-Za-z0-9]+", "_", option[2:]).strip("_").upper()
        if scheme and not name.endswith(("URL", "URI", "DSN")):
            name += "_URL"
        return name
    if scheme:
        base = scheme.group(1).lower().split("+", 1)[0]
        if base in _DATABASE_SCHEMES:
            return "DATABASE_URL"
        return re.sub(r"[^A-Za-z0-9]+", "_", base).upper() + "_URL"
    return "START_SECRET"


# a variable the start's shell reads (`$REDIS_PASSWORD`, `${REDIS_PASSWORD}`): no literal credential
_SHELL_VARIABLE = re.compile(r"\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)")


def literal_credentials(value: str) -> bool:
    """:func:`has_literal_credentials` of a start command's word, whose shell variables are read at
    start (``redis://:$REDIS_PASSWORD@redis/0``: a Procfile's, or compose's ``$$REDIS_PASSWORD``)."""
    return has_literal_credentials(_SHELL_VARIABLE.sub("${SHELL_VARIABLE}", value))


def _secret_word(option: str | None, value: str) -> bool:
    """Whether ``value`` (given to ``option``, or standing alone) is a literal credential."""
    if literal_credentials(value) or secret_shape(value) is not None:
        return True
    return bool(option and option.startswith("--")) and option_value_secret(option or "", value)


def _split(word: str) -> tuple[str | None, str]:
    """``--opt=value`` → (``--opt``, ``value``); any other word → (None, word)."""
    if word.startswith("--") and "=" in word and _OPTION.match(word.split("=", 1)[0]):
        opt, value = word.split("=", 1)
        return opt, value
    return None, word


def _claim(
    program: str, prev: str | None, word: str, taken: dict[str, str], used: frozenset[str], where: str
) -> tuple[str, str | None] | None:
    """The variable for ``word`` when it holds a credential (and its ``--opt=`` prefix), else None."""
    assigned = _ASSIGNMENT.match(word)
    if assigned:  # `NAME=value` before a program of a shell line: the variable keeps its own name
        prefix, value = assigned.group(1), word[assigned.end() :]
        if not (literal_credentials(value) or literal_secret(prefix, value) in ("name", "shape")):
            return None
        base = prefix
    else:
        prefix, value = _split(word)
        option = prefix or (prev if prev and _OPTION.match(prev) else None)
        if not _secret_word(option, value):
            return None
        base = _variable(program, option, value)
    name = base
    n = 1
    while (name in taken and taken[name] != value) or (name in used and name not in taken):
        if assigned:  # the line sets a variable the image's ENV also sets: its own value wins there
            raise ConfigError(
                f"{where}: the start command sets {name} to a credential and the image's ENV sets "
                f"{name} too: move it to a variable (docker run -e) by hand"
            )
        n += 1  # the same name for another value, or one the image's ENV sets: a numbered one
        name = f"{base}_{n}"
    taken[name] = value
    return name, prefix


def _replacement(name: str, prefix: str | None) -> str:
    return f'{prefix}="${{{name}}}"' if prefix else f'"${{{name}}}"'


def withhold_credentials(
    command: tuple[str, ...], where: str, used: frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], tuple[Moved, ...]]:
    """``command`` with every literal credential replaced by a run-time variable, and what was moved.

    ``where`` names the command's source (``Procfile:2``) for the error. ``used`` are the variables the
    image's ENV already sets: a credential is never given one of them. Raises ConfigError when a
    credential sits where it cannot be cut out safely."""
    if not command:
        return command, ()
    taken: dict[str, str] = {}
    if len(command) == 3 and posixpath.basename(command[0]) in ("sh", "bash") and command[1] == "-c":
        text = _shell_text(command[2], where, taken, used)
        return ((command[0], "-c", text) if text != command[2] else command), _moved(taken)
    program = posixpath.basename(command[0])
    words = list(command)
    changed = False
    for i, word in enumerate(command):
        claim = _claim(program, command[i - 1] if i else None, word, taken, used, where)
        if claim and any(c.isspace() for c in word):  # a command inside the word (`su app -c '...'`)
            raise ConfigError(
                f"{where}: the start command's `{redact_literal(word)}` holds a credential dockwright cannot "
                "cut out as one word: move it to a variable (docker run -e) by hand"
            )
        if claim:
            words[i] = _replacement(*claim)
            changed = True
        else:
            words[i] = shlex.quote(word)
    if not changed:
        return command, ()
    return ("/bin/sh", "-c", "exec " + " ".join(words)), _moved(taken)


def _shell_text(text: str, where: str, taken: dict[str, str], used: frozenset[str]) -> str:
    """A ``sh -c`` text with its credential words replaced, each cut at its own span."""
    spans = [(m.start(), m.end(), m.group(0)) for m in _SHELL_WORD.finditer(text)]
    plain: list[str] = []
    for _, _, raw in spans:
        try:
            parts = shlex.split(raw)
        except ValueError:
            parts = [raw]
        plain.append(parts[0] if len(parts) == 1 else raw)
    cuts: list[tuple[int, int, str]] = []
    for i, (start, end, raw) in enumerate(spans):
        execs = [k for k in range(i) if plain[k] == "exec"]
        first = execs[-1] + 1 if execs else 0
        program = posixpath.basename(plain[first]) if first < i else ""
        claim = _claim(program, plain[i - 1] if i else None, plain[i], taken, used, where)
        if claim is None:
            continue
        if "$" in raw.replace("\\$", "") or "`" in raw or any(c.isspace() for c in plain[i]):
            raise ConfigError(
                f"{where}: the start command's `{redact_literal(raw)}` holds a credential dockwright cannot "
                "cut out as one word: move it to a variable (docker run -e) by hand"
            )
        cuts.append((start, end, _replacement(*claim)))
    for start, end, new in reversed(cuts):
        text = text[:start] + new + text[end:]
    return text


def _moved(taken: dict[str, str]) -> tuple[Moved, ...]:
    return tuple(
        Moved(name, redact_literal(value) if "://" in value else "***") for name, value in taken.items()
    )


def with_credentials_withheld(app: AppFacts, notes: list[str]) -> AppFacts:
    """``app`` whose start holds no literal credential: each moved to a run-time variable, listed with
    the required variables, and said in a note naming the line (value redacted). Run last, after every
    step that rewrites the start (an own image's server options, a platform's port)."""
    command = app.command
    ev = command.evidence[0] if command.evidence else Evidence("the start command")
    where = f"{ev.file}:{ev.line}" if ev.line else ev.file
    argv, moved = withhold_credentials(command.value, where, frozenset(e.name for e in app.env))
    if not moved:
        return app
    required = list(app.required_env)
    for m in moved:
        why = f"the start command's credential ({m.shown}), moved out of the image"
        if m.name not in {f.value for f in required}:
            required.append(Fact(m.name, (Evidence(ev.file, ev.line, why),)))
        notes.append(
            f"{where}: the start command holds a credential ({m.shown}), which the image never carries: "
            f"the CMD reads ${{{m.name}}}; pass it at run time (docker run -e {m.name}=...)"
        )
    return replace(app, command=Fact(argv, command.evidence), required_env=tuple(required))
