"""Finite magmas: enumeration, vectorised satisfaction, refutations and the independent re-check."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mathteam.domains.magma import finite
from mathteam.domains.magma.finite import (
    all_magmas,
    check_counterexample,
    find_violation,
    refutations,
    satisfaction_matrix,
    satisfies,
)
from mathteam.domains.magma.laws import enumerate_laws
from mathteam.domains.magma.terms import parse_law

COMMUTATIVE = parse_law("x ◇ y = y ◇ x")
ASSOCIATIVE = parse_law("x ◇ (y ◇ z) = (x ◇ y) ◇ z")


@pytest.fixture(scope="module")
def small_magmas() -> list[np.ndarray]:
    return [all_magmas(n) for n in (1, 2, 3)]


@pytest.fixture(scope="module")
def first_laws():
    return enumerate_laws(2)


def test_all_magmas_lists_every_table_once(small_magmas):
    for n, magmas in zip((1, 2, 3), small_magmas):
        assert magmas.shape == (n ** (n * n), n, n) and magmas.dtype == np.uint8
        assert len(np.unique(magmas.reshape(len(magmas), -1), axis=0)) == len(magmas)
        assert magmas.min() == 0 and magmas.max() == n - 1


def test_commutative_and_associative_magmas_of_size_two_number_eight(small_magmas):
    assert satisfies(small_magmas[1], COMMUTATIVE).sum() == 8
    assert satisfies(small_magmas[1], ASSOCIATIVE).sum() == 8


def test_there_are_113_semigroups_and_729_commutative_magmas_on_three_elements(small_magmas):
    assert satisfies(small_magmas[2], ASSOCIATIVE).sum() == 113
    assert satisfies(small_magmas[2], COMMUTATIVE).sum() == 3**6


def _sample_tables(size: int, rng: np.random.Generator) -> list[np.ndarray]:
    a, b = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    # Random tables rarely satisfy a law, so affine and projection tables supply the positives.
    structured = [(p * a + q * b + c) % size for p, q, c in itertools.product(range(size), range(size), (0, 1))]
    random = list(rng.integers(0, size, (25, size, size)))
    return structured + random


def test_vectorised_check_agrees_with_the_independent_checker_on_size_four(first_laws):
    rng = np.random.default_rng(7)
    order4 = enumerate_laws(4)
    picks = rng.choice(len(order4), 30, replace=False)
    laws = first_laws + [order4[i] for i in picks] + [parse_law("x = ((y ◇ z) ◇ (w ◇ u)) ◇ (v ◇ x)")]
    tables = np.array(_sample_tables(4, rng), dtype=np.uint8)
    sat = satisfaction_matrix(tables, laws)
    expected = np.array([[find_violation(t.tolist(), law) is None for t in tables] for law in laws])
    np.testing.assert_array_equal(sat, expected)
    assert sat.any() and not sat.all()


def test_chunked_evaluation_gives_the_same_answers(small_magmas, first_laws, monkeypatch):
    whole = satisfaction_matrix(small_magmas[2], first_laws)
    monkeypatch.setattr(finite, "_CHUNK_ELEMENTS", 1000)
    np.testing.assert_array_equal(satisfaction_matrix(small_magmas[2], first_laws), whole)


def test_refutation_matrix_points_at_the_first_witness():
    sat = np.array([[1, 0, 1], [1, 1, 0], [1, 1, 1]], dtype=bool)
    assert refutations(sat).tolist() == [[-1, 2, -1], [1, -1, -1], [1, 2, -1]]


def test_refutation_matrix_matches_brute_force_across_many_blocks():
    rng = np.random.default_rng(3)
    sat = rng.random((9, 3000)) < 0.97
    sat[4] = True  # a law every magma satisfies is never refuted as conclusion
    got = refutations(sat)
    for i, j in itertools.product(range(9), repeat=2):
        witnesses = np.flatnonzero(sat[i] & ~sat[j])
        assert got[i, j] == (witnesses[0] if len(witnesses) else -1), (i, j)


def test_left_projection_law_implies_equation8_but_commutativity_does_not_imply_it(small_magmas):
    laws = [parse_law("x = x ◇ y"), parse_law("x = x ◇ (x ◇ x)"), COMMUTATIVE]
    for magmas in small_magmas:
        ref = refutations(satisfaction_matrix(magmas, laws))
        assert ref[0, 1] == -1
    ref = refutations(satisfaction_matrix(small_magmas[1], laws))
    assert ref[2, 1] >= 0
    table = small_magmas[1][ref[2, 1]].tolist()
    assert check_counterexample(table, COMMUTATIVE, laws[1]).ok


def test_every_refutation_among_the_first_46_laws_passes_the_independent_check(small_magmas, first_laws):
    magmas = small_magmas[2]
    ref = refutations(satisfaction_matrix(magmas, first_laws))
    refuted = np.argwhere(ref >= 0)
    assert len(refuted) > 1000
    for i, j in refuted:
        result = check_counterexample(magmas[ref[i, j]].tolist(), first_laws[i], first_laws[j])
        assert result.ok, (i + 1, j + 1, result.reason)
        assert find_violation(magmas[ref[i, j]].tolist(), first_laws[j]) == result.violating_assignment


def test_checker_rejects_a_table_violating_the_hypothesis():
    table = [[0, 1], [1, 0]]  # x ◇ y = x + y mod 2: commutative, not left projection
    result = check_counterexample(table, parse_law("x = x ◇ y"), COMMUTATIVE)
    assert not result.ok and "hypothesis" in result.reason and result.violating_assignment is None


def test_checker_rejects_a_table_satisfying_the_conclusion():
    table = [[0, 1], [1, 0]]
    result = check_counterexample(table, ASSOCIATIVE, COMMUTATIVE)
    assert not result.ok and "holds for every assignment" in result.reason


def test_checker_reports_where_the_conclusion_fails():
    table = [[0, 0], [1, 1]]  # left projection: x ◇ y = x
    result = check_counterexample(table, parse_law("x = x ◇ y"), COMMUTATIVE)
    assert result.ok and result.violating_assignment == (0, 1)


@pytest.mark.parametrize(
    "table",
    [[], [[0, 1]], [[0, 1], [1]], [[0, 2], [1, 0]], [[0, -1], [1, 0]], [[True, 0], [1, 0]], [[0.0, 1], [1, 0]]],
)
def test_checker_rejects_malformed_tables(table):
    result = check_counterexample(table, ASSOCIATIVE, COMMUTATIVE)
    assert not result.ok and result.violating_assignment is None
