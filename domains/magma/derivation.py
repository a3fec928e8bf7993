"""Equational derivations (rewrite chains from a hypothesis), our own checker for them, and their Lean `calc` form.

A derivation proves a conclusion from one hypothesis ``h`` through lemmas. Each lemma ``∀ vars, lhs = rhs``
is a chain of steps from ``lhs`` to ``rhs``; a step rewrites the current term at a position with an
instance of ``h`` or of an earlier lemma, read forwards or backwards. ``check_derivation`` re-checks
every step syntactically, and ``lean_theorem`` emits Lean only for a derivation it accepts, one
``calc`` step per checked step, so every ``calc`` step is an instance of a hypothesis or a prior lemma.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Union

from .terms import VARIABLE_NAMES, Law

DTerm = Union[str, tuple["DTerm", "DTerm"]]
"""A term over named leaves: a name, or a pair ``(left, right)`` meaning ``left ◇ right``."""

HYPOTHESIS = "h"
_HOLE = "ξ"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_']*")


@dataclass(frozen=True)
class Equation:
    """``∀ binders, lhs = rhs``."""

    binders: tuple[str, ...]
    lhs: DTerm
    rhs: DTerm


@dataclass(frozen=True)
class Step:
    """Rewrite the subterm at ``path`` (0 = left operand, 1 = right) with an instance of ``by``."""

    by: str
    """``h`` or the name of an earlier lemma."""
    args: tuple[DTerm, ...]
    """One term per binder of ``by``'s equation, in order."""
    backwards: bool
    """Use the instance right-to-left."""
    path: tuple[int, ...]


@dataclass(frozen=True)
class Lemma:
    name: str
    equation: Equation
    steps: tuple[Step, ...]
    """From ``equation.lhs`` to ``equation.rhs``; empty when the two sides are the same term."""


@dataclass(frozen=True)
class Derivation:
    hypothesis: Equation
    lemmas: tuple[Lemma, ...]
    """In order; the last one is the conclusion."""

    @property
    def conclusion(self) -> Equation:
        return self.lemmas[-1].equation


def law_equation(law: Law) -> Equation:
    """A law as an equation over the ETP variable names (x, y, z, …), binders in index order."""

    def convert(term) -> DTerm:
        return VARIABLE_NAMES[term] if isinstance(term, int) else (convert(term[0]), convert(term[1]))

    count = law.variable_count
    if count > len(VARIABLE_NAMES):
        raise ValueError(f"{law} has more variables than there are names")
    return Equation(tuple(VARIABLE_NAMES[:count]), convert(law.lhs), convert(law.rhs))


def leaves(term: DTerm) -> set[str]:
    return {term} if isinstance(term, str) else leaves(term[0]) | leaves(term[1])


def subterm(term: DTerm, path: Sequence[int]) -> DTerm | None:
    for index in path:
        if isinstance(term, str):
            return None
        term = term[index]
    return term


def replace(term: DTerm, path: Sequence[int], new: DTerm) -> DTerm:
    if not path:
        return new
    assert not isinstance(term, str)
    if path[0] == 0:
        return (replace(term[0], path[1:], new), term[1])
    return (term[0], replace(term[1], path[1:], new))


def substitute(term: DTerm, mapping: dict[str, DTerm]) -> DTerm:
    if isinstance(term, str):
        return mapping.get(term, term)
    return (substitute(term[0], mapping), substitute(term[1], mapping))


def instance(equation: Equation, args: Sequence[DTerm]) -> tuple[DTerm, DTerm]:
    mapping = dict(zip(equation.binders, args))
    return substitute(equation.lhs, mapping), substitute(equation.rhs, mapping)


class StepError(ValueError):
    """A step that does not apply: its message says why."""


def apply_step(equations: dict[str, Equation], term: DTerm, step: Step) -> DTerm:
    """The term after ``step``; ``StepError`` when the step does not apply to ``term``."""
    if step.by not in equations:
        raise StepError(f"{step.by} is neither the hypothesis nor an earlier lemma")
    equation = equations[step.by]
    if len(step.args) != len(equation.binders):
        raise StepError(f"{step.by} takes {len(equation.binders)} arguments, not {len(step.args)}")
    if any(not isinstance(i, int) or i not in (0, 1) for i in step.path):
        raise StepError(f"{list(step.path)} is not a position")
    source, target = instance(equation, step.args)
    if step.backwards:
        source, target = target, source
    if subterm(term, step.path) != source:
        raise StepError(f"the subterm at {list(step.path)} is not {lean_term(source)}")
    return replace(term, step.path, target)


def check_derivation(derivation: Derivation) -> list[str]:
    """Every problem with ``derivation``; empty when every step of every lemma checks."""
    problems: list[str] = []
    equations = {HYPOTHESIS: derivation.hypothesis}
    if not derivation.lemmas:
        return ["no lemmas: nothing is derived"]
    for name, equation in [(HYPOTHESIS, derivation.hypothesis)] + [(m.name, m.equation) for m in derivation.lemmas]:
        problems += _equation_problems(name, equation)
    for lemma in derivation.lemmas:
        if lemma.name in equations:
            problems.append(f"lemma {lemma.name} is declared twice (or shadows the hypothesis)")
            continue
        scope = set(lemma.equation.binders)
        term = lemma.equation.lhs
        for number, step in enumerate(lemma.steps, 1):
            stray = set().union(*(leaves(a) for a in step.args)) - scope if step.args else set()
            if stray:
                problems.append(f"{lemma.name} step {number}: arguments use unbound names {sorted(stray)}")
                break
            try:
                term = apply_step(equations, term, step)
            except StepError as error:
                problems.append(f"{lemma.name} step {number}: {error}")
                break
        else:
            if term != lemma.equation.rhs:
                problems.append(f"{lemma.name}: the chain ends at {term!r}, not at the right side")
        equations[lemma.name] = lemma.equation
    return problems


def _equation_problems(name: str, equation: Equation) -> list[str]:
    problems = []
    if not _IDENT.fullmatch(name):
        problems.append(f"{name!r} is not a plain Lean identifier")
    names = list(equation.binders)
    if len(set(names)) != len(names) or not all(_IDENT.fullmatch(n) for n in names):
        problems.append(f"{name}: binders {names} are not distinct plain identifiers")
    stray = (leaves(equation.lhs) | leaves(equation.rhs)) - set(names)
    if stray:
        problems.append(f"{name}: unbound names {sorted(stray)}")
    return problems


def lean_term(term: DTerm, top: bool = True) -> str:
    if isinstance(term, str):
        return term
    text = f"{lean_term(term[0], False)} ◇ {lean_term(term[1], False)}"
    return text if top else f"({text})"


def _calc(equations: dict[str, Equation], lemma: Lemma, indent: str) -> str:
    if not lemma.steps:
        return f"{indent}rfl\n"
    lines, term = [], lemma.equation.lhs
    for number, step in enumerate(lemma.steps):
        after = apply_step(equations, term, step)
        proof = _step_proof_in(term, step)
        if number == 0:
            lines.append(f"{indent}calc {lean_term(term)} = {lean_term(after)} := {proof}\n")
        else:
            lines.append(f"{indent}  _ = {lean_term(after)} := {proof}\n")
        term = after
    return "".join(lines)


def _step_proof_in(term: DTerm, step: Step) -> str:
    """The Lean proof of one step: the instance, wrapped in ``congrArg`` with the term around the position."""
    applied = " ".join([step.by, *(lean_term(a, False) for a in step.args)])
    proof = f"({applied}).symm" if step.backwards else applied
    if not step.path:
        return proof
    context = lean_term(replace(term, step.path, _HOLE))
    return f"congrArg (fun {_HOLE} : G => {context}) ({proof})"


def lean_theorem(hyp_name: str, hypothesis: Law, concl_name: str, conclusion: Law, derivation: Derivation) -> str:
    """``theorem {hyp}_implies_{concl}``: one ``have`` per lemma, each a ``calc`` chain; the last closes the goal.

    Refuses (``ValueError``) a derivation our checker rejects, or one that derives something other
    than ``conclusion`` from something other than ``hypothesis``.
    """
    problems = check_derivation(derivation)
    if derivation.hypothesis != law_equation(hypothesis):
        problems.append(f"the derivation's hypothesis is not {hyp_name}")
    if derivation.lemmas and derivation.conclusion != law_equation(conclusion):
        problems.append(f"the derivation's conclusion is not {concl_name}")
    if problems:
        raise ValueError("not a checked derivation: " + "; ".join(problems))
    equations = {HYPOTHESIS: derivation.hypothesis}
    out = [f"theorem {hyp_name}_implies_{concl_name} (G : Type) [Magma G] (h : {hyp_name} G) : {concl_name} G :=\n"]
    for lemma in derivation.lemmas[:-1]:
        eq = lemma.equation
        binders = " ".join(eq.binders)
        statement = f"{lean_term(eq.lhs)} = {lean_term(eq.rhs)}"
        if eq.binders:
            out.append(f"  have {lemma.name} : ∀ {binders} : G, {statement} := fun {binders} =>\n")
        else:
            out.append(f"  have {lemma.name} : {statement} :=\n")
        out.append(_calc(equations, lemma, "    "))
        equations[lemma.name] = eq
    goal = derivation.lemmas[-1]
    out.append(f"  fun {' '.join(goal.equation.binders)} =>\n")
    out.append(_calc(equations, goal, "    "))
    return "".join(out)
