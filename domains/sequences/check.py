"""Does a stated guess hold on a list of terms it may never have seen? One exact check per kind of guess,
used to measure guesses on held-out terms (bench/sequences_oeis.py, the tests)."""

from __future__ import annotations

import sympy as sp

from .families import Description, evaluate
from .guess import A, AlgebraicGF, ClosedForm, RationalGF, Recurrence, n, parse, reproduces, x


def holds(guess, terms: list[int], offset: int = 0) -> bool:
    """True when the guess describes every one of ``terms`` = a(offset), a(offset + 1), ..."""
    if isinstance(guess, Recurrence):
        polys = [sp.lambdify(n, p) for p in guess.polynomials()]
        right = sp.lambdify(n, guess.right_side())
        return all(sum(int(p(offset + t)) * terms[t + i] for i, p in enumerate(polys)) == int(right(offset + t))
                   for t in range(len(terms) - guess.order))
    if isinstance(guess, RationalGF):
        series = sum(v * x**j for j, v in enumerate(terms))
        product = sp.expand(parse(guess.denominator) * series - parse(guess.numerator))
        return all(product.coeff(x, j) == 0 for j in range(len(terms)))
    if isinstance(guess, AlgebraicGF):
        series = sp.Poly(sum(v * x**j for j, v in enumerate(terms)), x)
        poly = sp.Poly(parse(guess.equation), A)
        total, power = sp.Poly(0, x), sp.Poly(1, x)
        for degree in range(poly.degree() + 1):
            coefficient = sp.Poly(poly.coeff_monomial(A**degree), x)
            total += coefficient * power
            power = _truncate(power * series, len(terms))
        total = _truncate(total, len(terms))
        return total.is_zero
    if isinstance(guess, ClosedForm):
        start = guess.start if guess.start is not None else offset
        skip = max(0, start - offset)  # a closed form may hold only from its start on
        return reproduces(parse(guess.expression), list(terms)[skip:], offset + skip)
    if isinstance(guess, Description):
        try:
            return evaluate(guess, len(terms)) == list(terms)
        except (ValueError, ZeroDivisionError, OverflowError, IndexError, RecursionError):
            return False
    raise TypeError(f"not a guess: {type(guess).__name__}")


def _truncate(poly: sp.Poly, length: int) -> sp.Poly:
    return sp.Poly(sum(c * x**j for (j,), c in poly.terms() if j < length), x)
