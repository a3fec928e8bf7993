"""The runs family (value v(j) repeated r(j) times), summatory functions (a(n) = c + sum of f(k), f
multiplicative or an expression) and digit-set lists (numbers or primes whose base-b digits lie in S):
what each must find, what each must refuse, and the counts stated."""

from __future__ import annotations

from math import isqrt

from mathteam.domains.sequences import digitsets, expressions, runs, summatory
from mathteam.domains.sequences.families import evaluate, guess_all, guess_digit_set, guess_runs, guess_summatory
from mathteam.domains.sequences.guess import MARGIN, NoGuess, choice_bits


def triangular_inverse(count: int) -> list[int]:
    """A003056: n appears n + 1 times (0, 1, 1, 2, 2, 2, ...)."""
    return [(isqrt(8 * m + 1) - 1) // 2 for m in range(count)]


def composites_repeated(count: int) -> list[int]:
    """A111653 read from 0: the j-th composite number (4, 6, 8, 9, ...) repeated j + 1 times."""
    composites = [m for m in range(4, 200) if any(m % d == 0 for d in range(2, isqrt(m) + 1))]
    out: list[int] = []
    for j, value in enumerate(composites):
        out += [value] * (j + 1)
    return out[:count]


def sigma2_sums(count: int) -> list[int]:
    """A064602: sum over k <= n of sigma_2(k), from n = 0."""
    def sigma2(m):
        return sum(d * d for d in range(1, m + 1) if m % d == 0)
    values = [0]
    for m in range(1, count):
        values.append(values[-1] + sigma2(m))
    return values


def test_n_appearing_n_plus_one_times_is_read_as_runs_and_holds_later():
    terms = triangular_inverse(60)
    found = guess_runs(terms[:24])
    assert found is not None and found.family == "runs"
    assert "v(j) = j" in found.statement and "r(j) = j + 1" in found.statement
    assert evaluate(found, 60) == terms
    # fitted on the first two runs and the term after them; the rank of the shape counts too
    assert found.fitted_on == 4 and found.parameters > 4
    assert found.confirmed_by >= found.parameters + MARGIN


def test_run_values_may_be_a_named_sequence():
    terms = composites_repeated(40)
    found = guess_runs(terms[:24])
    assert found is not None and "composite(j + 1)" in found.statement
    assert evaluate(found, 40) == terms


def test_runs_need_complete_runs_after_the_fit_not_only_terms():
    # isqrt(n/2): runs of 2, 6, 10, 14 terms; 24 terms show three complete runs, and a linear r(j)
    # fitted on two of them leaves one: 15 confirming terms, but a single confirmed length.
    terms = [isqrt(m // 2) for m in range(24)]
    assert runs.guess_runs(terms) is None
    # with 60 terms the same shape is confirmed by enough runs
    longer = [isqrt(m // 2) for m in range(60)]
    found = runs.guess_runs(longer)
    assert found is not None and "r(j) = 4·j + 2" in found[1]


def test_a_rival_shape_that_predicts_otherwise_cancels_the_runs():
    # floor(log2 n) from n = 1: runs 1, 2, 4, 8 are c·2^j, and also 1 then j^2 - j + 2 (one more
    # parameter, within RIVAL_GAP): they part at the fifth run, so the data do not decide.
    terms = [m.bit_length() - 1 for m in range(1, 25)]
    tied: list = []
    assert runs.guess_runs(terms, 0, tied) is None
    assert len(tied) == 2


def test_sequences_without_repeated_runs_are_left_to_other_families():
    assert runs.guess_runs(list(range(0, 48, 2))) is None
    assert runs.guess_runs([m * m for m in range(24)]) is None


def test_the_summatory_function_of_sigma_2_is_found_with_its_counts():
    terms = sigma2_sums(40)
    found = guess_summatory(terms[:24])
    assert found is not None and found.family == "summatory"
    assert "summatory function" in found.statement
    assert evaluate(found, 40) == terms
    # a(0) and the choice between the two inner searches are counted on top of f's parameters
    assert found.parameters >= 1 + choice_bits(len(summatory.INNER)) + 1
    assert found.confirmed_by >= found.parameters + MARGIN


def test_a_summatory_function_read_from_n_equals_1_has_no_constant():
    terms = sigma2_sums(41)[1:]
    spec, statement, fitted, parameters = summatory.guess_summatory(terms[:24], 1)
    assert spec["first"] is None and summatory.terms_from(spec, 1, 40) == terms


def test_summatory_refuses_linear_sequences_and_unexplained_differences():
    assert summatory.guess_summatory([3 * m + 1 for m in range(24)]) is None
    digits_of_pi = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3]
    partial = [0]
    for d in digits_of_pi[:23]:
        partial.append(partial[-1] + d)
    assert summatory.guess_summatory(partial) is None


def test_the_conjecturer_states_runs_and_names_both_families_bounds_when_nothing_fits():
    answers = [g for g in guess_all(triangular_inverse(24)) if not isinstance(g, NoGuess)]
    assert any(getattr(g, "family", None) == "runs" for g in answers)
    assert all(evaluate(g, 60) == triangular_inverse(60) for g in answers if hasattr(g, "family"))
    noise, state = [], 1
    for _ in range(24):
        state = (state * 1103515245 + 12345) % 2**31
        noise.append(state % 1000)
    reason = next(g for g in guess_all(noise) if getattr(g, "guesser", None) == "description").reason
    assert f"runs: {runs.BOUNDS}" in reason and f"summatory: {summatory.BOUNDS}" in reason


def primes_with_prime_digits(count: int) -> list[int]:
    """A019546: primes whose decimal digits are all primes (2, 3, 5, 7)."""
    from sympy import isprime
    return [m for m in range(2, 10**5) if isprime(m) and set(str(m)) <= set("2357")][:count]


def test_primes_with_prime_digits_are_a_digit_set_list_with_their_counts():
    terms = primes_with_prime_digits(40)
    found = guess_digit_set(terms[:24])
    assert found is not None and found.family == "digit_set"
    assert "primes whose base-10 digits all lie in {2, 3, 5, 7}" in found.statement
    assert evaluate(found, 40) == terms
    # one parameter per base-10 digit for S, and the choice among 18 (base, primes or not) readings
    assert found.parameters == 10 + choice_bits(len(digitsets.KINDS)) and found.fitted_on == 24 - found.parameters - MARGIN


def test_a_digit_set_needs_its_digits_inside_the_fitted_prefix():
    # the numbers whose base-4 digits are 1 or 3; with 25 added to every term, other digits appear late
    odd_digits = [m for m in range(1, 10**4) if set(digitsets.digits_of(m, 4)) <= {1, 3}][:24]
    found = digitsets.guess_digit_set(odd_digits)
    assert found is not None and found[0]["base"] == 4 and found[0]["digits"] == [1, 3]
    assert digitsets.guess_digit_set([m + 25 for m in odd_digits]) is None
    # the decimal numbers with odd digits: 24 of them stop at 79, two digits, where the condition is
    # one on m mod 10 and m // 10 (a residue class and an interval imitate it): not read
    assert digitsets.guess_digit_set([m for m in range(1, 10**4) if set(str(m)) <= set("13579")][:24]) is None
    # below b^2 the base-7 numbers without a digit 0 are the numbers not divisible by 7 (up to 48)
    not_divisible = [m for m in range(1, 60) if m % 7][:24]
    assert not_divisible == [m for m in range(1, 49) if 0 not in digitsets.digits_of(m, 7)][:24]
    assert digitsets.guess_digit_set(not_divisible) is None
    # every digit used, or n written in base k read in base 10 (the digits family's): not read here
    assert digitsets.guess_digit_set([m for m in range(1, 200) if m % 3][:24]) is None
    assert digitsets.guess_digit_set([int(format(m, "b")) for m in range(24)]) is None


def test_a_list_with_a_composite_term_never_enumerates_primes_by_their_digits(monkeypatch):
    enumerated = []
    real_members = digitsets._members

    def recording(base, allowed, primes, with_zero):
        enumerated.append(primes)
        return real_members(base, allowed, primes, with_zero)
    monkeypatch.setattr(digitsets, "_members", recording)
    # A116260's first terms: 9, 99, 999, ... (its digit set {9} holds no prime: a primes reading would run
    # through ENUMERATION_LIMIT strings, each tested for primality, before giving up)
    found = digitsets.guess_digit_set([10**k - 1 for k in range(1, 25)])
    assert found is not None and found[0] == {"base": 10, "digits": [9], "primes": False, "zero": False}
    assert enumerated and not any(enumerated)
    enumerated.clear()
    assert digitsets.guess_digit_set(primes_with_prime_digits(24)) is not None
    assert True in enumerated


def test_a_summatory_function_of_the_binary_weight_is_refused_while_wt_took_only_four_values():
    # From A076178's first 24 terms the summatory family once stated f(n) = pi(wt(n)^2), which met wt(n) = 1..4
    # only; 2·wt(n) - 2 agrees at those four values and parts at wt(n) = 5 (n = 31).
    def f(n):
        w = bin(n).count("1")
        return {1: 0, 2: 2, 3: 4, 4: 6, 5: 9, 6: 11}[w]
    terms = [0]
    for n in range(1, 24):
        terms.append(terms[-1] + f(n))
    assert summatory.guess_summatory(terms, 0) is None
    outer = ("u", "primepi", ("b", "^", ("u", "wt", ("n",)), ("c", 2)))
    assert expressions.terms_of(outer, 1, 23) == [f(n) for n in range(1, 24)]
    assert expressions.outer_undecided(outer, range(1, 24))
