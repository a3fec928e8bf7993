"""Symbolic proofs: true identities between descriptions are proved, false ones never are."""

from __future__ import annotations

from math import comb

from mathteam.domains.sequences.guess import (
    ClosedForm, Recurrence, guess_closed_form, guess_rational_gf, guess_recurrence,
)
from mathteam.domains.sequences.prove import (
    prove_closed_form_satisfies_recurrence, prove_rational_gf_matches_recurrence,
)

CATALAN = [comb(2 * i, i) // (i + 1) for i in range(16)]


def test_catalan_closed_form_is_proved_from_its_recurrence():
    proof = prove_closed_form_satisfies_recurrence(guess_closed_form(CATALAN), guess_recurrence(CATALAN), CATALAN)
    assert proof is not None
    assert proof.statement == ("The sequence with a(0) = 1 and (n + 2)*a(n + 1) = (4*n + 2)*a(n) for n >= 0 "
                               "is a(n) = binomial(2*n, n)/(n + 1) for every n >= 0.")
    assert proof.checker.startswith("sympy ")


def test_vanishing_leading_coefficient_needs_the_extra_initial_value():
    # The guesser refuses such a recurrence (it holds at n = 0 by degeneracy); stated by hand, its
    # agreement with the closed form needs a(1) as a given value.
    terms = [i * (i + 1) // 2 for i in range(12)]
    rec = Recurrence(coefficients=((-2, -1), (0, 1)), offset=0, equation="n*a(n + 1) = (n + 2)*a(n)",
                     fitted_on=4, checked_on=12, parameters=3)
    proof = prove_closed_form_satisfies_recurrence(guess_closed_form(terms), rec, terms)
    assert proof is not None and "a(0) = 0, a(1) = 1" in proof.statement


def test_a_wrong_closed_form_is_not_proved():
    wrong = ClosedForm(expression="binomial(2*n, n)/(n + 2)", family="hypergeometric", fitted_on=1, checked_on=2)
    assert prove_closed_form_satisfies_recurrence(wrong, guess_recurrence(CATALAN), CATALAN) is None


def test_right_formula_with_wrong_initial_term_is_not_proved():
    doubled = [2 * c for c in CATALAN]
    catalan_form = guess_closed_form(CATALAN)
    assert prove_closed_form_satisfies_recurrence(catalan_form, guess_recurrence(doubled), doubled) is None


def test_rational_generating_function_matches_fibonacci_recurrence():
    terms = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987]
    proof = prove_rational_gf_matches_recurrence(guess_rational_gf(terms), guess_recurrence(terms), terms)
    assert proof is not None
    assert proof.statement.endswith("has generating function (1 + x)/(1 - x - x**2).")


def test_rational_generating_function_with_other_initial_terms_is_not_proved():
    terms = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987]
    lucas = [2, 1, 3, 4, 7, 11, 18, 29, 47, 76, 123, 199, 322, 521, 843]
    assert prove_rational_gf_matches_recurrence(guess_rational_gf(terms), guess_recurrence(lucas), lucas) is None
