"""Settings from the environment, each with a default (nothing is required to start)."""

from __future__ import annotations

import os

TITLE = os.environ.get("NOTES_TITLE", "notes")
MAX_NOTES = int(os.environ.get("NOTES_MAX", "100"))
