"""The team: the planner and the five worker roles' nodes, wired by graph/build.py."""

from __future__ import annotations

from mathteam.agents.conjecturer import conjecturer
from mathteam.agents.example_generator import example_generator
from mathteam.agents.formalizer import formalizer
from mathteam.agents.planner import planner
from mathteam.agents.prover import prover
from mathteam.agents.writer import writer
from mathteam.graph.build import build_graph

ROLE_NODES = {
    "example_generator": example_generator,
    "conjecturer": conjecturer,
    "prover": prover,
    "formalizer": formalizer,
    "writer": writer,
}


def build_team(checkpointer=None):
    """The team's compiled graph; `checkpointer` makes runs resumable (a `SqliteSaver` in production)."""
    return build_graph(planner, ROLE_NODES, checkpointer)
