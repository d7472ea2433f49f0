"""dockwright: production container images for Python applications, proven on a real engine."""

__version__ = "0.1.0"
