"""The implication matrix: closure, falsity propagation, derivations, classes, duality and planning."""

from __future__ import annotations

import numpy as np
import pytest

from mathteam.domains.magma.bulk_planning import key_pairs, next_targets
from mathteam.domains.magma.finite import check_counterexample
from mathteam.domains.magma.implication_matrix import (
    FALSE, TRUE, UNKNOWN, Contradiction, ImplicationMatrix,
)
from mathteam.domains.magma.terms import parse_law
from mathteam.tools.bulk_engine import dual_map


def test_adding_a_chain_closes_it_and_the_derivation_walks_the_chain():
    m = ImplicationMatrix(4)
    edges = [(0, 1), (1, 2), (2, 3)]
    for k, (a, b) in enumerate(edges):
        m.add_true(a, b, k)
    assert m.implies(0, 3) and not m.implies(3, 0)
    assert m.derivation(0, 3, edges) == [0, 1, 2]
    assert m.derivation(1, 3, edges) == [1, 2]
    assert m.counts() == {"true": 4 + 6, "false": 0, "unknown": 6}


def test_edges_added_out_of_order_still_give_consecutive_derivations():
    m = ImplicationMatrix(5)
    edges = [(3, 4), (0, 1), (2, 3), (1, 2)]
    for k, (a, b) in enumerate(edges):
        m.add_true(a, b, k)
    chain = m.derivation(0, 4, edges)
    assert [edges[k] for k in chain] == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_a_refutation_spreads_down_from_the_hypothesis_and_up_from_the_conclusion():
    # 0 ⇒ 1 and 3 ⇒ 2 are true; 0 ⇏ 2 then gives 1 ⇏ 2, 0 ⇏ 3 and 1 ⇏ 3, all with the same witness.
    m = ImplicationMatrix(4)
    m.add_true(0, 1, 0)
    m.add_true(3, 2, 1)
    m.add_false(0, 2, 7)
    for a, b in [(0, 2), (1, 2), (0, 3), (1, 3)]:
        assert m.state[a, b] == FALSE and m.evidence[a, b] == 7
    assert m.state[2, 0] == UNKNOWN and m.state[1, 0] == UNKNOWN


def test_a_proof_added_after_a_refutation_extends_the_refutation():
    # 1 ⇏ 2 known first; proving 0 ⇒ 1 must not yet say anything about 0 ⇏ 2 (it does not follow) ...
    m = ImplicationMatrix(4)
    m.add_false(1, 2, 5)
    m.add_true(0, 1, 0)
    assert m.state[0, 2] == UNKNOWN
    # ... but proving 1 ⇒ 3 gives 3 ⇏ 2 (else 1 ⇒ 3 ⇒ 2), and 2 ⇒ ... stays open.
    m.add_true(1, 3, 1)
    assert m.state[3, 2] == FALSE and m.evidence[3, 2] == 5
    # Proving 3 ⇒ 2 would now contradict: the engine must never accept both.
    with pytest.raises(Contradiction):
        m.add_true(3, 2, 2)


def test_a_refutation_of_a_proved_pair_is_a_contradiction():
    m = ImplicationMatrix(3)
    m.add_true(0, 1, 0)
    m.add_true(1, 2, 1)
    with pytest.raises(Contradiction):
        m.add_false(0, 2, 0)
    sat = np.array([[True, False, False]])  # a "model" of law 0 violating law 1: contradicts 0 ⇒ 1
    with pytest.raises(Contradiction):
        m.add_refuting_models(sat, np.array([9]))


def test_models_refute_held_against_violated_and_the_first_model_is_the_witness():
    m = ImplicationMatrix(3)
    sat = np.array([[True, False, True], [True, False, False], [False, True, False]])
    added = m.add_refuting_models(sat, np.array([10, 11, 12]))
    assert m.state[0, 1] == FALSE and m.evidence[0, 1] == 10
    assert m.state[0, 2] == FALSE and m.evidence[0, 2] == 11
    assert m.state[2, 1] == FALSE and m.evidence[2, 1] == 10
    assert m.state[1, 0] == FALSE and m.evidence[1, 0] == 12
    assert added == 5 and m.state[1, 2] == FALSE and m.state[2, 0] == UNKNOWN


def test_classes_are_the_proven_equivalences():
    m = ImplicationMatrix(5)
    for k, (a, b) in enumerate([(1, 3), (3, 1), (2, 4), (4, 0), (0, 2)]):
        m.add_true(a, b, k)
    assert m.classes().tolist() == [0, 1, 0, 1, 0]
    assert m.class_count() == 2


def test_key_pairs_are_a_cycle_per_class_and_the_covering_edges():
    # Conjectured: {0, 1} equivalent, above 2, above 3; the pair 0 → 3 follows and is not a key.
    conj = np.zeros((4, 4), dtype=bool)
    for a, b in [(0, 1), (1, 0), (0, 2), (1, 2), (2, 3), (0, 3), (1, 3)]:
        conj[a, b] = True
    assert sorted(key_pairs(conj)) == [(0, 1), (0, 2), (1, 0), (2, 3)]


def test_proving_the_planned_targets_settles_a_true_order_by_closure():
    truth = np.triu(np.ones((6, 6), dtype=bool))  # law i implies law j iff i <= j: a chain
    m = ImplicationMatrix(6)
    proofs = 0
    while True:
        targets = next_targets(m)
        if not targets:
            break
        for a, b in targets:
            if m.state[a, b] == UNKNOWN:
                if truth[a, b]:
                    m.add_true(a, b, proofs)
                    proofs += 1
                else:
                    m.add_false(a, b, 0)
    assert m.counts()["unknown"] == 0
    assert ((m.state == TRUE) == truth).all()


def test_without_fallback_only_unblocked_key_pairs_are_offered():
    # Nothing known among 3 laws: the conjectured order is "all equivalent", keys are a 3-cycle.
    m = ImplicationMatrix(3)
    keys = set(next_targets(m))
    assert len(keys) == 3
    blocked = np.zeros((3, 3), dtype=bool)
    for a, b in keys:
        blocked[a, b] = True
    assert next_targets(m, blocked, fallback=False) == []
    assert set(next_targets(m, blocked)) == {(a, b) for a in range(3) for b in range(3) if a != b} - keys


def test_a_refutation_carried_through_duality_is_checked_on_the_transposed_table():
    laws = [parse_law(t) for t in ("x ◇ y = x", "x ◇ y = y", "x ◇ x = x", "x ◇ y = y ◇ x")]
    dual = dual_map(laws)
    assert dual.tolist() == [1, 0, 2, 3]
    left_zero = [[0, 0], [1, 1]]  # x ◇ y = x holds, commutativity fails
    assert check_counterexample(left_zero, laws[0], laws[3]).ok
    transposed = [list(row) for row in zip(*left_zero)]
    assert check_counterexample(transposed, laws[int(dual[0])], laws[int(dual[3])]).ok
    assert not check_counterexample(left_zero, laws[int(dual[0])], laws[int(dual[3])]).ok
