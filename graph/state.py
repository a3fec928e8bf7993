"""The team's LangGraph state: small and made of ids; the project memory holds the content."""

from __future__ import annotations

from typing import TypedDict


class TeamState(TypedDict, total=False):
    """What the planner decided at its last step."""

    next_role: str | None
    """The role the planner handed work to, or None when the run is over."""
    batches: list[list[str]]
    """Task ids for that role, one list per parallel worker."""
    stop_reason: str | None
    """Why the run ended or will end early (a spent budget), in words."""
    gate_wait: bool
    """True when the planner found nothing to do but wait for people at the approval gate."""


class WorkBatch(TypedDict):
    """What one role worker receives through `Send`: the tasks it must do."""

    role: str
    task_ids: list[str]
