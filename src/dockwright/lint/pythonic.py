"""Does a build stage run Python? Python rules apply only to stages that do.

A stage runs Python when its base image (or that of the stage it is built FROM) is a Python
image, when one of its RUNs installs or runs Python or a Python package manager, or when its
start command is a Python program. Go, Node, Ruby or database images get none of the Python
rules' advice.
"""

from __future__ import annotations

from dockwright.lazy_re import lazy
from dockwright.lint.commands import Call, installed_packages

#: image names (the last path part, tag removed) or tag fragments that are Python distributions
_PYTHON_IMAGE = lazy(
    r"(^|[/-])(python|pypy|miniconda\d*|anaconda\d*|miniforge\d*|mambaforge|micromamba|pytorch|tensorflow"
    r"|jupyter|.*-notebook|uvicorn-gunicorn\S*|meinheld-gunicorn\S*|django|flask)($|[:@-])"
    r"|:python\d"
)
#: programs that are Python (a start command or a RUN running one of them)
PYTHON_PROGRAMS = lazy(
    r"^(python(\d(\.\d+)?)?|pypy3?|gunicorn|uvicorn|hypercorn|daphne|granian|celery|streamlit|flask"
    r"|django-admin|rq|dramatiq|huey_consumer|waitress-serve|uwsgi|jupyter|fastapi|chainlit|gradio|\S+\.py)$"
)
_PYTHON_TOOLS = frozenset({"pip", "uv-pip", "uv", "poetry", "pipenv", "pdm"})
_PYTHON_PACKAGE = lazy(r"^(python3?(\.\d+)?|python3?-(dev|pip|venv|minimal|full)|pypy3?|py3-pip)(=|$)")


def python_image(image: str) -> bool:
    """Is ``image`` (a FROM reference) a Python distribution image?"""
    return bool(_PYTHON_IMAGE.search(image.lower()))


def runs_python_program(words: list[str] | tuple[str, ...]) -> bool:
    return any(PYTHON_PROGRAMS.match(w.rsplit("/", 1)[-1]) for w in words[:3] if not w.startswith("-"))


def installs_python(calls: list[Call]) -> bool:
    """Do these invocations install Python or use a Python package manager?"""
    if any(call.tool in _PYTHON_TOOLS for call in calls):
        return True
    return any(_PYTHON_PACKAGE.match(p) for p in installed_packages(calls))
