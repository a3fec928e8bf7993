"""Knuth–Bendix completion of a magma law under a fixed reduction order.

Given equations and a reduction order (one of :data:`reduction_orders.ORDERS`), completion tries to
build a finite rewriting system that presents the same equational theory and in which every
critical pair is joinable. It fails (returns None) when an equation cannot be oriented, and gives up
(returns None) when a bound is reached: too many rules, too many steps, or an equation larger than
the size bound. It is a proposer only: whatever it returns is certified by the rewriting checker
before it counts as evidence, so a bug here could cost refutations but never create a false one.

The procedure is the standard one with interreduction (Huet's): take the smallest pending equation,
normalise both sides, orient it, let the new rule simplify the left sides (rule back to pending) and
the right sides of the others; when nothing is pending, compute the critical pairs of the oldest rule
not yet overlapped with all rules kept so far. Smallest first makes the search fair.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import count
from typing import Iterator

from .reduction_orders import ORDER_NAMES, ORDERS
from .rewriting import ConvergentSystem, Rule as CertifiedRule, certify_rules, match, overlaps
from .terms import Law, Term, substitute

Rule = tuple[Term, Term]


@dataclass(frozen=True)
class CompletionBounds:
    """Where completion gives up: rules kept at once, loop steps, and the size (leaves) of a side."""

    max_rules: int = 60
    max_steps: int = 4000
    max_size: int = 24


def _size(term: Term) -> int:
    return 1 if isinstance(term, int) else _size(term[0]) + _size(term[1])


def _rewrite_at_root(term: Term, rules: list[Rule]) -> Term | None:
    for lhs, rhs in rules:
        binding = match(lhs, term)
        if binding is not None:
            return substitute(rhs, binding)
    return None


def normal_form(term: Term, rules: list[Rule]) -> Term:
    """Innermost normal form of ``term`` (terminates because every rule decreases a reduction order)."""
    while True:
        if not isinstance(term, int):
            term = (normal_form(term[0], rules), normal_form(term[1], rules))
        reduct = _rewrite_at_root(term, rules)
        if reduct is None:
            return term
        term = reduct


def _reducible(term: Term, rules: list[Rule]) -> bool:
    if _rewrite_at_root(term, rules) is not None:
        return True
    return not isinstance(term, int) and (_reducible(term[0], rules) or _reducible(term[1], rules))


def obstruction(a: Term, b: Term) -> str | None:
    """Why no convergent rewriting system (finite or not, under any reduction order) can have
    ``a = b`` hold in its term model (so none can for a law that proves it), or None when this test
    finds no reason.

    In such a system no left side is a variable, rewriting never introduces a variable, and
    renaming variables (a bijection) maps normal forms to normal forms, so ``u = nf(a) = nf(b)`` has
    a variable (there are no constants), all its variables occur in both sides, and when ``b`` is
    ``a`` renamed by σ, σ(u) = u fixes every variable of u. The test: the two sides share no
    variable, or they are variants by a renaming that moves every variable of ``a``."""
    if not set(_variables(a)) & set(_variables(b)):
        return "the two sides share no variable"
    renaming: dict[int, int] = {}
    if _rename_onto(a, b, renaming) and len(set(renaming.values())) == len(renaming):
        if all(source != target for source, target in renaming.items()):
            return "the sides are variants by a renaming that moves every variable"
    return None


def _variables(term: Term) -> list[int]:
    if isinstance(term, int):
        return [term]
    return _variables(term[0]) + _variables(term[1])


def _rename_onto(a: Term, b: Term, renaming: dict[int, int]) -> bool:
    """Extend ``renaming`` (variable to variable) so that it maps ``a`` onto ``b``."""
    if isinstance(a, int):
        if not isinstance(b, int):
            return False
        return renaming.setdefault(a, b) == b
    if isinstance(b, int):
        return False
    return _rename_onto(a[0], b[0], renaming) and _rename_onto(a[1], b[1], renaming)


def critical_pairs(outer: Rule, inner: Rule) -> Iterator[tuple[Term, Term]]:
    """The critical pairs of ``inner``'s left side unified with a non-variable subterm of
    ``outer``'s left side (a rule with itself at the root is skipped: it gives a trivial pair)."""
    return overlaps(outer, inner, outer == inner)


def _canonical(a: Term, b: Term) -> tuple[Term, Term]:
    """Rename variables in order of first appearance, so equal equations up to renaming coincide."""
    names: dict[int, int] = {}

    def rename(t: Term) -> Term:
        if isinstance(t, int):
            return names.setdefault(t, len(names))
        return (rename(t[0]), rename(t[1]))

    return rename(a), rename(b)


@dataclass(frozen=True)
class CompletionOutcome:
    """What completion ended with: ``rules`` when it finished, else why it stopped (``reason``:
    ``unorientable``, ``rules``, ``steps`` or ``size``, the bound reached) and on which equation."""

    rules: list[Rule] | None
    reason: str
    equation: tuple[Term, Term] | None = None
    obstruction: str | None = None
    """For an unorientable equation: `obstruction`'s reason why no order at all can help."""


def complete(
    equations: list[tuple[Term, Term]], order: str, bounds: CompletionBounds = CompletionBounds()
) -> list[Rule] | None:
    """A convergent system for ``equations`` whose rules all decrease ``order``, or None when an
    equation is not orientable in ``order`` or a bound in ``bounds`` is reached first."""
    return run_completion(equations, order, bounds).rules


def run_completion(
    equations: list[tuple[Term, Term]], order: str, bounds: CompletionBounds = CompletionBounds()
) -> CompletionOutcome:
    """Completion of ``equations`` in ``order`` within ``bounds``, with the reason it stopped."""
    greater = ORDERS[order]
    tie = count()
    pending: list[tuple[int, int, Term, Term]] = []

    def push(a: Term, b: Term) -> None:
        a, b = _canonical(a, b)
        heapq.heappush(pending, (_size(a) + _size(b), next(tie), a, b))

    for a, b in equations:
        push(a, b)
    rules: list[Rule] = []
    overlapped: list[Rule] = []  # rules whose critical pairs with all of ``overlapped`` are pending
    waiting: list[Rule] = []  # rules not yet overlapped, oldest first
    for _ in range(bounds.max_steps):
        if pending:
            _, _, a, b = heapq.heappop(pending)
            a, b = normal_form(a, rules), normal_form(b, rules)
            if a == b:
                continue
            if max(_size(a), _size(b)) > bounds.max_size:
                return CompletionOutcome(None, "size", (a, b))
            if greater(a, b):
                new = (a, b)
            elif greater(b, a):
                new = (b, a)
            else:
                return CompletionOutcome(None, "unorientable", (a, b), obstruction(a, b))
            kept: list[Rule] = []
            for rule in rules:
                if _reducible(rule[0], [new]):
                    push(*rule)
                    _discard(rule, overlapped, waiting)
                else:
                    kept.append(rule)
            rules = kept + [new]
            for rule in list(rules[:-1]):
                rhs = normal_form(rule[1], rules)
                if rhs != rule[1]:
                    _replace_rule(rule, (rule[0], rhs), rules, overlapped, waiting)
            waiting.append(new)
            if len(rules) > bounds.max_rules:
                return CompletionOutcome(None, "rules")
        elif waiting:
            rule = waiting.pop(0)
            overlapped.append(rule)
            for other in overlapped:
                for pair in critical_pairs(rule, other):
                    push(*pair)
                if other != rule:
                    for pair in critical_pairs(other, rule):
                        push(*pair)
        else:
            return CompletionOutcome(rules, "finished")
    return CompletionOutcome(None, "steps")


def _discard(rule: Rule, *lists: list[Rule]) -> None:
    for items in lists:
        if rule in items:
            items.remove(rule)


def _replace_rule(old: Rule, new: Rule, *lists: list[Rule]) -> None:
    for items in lists:
        if old in items:
            items[items.index(old)] = new


#: Bounds for completing every law of a run: most laws that complete at all do so within them (the
#: free magmas certified this way, bench/README.md "Convergent systems by our own completion").
QUICK_BOUNDS = CompletionBounds(max_rules=20, max_steps=600, max_size=14)


def convergent_system(
    law: Law, bounds: CompletionBounds = QUICK_BOUNDS, orders: tuple[str, ...] = ORDER_NAMES
) -> ConvergentSystem | None:
    """The free magma of ``law`` as a rewriting system certified convergent by
    domains/magma/rewriting, from the first order in ``orders`` whose completion finishes within
    ``bounds``; None when none does (or, which would be a bug here, the checker refuses it)."""
    for order in orders:
        rules = complete([(law.lhs, law.rhs)], order, bounds)
        if rules is None:
            continue
        system = certify_rules(CertifiedRule(lhs, rhs) for lhs, rhs in rules)
        if isinstance(system, ConvergentSystem) and system.holds(law):
            return system
    return None
