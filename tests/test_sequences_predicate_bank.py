"""The bank_set family (the numbers m such that P(m), P a test of a term E(m) of a bank): what it must
find and continue, what it must refuse (too few terms, a list that changes after its data, a rival
that lists other next members), and its evaluator against direct computation."""

from __future__ import annotations

from math import isqrt

import sympy

from mathteam.domains.sequences import predicate_bank
from mathteam.domains.sequences.families import evaluate, guess_bank_set, guess_first_exception
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


def test_palindromes_are_read_from_the_digit_reversal_and_their_dense_complement_is_not():
    terms = [m for m in range(0, 2000) if str(m) == str(m)[::-1]][:90]
    found = guess_bank_set(terms[:70], 0)
    assert found is not None and "reverse10(m) - m = 0" in found.statement
    assert evaluate(found, 90) == terms


def test_too_few_terms_or_a_list_that_changes_after_its_data_state_nothing():
    terms = odd_isqrt_three_squares(40)
    assert guess_bank_set(terms[:11], 1) is None
    changed = terms[:23] + [terms[23] + 1]  # the first candidate fitting the prefix fails the last term
    if changed[-1] != terms[24]:
        assert guess_bank_set(changed, 1) is None
    assert guess_bank_set(list(range(5, 40)), 5) is None  # consecutive integers: not a set reading


def test_a_rival_listing_other_next_members_cancels_the_choice():
    # the numbers with three distinct prime factors: "omega(m) = 3" and "omega(m) > 2" agree below 210
    three = [m for m in range(1, 2000) if len(sympy.factorint(m)) == 3]
    below = [m for m in three if m < 210]
    assert len(below) >= 30
    ambiguous: list = []
    assert predicate_bank.guess_bank_set(below, 1, ambiguous) is None
    assert {(spec["term"], spec["test"]) for spec, fitted, parameters in ambiguous} == {("f:omega", "= 3"), ("f:omega", "> 2")}
    found = guess_bank_set(three[:60], 1)  # past 210 the data decide
    assert found is not None and "omega(m) = 3" in found.statement and evaluate(found, 100) == three[:100]


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


def test_a_dense_list_carries_too_little_per_term_to_confirm_a_set(monkeypatch):
    # A289555: the numbers with at most three prime factors, or the fourth power of a prime. Its first 24
    # terms are 1..23 and 25: "tau(m) <= 6" fits them all and parts at 30
    dense = [m for m in range(1, 200) if sympy.primeomega(m) <= 3
             or (sympy.primeomega(m) == 4 and len(sympy.factorint(m)) == 1)]
    assert predicate_bank.guess_bank_set(dense[:24], 1) is None
    # the non-palindromes from 100 (three digits, so that the digit reversal may be read): nine numbers in
    # ten, a list term carries about half a bit, so 60 terms do not confirm the 12 bits of the candidate's
    # rank; counted in list terms they would
    non_palindromes = [m for m in range(100, 400) if str(m) != str(m)[::-1]][:60]
    assert predicate_bank.guess_bank_set(non_palindromes, 10) is None
    monkeypatch.setattr(predicate_bank, "informative", lambda *arguments: True)
    unweighted = predicate_bank.guess_bank_set(non_palindromes, 10)
    assert unweighted is not None and unweighted[0]["term"] == "fm:rev10@1"


def test_a_periodic_list_is_left_to_the_periodic_reading(monkeypatch):
    # A293292 from its second term: the numbers m with m mod 10 < 5; on 24 terms "digitsum10(2m + 1) is odd"
    # agrees with it, and parts at 50
    periodic = [m for m in range(300) if m % 10 < 5]
    assert predicate_bank.guess_bank_set(periodic[:24], 0) is None
    monkeypatch.setattr(predicate_bank, "_periodic_next", lambda span, last: None)
    # 2m + 1 stays below 100 on these terms: the decimal rule alone refuses the digit test too
    assert predicate_bank.guess_bank_set(periodic[:24], 0) is None
    monkeypatch.setattr(predicate_bank, "decimal_unseen", lambda *arguments: False)
    unchecked = predicate_bank.guess_bank_set(periodic[:24], 0)
    assert unchecked is not None and predicate_bank.members(unchecked[0]["term"], unchecked[0]["test"], 0, 30) != periodic[:30]


def test_numbers_with_as_many_divisors_as_their_successor_are_read_from_a_step():
    terms = [m for m in range(1, 3000) if sympy.divisor_count(m) == sympy.divisor_count(m + 1)][:80]
    found = guess_bank_set(terms[:40], 1)
    assert found is not None and "tau(m + 1) - tau(m) = 0" in found.statement
    assert evaluate(found, 80) == terms


def test_a_first_term_outside_the_set_is_read_as_an_exception_by_the_shared_reading():
    # A030632 as the package lists it: 0, then the numbers with 14 divisors. The family reads the list as
    # given; the shared first-exception reading asks it on a(1), a(2), ...
    terms = [0] + fourteen_divisors(80)
    assert guess_bank_set(terms[:60], 0) is None
    found = guess_first_exception(terms[:60])
    assert found is not None and found.family == "first_exception"
    assert found.statement.startswith("a(0) = 0, and for n >= 1: a(n) = the numbers m >= 192 such that tau(m) = 14")
    assert evaluate(found, 81) == terms
    # the family fits with no term to spare: fitted again on a(1..58), and a(0) is one more parameter
    inner = guess_bank_set(terms[1:60], 1)
    assert inner is not None and inner.checked_on - inner.fitted_on == inner.parameters + MARGIN
    assert found.parameters == inner.parameters + 1
    assert found.fitted_on + found.parameters + MARGIN <= 60
    # the re-fitted description must give the last term too: a list that changes there is not stated
    assert guess_first_exception(terms[:59] + [terms[59] + 1]) is None
    assert guess_first_exception(terms[:24]) is None  # too few terms


def test_from_offset_one_the_family_reads_a_first_term_outside_the_set_itself():
    # the shared reading reads a(0) only: from offset 1 the family's second tier reads a(1) as an exception,
    # its ranks after the whole first tier and the first term's value one more parameter
    terms = [0] + fourteen_divisors(80)
    found = guess_bank_set(terms[:60], 1)
    assert found is not None and found.statement.startswith("a(n) = the first term is 0, then the numbers m >= 192")
    assert found.spec["lead"] == 0 and evaluate(found, 81) == terms
    rows, _ = predicate_bank.bank()
    assert found.parameters >= choice_bits(rows.shape[0] + 1) + 1
    assert found.fitted_on + found.parameters + MARGIN == 60
    assert guess_bank_set([500] + terms[1:60], 1) is None  # a first term above the second: not an increasing list


def test_a_digit_test_is_read_only_from_a_list_that_reaches_three_digits():
    # the Harshad numbers (divisible by their digit sum): below 100 the digit sum only met two-digit numbers,
    # where it is m - 9·floor(m/10), and other functions of the two digits agree with it; from 101 on it
    # has read three digits
    harshad = [m for m in range(1, 1000) if m % sum(map(int, str(m))) == 0]
    below = [m for m in harshad if m < 100]
    assert predicate_bank.decimal_unseen("f:s10", 1, 99) and predicate_bank.decimal_unseen("fg:s10@m + 1", 1, 98)
    assert not predicate_bank.decimal_unseen("f:s10", 1, 100) and not predicate_bank.decimal_unseen("f:tau", 1, 99)
    assert guess_bank_set(below, 1) is None
    found = guess_bank_set(harshad[:len(below) + 20], 1)
    assert found is not None and "digitsum10(m) divides m" in found.statement
    assert evaluate(found, 120) == harshad[:120]


def test_a_dense_list_after_an_exception_is_not_stated_on_terms_that_carry_too_few_bits():
    # A255805 from 24 terms: 0, then the numbers with no 0 among their base-8 digits. From 1 on, the 23
    # terms 1..7, 9..15, 17..23, 25, 26 are also the cubefree numbers (27 is the first to differ); re-fitted
    # to pay for a(0), the description's few confirming list terms say little of so dense a set.
    no_zero_octal = [m for m in range(1, 200) if "0" not in format(m, "o")]
    terms = [0] + no_zero_octal[:23]
    assert terms[1:] == [m for m in range(1, 27) if all(m % (p ** 3) for p in (2, 3))]
    assert guess_first_exception(terms) is None
