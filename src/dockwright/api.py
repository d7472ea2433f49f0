"""The library surface: what the CLI and users call. Each verb returns data; rendering is the caller's.

Sections are owned by the verb's package; keep each wrapper thin.
"""

from __future__ import annotations

# --- plan / init (dockwright.project, dockwright.plan, dockwright.render) ---

# --- lint (dockwright.dockerfile, dockwright.lint) ---

# --- build (dockwright.engine) ---

# --- audit (dockwright.audit) ---
