"""The six roles of the team, one module each, each exposing one LangGraph node function."""
