"""One entry point over the provers: E when installed, z3 otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..domains.magma.terms import Law
from .eprover import find_eprover, prove_with_e
from .results import ProverResult
from .command_runner import Runner, subprocess_runner
from .z3_prover import prove_with_z3

Preference = Literal["auto", "eprover", "z3"]


def available_provers() -> tuple[str, ...]:
    """Names of the provers that can run here, best first; z3 is a dependency, so always present."""
    return ("eprover", "z3") if find_eprover() else ("z3",)


def prove(
    hypothesis: Law | Sequence[Law],
    conclusion: Law,
    seconds: float,
    prefer: Preference = "auto",
    *,
    runner: Runner = subprocess_runner,
) -> ProverResult:
    """Try to prove ``hypothesis ⊢ conclusion`` within ``seconds``.

    ``auto`` picks E when it is on PATH (it is far stronger on equational problems), else z3;
    naming a prover that is missing raises ``ToolUnavailable``.
    """
    if prefer not in ("auto", "eprover", "z3"):
        raise ValueError(f"unknown prover {prefer!r}; choose auto, eprover or z3")
    if prefer == "eprover" or (prefer == "auto" and find_eprover()):
        return prove_with_e(hypothesis, conclusion, seconds, runner=runner)
    return prove_with_z3(hypothesis, conclusion, seconds)
