"""Lint any Dockerfile against the guides' checklist plus Python-specific rules.

One rule per module under ``rules/``, listed in one explicit registry (``registry.RULES``); the linter
runs them, applies suppressions and configuration, and returns data that ``report`` renders.
"""
