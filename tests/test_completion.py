"""Knuth–Bendix completion of magma laws (domains/magma/completion) and the reduction orders it
and the rewriting certifier use (domains/magma/reduction_orders)."""

from __future__ import annotations

import random

import pytest

from mathteam.domains.magma.completion import (
    CompletionBounds,
    complete,
    critical_pairs,
    normal_form,
    obstruction,
    run_completion,
)
from mathteam.domains.magma.reduction_orders import ORDER_NAMES, ORDERS, orient
from mathteam.domains.magma.terms import format_term, parse_law, substitute

X, Y, Z, W = 0, 1, 2, 3


def law(text: str):
    parsed = parse_law(text)
    return parsed.lhs, parsed.rhs


def _random_term(rng: random.Random, depth: int) -> object:
    if depth == 0 or rng.random() < 0.3:
        return rng.randrange(3)
    return (_random_term(rng, depth - 1), _random_term(rng, depth - 1))


def test_associativity_is_oriented_by_the_status_of_the_operation():
    left_nested, right_nested = ((X, Y), Z), (X, (Y, Z))
    assert ORDERS["kbo"](left_nested, right_nested) and ORDERS["lpo"](left_nested, right_nested)
    assert ORDERS["kbo-rl"](right_nested, left_nested) and ORDERS["lpo-rl"](right_nested, left_nested)
    for name in ("kbo", "kbo-rl", "lpo", "lpo-rl"):
        assert not ORDERS[name](right_nested, left_nested) or not ORDERS[name](left_nested, right_nested)
    # Multiset status sees the same arguments on both sides: neither is greater.
    assert orient([(left_nested, right_nested)], "rpo-mul") is None


def test_lpo_orients_a_rule_that_makes_the_term_bigger_which_kbo_cannot():
    s, t = ((X, Y), Z), (Y, (Y, Z))
    assert ORDERS["lpo"](s, t)
    assert not ORDERS["kbo"](s, t) and not ORDERS["kbo"](t, s)


@pytest.mark.parametrize("name", ORDER_NAMES)
def test_no_order_orients_commutativity_or_drops_the_variable_condition(name):
    greater = ORDERS[name]
    assert not greater((X, Y), (Y, X)) and not greater((Y, X), (X, Y))
    assert not greater((X, X), Y)
    assert not greater(X, X) and not greater(X, (X, X))


@pytest.mark.parametrize("name", ORDER_NAMES)
def test_orders_are_asymmetric_and_closed_under_substitution_and_context(name):
    greater = ORDERS[name]
    rng = random.Random(18)
    compared = 0
    for _ in range(400):
        s, t = _random_term(rng, 4), _random_term(rng, 4)
        if not greater(s, t):
            continue
        compared += 1
        assert not greater(t, s)
        sigma = {v: _random_term(rng, 2) for v in range(3)}
        assert greater(substitute(s, sigma), substitute(t, sigma))
        context = _random_term(rng, 2)
        assert greater((s, context), (t, context)) and greater((context, s), (context, t))
    assert compared > 20


def _renumbered(rule) -> tuple:
    """The rule with its variables numbered in order of first appearance (left side first)."""
    renamed = parse_law(f"{format_term(rule[0])} = {format_term(rule[1])}")
    return renamed.lhs, renamed.rhs


def test_central_groupoid_completes_to_knuths_three_rules():
    rules = complete([law("x = (y ◇ x) ◇ (x ◇ z)")], "kbo")
    assert rules is not None
    expected = {law("(y ◇ x) ◇ (x ◇ z) = x"), law("x ◇ ((x ◇ y) ◇ z) = x ◇ y"), law("(x ◇ (y ◇ z)) ◇ z = y ◇ z")}
    assert {_renumbered(rule) for rule in rules} == {_renumbered(rule) for rule in expected}
    _assert_convergent(rules, "kbo")


def _assert_convergent(rules, order):
    greater = ORDERS[order]
    assert all(greater(lhs, rhs) for lhs, rhs in rules)
    for outer in rules:
        for inner in rules:
            for a, b in critical_pairs(outer, inner):
                assert normal_form(a, rules) == normal_form(b, rules)


@pytest.mark.parametrize("order", ["kbo", "lpo", "kbo-rl", "lpo-rl"])
def test_completion_returns_convergent_systems_in_which_the_law_holds(order):
    hypothesis = law("x = (x ◇ y) ◇ x")
    rules = complete([hypothesis], order)
    assert rules is not None
    _assert_convergent(rules, order)
    assert normal_form(hypothesis[0], rules) == normal_form(hypothesis[1], rules)
    # a law the free magma of the hypothesis violates stays apart
    assert normal_form((X, Y), rules) != normal_form((Y, X), rules)


def test_a_diverging_completion_stops_at_its_bound_and_returns_none():
    hypothesis = law("x = y ◇ ((y ◇ (z ◇ y)) ◇ x)")
    outcome = run_completion([hypothesis], "kbo", CompletionBounds(max_rules=40, max_steps=2000, max_size=14))
    assert outcome.rules is None and outcome.reason == "size"
    assert complete([law("x = (y ◇ x) ◇ (x ◇ z)")], "kbo", CompletionBounds(max_rules=2)) is None
    assert run_completion([law("x = (y ◇ x) ◇ (x ◇ z)")], "kbo", CompletionBounds(max_steps=3)).reason == "steps"


def test_an_unorientable_consequence_stops_completion_and_is_recognised_as_an_obstruction():
    outcome = run_completion([law("x ◇ y = y ◇ x")], "lpo")
    assert outcome.rules is None and outcome.reason == "unorientable"
    assert outcome.obstruction is not None
    assert obstruction((X, X), (Y, Y)) == "the two sides share no variable"
    assert obstruction(((X, Y), Z), (X, (Y, Z))) is None
    # a renaming that fixes a variable is no proof: x ◇ (y ◇ z) = x ◇ (z ◇ y) could still be presented
    assert obstruction((X, (Y, Z)), (X, (Z, Y))) is None


def test_convergent_system_is_certified_by_the_rewriting_checker():
    from mathteam.domains.magma.completion import convergent_system
    from mathteam.domains.magma.rewriting import ConvergentSystem, decreasing_order

    central = parse_law("x = (y ◇ x) ◇ (x ◇ z)")
    system = convergent_system(central)
    assert isinstance(system, ConvergentSystem) and len(system.rules) == 3
    assert system.holds(central) and not system.holds(parse_law("x ◇ y = y ◇ x"))
    # only a path order orients x ◇ x = (x ◇ y) ◇ z: the orders are tried in turn
    duplicating = convergent_system(parse_law("x ◇ x = (x ◇ y) ◇ z"))
    assert duplicating is not None and decreasing_order(duplicating.rules) == "lpo"
    assert convergent_system(parse_law("x ◇ y = y ◇ x")) is None
