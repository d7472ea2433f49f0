"""Rendering: BuildPlan -> file text (templates read only the plan), and the atomic writer."""
