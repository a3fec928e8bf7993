"""Symbolic proofs (sympy) that two descriptions of a sequence agree; None when sympy cannot show it.

What is proved is always an identity between descriptions (a closed form and a recurrence with its
initial terms, a rational generating function and a recurrence). That the objects a definition counts
satisfy the recurrence stays a conjecture, checked up to the number of terms computed.
"""

from __future__ import annotations

import sympy as sp
from pydantic import BaseModel, ConfigDict

from .guess import ClosedForm, RationalGF, Recurrence, n, parse, x


class Proof(BaseModel):
    """A statement and the steps that establish it, each step a check sympy made."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    statement: str
    """What is proved, in one sentence."""
    steps: tuple[str, ...]
    """The argument, one checked step per line."""
    checker: str
    """The tool that did the symbolic checks, e.g. ``sympy 1.14.0``."""

    def text(self) -> str:
        return "\n".join([self.statement, *(f"{i}. {step}" for i, step in enumerate(self.steps, 1))])


def prove_closed_form_satisfies_recurrence(closed: ClosedForm, recurrence: Recurrence,
                                           terms: list[int]) -> Proof | None:
    """Prove ``a(n) = f(n)`` for the sequence given by the recurrence and ``terms``' first values."""
    if closed.start is not None:
        return None  # the closed form has exceptions among the first terms
    f = parse(closed.expression)
    polys = recurrence.polynomials()
    order, offset = recurrence.order, recurrence.offset
    if len(terms) < order:
        return None
    residual = sum(p * f.subs(n, n + i) for i, p in enumerate(polys)) - recurrence.right_side()
    if not _is_zero(residual, f):
        return None
    leading = polys[-1]
    # Where the leading coefficient vanishes the recurrence does not determine a(root + order):
    # that value joins the initial ones.
    roots = sorted(int(r) for r in sp.roots(sp.Poly(leading, n)) if r.is_integer and r >= offset)
    given = sorted(set(range(offset, offset + order)) | {r + order for r in roots})
    if given[-1] - offset >= len(terms):
        return None
    if any(sp.simplify(f.subs(n, i)) != terms[i - offset] for i in given):
        return None
    a = ", ".join(f"a({i}) = {terms[i - offset]}" for i in given)
    return Proof(
        statement=f"The sequence with {a} and {recurrence.equation} for n >= {offset} is "
                  f"a(n) = {closed.expression} for every n >= {offset}.",
        steps=(f"Substituting a(n) = {closed.expression} into the recurrence, the difference of its sides "
               f"simplifies to 0 (sympy: expand, or combsimp then simplify of the sum divided by f(n)).",
               f"f agrees with the given values: {a}.",
               f"The leading coefficient {sp.factor(leading)} vanishes at no integer n >= {offset} "
               + (f"other than {roots}, whose terms are given, " if roots else "")
               + f"so the recurrence determines every other term from the previous {order}; by induction "
               f"on n, a(n) = f(n)."),
        checker=f"sympy {sp.__version__}")


def prove_rational_gf_matches_recurrence(gf: RationalGF, recurrence: Recurrence,
                                         terms: list[int]) -> Proof | None:
    """Prove the recurrence (constant coefficients) and the first terms define the series of ``gf``."""
    numerator = sp.Poly(parse(gf.numerator), x)
    denominator = sp.Poly(parse(gf.denominator), x)
    if any(len(p) != 1 for p in recurrence.coefficients) or recurrence.offset != 0 or recurrence.inhomogeneous:
        return None
    order = recurrence.order
    # sum_i c_i a(n+i) = 0 has characteristic denominator sum_i c_i x^(order-i).
    from_recurrence = sp.Poly(sum(p[0] * x ** (order - i) for i, p in enumerate(recurrence.coefficients)), x)
    ratio = sp.cancel(denominator.as_expr() / from_recurrence.as_expr())
    if not ratio.is_number or ratio == 0:
        return None
    if numerator.degree() >= order:
        return None
    count = max(order, 1)
    series = sp.series(numerator.as_expr() / denominator.as_expr(), x, 0, count).removeO()
    coefficients = [series.coeff(x, i) for i in range(count)]
    if coefficients != [sp.Integer(v) for v in terms[:count]]:
        return None
    return Proof(
        statement=f"The sequence with the first {order} terms {terms[:order]} and {recurrence.equation} "
                  f"has generating function ({gf.numerator})/({gf.denominator}).",
        steps=(f"The denominator {gf.denominator} is {ratio} times the recurrence's characteristic "
               f"polynomial read backwards, {from_recurrence.as_expr()}.",
               f"So (denominator)·A(x) has zero coefficients from x^{order} on, exactly when the "
               f"recurrence holds; the numerator {gf.numerator} has degree < {order}.",
               f"The expansion of the fraction starts {coefficients}, the given first terms."),
        checker=f"sympy {sp.__version__}")


def _is_zero(expression: sp.Expr, f: sp.Expr) -> bool:
    if sp.expand(expression) == 0:
        return True
    if f == 0:
        return False
    quotient = sp.combsimp(sp.expand_func(expression / f))
    return sp.simplify(quotient) == 0
