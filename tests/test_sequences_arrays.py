"""Triangles and square arrays read by rows or antidiagonals (``arrays``, the ``array`` family): the
tables below are computed here directly, stated from a prefix, and checked on the terms after it."""

from __future__ import annotations

from math import comb, gcd

from mathteam.domains.sequences import arrays, families


def _rows(rule, first_row=0, rows=20, first_column=0):
    return [rule(n, k) for n in range(first_row, first_row + rows) for k in range(first_column, n + 1)]


def _antidiagonals(rule, start=0, diagonals=20):
    return [rule(d - j + start, j + start) for d in range(diagonals) for j in range(d + 1)]


def _stated_and_continued(terms, given, offset=0):
    found = families.guess_array(terms[:given], offset)
    assert found is not None and found.family == "array"
    assert families.evaluate(found, len(terms)) == terms  # the held-out terms too
    assert found.fitted_on + found.parameters + 2 <= given  # the margin rule of the issue
    return found


def test_pascal_triangle_mod_7_is_read_modulo_its_largest_term_plus_one():
    terms = _rows(lambda n, k: comb(n, k) % 7, rows=18)
    found = _stated_and_continued(terms, 60, offset=0)
    assert "C(n, k)) mod 7" in found.statement and "0 <= k <= n" in found.statement


def test_sum_of_two_powers_of_two_triangle_a173786():
    terms = _rows(lambda n, k: 2**n + 2**k, rows=16)
    found = _stated_and_continued(terms, 60, offset=0)
    assert "2 ^ n + 2 ^ k" in found.statement


def test_multiplication_table_read_by_antidiagonals_from_24_terms():
    terms = _antidiagonals(lambda n, k: n * k, start=1, diagonals=12)
    found = _stated_and_continued(terms, 24, offset=1)
    assert "n * k" in found.statement and "antidiagonals" in found.statement


def test_gcd_triangle_with_rows_from_one():
    terms = _rows(lambda n, k: gcd(n, k), first_row=1, rows=16, first_column=1)
    found = _stated_and_continued(terms, 60, offset=1)
    assert "gcd(n, k)" in found.statement and "1 <= k <= n" in found.statement


def test_rows_of_length_two_to_the_n_a062050():
    terms = [k + 1 for m in range(8) for k in range(2**m)]
    found = _stated_and_continued(terms, 60, offset=1)
    assert "rows of length 2^n" in found.statement


def test_a_reading_from_another_offset_evaluates_from_that_offset():
    terms = _rows(lambda n, k: comb(n, k) % 7, rows=18)
    found = families.guess_array(terms[:60], 5)
    assert found is not None and found.spec["start"] == 5
    assert families.evaluate(found, 100) == terms[:100]
    assert arrays.terms_from(found.spec, 7, 3) == terms[2:5]  # the i-th term depends on offset + i only


def test_too_few_terms_for_a_large_candidate_state_nothing():
    terms = _rows(lambda n, k: 2**n + 2**k, rows=10)
    # the candidate counts 16 parameters: fitted on FEWEST_FITTED = 6 terms at least, so 24 terms at least
    assert families.guess_array(terms[:6 + 16 + 2 - 1]) is None
    assert families.guess_array(terms[:11]) is None


def test_a_table_from_its_first_three_rows_is_stated_from_24_terms():
    # twelfth round: a candidate is fitted on 6 terms (three rows) at least, no longer 10, its parameters paying
    # for the choice as before. A364843, 1 + C(n, 2) in rows of n from n = 1 (13 parameters, fitted on 9 of 24)
    # and 2^n + 2^k (16 parameters, fitted on 6 of 24): both continue as computed
    assert arrays.FEWEST_FITTED == 6
    found = _stated_and_continued(_rows(lambda n, k: 1 + comb(n, 2), first_row=1, rows=16, first_column=1), 24, 1)
    assert "1 + C(n, 2)" in found.statement and found.fitted_on >= arrays.FEWEST_FITTED
    found = _stated_and_continued(_rows(lambda n, k: 2**n + 2**k, rows=12), 24)
    assert found.fitted_on == arrays.FEWEST_FITTED and found.parameters == 16


def test_a_short_table_that_changes_in_its_confirming_terms_states_nothing():
    for rule, first in ((lambda n, k: 1 + comb(n, 2), 1), (lambda n, k: 2**n + 2**k, 0)):
        terms = _rows(rule, first_row=first, rows=8, first_column=first)[:24]
        terms[-1] += 1
        assert families.guess_array(terms, first) is None


def test_a_table_that_changes_after_the_fitted_prefix_states_nothing():
    terms = _rows(lambda n, k: 2**n + 2**k, rows=11)[:60]
    terms[-1] += 1  # the first candidate that fits the prefix no longer fits every term: no second try
    assert families.guess_array(terms) is None


def test_arithmetic_progressions_and_two_valued_lists_are_left_to_other_families():
    assert families.guess_array(list(range(1, 41))) is None  # k + 2^n in rows of 2^n is m + 1, until A080683 parts
    assert families.guess_array(_rows(lambda n, k: comb(n, k) % 2, rows=12)) is None


def test_a_plain_term_is_not_read_modulo_when_the_data_never_wrap():
    terms = _rows(lambda n, k: gcd(n, k), first_row=1, rows=16, first_column=1)
    # the terms of the first 60 cells lie in 0..10: gcd(n, k) mod 11 would fit them too and part at gcd 11
    assert max(terms[:60]) == 10
    assert families.guess_array(terms[:60], 1) is not None


def test_the_bounds_say_what_was_searched():
    assert families.BOUNDS["array"] == arrays.BOUNDS
    assert "antidiagonals" in arrays.BOUNDS and f"at most {arrays.MAX_SIZE} nodes" in arrays.BOUNDS


def test_separable_terms_reach_odd_numbers_times_powers_of_two_a118413():
    terms = _rows(lambda n, k: (2 * n - 1) * 2**(k - 1), first_row=1, rows=16, first_column=1)
    found = _stated_and_continued(terms, 60, offset=1)
    assert "2 ^ k" in found.statement or "2 ^ (k" in found.statement


def test_binomial_of_linear_forms_a091042():
    terms = _rows(lambda n, k: comb(2 * n + 1, 2 * k), rows=16)
    found = _stated_and_continued(terms, 70, offset=0)
    assert "C(" in found.statement


def test_rows_of_odd_length_and_reversed_rows_are_reading_orders_too():
    odd_rows = [n * n + k * k for n in range(10) for k in range(2 * n + 1)]
    found = _stated_and_continued(odd_rows, 50, offset=0)
    assert "rows of length 2n + 1" in found.statement
    assert [arrays.position("rows_reversed", i) for i in range(4)] == [(0, 0), (1, 1), (1, 0), (2, 2)]
    assert [arrays.position("rows_from_1_with_0", i) for i in range(3)] == [(1, 0), (1, 1), (2, 0)]


def test_terms_beyond_the_bank_range_after_the_grid_are_checked_exactly():
    from math import factorial
    terms = _rows(lambda n, k: factorial(n) * factorial(k), rows=18)
    assert max(terms[:120]) > 10**15  # past the grid: int64 would not hold them, exact integers do
    found = _stated_and_continued(terms, 120, offset=0)
    assert "(n)! * (k)!" in found.statement or "(k)! * (n)!" in found.statement
