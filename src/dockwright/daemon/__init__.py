"""dockwright's daemon: a warm process that forks a child per command (``server.py``); the client side,
which the ``dockwright`` command runs first, is ``dockwright/daemon_client.py``."""
