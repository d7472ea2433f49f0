"""``daemon_client.after_answer``: work that waits for a served command's answer, run at once elsewhere."""

from __future__ import annotations

import pytest

from dockwright import daemon_client


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    after: list[object] = []
    monkeypatch.setattr(daemon_client, "_after", after)
    return after


def test_outside_a_served_child_the_work_runs_at_once(
    monkeypatch: pytest.MonkeyPatch, held: list[object]
) -> None:
    monkeypatch.setattr(daemon_client, "_inside", [])
    done: list[int] = []
    daemon_client.after_answer(lambda: done.append(1))
    assert done == [1] and not held
    assert not daemon_client.answering_later()


def test_a_child_without_the_clients_connection_runs_it_at_once(
    monkeypatch: pytest.MonkeyPatch, held: list[object]
) -> None:
    monkeypatch.setattr(daemon_client, "_inside", [-1])  # its end is the server's to report
    done: list[int] = []
    daemon_client.after_answer(lambda: done.append(1))
    assert done == [1] and not held


def test_a_served_child_runs_it_after_the_answer_in_order_past_errors(
    monkeypatch: pytest.MonkeyPatch, held: list[object]
) -> None:
    monkeypatch.setattr(daemon_client, "_inside", [7])
    done: list[str] = []

    def fails() -> None:
        done.append("fails")
        raise OSError("disk full")

    daemon_client.after_answer(lambda: done.append("first"))
    daemon_client.after_answer(fails)
    daemon_client.after_answer(lambda: done.append("last"))
    assert daemon_client.answering_later()
    assert done == []
    daemon_client.run_after_answer()
    assert done == ["first", "fails", "last"]
    assert not held
