"""Bulk law evaluation: early-filtered numpy, the affine family by polynomials, signature dedupe, the cache."""

from __future__ import annotations

import random

import numpy as np

from mathteam.domains.magma import bulk_families, bulk_satisfaction, finite
from mathteam.domains.magma.laws import enumerate_laws
from mathteam.domains.magma.terms import parse_law


def test_filtered_evaluation_agrees_with_the_plain_vectorised_one_on_all_size_3_magmas():
    laws = random.Random(3).sample(enumerate_laws(4), 25)
    magmas = finite.all_magmas(3)
    flat = magmas.reshape(len(magmas), 9).astype(np.intp)
    for law in laws:
        assert (bulk_satisfaction.law_satisfaction(flat, 3, law) == finite.satisfies(magmas, law)).all(), law


def test_the_affine_criterion_agrees_with_evaluating_the_tables():
    laws = enumerate_laws(3)[::7]
    for n in (4, 6):
        sat = bulk_families.affine_satisfaction(laws, n)
        params = bulk_families.affine_parameters(n)
        picks = random.Random(n).sample(range(len(params)), 12)
        for k in picks:
            table = bulk_families.affine_table(n, *params[k]).tolist()
            expected = [finite.find_violation(table, law) is None for law in laws]
            assert sat[k].tolist() == expected, (n, params[k])


def test_an_affine_magma_separates_laws_no_small_magma_separates():
    # x = y ◇ (x ◇ y)-style laws aside, commutativity holds in x ◇ y = x + y but associativity
    # fails for x ◇ y = 2x + y mod 3 — a sanity check that constants and coefficients both count.
    comm, assoc = parse_law("x ◇ y = y ◇ x"), parse_law("x ◇ (y ◇ z) = (x ◇ y) ◇ z")
    sat = bulk_families.affine_satisfaction([comm, assoc], 3)
    params = bulk_families.affine_parameters(3).tolist()
    assert sat[params.index([1, 1, 0])].tolist() == [True, True]
    assert sat[params.index([2, 1, 0])].tolist() == [False, False]
    assert sat[params.index([2, 2, 1])].tolist() == [True, False]


def test_one_magma_is_kept_per_signature_and_trivial_signatures_are_dropped():
    sat = np.array([[1, 0, 1], [1, 1, 1], [1, 0, 1], [0, 0, 1], [1, 0, 0]], dtype=bool)
    keep = bulk_satisfaction.distinct_signatures(sat)
    assert sorted(keep.tolist()) == [0, 3, 4]


def test_small_magma_satisfaction_is_cached_and_identical_when_read_back(tmp_path):
    laws = enumerate_laws(2)[:12]
    tables, sat = bulk_satisfaction.small_magma_satisfaction(laws, (1, 2, 3), workers=2, cache_dir=tmp_path)
    assert len(tables) == 1 + 16 + 19683 and sat.shape == (len(tables), 12)
    assert len(list(tmp_path.glob("*.npy"))) == 1
    again_tables, again = bulk_satisfaction.small_magma_satisfaction(laws, (1, 2, 3), cache_dir=tmp_path)
    assert (again == sat).all()
    k = 17 + 5000
    assert sat[k].tolist() == [finite.find_violation(tables[k].tolist(), law) is None for law in laws]


def test_the_matrix_affine_criterion_agrees_with_evaluating_the_tables():
    laws = enumerate_laws(4)[::97]
    for k, p in ((2, 2), (3, 2)):
        sat = bulk_families.matrix_affine_satisfaction(laws, k, p)
        params = bulk_families.matrix_affine_parameters(k, p)
        assert sat.shape == (len(params), len(laws))
        for r in random.Random(k).sample(range(len(params)), 10):
            table = bulk_families.matrix_affine_table(*params[r], p)
            assert table.shape == (p**k, p**k)
            expected = [finite.find_violation(table.tolist(), law) is None for law in laws]
            assert sat[r].tolist() == expected, (k, p, params[r])


def test_matrix_pairs_are_one_per_simultaneous_conjugacy_class():
    A, B = bulk_families.matrix_pairs(2, 2)
    invertible = [np.array(g).reshape(2, 2) for g in np.ndindex(2, 2, 2, 2)
                  if round(np.linalg.det(np.array(g).reshape(2, 2))) % 2]
    assert len(invertible) == 6

    def conjugate(g, m):
        return tuple(((g @ m @ np.linalg.inv(g).round().astype(int)) % 2).ravel())

    def orbit(a, b):
        return {(conjugate(g, a), conjugate(g, b)) for g in invertible}

    orbits = [orbit(a, b) for a, b in zip(A, B)]
    assert all(not (o & p) for i, o in enumerate(orbits) for p in orbits[:i])  # pairwise distinct classes
    assert sum(len(o) for o in orbits) == 2**8  # and together every pair of 2×2 matrices mod 2


def test_non_commuting_coefficients_refute_what_small_and_affine_magmas_cannot():
    # ETP Equation898 ⇏ Equation43 (commutativity): every magma of size ≤ 3 and every affine magma
    # mod n ≤ 12 satisfying 898 is commutative; x ◇ y = A·x + B·y on (Z_2)^3 is not.
    e898, e43 = parse_law("x = y ◇ ((x ◇ z) ◇ (z ◇ y))"), parse_law("x ◇ y = y ◇ x")
    for n in (1, 2, 3):
        magmas = finite.all_magmas(n)
        assert not (finite.satisfies(magmas, e898) & ~finite.satisfies(magmas, e43)).any()
    for n in range(2, 13):
        sat = bulk_families.affine_satisfaction([e898, e43], n)
        assert not (sat[:, 0] & ~sat[:, 1]).any()
    sat = bulk_families.matrix_affine_satisfaction([e898, e43], 3, 2)
    refuting = np.flatnonzero(sat[:, 0] & ~sat[:, 1])
    assert len(refuting)
    table = bulk_families.matrix_affine_table(*bulk_families.matrix_affine_parameters(3, 2)[refuting[0]], 2)
    assert finite.find_violation(table.tolist(), e898) is None
    assert finite.find_violation(table.tolist(), e43) is not None
