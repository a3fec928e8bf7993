"""The team's roles, one module each exposing one LangGraph node (team.py wires them), and one subpackage per domain (magma/, sequences/, freeform/) giving each role its handlers."""
