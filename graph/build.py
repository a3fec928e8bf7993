"""The team's wiring: planner → one role (fanned out over workers with `Send`) → planner."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from mathteam.graph.context import TeamContext
from mathteam.graph.gates import approval_gate
from mathteam.graph.state import TeamState

Target = Literal["planner", "approval_gate", "example_generator", "conjecturer", "prover", "formalizer",
                 "writer"]
WORKER_ROLES = ("example_generator", "conjecturer", "prover", "formalizer", "writer")
"""The roles the planner hands batches to, each a node fanned out with `Send`."""
Node = Callable[..., dict]


def dispatch(state: TeamState) -> list[Send] | Target | Literal["__end__"]:
    """Where the planner's decision leads: one `Send` per worker batch, the planner again, or the end."""
    role = state.get("next_role")
    if role is None:
        return END
    if role in ("planner", "approval_gate"):
        return role
    return [Send(role, {"role": role, "task_ids": ids}) for ids in state.get("batches", [])]


def build_graph(planner: Node, roles: Mapping[str, Node], checkpointer=None):
    """Compile the team's graph from its nodes (the agents give them: agents/team.py);
    `checkpointer` makes runs resumable (a `SqliteSaver` in production)."""
    if set(roles) != set(WORKER_ROLES):
        raise ValueError(f"the team's worker nodes are {', '.join(WORKER_ROLES)}; got {', '.join(roles)}")
    builder = StateGraph(TeamState, context_schema=TeamContext)
    builder.add_node("planner", planner)
    builder.add_node("approval_gate", approval_gate)
    builder.add_edge("approval_gate", "planner")
    for name in WORKER_ROLES:
        builder.add_node(name, roles[name])
        builder.add_edge(name, "planner")
    builder.add_edge(START, "planner")
    builder.add_conditional_edges("planner", dispatch, ["planner", "approval_gate", *WORKER_ROLES, END])
    return builder.compile(checkpointer=checkpointer)
