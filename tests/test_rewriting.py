"""Convergent rewriting systems (domains/magma/rewriting): the KBO, overlaps, the certificate, and
the term model's laws."""

from __future__ import annotations

import pytest

from mathteam.domains.magma import rewriting
from mathteam.domains.magma.finite import all_magmas, satisfies
from mathteam.domains.magma.laws import enumerate_laws
from mathteam.domains.magma.rewriting import (
    ConvergentSystem,
    NotCertified,
    Rule,
    certify,
    certify_rules,
    critical_pairs,
    decode,
    decreasing_order,
    encode,
    kbo_greater,
    unify,
)
from mathteam.domains.magma.reduction_orders import ORDERS
from mathteam.domains.magma.terms import leaves, parse_law

ABSORPTION = parse_law("x ◇ (y ◇ x) = x")
ABSORPTION_CONSEQUENCE = parse_law("(x ◇ y) ◇ y = x ◇ y")
ASSOCIATIVE = parse_law("(x ◇ y) ◇ z = x ◇ (y ◇ z)")
COMMUTATIVE = parse_law("x ◇ y = y ◇ x")
X, Y, Z, W = 0, 1, 2, 3


def test_kbo_prefers_heavier_and_checks_variables():
    assert kbo_greater((X, (Y, X)), X)
    assert not kbo_greater(X, (X, X))
    assert not kbo_greater((X, X), Y)  # heavier, but y does not occur on the left
    assert kbo_greater(((X, Y), Z), (X, (Y, Z)))  # same weight, left argument greater
    assert not kbo_greater((X, (Y, Z)), ((X, Y), Z))
    assert not kbo_greater((X, Y), (Y, X)) and not kbo_greater((Y, X), (X, Y))


def test_unification_has_an_occurs_check():
    assert unify(X, (X, Y)) is None
    binding = unify((X, (Y, X)), ((Z, Z), (3, 4)))
    assert binding is not None and rewriting.resolve((X, (Y, X)), binding) == rewriting.resolve(((Z, Z), (3, 4)), binding)


def test_associativity_is_convergent_and_decides_the_free_semigroup():
    system = certify([ASSOCIATIVE])
    assert isinstance(system, ConvergentSystem)
    assert system.rules == (Rule(((X, Y), Z), (X, (Y, Z))),)
    # In the free semigroup a law holds exactly when both sides read the same word.
    for law in enumerate_laws(3):
        assert system.holds(law) == (leaves(law.lhs) == leaves(law.rhs)), str(law)


def test_absorption_system_is_convergent_and_decides_laws():
    system = certify([ABSORPTION, ABSORPTION_CONSEQUENCE])
    assert isinstance(system, ConvergentSystem)
    assert system.holds(ABSORPTION) and system.holds(parse_law("x ◇ (x ◇ x) = x"))
    assert system.holds(parse_law("((x ◇ y) ◇ y) ◇ y = x ◇ y"))
    assert system.refutes(ABSORPTION, COMMUTATIVE)
    assert system.refutes(ABSORPTION, parse_law("x ◇ x = x"))
    assert not system.refutes(ABSORPTION, ABSORPTION_CONSEQUENCE)


def test_every_law_the_term_model_proves_holds_in_small_models_of_the_hypothesis():
    # Soundness against brute force: the laws the system says follow from absorption hold in every
    # magma of size 3 satisfying absorption.
    system = certify([ABSORPTION, ABSORPTION_CONSEQUENCE])
    magmas = all_magmas(3)
    models = magmas[satisfies(magmas, ABSORPTION)]
    assert len(models)
    proved = [law for law in enumerate_laws(3) if system.holds(law)]
    assert len(proved) > 5
    for law in proved:
        assert satisfies(models, law).all(), str(law)


def test_a_missing_rule_leaves_a_critical_pair_unjoinable():
    result = certify([ABSORPTION])
    assert isinstance(result, NotCertified) and "critical pair" in result.reason
    pairs = list(critical_pairs([Rule(ABSORPTION.lhs, ABSORPTION.rhs)]))
    assert pairs  # the overlap of x ◇ (y ◇ x) with itself at y ◇ x


def test_commutativity_cannot_be_oriented():
    result = certify([ASSOCIATIVE, COMMUTATIVE])
    assert isinstance(result, NotCertified) and "cannot be oriented" in result.reason


def test_non_terminating_orientations_are_refused():
    for rule in (Rule((X, Y), (Y, X)), Rule(X, (X, X)), Rule((X, X), Y)):
        result = certify_rules([rule])
        assert isinstance(result, NotCertified) and "Knuth–Bendix" in result.reason
    # Rules that decrease in different orders only are refused together.
    mixed = [Rule((X, (Y, Z)), ((X, Y), Z)), Rule(((X, Y), (Z, W)), (X, (Y, (Z, W))))]
    assert isinstance(certify_rules(mixed), NotCertified)


def test_rules_decreasing_in_another_reduction_order_are_certified():
    # Associativity oriented right to left: not KBO-decreasing (left to right), but it decreases in
    # the KBO comparing arguments right to left, and it is convergent.
    rule = Rule((X, (Y, Z)), ((X, Y), Z))
    assert not kbo_greater(rule.lhs, rule.rhs)
    assert decreasing_order([rule]) == "kbo-rl"
    assert isinstance(certify_rules([rule]), ConvergentSystem)
    # certify tries the other orders when the KBO cannot orient an equation: x ◇ x = (x ◇ y) ◇ z
    # (ETP 363) has x twice on the smaller side, so no KBO orients it; the lexicographic path order
    # does, and the one rule is convergent.
    duplicating = parse_law("x ◇ x = (x ◇ y) ◇ z")
    assert rewriting.orient(duplicating) is None
    system = certify([duplicating])
    assert isinstance(system, ConvergentSystem) and decreasing_order(system.rules) == "lpo"
    assert system.holds(duplicating) and not system.holds(COMMUTATIVE)
    assert system.holds(parse_law("(x ◇ y) ◇ z = (x ◇ w) ◇ u"))


def test_the_reduction_orders_kbo_is_this_modules_kbo():
    terms = [X, Y, (X, Y), (Y, X), (X, X), ((X, Y), Z), (X, (Y, Z)), ((X, X), Y), (Y, (X, X)), ((X, Y), (Y, X))]
    for s in terms:
        for t in terms:
            assert ORDERS["kbo"](s, t) == kbo_greater(s, t)


def test_record_round_trip_and_bad_records():
    system = certify([ABSORPTION, ABSORPTION_CONSEQUENCE])
    record = encode(system)
    assert record == [["m(X0,m(X1,X0))", "X0"], ["m(m(X0,X1),X1)", "m(X0,X1)"]]
    assert isinstance(certify_rules(decode(record)), ConvergentSystem)
    assert decode(record) == list(system.rules)
    for bad in ([["m(X0,X1", "X0"]], [["m(X0,X1)"]], "nonsense-json", [["m(a,X1)", "X0"]]):
        with pytest.raises(ValueError):
            decode(bad)
    assert "2 rules" in system.formula
