"""Sort and compare PEP 440 versions."""
