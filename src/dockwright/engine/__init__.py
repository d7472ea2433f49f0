"""The engine facade: the only package that talks to a container engine.

``lint``, ``plan``, ``project`` and ``render`` never import it. Everything else receives an
:class:`~dockwright.engine.base.Engine` so tests can hand in a fake.
"""
