"""The `[domain]` section of a sequences project: the sequences, by definition or by terms."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mathteam.domains.section import DomainSection


class SequenceSpec(BaseModel):
    """One sequence of a sequences project: by a short Python definition of `a(n)`, or by its terms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=60)
    """An identifier: names the sequence's claims and Lean statements."""
    description: str = ""
    """What `a(n)` counts, in words."""
    code: str | None = None
    """Python source defining `a(n)` (standard library only); runs in the computation sandbox."""
    terms: list[int] | None = None
    """The first terms, when there is no definition to run."""
    offset: int = 0
    """The index of the first term."""
    count: int = Field(default=14, ge=4, le=200)
    """How many terms to compute from `code`."""

    @model_validator(mode="after")
    def _one_source(self) -> "SequenceSpec":
        if (self.code is None) == (self.terms is None):
            raise ValueError(f"sequence {self.name!r}: give exactly one of `code` or `terms`")
        if self.terms is not None and len(self.terms) < 4:
            raise ValueError(f"sequence {self.name!r}: give at least 4 terms")
        return self


class Sequences(DomainSection):
    kind: Literal["sequences"]
    """Integer sequences: compute terms, guess formulas and recurrences, prove what can be proved."""
    sequences: list[SequenceSpec] = Field(min_length=1)
    """The sequences, as `[[domain.sequences]]` tables."""


SETTINGS = Sequences
