"""The team's wiring: planner → one role (fanned out over workers with `Send`) → planner."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from mathteam.agents.conjecturer import conjecturer
from mathteam.agents.example_generator import example_generator
from mathteam.agents.formalizer import formalizer
from mathteam.agents.planner import planner
from mathteam.agents.prover import prover
from mathteam.agents.writer import writer
from mathteam.graph.context import TeamContext
from mathteam.graph.gates import approval_gate
from mathteam.graph.state import TeamState

Target = Literal["planner", "approval_gate", "example_generator", "conjecturer", "prover", "formalizer",
                 "writer"]
ROLE_NODES = {
    "example_generator": example_generator,
    "conjecturer": conjecturer,
    "prover": prover,
    "formalizer": formalizer,
    "writer": writer,
}


def dispatch(state: TeamState) -> list[Send] | Target | Literal["__end__"]:
    """Where the planner's decision leads: one `Send` per worker batch, the planner again, or the end."""
    role = state.get("next_role")
    if role is None:
        return END
    if role in ("planner", "approval_gate"):
        return role
    return [Send(role, {"role": role, "task_ids": ids}) for ids in state.get("batches", [])]


def build_graph(checkpointer=None):
    """Compile the team's graph; `checkpointer` makes runs resumable (a `SqliteSaver` in production)."""
    builder = StateGraph(TeamState, context_schema=TeamContext)
    builder.add_node("planner", planner)
    builder.add_node("approval_gate", approval_gate)
    builder.add_edge("approval_gate", "planner")
    for name, node in ROLE_NODES.items():
        builder.add_node(name, node)
        builder.add_edge(name, "planner")
    builder.add_edge(START, "planner")
    builder.add_conditional_edges("planner", dispatch, ["planner", "approval_gate", *ROLE_NODES, END])
    return builder.compile(checkpointer=checkpointer)
