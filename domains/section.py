"""The base of every domain's `[domain]` section: the settings a kind of mathematics reads from the project file."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class DomainSection(BaseModel):
    """A `[domain]` table: immutable, unknown keys are an error, and `kind` names the domain.

    Each domain subclasses it with `kind: Literal["<its kind>"]` and its own fields; the project
    file's loader picks the subclass through the domain registry (mathteam.domain).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    """Which kind of mathematics the project is (a key of the domain registry)."""

    def team_problem(self, team: Any) -> str | None:
        """A rule between this section and the `[team]` table, broken: the problem as
        `[section] key: text`; None when the team suits the domain."""
        return None

    def question_fingerprint(self) -> Any:
        """What may not change under a run in progress (JSON-serialisable): the whole section
        unless the domain says less."""
        return self.model_dump(mode="json")

    def question_extends(self, before: Any) -> bool:
        """Whether this question only adds to `before` (an earlier `question_fingerprint()`), so
        that the run may go on with the additions (the domain's `extend`) instead of refusing."""
        return False

    question_field: ClassVar[tuple[str, str]] = ("section", "question")
    """How a changed question is named in the error: (`[domain]` field, what it is, in words)."""
