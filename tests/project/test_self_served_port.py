"""A Procfile (or other) start running a script that is its own server (Tornado's ``app.listen`` +
IOLoop) keeps the start, and the port is the one the script listens on (apps._port). Our own examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

SERVER = (
    "import asyncio\nimport os\n\nimport tornado.web\n\n\n"
    "class Main(tornado.web.RequestHandler):\n    def get(self):\n        self.write('hi')\n\n\n"
    "async def main():\n"
    "    app = tornado.web.Application([(r'/', Main)])\n"
    "    app.listen(int(os.environ.get('PORT', '8890')))\n"
    "    await asyncio.Event().wait()\n\n\n"
    "if __name__ == '__main__':\n    asyncio.run(main())\n"
)


def test_a_procfile_start_of_a_tornado_script_listens_on_the_port_it_reads(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "tornado\n",
        "server.py": SERVER,
        "Procfile": "web: python server.py\n",
    }
    facts = detect_project(make_project(files), python="3.13")
    assert facts.app.command.value == ("python", "server.py")
    assert facts.app.port.value == 8890
    assert facts.app.port.evidence[0].file == "server.py"
    assert ("PORT", "8890") in {(e.name, e.value) for e in facts.app.env}


def test_a_procfile_start_of_another_program_keeps_its_own_port(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "tornado\n",
        "server.py": SERVER,
        "Procfile": "web: python other.py --port 9100\n",
        "other.py": "print('x')\n",
    }
    facts = detect_project(make_project(files), python="3.13")
    assert facts.app.port.value != 8890
