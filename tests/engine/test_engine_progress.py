"""BuildKit plain progress → BuildStep events, CACHED steps, and the failing step's tail."""

from __future__ import annotations

from dockwright.engine.progress import ProgressReader

PLAIN = """\
#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 1.2kB done
#1 DONE 0.0s
#5 [builder 3/4] COPY requirements.txt ./
#5 CACHED
#6 [builder 4/4] RUN pip wheel --require-hashes --wheel-dir /wheels -r requirements.txt
#6 0.512 Collecting flask==3.1.0
#6 1.020 Saved /wheels/flask-3.1.0-py3-none-any.whl
#6 DONE 2.1s
#7 [runtime 3/7] RUN apt-get install -y --no-install-recommends nothere
#7 0.301 E: Unable to locate package nothere
#7 ERROR: process "/bin/sh -c apt-get install -y --no-install-recommends nothere" did not complete successfully: exit code: 100
"""


def test_steps_cached_and_logs_are_read() -> None:
    reader = ProgressReader()
    events = [e for line in PLAIN.splitlines() for e in reader.feed(line)]
    assert [e.state for e in events if e.step_id == "5"] == ["started", "cached"]
    assert reader.cached == ["[builder 3/4] COPY requirements.txt ./"]
    logs = [e.text for e in events if e.state == "log" and e.step_id == "6"]
    assert logs == ["Collecting flask==3.1.0", "Saved /wheels/flask-3.1.0-py3-none-any.whl"]
    assert any(e.state == "done" and e.text == "2.1s" for e in events)


def test_failure_names_the_step_and_its_last_lines() -> None:
    reader = ProgressReader()
    for line in PLAIN.splitlines():
        reader.feed(line)
    assert reader.failed_step == "[runtime 3/7] RUN apt-get install -y --no-install-recommends nothere"
    assert "E: Unable to locate package nothere" in reader.failure_tail()


def test_lines_that_are_not_progress_are_ignored() -> None:
    reader = ProgressReader()
    assert reader.feed("Sending build context to Docker daemon") == []
    assert reader.failed_step is None


def test_the_headline_cuts_a_long_run_and_drops_the_command_buildkit_repeats() -> None:
    script = "python -c " + "x" * 400
    reader = ProgressReader()
    for line in (
        f"#9 [builder 4/4] RUN {script}",
        "#9 0.2 error: the app cannot start",
        f'#9 ERROR: process "/bin/sh -c {script}" did not complete successfully: exit code: 2',
    ):
        reader.feed(line)
    headline = reader.headline()
    assert headline.startswith("step [builder 4/4] RUN python -c xxx") and headline.endswith(
        "… failed: exit code: 2"
    )
    assert len(headline) < 160
