"""Planning: ProjectFacts -> BuildPlan (strategy choice, every decision with its reason)."""
