"""Sequences read off real constants (Beatty sequences, Sturmian words, integer parts of powers, digits and
continued fractions), each stated only under the held-out discipline and computed exactly."""

from __future__ import annotations

from math import isqrt

import mpmath
import pytest

from mathteam.domains.sequences import constants
from mathteam.domains.sequences.check import holds
from mathteam.domains.sequences.families import (
    guess_all, guess_beatty, guess_expansion, guess_floor_power,
)
from mathteam.domains.sequences.guess import MARGIN, NoGuess


def floor_times(alpha, indices) -> list[int]:
    with mpmath.workdps(80):
        return [int(mpmath.floor(m * alpha)) for m in indices]


def test_a_beatty_sequence_and_its_complement_are_found_and_hold_far_beyond():
    lower = [isqrt(2 * m * m) for m in range(1, 201)]                 # floor(n·sqrt(2))
    upper = [2 * m + isqrt(2 * m * m) for m in range(1, 201)]         # floor(n·(2 + sqrt(2))): the complement
    for terms in (lower, upper):
        found = guess_beatty(terms[:24], 1)
        assert found is not None and "sqrt(2)" in found.statement
        assert holds(found, terms, 1)
        assert found.checked_on - found.fitted_on >= found.parameters + MARGIN
    assert sorted(set(lower[:100]) | set(upper[:60]))[:100] == list(range(1, 101))


def test_a_sturmian_word_is_found():
    golden = floor_times(mpmath.phi, range(0, 80))
    word = [b - a for a, b in zip(golden, golden[1:])]          # 1, 2, 1, 2, 2, ...: the Fibonacci word + 1
    # 24 terms do not decide: floor((n + 2)·β + 1/2) - floor((n + 1)·β + 1/2) with β = sqrt(7)/(sqrt(7) - 1)
    # fits them too and parts at n = 24; 40 terms do.
    assert guess_beatty(word[:24], 0) is None
    found = guess_beatty(word[:40], 0)
    assert found is not None and "Sturmian" in found.statement
    assert holds(found, word, 0)


def test_a_beatty_sequence_the_data_cannot_tell_from_a_rational_slope_is_not_stated():
    # floor(n·π) and floor(22n/7) agree up to n = 56: 24 terms do not decide between them.
    terms = floor_times(mpmath.pi, range(1, 41))
    assert guess_beatty(terms[:24], 1) is None
    # The numbers without a 0 in base 8 (0, 1, ..., 7, 9, ...): differences 1 (seven times), 2, 1 (six
    # times), 2, ... look like floor(n·π) - 2n for 24 terms and part from it at n = 56.
    zeroless = [m for m in range(400) if m == 0 or "0" not in oct(m)[2:]]
    assert guess_beatty(zeroless[:24], 0) is None
    for guess in guess_all(zeroless[:24], 0):
        if not isinstance(guess, NoGuess):
            assert holds(guess, zeroless[:60], 0), guess


def test_a_periodic_word_is_not_taken_for_a_sturmian_word():
    assert guess_beatty([1, 0, 0, 0] * 6, 0) is None


def test_digits_and_continued_fractions_of_constants():
    with mpmath.workdps(120):
        pi_digits = [int(c) for c in mpmath.nstr(mpmath.pi, 90, strip_zeros=False).replace(".", "")[:80]]
    found = guess_expansion(pi_digits[:24], 0)
    assert found is not None and found.statement == "a(n) = the decimal digits of π, from its leading non-zero digit"
    assert holds(found, pi_digits, 0)
    e_fraction = [2] + [v for k in range(1, 30) for v in (1, 2 * k, 1)]       # e = [2; 1, 2, 1, 1, 4, 1, ...]
    found = guess_expansion(e_fraction[:24], 0)
    assert found is not None and "continued fraction of e" in found.statement
    assert holds(found, e_fraction[:80], 0)
    # A digit sequence that is no constant's: nothing.
    assert guess_expansion([1, 2, 3, 4, 5, 6, 7, 8, 9] * 3, 0) is None


def test_the_integer_part_of_a_power():
    terms = [3**m // 2**m for m in range(60)]
    found = guess_floor_power(terms[:24], 0)
    assert found is not None and found.statement == "a(n) = floor((3/2)^(n))"
    assert holds(found, terms, 0)


def test_an_undecidable_floor_raises_instead_of_guessing():
    with pytest.raises(ValueError, match="too close to an integer"):
        constants._floor_exact(lambda dps: [mpmath.sqrt(4) * 3], 1, "sqrt(4)")


def test_recurrences_of_order_five_with_a_constant_right_side():
    # A101426: a quasi-polynomial of period 6 in disguise; its recurrence has order 5 and a constant side.
    terms = [(7 * (m + 2) * (m + 1) + (0 if m % 3 else 1)) // 3 + (m & -2) + 2 for m in range(60)]
    stated = [g for g in guess_all(terms[:24], 0) if not isinstance(g, NoGuess)]
    assert any(g.kind == "recurrence" for g in stated)
    assert all(holds(g, terms, 0) for g in stated)


def test_new_predicate_atoms_describe_classical_lists():
    from mathteam.domains.sequences.families import guess_set_members
    even_valuation = [m for m in range(1, 400) if ((m & -m).bit_length() - 1) % 2 == 0]   # A003159
    p_p_free = [m for m in range(1, 400) if all(e < p for p, e in __import__("sympy").factorint(m).items())]
    for terms, given in ((even_valuation, 24), (p_p_free, 100)):  # 100 terms of A048103 pass 125 = 5^3
        found = guess_set_members(terms[:given], 0)
        assert found is not None and holds(found, terms[:given + 40], 0), found
    # from 24 terms (1..33) "free of p^p" and "cubefree and free of p^p" (4 bits longer) both fit and part at
    # 125 = 5^3, inside twice the data's reach: neither is stated
    assert guess_set_members(p_p_free[:24], 0) is None


def test_a_pattern_that_changes_after_the_data_meets_a_rival_predicate():
    # A342024: 1 when some prime p divides n at least p times; 1, 0, 0, 0 repeated for 27 terms
    # (4 = 2^2, 8, ..., then 27 = 3^3). "Period 4" and "n is not free of p^p" fit the 24 given terms
    # and part at n = 27, with about as many parameters: neither is stated, so nothing false is.
    import sympy
    terms = [int(m == 0 or any(e >= p for p, e in sympy.factorint(m).items())) for m in range(60)]
    assert terms[:24] == [1, 0, 0, 0] * 6
    stated = [g for g in guess_all(terms[:24], 0) if not isinstance(g, NoGuess)]
    assert all(holds(g, terms, 0) for g in stated), stated


def test_the_f_of_n_th_term_of_a_catalogue_sequence():
    import sympy
    from math import factorial
    from mathteam.domains.sequences.families import guess_composition
    primes_at_primes = [int(sympy.prime(sympy.prime(m))) for m in range(1, 61)]
    found = guess_composition(primes_at_primes[:24], 1)
    assert found is not None and found.statement == "a(n) = prime(m) where m = prime(n)"
    assert holds(found, primes_at_primes, 1)
    by_rows = [factorial((isqrt(8 * m + 1) - 1) // 2) for m in range(80)]    # 1, 1, 1, 2, 2, 2, 6, ...
    found = guess_composition(by_rows[:24], 0)
    assert found is not None and found.statement.startswith("a(n) = m! where m = row(n)")
    assert holds(found, by_rows, 0)
    assert found.checked_on - found.fitted_on >= found.parameters + MARGIN


def multiplicative_terms(form, start: int, count: int) -> list[int]:
    import sympy
    out = []
    for m in range(start, start + count):
        value = 1
        for p, e in sympy.factorint(m).items():
            value *= form(p, e)
        out.append(value)
    return out


def test_a_multiplicative_function_given_at_prime_powers():
    from mathteam.domains.sequences.families import guess_multiplicative
    square_roots = multiplicative_terms(lambda p, e: p ** (e // 2), 1, 80)     # A000188
    found = guess_multiplicative(square_roots[:24], 1)
    assert found is not None and "f(p^e) = p^floor(e/2)" in found.statement
    assert holds(found, square_roots, 1)
    # Read from n = 0 with a(0) a lone exception: one more parameter.
    twice = [-1] + multiplicative_terms(lambda p, e: 2 * p**e - 1, 1, 79)     # A145388
    found = guess_multiplicative(twice[:24], 0)
    assert found is not None and found.statement.startswith("a(0) = -1, and for n >= 1:")
    assert holds(found, twice, 0)
    assert found.checked_on - found.fitted_on >= found.parameters + MARGIN


def test_a_step_in_the_exponent_is_stated_only_once_an_odd_prime_shows_it():
    """A372381 (2^(bit length of e + 1) - 1 at each p^e) reads as 2·p^floor(e/3) below 27, where the only
    cube is 8; p^floor(e/3) itself is stated once the terms reach 27."""
    from mathteam.domains.sequences.families import guess_multiplicative
    bits = [2] + multiplicative_terms(lambda p, e: 2 ** ((e + 1).bit_length() - 1), 1, 59)
    assert guess_multiplicative(bits[:24], 0) is None
    cube_roots = multiplicative_terms(lambda p, e: p ** (e // 3), 1, 80)     # A053150
    assert guess_multiplicative(cube_roots[:24], 1) is None
    found = guess_multiplicative(cube_roots[:40], 1)
    assert found is not None and "p^floor(e/3)" in found.statement and holds(found, cube_roots, 1)


def test_rad_is_not_stated_when_a_multiplicative_rival_parts_from_it_later():
    # A053166: the least k with n | k^4, i.e. f(p^e) = p^ceil(e/4); below 32 it equals rad(n), which the
    # catalogue combination states. The two multiplicative forms tie, and both count against rad(n).
    terms = [0] + multiplicative_terms(lambda p, e: p ** ((e + 3) // 4), 1, 59)
    assert terms[1:25] == [int(__import__("sympy").prod(__import__("sympy").primefactors(m))) for m in range(1, 25)]
    stated = [g for g in guess_all(terms[:24], 0) if not isinstance(g, NoGuess)]
    assert all(holds(g, terms, 0) for g in stated), stated
