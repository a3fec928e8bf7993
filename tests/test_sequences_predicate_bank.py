"""The bank_set family (the numbers m such that P(m), P a test of a term E(m) of a bank): what it must
find and continue, what it must refuse (too few terms, a list that changes after its data, a rival
that lists other next members), and its evaluator against direct computation."""

from __future__ import annotations

from math import isqrt

import numpy as np
import sympy

from mathteam.domains.sequences import predicate_bank
from mathteam.domains.sequences.families import evaluate, guess_bank_set
from mathteam.domains.sequences.guess import MARGIN, choice_bits


def odd_isqrt_three_squares(count: int) -> list[int]:
    """A283776: the numbers m >= 1 such that floor(sqrt(3)·m) is odd."""
    return [m for m in range(1, 10**4) if isqrt(3 * m * m) % 2 == 1][:count]


def fourteen_divisors(count: int) -> list[int]:
    """A030632: the numbers with exactly 14 divisors (p^13 or p^6·q)."""
    out: list[int] = []
    m = 0
    while len(out) < count:
        m += 1
        if sympy.divisor_count(m) == 14:
            out.append(m)
    return out


def test_isqrt_of_three_squares_odd_is_stated_on_24_terms_and_holds_later():
    terms = odd_isqrt_three_squares(70)
    found = guess_bank_set(terms[:24], 1)
    assert found is not None and found.family == "bank_set"
    assert "isqrt(3·m^2) is odd" in found.statement
    assert evaluate(found, 70) == terms
    # the rank of the candidate counts its bits; the margin is counted in list terms
    assert found.fitted_on == 24 - found.parameters - MARGIN and found.parameters >= 8


def test_numbers_with_fourteen_divisors_need_their_data_section_and_continue_past_the_bitsets():
    terms = fourteen_divisors(150)
    assert guess_bank_set(terms[:24], 1) is None  # tau = 14 ranks too far for 24 terms to confirm it
    found = guess_bank_set(terms[:50], 1)
    assert found is not None and "tau(m) = 14" in found.statement
    assert found.checked_on == 50 and found.fitted_on + found.parameters + MARGIN == 50
    assert evaluate(found, 150) == terms
    assert terms[-1] > predicate_bank.LIMIT  # the evaluator's terms lie beyond the bank's bitsets


def test_non_palindromes_are_read_from_the_digit_reversal():
    terms = [m for m in range(10, 400) if str(m) != str(m)[::-1]][:60]
    found = guess_bank_set(terms[:30], 0)
    assert found is not None and "reverse10(m) - m != 0" in found.statement
    assert evaluate(found, 60) == terms


def test_too_few_terms_or_a_list_that_changes_after_its_data_state_nothing():
    terms = odd_isqrt_three_squares(40)
    assert guess_bank_set(terms[:11], 1) is None
    changed = terms[:23] + [terms[23] + 1]  # the first candidate fitting the prefix fails the last term
    if changed[-1] != terms[24]:
        assert guess_bank_set(changed, 1) is None
    assert guess_bank_set(list(range(5, 40)), 5) is None  # consecutive integers: not a set reading


def test_a_rival_listing_other_next_members_cancels_the_choice():
    rows, pairs = predicate_bank.bank()
    # Two candidates among the first hundred whose sets agree on their first 30 members >= 1 and part later
    members = [np.nonzero(np.unpackbits(row, bitorder="little"))[0] for row in rows[:100]]
    members = [values[values >= 1] for values in members]
    found_pair = None
    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            if (len(members[i]) > 60 and len(members[j]) > 60 and list(members[i][:30]) == list(members[j][:30])
                    and list(members[i][:42]) != list(members[j][:42])):
                found_pair = (i, j)
                break
        if found_pair:
            break
    assert found_pair is not None
    i, j = found_pair
    terms = [int(v) for v in members[i][:30]]
    ambiguous: list = []
    assert predicate_bank.guess_bank_set(terms, 1, ambiguous) is None
    assert ambiguous and all(len(entry) == 3 for entry in ambiguous)


def test_the_evaluator_agrees_with_direct_computation():
    cases = [("f:tau", "= 6", lambda m: sympy.divisor_count(m) == 6),
             ("fg:tau@m + 1", "prime", lambda m: sympy.isprime(sympy.divisor_count(m + 1))),
             ("fm:sigma@2", "> 0", lambda m: sympy.divisor_sigma(m) > 2 * m),
             ("root:3@2", "odd", lambda m: isqrt(3 * m * m) % 2 == 1),
             ("f:sig", "= 12", lambda m: sorted(sympy.factorint(m).values()) == [1, 2]),
             ("comp:tau@phi", "= 4", lambda m: sympy.divisor_count(sympy.totient(m)) == 4)]
    for term, test, direct in cases:
        expected = [m for m in range(1, 3000) if direct(m)][:40]
        assert predicate_bank.members(term, test, 1, 40) == expected, (term, test)


def test_the_bank_counts_each_set_once_and_states_its_bounds():
    rows, pairs = predicate_bank.bank()
    assert len(pairs) == rows.shape[0] == len({row.tobytes() for row in rows})
    assert choice_bits(len(pairs)) <= 14
    assert str(predicate_bank.LIST_LIMIT) in predicate_bank.BOUNDS
