"""Django's ``manage.py`` of a project, found once for every reader: the Django start detector, the
build steps (collectstatic, compilemessages) and the migration a platform's release step runs.

What it does: takes a ``manage.py`` at the root, else under ``src/``, else in another top-level
directory (the first by name), skipping folders that are never the app (tests, docs, examples,
scripts: detectors/base.py ``outside_app``) and the ones no module is read from (virtualenvs, hidden
and build folders: ``ProjectTree.python_files``); only one that mentions django counts (a
Flask-Script ``manage.py`` is not Django's).

Why: the three readers each had their own search and could name three different files for one
project (``app/manage.py`` beside ``src/manage.py``; a second ``manage.py`` under ``tests/``), so the
image collected static files or migrated with another ``manage.py`` than the one the server runs.

Sources: https://docs.djangoproject.com/en/stable/ref/django-admin/ (``manage.py`` is created in each
Django project; ``startproject`` writes it at the project's top).
"""

from __future__ import annotations

from dockwright.errors import ProjectError
from dockwright.project.detectors.base import outside_app
from dockwright.project.tree import ProjectTree


def manage_py(tree: ProjectTree) -> str | None:
    """The project's Django ``manage.py`` (module docstring), or None."""
    found = [
        rel
        for rel in tree.python_files
        if (rel == "manage.py" or (rel.count("/") == 1 and rel.endswith("/manage.py")))
        and not outside_app(rel)
    ]
    for rel in sorted(found, key=lambda r: (r != "manage.py", r != "src/manage.py", r)):
        try:
            text = tree.read_text(rel)
        except ProjectError:
            continue
        if "django" in text.lower():
            return rel
    return None


def manage_folder(tree: ProjectTree) -> str:
    """The sub-folder that holds the project's ``manage.py`` (``web``: Django's modules import from
    there, as in a repository whose image copies that folder as its work directory, ``COPY ./web/ .``),
    "" when it is at the root or there is none."""
    rel = manage_py(tree)
    return rel.rsplit("/", 1)[0] if rel and "/" in rel else ""
