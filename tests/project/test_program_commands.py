"""Programs whose command line a module writes as a literal and hands on (a Popen wrapper, a
``shell=True`` call of a returned string, a module-level program constant), and programs started only
by scripts a wheel does not ship (project/programs.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.detectors.scan import scan_module

MakeProject = Callable[[dict[str, str | bytes]], Path]

WRAPPER = """\
import subprocess


def _exec(*args):
    with subprocess.Popen(args, stdout=subprocess.PIPE) as p:
        return p.communicate()[0]


def git(*parts):
    args = ["git", *parts]
    return _exec(*args)
"""

RETURNED = """\
from subprocess import check_output


class Exif:
    def command(self, name):
        return f"exiftool -time:all -j {name}"

    def read(self, name):
        return check_output(self.command(name), shell=True)
"""

CONSTANT = """\
import os

from mytool.subprocess import run

GS = "gswin64c" if os.name == "nt" else "gs"


def rasterize(path):
    run([GS, "-q", "-sDEVICE=png16m", path])
"""

NOT_COMMANDS = """\
'''Wraps ffmpeg -i calls.'''
import subprocess

VCS = ["git", "hg"]
HELP = "git is needed"


def run(cmd):
    return subprocess.run(cmd)
"""


def _programs(source: str) -> list[str]:
    scan = scan_module("mytool/run.py", source)
    assert scan is not None
    return [word for word, _ in scan.commands]


def test_a_command_list_handed_to_a_popen_wrapper_names_its_program() -> None:
    assert _programs(WRAPPER) == ["git"]


def test_a_returned_command_string_with_an_option_names_its_program() -> None:
    assert _programs(RETURNED) == ["exiftool"]


def test_a_module_level_program_constant_first_in_a_command_list_names_both_words() -> None:
    assert sorted(_programs(CONSTANT)) == ["gs", "gswin64c"]


def test_name_lists_prose_and_docstrings_are_no_commands() -> None:
    assert _programs(NOT_COMMANDS) == []


def test_a_module_that_runs_no_programs_writes_no_commands() -> None:
    assert _programs("ARGS = ['git', *range(3)]\n") == []


PYPROJECT = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "mytool"\nversion = "1.0"\nrequires-python = ">=3.11"\n\n'
    '[project.scripts]\nmytool = "mytool.cli:main"\n'
)


def test_a_package_install_needs_the_programs_of_its_package_not_of_its_release_scripts(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "mytool/__init__.py": "",
            "mytool/cli.py": "def main():\n    pass\n",
            "mytool/subprocess.py": "import subprocess\n\nrun = subprocess.run\n",
            "mytool/raster.py": CONSTANT,
            "mytool/vcs.py": WRAPPER,
            # release and maintenance scripts beside the package: the wheel does not carry them
            "bin/bump_version.py": 'import subprocess\n\nsubprocess.run(["git", "tag", "v1"])\n',
            "misc/compare.py": 'import subprocess\n\nsubprocess.run(["pdftotext", "a.pdf"])\n',
        }
    )
    facts = detect_project(root, python="3.13")
    found = {f.value: sorted({e.file for e in f.evidence}) for f in facts.app.programs}
    assert found == {"gs": ["mytool/raster.py"], "git": ["mytool/vcs.py"]}


def test_a_source_install_keeps_every_scripts_programs(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "",
            "app.py": "import subprocess\n\nif __name__ == '__main__':\n    subprocess.run(['ls'])\n",
            "tools_bin/backup.py": 'import subprocess\n\nsubprocess.run(["pg_dump", "db"])\n',
        }
    )
    facts = detect_project(root, python="3.13")
    assert [f.value for f in facts.app.programs] == ["pg_dump"]


def test_libraries_the_app_imports_that_start_a_program_bring_it(make_project: MakeProject) -> None:
    from dockwright.plan.planner import make_plan

    root = make_project(
        {
            # pydub is installed (another library's dependency) but never imported: no ffmpeg
            "requirements.txt": "GitPython==3.1.43\npytesseract==0.3.13\npydub==0.25.1\n",
            "sync.py": (
                "import sys\n\nimport git\nfrom pytesseract import image_to_string\n\n"
                "if __name__ == '__main__':\n    git.Repo(sys.argv[1])\n"
            ),
        }
    )
    facts = detect_project(root, python="3.13")
    found = {f.value: [(e.file, e.line) for e in f.evidence] for f in facts.app.programs}
    assert found == {"git": [("sync.py", 3)], "tesseract": [("sync.py", 4)]}
    plan = make_plan(facts)
    assert {"git", "tesseract-ocr"} <= {a.name for a in plan.runtime_apt}
    decision = plan.decision("runtime-programs")
    assert decision is not None and "gitpython runs git" in decision.reason


def test_every_library_row_names_a_program_of_the_table() -> None:
    from dockwright.project.programs import dependency_programs, program_table

    assert {program for _, _, program, _ in dependency_programs()} <= program_table().keys()


def test_a_browser_automation_library_needs_the_browser_and_its_driver(make_project: MakeProject) -> None:
    from dockwright.plan.planner import make_plan

    root = make_project(
        {
            "requirements.txt": "seleniumbase==4.30.0\n",
            "checkin.py": "from seleniumbase import Driver\n\nif __name__ == '__main__':\n    Driver(uc=True).quit()\n",
        }
    )
    facts = detect_project(root, python="3.13")
    found = {f.value: [(e.file, e.line) for e in f.evidence] for f in facts.app.programs}
    assert found == {"chromium": [("checkin.py", 1)], "chromedriver": [("checkin.py", 1)]}
    plan = make_plan(facts)
    assert {"chromium", "chromium-driver"} <= {a.name for a in plan.runtime_apt}


def test_a_library_s_own_program_the_app_starts_brings_what_it_runs(make_project: MakeProject) -> None:
    """``from sh import ocrmypdf`` (the sh library runs the program of that name) or a subprocess call of
    ``ocrmypdf``: OCRmyPDF runs Tesseract and Ghostscript, so the image installs both."""
    for source in (
        "from sh import ocrmypdf\n\n\ndef scan(path):\n    ocrmypdf('--skip-text', path, path)\n",
        "import subprocess\n\n\ndef scan(path):\n    subprocess.run(['ocrmypdf', path, path])\n",
    ):
        root = make_project({"requirements.txt": "ocrmypdf==16.0.0\nsh==2.0.7\n", "worker.py": source})
        facts = detect_project(root, python="3.13")
        found = {f.value: f.evidence[0] for f in facts.app.programs}
        assert set(found) == {"tesseract", "gs"}, source
        assert found["tesseract"].file == "worker.py" and "starts ocrmypdf" in found["tesseract"].detail


def test_a_program_imported_from_the_sh_library_is_started(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "sh==2.0.7\n", "sync.py": "from sh import git\n\ngit('pull')\n"})
    facts = detect_project(root, python="3.13")
    assert [(f.value, f.evidence[0].line) for f in facts.app.programs] == [("git", 1)]


def test_programs_looked_up_through_plumbum_are_started(make_project: MakeProject) -> None:
    """plumbum's local machine looks a program up on PATH (``local["git"]``, ``local.get("rsync")``,
    ``from plumbum.cmd import pandoc``): the image needs each; a name held in a variable is not guessed."""
    source = (
        "from plumbum import local\n"
        "from plumbum.cmd import pandoc\n\n\n"
        "def vcs():\n    return local['git'].with_env(LANG='C')\n\n\n"
        "def mirror(tool):\n    local.get('rsync')('-a', 'x', 'y')\n    return local[tool]\n"
    )
    pyproject = (
        '[project]\nname = "stamper"\nversion = "1.0"\ndependencies = ["plumbum"]\n\n'
        '[project.scripts]\nstamper = "stamper.run:vcs"\n\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    root = make_project({"pyproject.toml": pyproject, "stamper/__init__.py": "", "stamper/run.py": source})
    facts = detect_project(root, python="3.13")
    found = {
        f.value: (f.evidence[0].file, f.evidence[0].line, f.evidence[0].detail) for f in facts.app.programs
    }
    assert set(found) == {"git", "rsync", "pandoc"}
    assert found["git"][:2] == ("stamper/run.py", 6)
    assert found["rsync"][:2] == ("stamper/run.py", 10)
    assert found["pandoc"] == ("stamper/run.py", 2, "imports pandoc from plumbum, which runs it")


def test_a_mapping_named_local_is_not_plumbum(make_project: MakeProject) -> None:
    source = "local = {'git': 1}\n\n\ndef pick():\n    return local['git'], local.get('git')\n"
    root = make_project({"requirements.txt": "", "picker.py": source})
    assert detect_project(root, python="3.13", start="python picker.py").app.programs == ()
