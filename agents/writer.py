"""The writer: the project's report, written by its domain, with the model's prose when it has a model brain."""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime

from mathteam.agents.dispatch import run_batch
from mathteam.domain import DOMAINS
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch
from mathteam.memory import Memory
from mathteam.project import Project


def writer(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    return run_batch("writer", batch, runtime)


def write_report(project: Project, memory: Memory) -> Path:
    """(Re)write the report for the project's domain; returns its path."""
    return DOMAINS[project.config.domain.kind].write_report(project, memory)
