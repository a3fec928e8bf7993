"""The `[domain]` section of a magma-implications project: which laws, which sizes, which engine."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from mathteam.domains.magma.laws import LawSpecError, NamedLaw, count_spec_laws, parse_law_spec
from mathteam.domains.section import DomainSection


BULK_ABOVE_LAWS = 60
"""`engine = "auto"` keeps a claim and a task per pair up to this many laws, and only the direct
results above (agents/magma/bulk.py); the engine (tools/bulk_engine) is the same either way."""


class MagmaImplications(DomainSection):
    kind: Literal["magma_implications"]
    """Which laws of magmas imply which."""
    laws: str | list[str]
    """`"etp:1-46"` (ranges and lists of ETP numbers), or a list mixing `"etp:…"` items and
    equations such as `"Commutative: x ◇ y = y ◇ x"` (`*` may stand for `◇`)."""
    exhaustive_sizes: list[int] = Field(default=[2, 3])
    """Sizes of magmas enumerated exhaustively (every operation table); 4 and up are too many."""
    search_sizes: list[int] = Field(default=[4, 5, 6])
    """Sizes tried by the targeted counterexample search when the prover fails."""
    engine: Literal["auto", "pairs", "bulk"] = "auto"
    """`pairs`: one claim, task and gates per ordered pair (clear, for small questions); `bulk`:
    the memory keeps only the direct results, for hundreds or thousands of laws; `auto`: bulk above
    60 laws. Both run on the same engine, which works on classes and the implication matrix."""

    @field_validator("laws")
    @classmethod
    def _laws_parse(cls, value: str | list[str]) -> str | list[str]:
        try:
            named = parse_law_spec(value)
        except LawSpecError as error:
            raise ValueError(str(error)) from None
        if len(named) < 2:
            given = count_spec_laws(value)
            if given > 1:
                raise ValueError(f"the {given} laws given are one law up to renaming variables and swapping "
                                 f"sides ({named[0].law}): name at least two different laws")
            raise ValueError("name at least two laws: the question is which implies which")
        return value

    @field_validator("exhaustive_sizes")
    @classmethod
    def _exhaustive_sizes_small(cls, value: list[int]) -> list[int]:
        if any(size < 1 or size > 3 for size in value):
            raise ValueError("exhaustive search is for sizes 1 to 3 (size 4 has 4^16 tables)")
        return sorted(set(value))

    @field_validator("search_sizes")
    @classmethod
    def _search_sizes_positive(cls, value: list[int]) -> list[int]:
        if any(size < 2 or size > 12 for size in value):
            raise ValueError("search sizes must lie between 2 and 12")
        return sorted(set(value))

    @cached_property
    def named_laws(self) -> list[NamedLaw]:
        """The laws of the question, parsed."""
        return parse_law_spec(self.laws)

    @property
    def uses_bulk_engine(self) -> bool:
        """Whether the question goes to the bulk engine (the implication matrix), not a claim and a task per pair."""
        return self.engine == "bulk" or (self.engine == "auto" and len(self.named_laws) > BULK_ABOVE_LAWS)

    question_field: ClassVar[tuple[str, str]] = ("laws", "laws")

    def question_fingerprint(self) -> Any:
        """The laws asked about, by name and text: the sizes and the engine may change between runs."""
        return [(item.name, str(item.law)) for item in self.named_laws]

    def question_extends(self, before: Any) -> bool:
        """Laws were only added: every law asked before is still asked, under its name. A small
        question only (the bulk engine's matrix is sized by the laws it began with)."""
        asked = [tuple(item) for item in self.question_fingerprint()]
        earlier = [tuple(item) for item in before] if isinstance(before, list) else []
        small = self.engine == "pairs" or (self.engine == "auto" and len(asked) <= BULK_ABOVE_LAWS)
        return small and bool(earlier) and set(earlier) < set(asked)


SETTINGS = MagmaImplications
