"""Guessing formulas from terms: the classical answers come out, checked beyond the fitted prefix."""

from __future__ import annotations

from math import comb

import sympy as sp

from mathteam.domains.sequences.guess import (
    AlgebraicGF, ClosedForm, NoGuess, RationalGF, Recurrence, guess_algebraic_gf,
    guess_closed_form, guess_rational_gf, guess_recurrence, n, parse, x,
)
from mathteam.domains.sequences.families import evaluate, guess_all

CATALAN = [comb(2 * i, i) // (i + 1) for i in range(16)]
MOTZKIN = [1, 1, 2, 4, 9, 21, 51, 127, 323, 835, 2188, 5798, 15511, 41835, 113634, 310572]
NO_11 = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597]


def bell(count: int) -> list[int]:
    """Bell numbers by the Bell triangle (a formula, for the test only)."""
    row, values = [1], [1]
    while len(values) < count:
        new = [row[-1]]
        for entry in row:
            new.append(new[-1] + entry)
        row = new
        values.append(row[0])
    return values


def satisfies(rec: Recurrence, expected: sp.Expr, terms: list[int]) -> bool:
    """The guessed recurrence is a rational multiple of ``expected`` (sum of p_i(n)*a(n+i))."""
    a = sp.Function("a")
    guessed = sum(p * a(n + i) for i, p in enumerate(rec.polynomials()))
    return sp.simplify(guessed / expected).is_number


def test_catalan_recurrence_is_the_classical_one():
    rec = guess_recurrence(CATALAN)
    assert isinstance(rec, Recurrence)
    assert rec.coefficients == ((-2, -4), (2, 1))  # (n+2)C(n+1) = (4n+2)C(n)
    assert rec.equation == "(n + 2)*a(n + 1) = (4*n + 2)*a(n)"
    assert rec.checked_on == 16 > rec.fitted_on


def test_motzkin_recurrence_is_the_classical_one():
    rec = guess_recurrence(MOTZKIN)
    a = sp.Function("a")
    assert isinstance(rec, Recurrence) and rec.order == 2
    # (n+4)M(n+2) = (2n+5)M(n+1) + (3n+3)M(n); with (n+3) on the left it fails already at n = 0.
    assert satisfies(rec, (n + 4) * a(n + 2) - (2 * n + 5) * a(n + 1) - (3 * n + 3) * a(n), MOTZKIN)
    assert rec.checked_on > rec.fitted_on


def test_strings_without_11_satisfy_fibonacci():
    rec = guess_recurrence(NO_11)
    assert isinstance(rec, Recurrence)
    assert rec.coefficients == ((-1,), (-1,), (1,))
    assert rec.equation == "a(n + 2) = a(n + 1) + a(n)"


def test_rational_generating_function_of_fibonacci_like_sequence():
    gf = guess_rational_gf(NO_11)
    assert isinstance(gf, RationalGF)
    assert sp.simplify(parse(gf.numerator) / parse(gf.denominator)
                       - (1 + x) / (1 - x - x**2)) == 0
    assert gf.checked_on > gf.fitted_on


def test_catalan_has_no_rational_but_an_algebraic_generating_function():
    assert isinstance(guess_rational_gf(CATALAN), NoGuess)
    gf = guess_algebraic_gf(CATALAN)
    a = sp.Symbol("A")
    assert isinstance(gf, AlgebraicGF) and gf.degree == 2
    assert sp.simplify(parse(gf.equation) / (x * a**2 - a + 1)).is_number


def test_closed_forms_of_catalan_central_binomial_powers_and_triangular_numbers():
    cases = [(CATALAN, sp.binomial(2 * n, n) / (n + 1)), ([comb(2 * i, i) for i in range(14)], sp.binomial(2 * n, n)),
             ([3 * 2**i for i in range(12)], 3 * 2**n), ([i * (i + 1) // 2 for i in range(12)], n * (n + 1) / 2)]
    for terms, expected in cases:
        closed = guess_closed_form(terms)
        assert isinstance(closed, ClosedForm), terms
        assert sp.simplify(sp.combsimp(parse(closed.expression) / expected)) == 1
        assert closed.checked_on > closed.fitted_on


def test_a_guess_that_fails_on_held_out_terms_is_not_returned():
    # Catalan numbers up to index 11, then a wrong last term: the fit sees only good terms.
    terms = CATALAN[:15] + [CATALAN[15] + 1]
    assert isinstance(guess_recurrence(terms, max_order=1), NoGuess)
    assert isinstance(guess_closed_form(terms), NoGuess)


def test_bell_numbers_honestly_get_no_recurrence_within_the_bounds():
    answer = guess_recurrence(bell(30), max_order=4, max_degree=3)
    assert isinstance(answer, NoGuess)
    assert answer.reason.startswith("no recurrence fits 30 terms among the shapes searched")
    assert "4/3 44" in answer.reason  # not searched: 44 terms would be needed
    whole = guess_recurrence(bell(52), max_order=4, max_degree=3)
    assert whole.reason.startswith("no recurrence of order <= 4 and degree <= 3 fits 52 terms")
    assert "4/3+q" in whole.reason and "not searched" not in whole.reason
    # No recurrence or generating function; the one description is the exponential transform of
    # c(n) = 1 (transforms.py), and it holds far beyond the 30 terms it saw.
    stated = [g for g in guess_all(bell(30)) if not isinstance(g, NoGuess)]
    assert [(g.kind, g.family) for g in stated] == [("description", "series_transform")]
    assert stated[0].spec["transform"] == "exponential"
    assert evaluate(stated[0], 52) == bell(52)
