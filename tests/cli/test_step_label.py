"""step_label: a build step's name on one terminal line."""

from __future__ import annotations

from dockwright.output import step_label


def test_continuation_lines_fold_and_long_steps_are_cut() -> None:
    name = "[base 2/2] RUN python -c \"$(printf '%s\\n' \\\n        'import os' \\\n        'print(1)')\""
    assert step_label(name) == "[base 2/2] RUN python -c \"$(printf '%s\\n' \\ 'import os' \\ 'print(1)')\""
    long = "[builder 3/4] RUN " + "x" * 300
    label = step_label(long)
    assert len(label) == 120 and label.endswith("…") and label.startswith("[builder 3/4] RUN xx")
    assert step_label(long, 40) == long[:39] + "…"


def test_control_characters_are_shown_not_sent() -> None:
    assert step_label("[app 1/1] RUN echo \x1b[2J") == "[app 1/1] RUN echo \\x1b[2J"
