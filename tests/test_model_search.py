"""Finite counterexample search, with every table it finds re-checked by independent code here."""

from __future__ import annotations

import itertools

import pytest

from mathteam.domains.magma.terms import parse_law
from mathteam.tools.sat_search import find_counterexample
from mathteam.tools.results import Found, NotFound

# ETP Equation14 ⇏ Equation43 (likewise ⇏ 16, 26; and 29 ⇏ 16, 26, 43): the only non-implications
# among ETP laws 1–46 with no counterexample of size ≤ 3 — a brute force over all 19,710 magmas of
# size ≤ 3 separates the other 1,235; E reports all 1,241 CounterSatisfiable.
EQUATION_14 = parse_law("x = y ◇ (x ◇ y)")
EQUATION_43 = parse_law("x ◇ y = y ◇ x")


def evaluate(term, table, values):
    """Plain recursive evaluation, deliberately sharing no code with the search."""
    if isinstance(term, int):
        return values[term]
    return table[evaluate(term[0], table, values)][evaluate(term[1], table, values)]


def holds(law, table):
    return all(
        evaluate(law.lhs, table, values) == evaluate(law.rhs, table, values)
        for values in itertools.product(range(len(table)), repeat=law.variable_count)
    )


def all_tables(size):
    for cells in itertools.product(range(size), repeat=size * size):
        yield tuple(tuple(cells[row * size : (row + 1) * size]) for row in range(size))


def test_no_magma_of_size_three_or_less_separates_the_pair():
    for size in (1, 2, 3):
        assert not any(holds(EQUATION_14, t) and not holds(EQUATION_43, t) for t in all_tables(size))


def test_finds_a_size_four_counterexample_that_rechecks_independently():
    result = find_counterexample(EQUATION_14, EQUATION_43, sizes=range(2, 7), seconds=20)
    assert isinstance(result, Found)
    assert result.size == 4 == len(result.table)
    assert all(len(row) == 4 and all(type(v) is int and 0 <= v < 4 for v in row) for row in result.table)
    assert holds(EQUATION_14, result.table)
    assert not holds(EQUATION_43, result.table)
    assert result.tool.startswith("PySAT ")


def test_commutativity_is_refuted_against_associativity_at_size_three():
    commutative, associative = parse_law("x ◇ y = y ◇ x"), parse_law("(x ◇ y) ◇ z = x ◇ (y ◇ z)")
    result = find_counterexample(commutative, associative, sizes=[3], seconds=10)
    assert isinstance(result, Found)
    assert holds(commutative, result.table) and not holds(associative, result.table)


def test_several_hypotheses_must_all_hold():
    idempotent, commutative = parse_law("x = x ◇ x"), parse_law("x ◇ y = y ◇ x")
    associative = parse_law("(x ◇ y) ◇ z = x ◇ (y ◇ z)")
    result = find_counterexample([idempotent, commutative], associative, sizes=[3], seconds=10)
    assert isinstance(result, Found)
    assert holds(idempotent, result.table) and holds(commutative, result.table)
    assert not holds(associative, result.table)


def test_a_true_implication_exhausts_every_size():
    result = find_counterexample(parse_law("x = x ◇ y"), parse_law("x ◇ y = x ◇ z"), sizes=range(1, 6), seconds=20)
    assert result == NotFound(
        sizes_tried=(1, 2, 3, 4, 5), sizes_exhausted=(1, 2, 3, 4, 5), reason="exhausted", seconds=result.seconds
    )


def test_running_out_of_time_is_reported_as_budget():
    # ETP Equation3049 has six variables: its 46,656 ground instances at size 6 are grounded with
    # the clock read every 256 of them (about 180 reads in all). A clock that advances one tick per
    # read runs out after a few reads, whatever the machine's speed, so the search must stop
    # grounding early and say why.
    reads = 0

    def ticking_clock() -> float:
        nonlocal reads
        reads += 1
        return reads * 0.01

    hypothesis = parse_law("x = ((y ◇ (z ◇ w)) ◇ u) ◇ v")
    result = find_counterexample(hypothesis, parse_law("x = y"), sizes=[6], seconds=0.05, clock=ticking_clock)
    assert isinstance(result, NotFound) and result.reason == "budget"
    assert result.sizes_tried == (6,) and result.sizes_exhausted == ()
    # Read while grounding (outside it only four reads happen), and grounding stopped at the deadline:
    assert 4 < reads < 20


def test_zero_budget_tries_nothing():
    result = find_counterexample(EQUATION_14, EQUATION_43, seconds=0)
    assert result == NotFound(sizes_tried=(), sizes_exhausted=(), reason="budget", seconds=result.seconds)


def test_every_hard_pair_among_etp_laws_1_to_46_has_a_size_four_counterexample(etp_lines):
    laws = {int(name.removeprefix("Equation")): parse_law(text.strip()) for name, text in etp_lines}
    for a, b in [(14, 16), (14, 26), (14, 43), (29, 16), (29, 26), (29, 43)]:
        result = find_counterexample(laws[a], laws[b], sizes=range(4, 5), seconds=10)
        assert isinstance(result, Found), (a, b)
        assert holds(laws[a], result.table) and not holds(laws[b], result.table), (a, b)
