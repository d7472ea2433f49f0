"""The HTTP service of the uv-workspace example."""
