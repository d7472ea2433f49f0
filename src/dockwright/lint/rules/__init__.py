"""One lint rule per module; ``dockwright.lint.registry`` lists them all, in order."""
