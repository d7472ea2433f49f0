"""The monorepo example's batch job."""
