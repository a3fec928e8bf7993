"""The team's wiring and what every node shares: state, run context, model registry, the graph builder and the approval gate."""
