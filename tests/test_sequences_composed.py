"""The family of sequences built on a classical sequence (``composed``): a(n) = E(B(n)) for a small term E
and B the primes, composites, semiprimes or squarefree numbers, and B1(n + s1) op B2(n + s2) + c: what it
must find (and the held-out terms it must then give), and what it must refuse."""

from __future__ import annotations

import json
from math import isqrt

import sympy

from mathteam.domains.sequences import composed
from mathteam.domains.sequences.families import Description, evaluate, guess_all, guess_composed, guess_first_exception
from mathteam.domains.sequences.guess import MARGIN

PRIMES = [int(sympy.prime(i)) for i in range(1, 140)]
COMPOSITES = [m for m in range(4, 400) if not sympy.isprime(m)]


def digit_sum(m: int) -> int:
    return sum(map(int, str(m)))


def test_the_classical_sequences_start_where_the_oeis_starts_them():
    assert [composed.base_value("prime", i) for i in range(1, 6)] == [2, 3, 5, 7, 11]
    assert [composed.base_value("composite", i) for i in range(1, 6)] == [4, 6, 8, 9, 10]
    assert [composed.base_value("semiprime", i) for i in range(1, 6)] == [4, 6, 9, 10, 14]
    assert [composed.base_value("squarefree", i) for i in range(1, 6)] == [1, 2, 3, 5, 6]
    assert [composed.base_value("palindrome", i) for i in (1, 10, 11, 12, 20)] == [0, 9, 11, 22, 101]


def test_prime_gap_minus_one_is_stated_from_24_terms_and_holds_later():
    # A046933: prime(n + 1) - prime(n) - 1, from n = 1.
    terms = [PRIMES[i + 1] - PRIMES[i] - 1 for i in range(60)]
    found = guess_composed(terms[:24], 1)
    assert found is not None and found.family == "composed"
    assert found.statement.startswith("a(n) = prime(n + 1) - prime(n) - 1")
    assert found.checked_on - found.fitted_on >= found.parameters + MARGIN
    assert evaluate(found, 60) == terms


def test_a_prime_minus_a_composite_with_another_shift_is_a_pair():
    # A014237: prime(n) - composite(n - 1), from n = 2: two sequences at different shifts.
    terms = [PRIMES[n - 1] - COMPOSITES[n - 2] for n in range(2, 62)]
    found = guess_composed(terms[:24], 2)
    assert found is not None
    assert found.statement.startswith("a(n) = prime(n) - composite(n - 1)")
    assert evaluate(found, 60) == terms


def test_a_term_in_n_and_the_next_prime_is_read_from_n_equal_zero():
    # A103416: n - isqrt(prime(n + 1)), from n = 0 (the reading with m one less than usual).
    terms = [n - isqrt(PRIMES[n]) for n in range(90)]
    found = guess_composed(terms[:70], 0)
    assert found is not None
    assert found.statement.startswith("a(n) = n - isqrt(prime(n + 1))")
    assert evaluate(found, 90) == terms


def test_the_digit_sum_of_the_primes_is_stated_and_survives_json():
    terms = [digit_sum(p) for p in PRIMES[:80]]
    found = guess_composed(terms[:30], 1)
    assert found is not None and found.statement.startswith("a(n) = digitsum(prime(n))")
    again = Description.model_validate(json.loads(found.model_dump_json()))
    assert evaluate(again, 80) == terms


def test_the_digit_sum_of_the_primes_waits_for_a_prime_of_three_digits():
    # prime(24) = 89: on 24 terms the digit sum only met two-digit numbers (where it is p - 9·floor(p/10));
    # prime(26) = 101 is the first it reads three digits of.
    terms = [digit_sum(p) for p in PRIMES[:40]]
    spec = {"expression": ["u", "ds", ["base", "prime", 0]], "shift": 0}
    assert composed.decimal_unseen(spec, 1, 24) and not composed.decimal_unseen(spec, 1, 26)
    assert guess_composed(terms[:24], 1) is None
    found = guess_composed(terms[:30], 1)
    assert found is not None and evaluate(found, 40) == terms


def test_too_few_terms_state_nothing():
    terms = [digit_sum(p) for p in PRIMES[:8]]
    assert guess_composed(terms, 1) is None


def test_a_list_that_changes_after_the_fitted_prefix_is_refused():
    terms = [digit_sum(p) for p in PRIMES[:30]]
    terms[-1] += 1
    assert guess_composed(terms, 1) is None


def test_a_rival_that_predicts_otherwise_leaves_the_bank_silent():
    # prime(n) - isqrt(prime(n)): on 24 terms isqrt(prime(n)) < 10, so prime(n) - digitsum(isqrt(prime(n)))
    # fits too and parts later; from 60 terms on the data tell them apart.
    terms = [p - isqrt(p) for p in PRIMES[:60]]
    assert composed.search_bank(terms[:24], 1, 0) is None
    found = composed.search_bank(terms, 1, 0)
    assert found is not None and composed.show(found["node"], 0) == "prime(n) - isqrt(prime(n))"


def test_terms_that_do_not_depend_on_the_sequence_are_left_to_the_other_families():
    # 2^(n + 1) is pi(prime(n + 1)) written through the primes: not a candidate here.
    assert guess_composed([2 ** (n + 1) for n in range(40)], 0) is None
    bank = composed.bank()
    assert not any(composed._counts_primes_back(node) for node in bank.nodes)


def test_guess_all_states_the_product_of_the_primes_and_composites():
    # A067563: prime(n)·composite(n), which no other family describes.
    terms = [p * c for p, c in zip(PRIMES, COMPOSITES)][:70]
    stated = [g for g in guess_all(terms[:24], 1) if isinstance(g, Description)]  # 24: no deep expression bank
    assert any(g.family == "composed" for g in stated)
    assert all(evaluate(g, 70) == terms for g in stated)


def test_an_affine_image_of_the_squared_primes_is_fitted_with_rational_coefficients():
    # A024702: (prime(n)^2 - 1)/24, from n = 3.
    terms = [(p * p - 1) // 24 for p in PRIMES[2:62]]
    found = guess_composed(terms[:24], 3)
    assert found is not None
    assert found.statement.startswith("a(n) = (prime(n) * prime(n) - 1)/24 (affine search")
    assert found.spec["alpha"] == "1/24" and found.spec["beta"] == "-1/24"
    again = Description.model_validate(json.loads(found.model_dump_json()))
    assert evaluate(again, 60) == terms


def test_an_affine_fit_that_a_later_given_term_contradicts_is_not_stated():
    terms = [(p * p - 1) // 24 for p in PRIMES[2:26]]
    terms[-1] += 1
    assert guess_composed(terms, 3) is None


def test_the_palindromes_are_a_base():
    # A002113 read from n = 0: 0, 1, ..., 9, 11, 22, ...
    terms = [composed.base_value("palindrome", i) for i in range(1, 61)]
    found = guess_composed(terms[:24], 0)
    assert found is not None and found.statement.startswith("a(n) = palindrome(n + 1)")
    assert evaluate(found, 60) == terms


def test_a_rule_that_starts_at_n_equal_one_is_read_with_a_zero_as_an_exception_by_the_shared_reading():
    # A073481 read from n = 0: a(0) = 1, then lpf(squarefree(n)). The family reads from its offset only;
    # the shared first-exception reading finds it (the search fits with no term to spare: it is fitted
    # again on a(1..38), a(0) one more parameter).
    squarefree = [composed.base_value("squarefree", i) for i in range(1, 80)]
    terms = [1] + [int(min(sympy.factorint(m))) if m > 1 else 1 for m in squarefree]
    assert guess_composed(terms[:40], 0) is None
    inner = guess_composed(terms[1:40], 1)
    assert inner is not None and inner.checked_on - inner.fitted_on == inner.parameters + MARGIN  # no slack
    found = guess_first_exception(terms[:40])
    assert found is not None and found.family == "first_exception"
    assert found.statement.startswith("a(0) = 1, and for n >= 1: a(n) = lpf(squarefree(n))")
    assert found.parameters == inner.parameters + 1 and found.fitted_on == inner.fitted_on
    assert found.checked_on - found.fitted_on >= found.parameters + MARGIN
    assert evaluate(found, 80) == terms[:80]


def test_constants_built_from_small_ones_are_written_as_their_value():
    # A039702: prime(n) mod 4, whose 4 the bank builds as 1 + 3 (a larger term: found from 30 terms on).
    terms = [p % 4 for p in PRIMES[:80]]
    assert guess_composed(terms[:20], 1) is None
    found = guess_composed(terms[:60], 1)
    assert found is not None and found.statement.startswith("a(n) = prime(n) mod 4 ")
    assert evaluate(found, 80) == terms
