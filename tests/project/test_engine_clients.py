"""An app driving the container engine through its socket is said, and init's run line mounts the socket
with its group (project/engine_clients.py; session 40: a container updater's plan said nothing of it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from dockwright import api
from dockwright.cli.next_steps import run_line
from dockwright.project.facts import Fact

MakeProject = Callable[[dict[str, str | bytes]], Path]

UPDATER = (
    '"""Watch the containers."""\n\nimport time\n\nimport docker\n\n\ndef main():\n'
    "    client = docker.from_env()\n    while True:\n        client.containers.list()\n        time.sleep(60)\n\n\n"
    'if __name__ == "__main__":\n    main()\n'
)


def test_an_app_importing_the_docker_sdk_is_told_to_mount_the_socket(make_project: MakeProject) -> None:
    root = make_project(
        {"updater/__init__.py": "", "updater/__main__.py": UPDATER, "requirements.txt": "docker==7.1.0\n"}
    )
    plan = api.plan(root, index_lookup=False)
    said = [w for w in plan.warnings if "imports docker (the Docker SDK for Python)" in w]
    assert len(said) == 1 and said[0].startswith("updater/__main__.py:5 ")
    assert "--group-add" in said[0] and "socket proxy" in said[0]
    line = run_line(plan)
    assert (
        ' -v /var/run/docker.sock:/var/run/docker.sock --group-add "$(stat -c %g /var/run/docker.sock)" '
        in line
    )


def test_an_app_without_an_engine_client_gets_no_socket(make_project: MakeProject) -> None:
    root = make_project({"job.py": "print('hi')\n", "requirements.txt": ""})
    plan = api.plan(root, index_lookup=False)
    assert "docker.sock" not in run_line(plan)
    assert not any("talks to the container engine" in w for w in plan.warnings)
    engine = dataclasses.replace(plan.facts.app, third_party_imports=Fact(("aiodocker",)))
    planned = dataclasses.replace(plan, facts=dataclasses.replace(plan.facts, app=engine))
    assert "--group-add" in run_line(planned)


def test_a_browser_library_says_what_its_browser_needs(make_project: MakeProject) -> None:
    """Playwright's browsers are no part of its package (session 40's scraper): said at the import."""
    scraper = (
        "from playwright.sync_api import sync_playwright\n\n\ndef main():\n    with sync_playwright() as p:\n"
        "        p.chromium.launch().new_page().goto('https://example.org')\n\n\n"
        'if __name__ == "__main__":\n    main()\n'
    )
    root = make_project({"scrape.py": scraper, "requirements.txt": "playwright==1.49.0\n"})
    plan = api.plan(root, index_lookup=False)
    said = [w for w in plan.warnings if w.startswith("scrape.py:1 imports playwright: its browsers")]
    assert len(said) == 1 and "playwright install --with-deps chromium" in said[0]
