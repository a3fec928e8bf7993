"""The team's wiring: LangGraph state, the graph builder and the approval gate."""
