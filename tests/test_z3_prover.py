"""The z3 fallback prover: proofs, counter-models re-checked by hand, and time limits."""

from __future__ import annotations

import itertools

from mathteam.domains.magma.terms import parse_law
from mathteam.tools.results import Disproved, Proved, TimedOut
from mathteam.tools.z3_prover import prove_with_z3


def evaluate(term, table, values):
    if isinstance(term, int):
        return values[term]
    return table[evaluate(term[0], table, values)][evaluate(term[1], table, values)]


def holds(law, table):
    count = law.variable_count
    return all(
        evaluate(law.lhs, table, values) == evaluate(law.rhs, table, values)
        for values in itertools.product(range(len(table)), repeat=count)
    )


def test_z3_proves_that_a_left_projection_has_constant_rows():
    result = prove_with_z3(parse_law("x = x ◇ y"), parse_law("x ◇ y = x ◇ z"), 5)
    assert isinstance(result, Proved)
    assert result.tool == "z3" and result.status_line == "unsat"


def test_z3_proves_that_a_law_with_a_lone_variable_forces_commutativity():
    result = prove_with_z3(parse_law("x = y ◇ z"), parse_law("x ◇ y = y ◇ x"), 5)
    assert isinstance(result, Proved)


def test_commutativity_does_not_prove_associativity():
    commutative, associative = parse_law("x ◇ y = y ◇ x"), parse_law("(x ◇ y) ◇ z = x ◇ (y ◇ z)")
    result = prove_with_z3(commutative, associative, 5)
    assert not isinstance(result, Proved)
    if isinstance(result, Disproved) and result.table is not None:
        assert holds(commutative, result.table) and not holds(associative, result.table)


def test_z3_counter_model_is_a_real_counterexample():
    hypothesis, conclusion = parse_law("x = (x ◇ y) ◇ x"), parse_law("x ◇ y = y ◇ x")
    result = prove_with_z3(hypothesis, conclusion, 5)
    assert isinstance(result, Disproved) and result.table is not None
    assert holds(hypothesis, result.table) and not holds(conclusion, result.table)


def test_z3_stops_at_its_time_limit():
    # x = y ◇ (x ◇ y) sends z3's quantifier instantiation into a loop it cannot close.
    result = prove_with_z3(parse_law("x = y ◇ (x ◇ y)"), parse_law("x = y"), 0.3)
    assert isinstance(result, TimedOut)
    assert result.limit == 0.3 and result.seconds < 2
