"""Strategies: one module per way of packaging the app. The registry is in ``plan.planner``."""
