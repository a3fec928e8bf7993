"""The `[domain]` section of a free-form project."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mathteam.domains.section import DomainSection


class ClaimSpec(BaseModel):
    """A claim a person poses (`[[domain.claims]]`): its words and the forms a machine can check."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    statement: str = Field(min_length=1)
    """The claim in words; the report and the export name the claim by it, verbatim."""
    python: str | None = None
    """Python defining `holds(x) -> bool`; run only in the sandbox, over `instances`. Every instance
    holding makes the claim `checked` (never `proved`); a failing one refutes it."""
    instances: str | None = None
    """A Python expression for an iterable of instances, e.g. `"range(0, 10**4)"`; needed with `python`."""
    sympy: str | None = None
    """An identity `Eq(lhs, rhs)` in sympy syntax, its free symbols as the (integer) variables."""
    smt: str | None = None
    """An SMT-LIB 2 term for z3, e.g. `(forall ((a Int) (b Int)) (>= (+ (* a a) (* b b)) (* 2 a b)))`."""
    lean: str | None = None
    """A Lean 4 proposition (what follows `theorem name :`), for the Lean gate."""

    @model_validator(mode="after")
    def _forms_read(self) -> "ClaimSpec":
        from mathteam.domains.freeform.forms import instances_problem, python_problem
        from mathteam.domains.freeform.identity import IdentityError, syntax_problem
        from mathteam.domains.freeform.smt import SmtError, negation_script

        if (self.python is None) != (self.instances is None):
            raise ValueError("give `python` and `instances` together (the predicate and where to test it)")
        if self.python is not None and (problem := python_problem(self.python)):
            raise ValueError(f"python: {problem}")
        if self.instances is not None and (problem := instances_problem(self.instances)):
            raise ValueError(f"instances: {problem}")
        if self.sympy is not None and (problem := syntax_problem(self.sympy)):
            raise ValueError(f"sympy: {problem}")
        if self.smt is not None:
            try:
                negation_script(self.smt)
            except SmtError as error:
                raise ValueError(f"smt: {error}") from None
        return self


class Freeform(DomainSection):
    kind: Literal["freeform"]
    """A goal in words (`[project] goal`), worked on by model brains, and claims a person poses."""
    max_tasks: int = Field(default=12, ge=1, le=200)
    """The most tasks the planner may create from the goal."""
    claims: list[ClaimSpec] = []
    """Claims posed in the file (`[[domain.claims]]`); they are checked with no model at all."""
    max_rounds: int = Field(default=3, ge=0, le=100)
    """With a model conjecturer: the most research rounds (conjecture, check, prove) after the first
    plan; 0: the first plan only."""

    def team_problem(self, team: Any) -> str | None:
        if team.planner == "symbolic" and not self.claims:
            return ("[team] planner: a freeform project without [[domain.claims]] needs a model brain: "
                    "add a [models.NAME] table "
                    "(provider, model, and base_url for a local OpenAI-compatible server) and set "
                    "[team] planner = \"NAME\"")
        return None


SETTINGS = Freeform
