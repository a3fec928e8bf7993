"""Outcomes of provers and model searches: closed sets of frozen models, told apart by ``outcome``."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

Table = tuple[tuple[int, ...], ...]
"""A magma on ``{0, ..., n-1}``: ``table[a][b]`` is ``a ◇ b``."""


class FrozenModel(BaseModel):
    """Base of every tool outcome: immutable, no unknown fields, field docstrings kept as descriptions."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Proved(FrozenModel):
    """The prover derived the conclusion from the hypotheses."""

    outcome: Literal["proved"] = "proved"
    tool: str
    """Prover that found the proof, e.g. ``eprover`` or ``z3``."""
    version: str
    """The prover's own version string."""
    status_line: str
    """The line that states the verdict, e.g. ``# SZS status Theorem``."""
    output: str
    """The prover's full output: the proof object, kept as evidence."""
    seconds: float
    """Wall-clock time of the run."""


class Disproved(FrozenModel):
    """The prover showed the conclusion does not follow (the problem is counter-satisfiable)."""

    outcome: Literal["disproved"] = "disproved"
    tool: str
    """Prover that gave the verdict."""
    version: str
    """The prover's own version string."""
    status_line: str
    """The line that states the verdict, e.g. ``# SZS status CounterSatisfiable``."""
    output: str
    """The prover's full output (a saturated clause set, or a model)."""
    seconds: float
    """Wall-clock time of the run."""
    table: Table | None = None
    """A finite counter-model read off the prover's model, when it gave one; re-check before trusting."""


class Unknown(FrozenModel):
    """The prover stopped without a verdict for a reason other than time."""

    outcome: Literal["unknown"] = "unknown"
    tool: str
    """Prover that ran."""
    version: str
    """The prover's own version string."""
    reason: str
    """Why it stopped, e.g. ``GaveUp`` or z3's ``reason_unknown()``."""
    output: str
    """The prover's full output."""
    seconds: float
    """Wall-clock time of the run."""


class TimedOut(FrozenModel):
    """The prover ran out of its time (or other resource) limit."""

    outcome: Literal["timed_out"] = "timed_out"
    tool: str
    """Prover that ran."""
    version: str
    """The prover's own version string."""
    limit: float
    """The time limit it was given, in seconds."""
    reason: str
    """What ran out: ``ResourceOut`` from the prover, or ``wall-clock`` when we killed it."""
    output: str
    """Whatever the prover printed before it stopped."""
    seconds: float
    """Wall-clock time of the run."""


ProverResult = Annotated[Union[Proved, Disproved, Unknown, TimedOut], Field(discriminator="outcome")]
"""What a prover run ended with."""


class Found(FrozenModel):
    """A finite magma satisfying the hypotheses and violating the conclusion."""

    outcome: Literal["found"] = "found"
    table: Table
    """The operation table: ``table[a][b]`` is ``a ◇ b`` on ``{0, ..., size-1}``."""
    size: int
    """Number of elements."""
    seconds: float
    """Wall-clock time of the whole search."""
    tool: str
    """Solver and version that found it, e.g. ``z3 4.13.0``."""


class NotFound(FrozenModel):
    """No counterexample among the sizes searched."""

    outcome: Literal["not_found"] = "not_found"
    sizes_tried: tuple[int, ...]
    """Sizes the search attempted, in order."""
    sizes_exhausted: tuple[int, ...]
    """Sizes proved to hold no counterexample at all."""
    reason: Literal["exhausted", "budget"]
    """``exhausted``: every size in the range was proved empty; ``budget``: time ran out first."""
    seconds: float
    """Wall-clock time of the whole search."""


ModelSearchResult = Annotated[Union[Found, NotFound], Field(discriminator="outcome")]
"""What a finite model search ended with."""
