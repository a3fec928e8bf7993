"""Guess formulas for an integer sequence from its first terms; each guess is fitted on a prefix and
checked on more terms than it was fitted on.

Guessers: linear recurrences with polynomial coefficients (P-recursive), rational generating functions
(Berlekamp–Massey over Q), algebraic generating functions (P(x, A(x)) = 0) and closed forms
(polynomials, and hypergeometric terms c·rⁿ·B(n)·g(n) with B one of 1, n!, C(2n,n), C(3n,n)).
A guesser that finds nothing says so with the bounds it searched: absence of a guess is not a proof.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

import sympy as sp
from pydantic import BaseModel, ConfigDict

from .linalg import integral, nullspace

n, k = sp.symbols("n k", integer=True)
x, A = sp.symbols("x A")
MIN_CHECK = 3
"""Terms held out from every fit and used only to check it."""


class Guess(BaseModel):
    """Base of the guess models: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Recurrence(Guess):
    """``sum_i p_i(n)·a(n+i) = 0`` for every ``n >= offset``."""

    kind: Literal["recurrence"] = "recurrence"
    coefficients: tuple[tuple[int, ...], ...]
    """``coefficients[i]`` is ``p_i`` as integer coefficients, constant term first; coprime, leading > 0."""
    offset: int
    """First index of the sequence."""
    equation: str
    """Readable form, e.g. ``(n + 2)*a(n + 1) = (4*n + 2)*a(n)``."""
    fitted_on: int
    """How many first terms the fit used."""
    checked_on: int
    """How many first terms satisfy it (always more than ``fitted_on``)."""

    @property
    def order(self) -> int:
        return len(self.coefficients) - 1

    def polynomials(self) -> list[sp.Expr]:
        return [sum(c * n**j for j, c in enumerate(p)) for p in self.coefficients]


class RationalGF(Guess):
    """``sum_j a(offset+j)·x^j = numerator/denominator``."""

    kind: Literal["rational_gf"] = "rational_gf"
    numerator: str
    """A polynomial in x with integer coefficients (sympy syntax)."""
    denominator: str
    """A polynomial in x, integer coefficients like the numerator, non-zero at x = 0."""
    fitted_on: int
    """How many first terms Berlekamp–Massey saw."""
    checked_on: int
    """How many first terms the expansion reproduces."""


class AlgebraicGF(Guess):
    """``P(x, A(x)) = 0`` for ``A(x) = sum_j a(offset+j)·x^j``."""

    kind: Literal["algebraic_gf"] = "algebraic_gf"
    equation: str
    """``P(x, A)`` with integer coefficients (sympy syntax, A for the series), equal to 0."""
    degree: int
    """Degree in A."""
    fitted_on: int
    """Series coefficients the fit used."""
    checked_on: int
    """Series coefficients that satisfy it."""


class ClosedForm(Guess):
    """``a(n) = expression`` for every ``n >= offset``."""

    kind: Literal["closed_form"] = "closed_form"
    expression: str
    """An expression in n (sympy syntax)."""
    family: Literal["polynomial", "hypergeometric"]
    """How it was found."""
    fitted_on: int
    """Terms the fit used."""
    checked_on: int
    """Terms the expression reproduces."""


class NoGuess(Guess):
    """The guesser found nothing within its bounds."""

    kind: Literal["none"] = "none"
    guesser: str
    """Which guesser."""
    reason: str
    """What was searched, e.g. ``no recurrence of order <= 4 and degree <= 3 fits 15 terms``."""


def parse(expression: str) -> sp.Expr:
    """A guess's expression string back as sympy, with this module's symbols n, x and A."""
    return sp.sympify(expression, locals={"n": n, "x": x, "A": A})


def guess_recurrence(terms: list[int], offset: int = 0, max_order: int = 4, max_degree: int = 3
                     ) -> Recurrence | NoGuess:
    """The P-recursive recurrence of least order (then degree) that fits a prefix and checks on all terms."""
    searched = []
    for order in range(1, max_order + 1):
        for degree in range(max_degree + 1):
            unknowns = (order + 1) * (degree + 1)
            fit_rows = unknowns + 2
            if fit_rows + order + MIN_CHECK > len(terms):
                break
            searched.append(f"{order}/{degree}")
            rows = [[(offset + t) ** j * terms[t + i] for i in range(order + 1) for j in range(degree + 1)]
                    for t in range(len(terms) - order)]
            for vector in nullspace(rows[:fit_rows], unknowns):
                if any(sum(c * v for c, v in zip(row, vector)) for row in rows[fit_rows:]):
                    continue
                ints = integral(vector)
                polys = tuple(tuple(ints[i * (degree + 1):(i + 1) * (degree + 1)]) for i in range(order + 1))
                if not any(polys[-1]):
                    continue
                return Recurrence(coefficients=polys, offset=offset, equation=_equation(polys),
                                  fitted_on=fit_rows + order, checked_on=len(terms))
    return NoGuess(guesser="recurrence", reason=f"no recurrence of order <= {max_order} and degree <= "
                   f"{max_degree} fits {len(terms)} terms (order/degree searched: {', '.join(searched) or 'none'})")


def _equation(polys: tuple[tuple[int, ...], ...]) -> str:
    def term(poly, shift, sign):
        p = sp.expand(sign * sum(c * n**j for j, c in enumerate(poly)))
        a = "a(n)" if shift == 0 else f"a(n + {shift})"
        if p == 0:
            return None
        return a if p == 1 else (f"({p})*{a}" if isinstance(p, sp.Add) else f"{p}*{a}")
    lhs = term(polys[-1], len(polys) - 1, 1)
    rhs = [t for i, poly in enumerate(polys[:-1]) if (t := term(poly, i, -1))]
    return f"{lhs} = {' + '.join(reversed(rhs)) or '0'}"


def berlekamp_massey(terms: list[int]) -> list[Fraction]:
    """The shortest connection polynomial ``C`` (``C[0] = 1``): ``sum_i C[i]·s[m-i] = 0`` for m >= len(C)-1."""
    s = [Fraction(t) for t in terms]
    c, b, length, shift, last = [Fraction(1)], [Fraction(1)], 0, 1, Fraction(1)
    for m in range(len(s)):
        d = s[m] + sum(c[i] * s[m - i] for i in range(1, length + 1))
        if d == 0:
            shift += 1
            continue
        update = c + [Fraction(0)] * max(0, len(b) + shift - len(c))
        for i, coefficient in enumerate(b):
            update[i + shift] -= d / last * coefficient
        if 2 * length <= m:
            b, length, last, shift = c, m + 1 - length, d, 1
        else:
            shift += 1
        c = update
    return (c + [Fraction(0)] * (length + 1))[:length + 1]


def guess_rational_gf(terms: list[int]) -> RationalGF | NoGuess:
    """A rational generating function found on all but the last terms and checked on all of them."""
    fitted = len(terms) - MIN_CHECK
    connection = berlekamp_massey(terms[:fitted])
    length = len(connection) - 1
    if 2 * length + 2 > fitted:
        return NoGuess(guesser="rational_gf", reason=f"no rational generating function with denominator "
                       f"degree <= {(fitted - 2) // 2} fits {len(terms)} terms")
    for m in range(length, len(terms)):
        if sum(connection[i] * terms[m - i] for i in range(length + 1)) != 0:
            return NoGuess(guesser="rational_gf", reason=f"the recurrence of length {length} found on "
                           f"{fitted} terms fails at term {m}")
    q = sp.Poly(list(reversed(connection)), x)
    a = sp.Poly(list(reversed(terms[:length])) or [0], x)
    p = sp.Poly(sp.rem((a * q).as_expr(), x**length, x) if length else 0, x)
    scale = sp.ilcm(*[sp.Rational(c).q for c in p.all_coeffs() + q.all_coeffs()])
    return RationalGF(numerator=sp.sstr((p * scale).as_expr(), order="rev-lex"),
                      denominator=sp.sstr((q * scale).as_expr(), order="rev-lex"),
                      fitted_on=fitted, checked_on=len(terms))


def guess_algebraic_gf(terms: list[int], max_degree: int = 3, max_x_degree: int = 4) -> AlgebraicGF | NoGuess:
    """The polynomial relation P(x, A) = 0 of least degree in A (then in x) that the series satisfies."""
    total = len(terms)
    powers = [[1] + [0] * (total - 1)]
    for _ in range(max_degree):
        prev = powers[-1]
        powers.append([sum(prev[i] * terms[m - i] for i in range(m + 1)) for m in range(total)])
    for degree in range(1, max_degree + 1):
        for x_degree in range(max_x_degree + 1):
            unknowns = (degree + 1) * (x_degree + 1)
            if unknowns + 2 + MIN_CHECK > total:
                break
            rows = [[powers[j][m - i] if m >= i else 0 for j in range(degree + 1) for i in range(x_degree + 1)]
                    for m in range(total)]
            fit = unknowns + 2
            for vector in nullspace(rows[:fit], unknowns):
                if any(sum(c * v for c, v in zip(row, vector)) for row in rows[fit:]):
                    continue
                ints = integral(vector)
                if not any(ints[degree * (x_degree + 1):]):
                    continue
                poly = sum(ints[j * (x_degree + 1) + i] * x**i * A**j
                           for j in range(degree + 1) for i in range(x_degree + 1))
                return AlgebraicGF(equation=str(sp.expand(poly)), degree=degree, fitted_on=fit,
                                   checked_on=total)
    return NoGuess(guesser="algebraic_gf", reason=f"no algebraic relation of degree <= {max_degree} in A "
                   f"and <= {max_x_degree} in x fits {total} terms")


def guess_closed_form(terms: list[int], offset: int = 0, max_degree: int = 4) -> ClosedForm | NoGuess:
    """A polynomial in n of least degree, else a hypergeometric term, checked on every term."""
    for degree in range(max_degree + 1):
        fitted = degree + 1
        if fitted + MIN_CHECK > len(terms):
            break
        poly = sp.expand(sp.interpolate([(offset + t, terms[t]) for t in range(fitted)], n))
        if _reproduces(poly, terms, offset):
            return ClosedForm(expression=str(sp.factor(poly)), family="polynomial", fitted_on=fitted,
                              checked_on=len(terms))
    first_order = guess_recurrence(terms, offset, max_order=1, max_degree=3)
    if isinstance(first_order, Recurrence) and terms[0] != 0:
        p0, p1 = first_order.polynomials()
        expression = hypergeometric_term(sp.cancel(-p0 / p1), terms[0], offset)
        if expression is not None and _reproduces(expression, terms, offset):
            return ClosedForm(expression=str(expression), family="hypergeometric",
                              fitted_on=first_order.fitted_on, checked_on=len(terms))
    return NoGuess(guesser="closed_form", reason=f"no polynomial of degree <= {max_degree} and no "
                   f"hypergeometric term over 1, n!, C(2n,n), C(3n,n) fits {len(terms)} terms")


def hypergeometric_term(ratio: sp.Expr, first: int, offset: int) -> sp.Expr | None:
    """``f`` with ``f(offset) = first`` and ``f(n+1)/f(n) = ratio``, free of gamma functions, or None."""
    for base in (sp.Integer(1), sp.factorial(n), sp.binomial(2 * n, n), sp.binomial(3 * n, n)):
        base_ratio = sp.combsimp(base.subs(n, n + 1) / base)
        rest = sp.cancel(ratio / base_ratio)
        product = sp.gammasimp(sp.product(rest.subs(n, k), (k, offset, n - 1)))
        if product.has(sp.gamma, sp.Product, sp.RisingFactorial, sp.FallingFactorial, sp.pi):
            continue
        value = base.subs(n, offset)
        if value == 0:
            continue
        return sp.factor(sp.simplify(first / value * base * product))
    return None


def _reproduces(expression: sp.Expr, terms: list[int], offset: int) -> bool:
    return all(sp.simplify(expression.subs(n, offset + t)) == value for t, value in enumerate(terms))


def guess_all(terms: list[int], offset: int = 0) -> list[Recurrence | RationalGF | AlgebraicGF | ClosedForm | NoGuess]:
    """Every guesser's answer; the algebraic guesser only runs when no rational function fits."""
    rational = guess_rational_gf(terms)
    answers = [guess_closed_form(terms, offset), guess_recurrence(terms, offset), rational]
    if isinstance(rational, NoGuess):
        answers.append(guess_algebraic_gf(terms))
    return answers
