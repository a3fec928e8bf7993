"""The `[domain]` section of a free-form project."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mathteam.domains.section import DomainSection


class Freeform(DomainSection):
    kind: Literal["freeform"]
    """A goal in words, worked on by model brains (`[project] goal`); needs a model for the planner."""
    max_tasks: int = Field(default=12, ge=1, le=200)
    """The most tasks the planner may create from the goal."""

    def team_problem(self, team: Any) -> str | None:
        if team.planner == "symbolic":
            return ("[team] planner: a freeform project needs a model brain: add a [models.NAME] table "
                    "(provider, model, and base_url for a local OpenAI-compatible server) and set "
                    "[team] planner = \"NAME\"")
        return None


SETTINGS = Freeform
