"""Claims that survive the held-out terms but not later ones: the regime-change rule (consensus) and the
benchmark's --late check (bench/sequences_oeis.py)."""

from __future__ import annotations

import json
from fractions import Fraction
from math import isqrt, log2

import sympy as sp
from helpers import load_bench_script

from mathteam.domains.sequences.check import holds
from mathteam.domains.sequences.consensus import (regime_parameters, regular_tail, withdraw_by_next_terms,
                                                  withdraw_regime_changes)
from mathteam.domains.sequences.families import evaluate, guess_all
from mathteam.domains.sequences.guess import MARGIN, ClosedForm, NoGuess, bits_per_term


def skips_then_counts(count: int) -> list[int]:
    """A138836's first terms: 1, 1, 2, 4, 5, 6, 8, then every integer up to 30, then 32, ...: the
    complement of a sparse set, whose next skip comes after 24 terms."""
    values = [1, 1, 2, 4, 5, 6] + list(range(8, 31)) + list(range(32, 200))
    return values[:count]


def test_regular_tail_finds_where_the_terms_turn_c_finite():
    head, connection = regular_tail(skips_then_counts(24))
    order = max(i for i, c in enumerate(connection) if c)
    assert head + len(connection) - 1 - order == 6 and connection[:order + 1] == [1, -2, 1]
    assert regular_tail([2 ** m for m in range(20)]) == (0, [Fraction(1), Fraction(-2)])
    assert regular_tail([1, 5, 2, 8, 3, 9, 4, 7]) is None  # too short for any tail to be confirmed


def test_a_late_regular_tail_is_not_stated_as_the_rule_for_ever():
    terms = skips_then_counts(24)
    answers = guess_all(terms)
    assert all(isinstance(g, NoGuess) for g in answers)
    reasons = " ".join(g.reason for g in answers)
    assert "each exception counts twice" in reasons and "only from n = 6 on" in reasons
    # the rule is about how long the data stayed regular: with 40 terms the same head is stated, and
    # every statement holds on the 40 (the next skip, at n = 29, lies inside them)
    longer = [1, 1, 2, 4, 5, 6] + list(range(8, 60))
    stated = [g for g in guess_all(longer[:40]) if not isinstance(g, NoGuess)]
    assert stated and all(holds(g, longer[:40]) for g in stated)


def test_one_exceptional_first_term_costs_little():
    terms = [7] + [3 * m + 1 for m in range(1, 24)]
    stated = [g for g in guess_all(terms) if not isinstance(g, NoGuess)]
    assert stated and all(holds(g, [7] + [3 * m + 1 for m in range(1, 60)]) for g in stated)


def test_the_regime_parameters_count_each_exception_twice():
    assert regime_parameters(0, 2) == 4 and regime_parameters(6, 2) == 16
    # 6 exceptions and an arithmetic progression need 6 + 4 fitted + 16 + MARGIN confirming terms
    assert 6 + 4 + regime_parameters(6, 2) + MARGIN == 28


def test_a_guess_that_predicts_otherwise_than_the_tail_is_left_alone():
    terms = skips_then_counts(24)
    other = ClosedForm(expression="n", family="polynomial", fitted_on=2, checked_on=24, parameters=2)
    tail = ClosedForm(expression="n + 2", family="polynomial", fitted_on=2, checked_on=24, parameters=2, start=6)
    out = withdraw_regime_changes([other, tail], terms, 0, evaluate)
    assert out[0] is other and isinstance(out[1], NoGuess) and "withdrawn" in out[1].reason


def test_first_failure_finds_the_first_refuting_term():
    bench = load_bench_script("sequences_oeis")
    guess = ClosedForm(expression="n + 2", family="polynomial", fitted_on=2, checked_on=24, parameters=2, start=6)
    terms = skips_then_counts(140)
    assert bench.first_failure(holds, guess, terms, 0, 24) == 30  # a(29) = 32, not 31
    assert bench.first_failure(holds, guess, terms[:29], 0, 24) is None


def test_cached_terms_are_read_back_without_computing(tmp_path):
    bench = load_bench_script("sequences_oeis")
    (tmp_path / "A000027.json").write_text(json.dumps({"a_number": "A000027", "offset": 1, "terms": [1, 2, 3, 4]}))

    def never(n):
        raise AssertionError("computed although cached")
    assert bench.cached_terms("A000027", "term", never, 3, 1.0, folder=tmp_path) == (1, [1, 2, 3])


def test_the_late_figures_count_latent_false_claims_by_family_and_unchecked_apart():
    bench = load_bench_script("sequences_oeis")
    def entry(family, holds_, late=None):
        out = {"guess": "g", "family": family, "holds": holds_, "fitted_on": 1, "confirmed_by": 1, "parameters": 1}
        return {**out, "late": late} if late else out
    results = [
        {"a_number": "A1", "seconds": 1.0, "late_terms": 140, "stated": [entry("recurrence", True, "holds")]},
        {"a_number": "A2", "seconds": 1.0, "late_terms": 140,
         "stated": [entry("periodic", True, "REFUTED"), entry("program", True, "unchecked (its evaluator stops)")]},
        {"a_number": "A3", "seconds": 1.0, "stated": [entry("polynomial", False)]},
        {"a_number": "A4", "seconds": 1.0, "stated": [], "late_unavailable": True},
    ]
    figures = bench.figures(results)
    assert (figures["covered"], figures["stated"], figures["false"]) == (2, 4, 1)
    late = figures["late"]
    assert late["latent_false"] == 1 and late["latent_false_by_family"] == {"periodic": 1}
    assert late["claims_unchecked_late"] == 1 and late["late_terms_unavailable"] == 1
    assert late["covered_on_late_terms"] == 1 and late["claims_checked_late"] == 2


def cubes_dividing(count: int) -> list[int]:
    """A061704 read from n = 0 as the benchmark reads it: a(0) = 1, then the number of cubes dividing n."""
    return [1] + [sum(1 for k in range(1, m + 1) if m % k**3 == 0) for m in range(1, count)]


def test_the_number_of_cubes_dividing_n_is_not_taken_for_p_to_the_floor_of_e_over_3():
    # below n = 27 only p = 2 has e >= 3, where p^floor(e/3) and floor(e/3) + 1 agree (2^1 = 1 + 1):
    # 24 terms cannot tell them apart, so neither is stated; 40 terms (27 among them) can
    assert all(isinstance(g, NoGuess) for g in guess_all(cubes_dividing(24)))
    terms = cubes_dividing(40)
    stated = [g for g in guess_all(terms) if not isinstance(g, NoGuess)]
    assert stated and all(holds(g, cubes_dividing(80)) for g in stated)


def test_a_recurrence_that_is_periodic_differences_in_other_words_meets_the_periodic_rules():
    from mathteam.domains.sequences.consensus import periodic_shape
    # A198263's first terms, ceil(n·sqrt(8)): differences 3, 3, 3, 3, 3, 2 for 24 terms; "a(n + 6) = a(n) + 17"
    # has 7 parameters and 11 confirming terms, but as a period of two consecutive values it needs three
    beatty = [0] + [isqrt(8 * m * m - 1) + 1 for m in range(1, 60)]
    assert beatty[:8] == [0, 3, 6, 9, 12, 15, 17, 20]
    assert periodic_shape([b - a for a, b in zip(beatty[:24], beatty[1:24])]) == (0, 6)
    answers = guess_all(beatty[:24])
    assert all(isinstance(g, NoGuess) for g in answers)
    assert any("differences repeating with period 6" in g.reason for g in answers)
    # a period the periodic family accepts is still stated by every family that finds it, and holds
    periodic = [(m * m) % 5 for m in range(80)]
    stated = [g for g in guess_all(periodic[:24]) if not isinstance(g, NoGuess)]
    assert {g.kind for g in stated} >= {"recurrence", "rational_gf"} and all(holds(g, periodic) for g in stated)
    # a recurrence more compact than the block (a(n + 4) = 1 - a(n), a period of 8 seen 3 times: A165211)
    # is judged by its own 5 parameters; the rational generating function, 10 parameters, is the block
    antiperiodic = [0, 1, 0, 1, 1, 0, 1, 0] * 10
    stated = [g for g in guess_all(antiperiodic[:24]) if not isinstance(g, NoGuess)]
    assert [g.kind for g in stated] == ["recurrence"] and holds(stated[0], antiperiodic)
    # an arithmetic progression is a polynomial, not a periodic claim
    line = [3 * m + 1 for m in range(24)]
    assert sum(not isinstance(g, NoGuess) for g in guess_all(line)) >= 2


def test_withdrawing_by_next_terms_judges_each_stated_guess_by_what_it_predicts():
    terms = list(range(24))
    identity = ClosedForm(expression="n", family="polynomial", fitted_on=2, checked_on=24, parameters=2)
    square = ClosedForm(expression="n**2", family="polynomial", fitted_on=3, checked_on=3, parameters=3)
    searched = NoGuess(guesser="recurrence", reason="nothing fits")
    seen = []

    def objection(guess, predicted):
        seen.append(predicted)
        return "it predicts a(24) = 24" if predicted[0] == 24 else None
    out = withdraw_by_next_terms([identity, square, searched], terms, 0, evaluate, objection)
    assert out[1] is square and out[2] is searched and len(seen) == 2  # a NoGuess is never judged
    assert isinstance(out[0], NoGuess) and out[0].guesser == "polynomial"
    assert out[0].reason == "withdrawn: it predicts a(24) = 24"
    assert seen[1][:2] == [576, 625]


def test_a_claim_on_few_values_says_how_many_bits_its_confirmations_carry():
    assert bits_per_term([0, 1] * 12) == 1.0 and bits_per_term(list(range(24))) == 1.0
    assert bits_per_term([5] * 24) == 1.0  # constant: no distribution to tell a rule from
    assert abs(bits_per_term([0] * 9 + [1]) - 0.469) < 0.001
    # [n is prime] for n = 0..23 (A010051): 9 ones, 15 zeros, 0.95 bits a term. (A358769's 24 terms, the
    # example here before, state nothing since they do not tell its rule from "Omega(n) is odd".)
    terms = [int(sp.isprime(m)) for m in range(24)]
    entropy = -(9 / 24 * log2(9 / 24) + 15 / 24 * log2(15 / 24))
    stated = [g for g in guess_all(terms) if not isinstance(g, NoGuess)]
    assert stated
    for guess in stated:
        words = guess.support(terms)
        assert words.startswith(guess.support()) and "2 distinct values a term carries 0.95 bits" in words
        assert f"the {guess.confirmed_by} confirming terms carry {guess.confirmed_by * entropy:.1f} bits" in words
    counting = ClosedForm(expression="n", family="polynomial", fitted_on=2, checked_on=24, parameters=2)
    assert counting.support(list(range(24))) == counting.support()


def test_a_rule_that_predicted_the_head_is_not_read_as_exceptions_then_the_tail():
    from mathteam.domains.sequences.families import Description
    # A062050, n - 2^floor(log2(n)) + 1 from n = 1: the 101 shown terms end inside the block 64..127, where
    # they are "a(n + 1) = a(n) + 1 from n = 64 on". A description fitted on 18 terms that reproduces the
    # 63 irregular terms before (it predicted the breaks at n = 32 and 64) is no "63 exceptions, then that
    # rule" claim; one fitted on the 66 terms through the start of the tail is, and is withdrawn.
    def rule(guess, count):
        return [m - 2 ** (m.bit_length() - 1) + 1 for m in range(1, count + 1)]
    terms = rule(None, 101)
    predicted = Description(family="automatic", statement="2-regular", spec={}, offset=1, fitted_on=18,
                            checked_on=101, parameters=12)
    listed = Description(family="periodic_differences", statement="+ 1 from n = 64", spec={}, offset=1,
                         fitted_on=66, checked_on=101, parameters=66)
    out = withdraw_regime_changes([predicted, listed], terms, 1, rule)
    assert out[0] is predicted
    assert isinstance(out[1], NoGuess) and "only from n = 64 on" in out[1].reason


def test_a_compact_guess_that_keeps_a_decimal_period_for_ever_is_withdrawn_before_n_100():
    from mathteam.domains.sequences.consensus import withdraw_unearned_periods
    from mathteam.domains.sequences.families import _decimal_period_claimed
    # floor(3n/10) and floor(301n/1000) agree up to n = 102; below n = 100 the differences repeat with period
    # 10 (the last digit of n). The first keeps that period for ever: claimed before n = 100, withdrawn however
    # few its parameters; the second parts from it at 103, inside twice the data's reach: it claims no period
    # and keeps its own count
    terms = [3 * m // 10 for m in range(24)]
    forever = ClosedForm(expression="floor(3*n/10)", family="polynomial", fitted_on=3, checked_on=24, parameters=3)
    for_a_while = ClosedForm(expression="floor(301*n/1000)", family="polynomial", fitted_on=3, checked_on=24,
                             parameters=3)
    answers = withdraw_unearned_periods([forever, for_a_while], terms, 0, evaluate, lambda t, o: False,
                                        _decimal_period_claimed)
    assert isinstance(answers[0], NoGuess) and "period 10" in answers[0].reason
    assert answers[1] == for_a_while
    # the same compact guess from terms that reach n = 100 is judged by its own count
    terms = [3 * m // 10 for m in range(110)]
    forever = ClosedForm(expression="floor(3*n/10)", family="polynomial", fitted_on=3, checked_on=110, parameters=3)
    assert withdraw_unearned_periods([forever], terms, 0, evaluate, lambda t, o: False,
                                     _decimal_period_claimed) == [forever]


def assert_refused_and_nothing_false(family, terms: list[int], later: list[int]) -> None:
    """The family states nothing from ``terms``, and no other guess from them is refuted by ``later`` (the same
    sequence, longer)."""
    assert family(terms) is None
    for guess in guess_all(terms):
        assert isinstance(guess, NoGuess) or holds(guess, later), guess


def floor_n_two_plus_root_5(count: int) -> list[int]:
    """A004976, floor(n(2 + √5)): its differences repeat a period of 17 (the convergent 72/17) for 72 terms."""
    return [(isqrt(20 * m * m) >> 1) + 2 * m for m in range(count)]


def test_a_convergent_period_is_not_stated_before_it_repeats_more_than_the_level_below_held():
    from mathteam.domains.sequences.families import guess_periodic_differences
    # A004976's 72 shown terms: the period 17 (4444 5 444 5 444 5 444 5) confirmed for 54 terms, 3.2 periods;
    # inside it the block 4445 repeats 4.75 times before it breaks, and the period 17 breaks at n = 89
    assert_refused_and_nothing_false(guess_periodic_differences, floor_n_two_plus_root_5(72),
                                     floor_n_two_plus_root_5(240))


def test_a_rational_slope_period_is_stated_once_it_repeats_more_than_its_level_below():
    from mathteam.domains.sequences.families import guess_periodic_differences
    # floor(72n/17) has the same period as A004976 for ever: stated once the period is confirmed for more
    # than 4.75 + 1 periods (98 terms) after the fit, not from A004976's 72 terms
    rational = [72 * m // 17 for m in range(150)]
    assert guess_periodic_differences(rational[:72]) is None
    found = guess_periodic_differences(rational[:130])
    assert found is not None and holds(found, rational)
    # a period without a level below keeps the three-period rule: 1, 1, 2 from 12 terms on
    assert guess_periodic_differences([m + m // 3 for m in range(30)]) is not None


def numbers_beginning_with_2(count: int) -> list[int]:
    """A217394: 18, 2, 20..29, 200..299, 2000..2999, ..."""
    return [m + 17 * 10 ** (len(str(9 * m - 8)) - 1) // 9 for m in range(count)]


def test_a_pattern_that_broke_where_the_terms_gained_a_digit_needs_terms_with_one_more_digit():
    from mathteam.domains.sequences.families import guess_periodic_differences
    # A217394's 68 shown terms end at 255: "+ 1 from n = 12 on" held for 56 terms after breaks at 2 -> 20 and
    # 29 -> 200, and breaks again at 299 -> 2000 (n = 112): the data never reach four digits
    assert_refused_and_nothing_false(guess_periodic_differences, numbers_beginning_with_2(68),
                                     numbers_beginning_with_2(240))


def test_a_pattern_that_broke_where_the_terms_gained_a_digit_is_stated_from_terms_with_one_more_digit():
    from mathteam.domains.sequences.families import guess_periodic_differences
    # 2, 20, then every integer from 200 on: the same two breaks, and terms that reach 1000 without a break
    terms = [2, 20] + list(range(200, 1010))
    found = guess_periodic_differences(terms)
    assert found is not None and holds(found, [2, 20] + list(range(200, 1200)))
    assert guess_periodic_differences(terms[:70]) is None
    # one break that gains a digit is no decimal pattern: 5, then every integer from 12 on
    assert guess_periodic_differences([5] + list(range(12, 40))) is not None


def binary_digits_joined(m: int) -> int:
    """A080719: the decimal digits of m, each written in binary, read as one binary number."""
    return int("".join(format(int(d), "b") for d in str(m)), 2)


def test_a_generating_function_with_a_tenth_root_of_unity_is_withdrawn_before_n_100():
    from mathteam.domains.sequences.families import decimal_root_order
    from mathteam.domains.sequences.guess import RationalGF, Recurrence
    # A080719's 91 shown terms (n <= 90) are linear in each class mod 10 and fit a 38-parameter rational g.f.
    # whose denominator holds Φ10 (confirmed by 53 terms); the sequence leaves that pattern at n = 100
    terms = [binary_digits_joined(m) for m in range(91)]
    later = [binary_digits_joined(m) for m in range(200)]
    answers = guess_all(terms)
    assert any(isinstance(g, NoGuess) and "root of unity of order 10" in g.reason for g in answers)
    assert all(isinstance(g, NoGuess) or holds(g, later) for g in answers)
    # the orders that mark a decimal period, and those that do not
    assert decimal_root_order(RationalGF(numerator="1", denominator="1 - x**10", fitted_on=1, checked_on=2)) == 10
    assert decimal_root_order(RationalGF(numerator="1", denominator="1 - 2*x**11 + x**22", fitted_on=1,
                                         checked_on=2)) == 11
    assert decimal_root_order(RationalGF(numerator="1", denominator="1 - x**5", fitted_on=1, checked_on=2)) is None
    period_ten = Recurrence(coefficients=((-1,),) + ((0,),) * 9 + ((1,),), offset=0, equation="a(n + 10) = a(n)",
                            fitted_on=11, checked_on=40)
    assert decimal_root_order(period_ten) == 10


def test_a_generating_function_with_a_tenth_root_of_unity_is_stated_from_terms_past_n_100():
    # n mod 10 plus n: the same kind of root, true for ever, stated once the terms reach n = 100
    terms = [m % 10 + m for m in range(130)]
    stated = [g for g in guess_all(terms) if not isinstance(g, NoGuess)]
    assert any(g.kind == "rational_gf" for g in stated)
    assert all(holds(g, [m % 10 + m for m in range(300)]) for g in stated)
