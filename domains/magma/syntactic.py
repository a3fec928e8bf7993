"""Implications proved without a prover (instances, reflexivity, singleton laws), with checkable certificates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

from mathteam.domains.magma.terms import Law, Term, substitute, variables


@dataclass(frozen=True)
class Substitution:
    """The conclusion is σ(hypothesis): ``σ(hyp.lhs) = concl.lhs`` and ``σ(hyp.rhs) = concl.rhs``.

    With ``swapped`` the sides of the conclusion are exchanged: ``σ(hyp.lhs) = concl.rhs``.
    ``mapping`` lists ``(variable, term)`` pairs, one per variable of the hypothesis.
    """

    mapping: tuple[tuple[int, Term], ...]
    swapped: bool = False


@dataclass(frozen=True)
class Reflexivity:
    """The conclusion has identical sides, so it holds in every magma."""


@dataclass(frozen=True)
class SingletonHypothesis:
    """One side of the hypothesis is a lone variable absent from the other side.

    Say the law is ``x = t`` with ``x`` not in ``t``. In a magma satisfying it, take any elements
    ``a`` and ``b`` and fix any values for the variables of ``t``: then ``a = t(σ)`` and ``b = t(σ)``
    for the same σ, so ``a = b``. The magma has at most one element and satisfies every law.
    """

    variable: int
    side: Literal["lhs", "rhs"]


Certificate = Union[Substitution, Reflexivity, SingletonHypothesis]


def _match(pattern: Term, target: Term, mapping: dict[int, Term]) -> bool:
    """Extend ``mapping`` so that ``pattern`` under it equals ``target``; False when impossible."""
    if isinstance(pattern, int):
        bound = mapping.setdefault(pattern, target)
        return bound == target
    if isinstance(target, int):
        return False
    return _match(pattern[0], target[0], mapping) and _match(pattern[1], target[1], mapping)


def instance_proof(hypothesis: Law, conclusion: Law) -> Substitution | None:
    """A substitution turning ``hypothesis`` into ``conclusion`` (possibly with its sides swapped), or None."""
    for swapped in (False, True):
        left, right = (conclusion.rhs, conclusion.lhs) if swapped else (conclusion.lhs, conclusion.rhs)
        mapping: dict[int, Term] = {}
        if _match(hypothesis.lhs, left, mapping) and _match(hypothesis.rhs, right, mapping):
            return Substitution(tuple(sorted(mapping.items())), swapped)
    return None


def check_instance(hypothesis: Law, conclusion: Law, certificate: Substitution) -> bool:
    """Re-apply the certificate's substitution and compare with the conclusion."""
    mapping = dict(certificate.mapping)
    if len(mapping) != len(certificate.mapping):
        return False
    left, right = substitute(hypothesis.lhs, mapping), substitute(hypothesis.rhs, mapping)
    if certificate.swapped:
        left, right = right, left
    return left == conclusion.lhs and right == conclusion.rhs


def reflexivity_proof(conclusion: Law) -> Reflexivity | None:
    """A certificate when both sides of ``conclusion`` are the same term (only ``x = x`` canonically)."""
    return Reflexivity() if conclusion.lhs == conclusion.rhs else None


def check_reflexivity(conclusion: Law, certificate: Reflexivity) -> bool:
    return isinstance(certificate, Reflexivity) and conclusion.lhs == conclusion.rhs


def singleton_proof(hypothesis: Law) -> SingletonHypothesis | None:
    """A certificate when ``hypothesis`` forces every magma satisfying it to have one element."""
    sides: tuple[tuple[Literal["lhs", "rhs"], Term, Term], ...] = (
        ("lhs", hypothesis.lhs, hypothesis.rhs),
        ("rhs", hypothesis.rhs, hypothesis.lhs),
    )
    for side, term, other in sides:
        if isinstance(term, int) and term not in variables(other):
            return SingletonHypothesis(term, side)
    return None


def check_singleton(hypothesis: Law, certificate: SingletonHypothesis) -> bool:
    """Re-verify the syntactic condition: the named side is the named variable, absent from the other side."""
    if certificate.side == "lhs":
        term, other = hypothesis.lhs, hypothesis.rhs
    elif certificate.side == "rhs":
        term, other = hypothesis.rhs, hypothesis.lhs
    else:
        return False
    return isinstance(term, int) and term == certificate.variable and term not in variables(other)


def syntactic_proof(hypothesis: Law, conclusion: Law) -> Certificate | None:
    """The cheapest certificate that ``hypothesis`` implies ``conclusion``, or None if none applies."""
    return reflexivity_proof(conclusion) or singleton_proof(hypothesis) or instance_proof(hypothesis, conclusion)


def check_certificate(hypothesis: Law, conclusion: Law, certificate: Certificate) -> bool:
    """Independently re-verify any certificate produced by :func:`syntactic_proof`."""
    if isinstance(certificate, Reflexivity):
        return check_reflexivity(conclusion, certificate)
    if isinstance(certificate, SingletonHypothesis):
        return check_singleton(hypothesis, certificate)
    if isinstance(certificate, Substitution):
        return check_instance(hypothesis, conclusion, certificate)
    return False
