"""One quote-aware reading of a shell line's lists (``&&``, ``||``, ``;``, newlines) and pipes, shared by
the planner (``sh -c`` starts), the start's ``cd`` reader and the audit's signals check."""

from __future__ import annotations

import pytest

from dockwright.shell_lists import cd_folder, commands, has_operator, pipeline, split_lists


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("a && b", ["a ", "&&", " b"]),
        ("a || b; c", ["a ", "||", " b", ";", " c"]),
        ("a\nexec b", ["a", "\n", "exec b"]),
        ("exec gunicorn --name 'a;b' app:app", ["exec gunicorn --name 'a;b' app:app"]),
        ('echo "x && y" && exec b', ['echo "x && y" ', "&&", " exec b"]),
        ("echo a\\;b; exec c", ["echo a\\;b", ";", " exec c"]),
        ("echo 'a\\'; exec c", ["echo 'a\\'", ";", " exec c"]),  # no escape inside single quotes
        ('echo "a\\"; b"; exec c', ['echo "a\\"; b"', ";", " exec c"]),
        ("a | b", ["a | b"]),  # a pipe joins one pipeline: no list separator
        ("", [""]),
    ],
)
def test_split_lists_at_separators_outside_quotes(line: str, parts: list[str]) -> None:
    assert split_lists(line) == parts
    assert "".join(split_lists(line)) == line


def test_commands_are_the_stripped_items_without_separators() -> None:
    assert commands("cd 'my;dir' && python m.py ;\n exec app") == ["cd 'my;dir'", "python m.py", "exec app"]
    assert commands("migrate &&\n  exec app;") == ["migrate", "exec app"]
    assert commands("  ") == [""]


@pytest.mark.parametrize(
    ("command", "pipe"),
    [
        ("exec gunicorn app:app | tee log", True),
        ("exec gunicorn --name 'a|b' app:app", False),
        ('exec gunicorn --name "a|b" app:app', False),
        ("exec gunicorn a\\|b", False),
    ],
)
def test_has_operator_finds_a_pipe_outside_quotes(command: str, pipe: bool) -> None:
    assert has_operator(command, "|") is pipe


def test_a_pipeline_splits_at_bars_outside_quotes() -> None:
    assert pipeline("grep 'a|b' x | sort -u |wc -l") == ["grep 'a|b' x", "sort -u", "wc -l"]
    assert pipeline('echo "x|y"') == ['echo "x|y"']


@pytest.mark.parametrize(
    ("command", "folder"),
    [
        ("cd app", "app"),
        ('cd "my app"', "my app"),
        ("cd /srv/app", "/srv/app"),
        ("cd", None),
        ("cd -P app", None),
        ("echo cd app", None),
        ("cd 'app", None),  # open quote
    ],
)
def test_cd_folder_reads_the_one_folder_a_cd_names(command: str, folder: str | None) -> None:
    assert cd_folder(command) == folder
