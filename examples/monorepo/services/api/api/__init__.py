"""The monorepo example's HTTP service."""
