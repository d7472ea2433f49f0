"""greet: a small click CLI."""

__version__ = "0.4.1"
