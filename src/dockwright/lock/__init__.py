"""Hash-locked requirements: convert a manager's lock offline, or resolve one with ``uv pip compile``."""
