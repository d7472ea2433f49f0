"""Reading a project directory into :class:`~dockwright.project.facts.ProjectFacts` (detect)."""
