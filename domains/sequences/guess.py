"""Guess formulas for an integer sequence from its first terms, each fitted on a prefix and stated only
when enough later terms confirm it.

The rule (held-out discipline, as in gfun/guess and Superseeker): a guess with ``P`` free parameters,
fitted on the first ``F`` terms, is stated only when the ``N - F`` terms after those confirm it and
``N - F >= P + MARGIN``. A recurrence whose leading coefficient vanishes at an index inside the
checked range is refused (it "holds" there by degeneracy), and so is anything that merely
interpolates the data. Every guesser that finds nothing says exactly which bounds it searched and how
many terms a larger search would need: absence of a guess is not a proof.

Guessers here: linear recurrences with polynomial coefficients and an optional polynomial
inhomogeneous part, rational generating functions (Berlekamp–Massey over Q), algebraic generating
functions (P(x, A(x)) = 0), and closed forms (polynomials; exponential-polynomial mixes
sum p_i(n)·r_i^n with rational r_i; hypergeometric terms c·rⁿ·B(n)·g(n) with B one of 1, n!, C(2n,n),
C(3n,n)). Further families (periodic, digits, sums, programs) are in ``families``.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from functools import lru_cache
from itertools import product as cartesian
from math import log2
from typing import Callable, Literal, NamedTuple

import numpy as np
import sympy as sp
from pydantic import BaseModel, ConfigDict

from .linalg import (PRIME, evaluate_polynomial, integral, interpolate, linear_complexity_profile, nullspace,
                     only_trivial_solution_modulo, residues)

n, k = sp.symbols("n k", integer=True)
x, A = sp.symbols("x A")
MARGIN = 2
"""Confirmations required beyond the number of free parameters."""
RIVAL_GAP = 4
"""Two descriptions that fit the same terms but disagree on the next ones: the simpler one is stated
only when it has more than this many fewer parameters (bits) than its rival; otherwise neither is."""
MIN_CHECK = 3
"""Fewest held-out common terms a relation between sequences must reproduce (see ``relations``)."""


def rival_horizon(last: int) -> int:
    """The last m on which two candidates that both fit the data are compared: 2·last + 64, ``last`` the largest
    m the data cover. Two predicates that fit every given term are different sets; where they part is where
    the data stop deciding, and the next few terms alone miss a rival that parts later: "not a perfect
    power" and "not powerful", 6 bits each, agree up to 71 (A052485 from 24 terms, 0..31, parts at 72, the
    37th next member). Up to twice the data's reach, not only their next terms (the set families' rivals;
    ``consensus`` asks as far whether a compact guess keeps to a decimal period)."""
    return 2 * last + 64


class Answer(NamedTuple):
    """What a family module's search answers: one shape for every family that ``families`` turns into a
    Description (``families._described``: the margin rule, then every given term re-evaluated from
    ``spec``)."""

    spec: dict
    """The family's parameters, enough for its evaluator to compute every term."""
    statement: str
    """The description in words and formulas."""
    fitted: int
    """First terms the fit used."""
    parameters: int
    """Free parameters, the choice among the candidates included."""


def undecided_by_rival(chosen: tuple, matching: list[tuple], ambiguous: list | None = None) -> bool:
    """Whether a rival leaves the data undecided: ``chosen`` and each of ``matching`` are (spec, fitted,
    parameters, next_terms) candidates that reproduce every given term; a rival at most ``RIVAL_GAP``
    parameters (bits) longer that predicts other next terms cancels the choice, and the two go, as
    (spec, fitted, parameters), to ``ambiguous`` when it is given (the tie report)."""
    for rival in matching:
        if rival[3] != chosen[3] and rival[2] <= chosen[2] + RIVAL_GAP:
            if ambiguous is not None:
                ambiguous += [chosen[:3], rival[:3]]
            return True
    return False


def decided_choice(chosen: tuple | None, matching: list[tuple], ambiguous: list | None,
                   statement: Callable[[dict], str]) -> Answer | None:
    """The Answer of a family search's ``chosen`` candidate, or None when it
    found none or a rival leaves the data undecided (``undecided_by_rival``)."""
    if chosen is None or undecided_by_rival(chosen, matching, ambiguous):
        return None
    spec, fitted, parameters, _ = chosen
    return Answer(spec, statement(spec), fitted, parameters)


def required_terms(fitted: int, parameters: int) -> int:
    """How many terms a guess with ``parameters`` free parameters, fitted on ``fitted`` terms, needs."""
    return fitted + parameters + MARGIN


def choice_bits(tried: int) -> int:
    """Parameters a choice among ``tried`` candidates counts for: ceil(log2(tried)).

    A search that tries many candidates on the same terms finds one that fits by chance more easily
    than a single fit does (multiple testing); each confirming term is worth about one bit, so the
    confirmations must grow with the logarithm of the candidates tried (a Bonferroni-style correction,
    and the description length of the choice: an Occam bound)."""
    return max(0, (max(tried, 1) - 1).bit_length())


def bits_per_term(terms: list[int]) -> float:
    """What one term is worth as evidence, in bits: the entropy of the distribution of values among
    ``terms``, at most 1 (1 for a constant sequence: no distribution to tell a rule from).

    The margin rule counts a confirming term as one parameter, and ``choice_bits`` one parameter per bit:
    both assume that a term carries at least one bit. Where a sequence takes few values it carries less
    (a guess that keeps the value distribution but not the rule reproduces a 0/1 term half the time; a
    term of a sequence that is 0 nine times in ten carries 0.47 bits). Claims state it (``support``);
    the rules do not use it: as a rule it withdrew true claims and no false one on the development
    samples (bench/README.md, "Information-weighted confirmation")."""
    counts = Counter(terms)
    if len(counts) <= 1:
        return 1.0
    total = len(terms)
    return min(1.0, -sum(c / total * log2(c / total) for c in counts.values()))


def confirmed_enough(total: int, fitted: int, parameters: int) -> bool:
    """The terms after the fitted prefix are at least the free parameters plus the margin."""
    return total >= required_terms(fitted, parameters)


class Guess(BaseModel):
    """Base of the guess models: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    @property
    def confirmed_by(self) -> int:
        """Terms after the fitted prefix that the guess reproduces."""
        return self.checked_on - self.fitted_on

    def support(self, terms: list[int] | None = None) -> str:
        """How the data back the guess, in words: fitted on F, confirmed by C, P free parameters; given the
        ``terms`` and where they take few values, also how many bits the confirming terms carry."""
        text = (f"fitted on the first {self.fitted_on} terms, confirmed by the next {self.confirmed_by} "
                f"({self.parameters} free parameters)")
        bits = 1.0 if terms is None else bits_per_term(terms)
        if bits >= 1:
            return text
        return (f"{text}; with {len(set(terms))} distinct values a term carries {bits:.2f} bits (the entropy of "
                f"their distribution), so the {self.confirmed_by} confirming terms carry "
                f"{self.confirmed_by * bits:.1f} bits for {self.parameters} parameters")


class Recurrence(Guess):
    """``sum_i p_i(n)·a(n+i) = q(n)`` for every ``n >= offset`` (q = 0 unless ``inhomogeneous``)."""

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
    inhomogeneous: tuple[int, ...] = ()
    """``q`` as integer coefficients, constant term first; empty for a homogeneous recurrence."""
    parameters: int = 0
    """Free parameters of the equation (its coefficients up to a common factor)."""

    @property
    def order(self) -> int:
        return len(self.coefficients) - 1

    def polynomials(self) -> list[sp.Expr]:
        return [sum(c * n**j for j, c in enumerate(p)) for p in self.coefficients]

    def right_side(self) -> sp.Expr:
        """``q(n)``."""
        return sum((c * n**j for j, c in enumerate(self.inhomogeneous)), sp.Integer(0))


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
    parameters: int = 0
    """Free parameters: the coefficients of numerator and denominator, up to a common factor."""


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
    parameters: int = 0
    """Free parameters: the coefficients of P up to a common factor."""


class ClosedForm(Guess):
    """``a(n) = expression`` for every ``n >= start`` (``start`` is the offset unless given)."""

    kind: Literal["closed_form"] = "closed_form"
    expression: str
    """An expression in n (sympy syntax)."""
    family: Literal["polynomial", "hypergeometric", "exponential_polynomial"]
    """How it was found."""
    fitted_on: int
    """Terms the fit used."""
    checked_on: int
    """Terms the expression reproduces."""
    parameters: int = 0
    """Free parameters of the fit."""
    start: int | None = None
    """First index where the expression holds, when later than the offset (earlier terms are exceptions)."""


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


# --- recurrences -----------------------------------------------------------------------------------

def recurrence_shapes(max_order: int, max_degree: int) -> list[tuple[int, int, bool]]:
    """(order, degree, inhomogeneous) in the order searched: fewest free parameters first."""
    shapes = cartesian(range(1, max_order + 1), range(max_degree + 1), (False, True))
    return sorted(shapes, key=lambda s: (_recurrence_unknowns(*s), s[0], s[1], s[2]))


def _recurrence_unknowns(order: int, degree: int, inhomogeneous: bool) -> int:
    return (order + 1 + inhomogeneous) * (degree + 1)


def recurrence_needs(order: int, degree: int, inhomogeneous: bool = False) -> int:
    """Terms needed to fit and confirm a recurrence of this shape."""
    free = _recurrence_unknowns(order, degree, inhomogeneous) - 1
    return required_terms(free + order, free)


def guess_recurrence(terms: list[int], offset: int = 0, max_order: int = 4, max_degree: int = 3,
                     inhomogeneous: bool = True) -> Recurrence | NoGuess:
    """The recurrence with fewest free parameters that a prefix determines and later terms confirm.

    Shapes ``sum_{i<=order} p_i(n)·a(n+i) = q(n)``, deg p_i, deg q <= degree, q = 0 or not. A shape
    with U unknowns has U - 1 free parameters; it is fitted on the first U - 1 equations (each uses
    ``order + 1`` consecutive terms) and must hold on at least U - 1 + MARGIN more.
    """
    total = len(terms)
    searched, refused, unsearched = [], [], []
    modular = _RecurrenceRowsModulo(terms, offset, max_order, max_degree)
    for order, degree, inhom in recurrence_shapes(max_order, max_degree):
        if inhom and not inhomogeneous:
            continue
        label = f"{order}/{degree}" + ("+q" if inhom else "")
        unknowns = _recurrence_unknowns(order, degree, inhom)
        free = unknowns - 1
        if total < recurrence_needs(order, degree, inhom):
            unsearched.append((label, recurrence_needs(order, degree, inhom)))
            continue
        searched.append(label)
        if modular.excludes(order, degree, inhom):
            continue  # no vector satisfies every equation, so none is fitted and confirmed (linalg's docstring)
        rows = [[(offset + t) ** j * terms[t + i] for i in range(order + 1) for j in range(degree + 1)]
                + ([-(offset + t) ** j for j in range(degree + 1)] if inhom else [])
                for t in range(total - order)]
        # The fewest equations that pin the coefficients down (up to scale), at most two beyond U - 1,
        # and never so many that the rest could no longer confirm them.
        basis, used = [], free
        while used <= free + 2 and total >= required_terms(used + order, free):
            basis = nullspace(rows[:used], unknowns)
            if len(basis) <= 1:
                break
            used += 1
        if len(basis) != 1:
            continue
        vector = basis[0]
        if any(sum(c * v for c, v in zip(row, vector)) for row in rows[used:]):
            continue
        ints = integral(vector)
        width = degree + 1
        polys = tuple(tuple(ints[i * width:(i + 1) * width]) for i in range(order + 1))
        rhs = tuple(ints[(order + 1) * width:]) if inhom else ()
        if not any(polys[-1]) or (inhom and not any(rhs)):
            continue  # a lower shape describes it; this one is degenerate
        polys, rhs = _positive_leading(polys, rhs)
        roots = _vanishing_inside(polys[-1], offset, offset + total - 1 - order)
        if roots:
            refused.append(f"{label} (leading coefficient vanishes at n = {', '.join(map(str, roots))})")
            continue
        return Recurrence(coefficients=polys, inhomogeneous=rhs, offset=offset, equation=_equation(polys, rhs),
                          fitted_on=used + order, checked_on=total, parameters=free)
    return NoGuess(guesser="recurrence", reason=_recurrence_reason(total, max_order, max_degree, searched,
                                                                    refused, unsearched))


class _RecurrenceRowsModulo:
    """The equations of every recurrence shape on ``terms``, modulo ``PRIME`` (numpy), for the filter: a
    shape is fitted and confirmed only by a vector that satisfies all its equations, which is impossible
    when they have full column rank modulo the prime.

    Every shape's matrix, cut to its first N - ``max_order`` rows, is a choice of columns of the largest
    shape's matrix cut the same way; when those columns are independent, so is every choice of them and
    of the rows, and one rank decides every shape (on long lists, where each shape's own rank costs
    the most)."""

    def __init__(self, terms: list[int], offset: int, max_order: int, max_degree: int):
        values = residues(terms)
        self.usable = values is not None and len(terms) > 0
        if not self.usable:
            return
        self.values = np.array(values, dtype=np.int64)
        indices = np.array([(offset + t) % PRIME for t in range(len(terms))], dtype=np.int64)
        self.powers = [np.ones(len(terms), dtype=np.int64)]
        for _ in range(max_degree):
            self.powers.append(self.powers[-1] * indices % PRIME)
        self.max_order, self.max_degree = max_order, max_degree
        self.all_excluded: bool | None = None  # decided on the first shape asked

    def _rows(self, order: int, degree: int, inhomogeneous: bool, count: int) -> np.ndarray:
        columns = [self.powers[j][:count] * self.values[i:i + count] % PRIME
                   for i in range(order + 1) for j in range(degree + 1)]
        if inhomogeneous:
            columns += [(PRIME - self.powers[j][:count]) % PRIME for j in range(degree + 1)]
        return np.stack(columns, axis=1)

    def excludes(self, order: int, degree: int, inhomogeneous: bool) -> bool:
        if not self.usable or len(self.values) <= order:
            return False
        if self.all_excluded is None:
            count = len(self.values) - self.max_order
            widest = (self.max_order + 2) * (self.max_degree + 1)
            self.all_excluded = count >= widest and only_trivial_solution_modulo(
                self._rows(self.max_order, self.max_degree, True, count))
        if self.all_excluded:
            return True
        return only_trivial_solution_modulo(self._rows(order, degree, inhomogeneous, len(self.values) - order))


def _recurrence_reason(total, max_order, max_degree, searched, refused, unsearched) -> str:
    shapes = f"order/degree, +q with a polynomial right side: {', '.join(searched) or 'none'}"
    if unsearched:
        text = f"no recurrence fits {total} terms among the shapes searched ({shapes})"
    else:
        text = f"no recurrence of order <= {max_order} and degree <= {max_degree} fits {total} terms ({shapes})"
    if refused:
        text += f"; refused: {'; '.join(refused)}"
    if unsearched:
        text += (f"; shapes up to order {max_order}, degree {max_degree} not searched for lack of terms "
                 "(terms needed): " + ", ".join(f"{label} {needed}" for label, needed in unsearched))
    return text


def _positive_leading(polys, rhs):
    """Scale so the leading polynomial's top coefficient is positive (``integral`` made the last entry
    of the whole vector positive, which for an inhomogeneous recurrence is q's)."""
    top = next(c for c in reversed(polys[-1]) if c)
    if top > 0:
        return polys, rhs
    return tuple(tuple(-c for c in p) for p in polys), tuple(-c for c in rhs)


def _vanishing_inside(poly: tuple[int, ...], first: int, last: int) -> list[int]:
    """Integers n in [first, last] where the polynomial is 0."""
    return [m for m in range(first, last + 1) if sum(c * m**j for j, c in enumerate(poly)) == 0]


def _equation(polys: tuple[tuple[int, ...], ...], rhs: tuple[int, ...] = ()) -> str:
    """``p_r(n)*a(n + r) = -p_{r-1}(n)*a(n + r - 1) - ... + q(n)``, signs folded into the joins."""
    def term(p: sp.Expr, shift: int | None) -> str | None:
        if p == 0:
            return None
        a = "" if shift is None else ("a(n)" if shift == 0 else f"a(n + {shift})")
        if not a:
            return str(p)
        return a if p == 1 else (f"({p})*{a}" if isinstance(p, sp.Add) else f"{p}*{a}")
    lhs = term(sp.expand(sum(c * n**j for j, c in enumerate(polys[-1]))), len(polys) - 1)
    parts = [(sp.expand(-sum(c * n**j for j, c in enumerate(poly))), i) for i, poly in enumerate(polys[:-1])]
    parts = list(reversed(parts)) + [(sp.expand(sum(c * n**j for j, c in enumerate(rhs))), None)]
    right = ""
    for p, shift in parts:
        if p == 0:
            continue
        negative = (p.as_coeff_Mul()[0] < 0) if not isinstance(p, sp.Add) else False
        text = term(-p if negative else p, shift)
        right += (" - " if negative else " + ") + text if right else ("-" if negative else "") + text
    return f"{lhs} = {right or '0'}"


# --- rational generating functions -----------------------------------------------------------------

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


def rational_needs(length: int) -> int:
    """Terms needed to fit (2L) and confirm (2L + MARGIN) a denominator of degree L."""
    return required_terms(2 * length, 2 * length)


def constant_recurrence(terms: list[int]) -> list[Fraction] | None:
    """The connection polynomial of length L fitted on the first 2L terms and holding on all of them,
    when enough terms confirm it; None otherwise. (Remembered for the last inputs: the rational g.f., the
    exponential-polynomial closed form and the transforms ask it about the same terms.)"""
    found = _constant_recurrence(tuple(terms))
    return None if found is None else list(found)


@lru_cache(maxsize=256)
def _constant_recurrence(terms: tuple) -> tuple[Fraction, ...] | None:
    if not may_have_constant_recurrence(terms):
        return None
    length = len(berlekamp_massey(terms)) - 1
    connection = berlekamp_massey(terms[:2 * length])
    if len(connection) - 1 != length or len(terms) < rational_needs(length):
        return None
    if any(sum(connection[i] * terms[m - i] for i in range(length + 1)) for m in range(length, len(terms))):
        return None
    return tuple(connection)


def may_have_constant_recurrence(terms) -> bool:
    """False only when ``constant_recurrence`` is None for certain, decided modulo ``PRIME``.

    It returns a connection of length L only when N >= 4L + 2 (N terms) and the connection holds on all
    of them. Scaled to coprime integers C_0, ..., C_L, it stays a relation modulo the prime; with C_j the
    first coefficient the prime does not divide, C_j, ..., C_L is a recurrence of length L - j that the
    first N - j terms satisfy modulo the prime. So the first N - L terms have linear complexity at most L
    modulo the prime: when that fails for every L <= (N - 2)/4, no connection is returned (exact
    arithmetic is not needed to say so; for a sequence without a short recurrence the modular
    Berlekamp–Massey stops once the complexity passes (N - 2)/4)."""
    total = len(terms)
    largest = (total - 2) // 4
    if largest < 0:
        return False
    values = residues(terms)
    if values is None:
        return True  # a denominator the prime divides: no filter
    profile = linear_complexity_profile(values, largest)
    return any(total - length <= len(profile) and (profile[total - length - 1] if total - length else 0) <= length
               for length in range(largest + 1))


def guess_rational_gf(terms: list[int]) -> RationalGF | NoGuess:
    """A rational generating function fitted (Berlekamp–Massey) on the first 2L terms, L the degree of
    its denominator, and confirmed by at least 2L + MARGIN more."""
    total = len(terms)
    largest = max(0, (total - MARGIN) // 4)
    connection = constant_recurrence(terms)
    if connection is None or len(connection) - 1 == 0 and not any(terms):
        return NoGuess(guesser="rational_gf", reason=f"no rational generating function with denominator "
                       f"degree <= {largest} fits {total} terms (degree L needs 4L + {MARGIN} terms: "
                       f"{rational_needs(largest + 1)} for degree {largest + 1})")
    length = len(connection) - 1
    q = sp.Poly(list(reversed(connection)), x)
    a = sp.Poly(list(reversed(terms[:length])) or [0], x)
    p = sp.Poly(sp.rem((a * q).as_expr(), x**length, x) if length else 0, x)
    scale = sp.ilcm(*[sp.Rational(c).q for c in p.all_coeffs() + q.all_coeffs()])
    return RationalGF(numerator=sp.sstr((p * scale).as_expr(), order="rev-lex"),
                      denominator=sp.sstr((q * scale).as_expr(), order="rev-lex"),
                      fitted_on=2 * length, checked_on=total, parameters=2 * length)


# --- algebraic generating functions ----------------------------------------------------------------

def algebraic_needs(degree: int, x_degree: int) -> int:
    free = (degree + 1) * (x_degree + 1) - 1
    return required_terms(free, free)


def guess_algebraic_gf(terms: list[int], max_degree: int = 3, max_x_degree: int = 4) -> AlgebraicGF | NoGuess:
    """The relation P(x, A) = 0 of least degree in A (then in x) fitted on as many series coefficients
    as it has free parameters and confirmed by as many more, plus the margin."""
    total = len(terms)
    exact_powers: list[list[int]] = []  # computed when a shape passes the modular filter
    values = residues(terms)
    modular_powers = None if values is None or not total else _series_powers(values, max_degree, PRIME)
    searched, unsearched = [], []
    for degree in range(2, max_degree + 1):  # degree 1 is a rational function: guess_rational_gf
        for x_degree in range(max_x_degree + 1):
            unknowns = (degree + 1) * (x_degree + 1)
            free = unknowns - 1
            if total < algebraic_needs(degree, x_degree):
                unsearched.append(f"{degree}/{x_degree} {algebraic_needs(degree, x_degree)}")
                continue
            searched.append(f"{degree}/{x_degree}")
            if modular_powers is not None and only_trivial_solution_modulo(
                    _algebraic_rows(modular_powers, degree, x_degree, total)):
                continue  # no relation holds on every coefficient (linalg's docstring)
            powers = exact_powers = exact_powers or _series_powers(terms, max_degree)
            rows = [[powers[j][m - i] if m >= i else 0 for j in range(degree + 1) for i in range(x_degree + 1)]
                    for m in range(total)]
            basis = nullspace(rows[:free], unknowns)
            if len(basis) != 1:
                continue
            vector = basis[0]
            if any(sum(c * v for c, v in zip(row, vector)) for row in rows[free:]):
                continue
            ints = integral(vector)
            if not any(ints[degree * (x_degree + 1):]):
                continue
            poly = sum(ints[j * (x_degree + 1) + i] * x**i * A**j
                       for j in range(degree + 1) for i in range(x_degree + 1))
            if _reducible_away(poly, degree):
                continue
            return AlgebraicGF(equation=str(sp.expand(poly)), degree=degree, fitted_on=free, checked_on=total,
                               parameters=free)
    reason = (f"no algebraic relation of degree 2..{max_degree} in A and <= {max_x_degree} in x fits {total} "
              f"terms (A/x degrees searched: {', '.join(searched) or 'none'})")
    if unsearched:
        reason += f"; not searched for lack of terms (terms needed): {', '.join(unsearched)}"
    return NoGuess(guesser="algebraic_gf", reason=reason)


def _series_powers(terms, max_degree: int, prime: int | None = None) -> list[list[int]]:
    """The coefficients of A(x)^0, ..., A(x)^max_degree up to x^(N-1), exactly or modulo ``prime``."""
    total = len(terms)
    powers = [[1] + [0] * (total - 1)]
    for _ in range(max_degree):
        prev = powers[-1]
        row = [sum(prev[i] * terms[m - i] for i in range(m + 1)) for m in range(total)]
        powers.append(row if prime is None else [v % prime for v in row])
    return powers


def _algebraic_rows(powers: list[list[int]], degree: int, x_degree: int, total: int) -> np.ndarray:
    """The equations of P(x, A) = 0 (coefficient of x^m for m < total), modulo the prime, as numpy."""
    columns = []
    for j in range(degree + 1):
        series = np.array(powers[j], dtype=np.int64)
        for i in range(x_degree + 1):
            columns.append(np.concatenate([np.zeros(min(i, total), dtype=np.int64), series[:total - i]]))
    return np.stack(columns, axis=1)


def _reducible_away(poly: sp.Expr, degree: int) -> bool:
    """P has a factor of lower degree in A that the series satisfies too: then P is not the relation
    of that degree (the lower one would have been found), or P is free of A in effect."""
    factors = sp.factor_list(sp.expand(poly), A, x)[1]
    return any(0 < sp.degree(f, A) < degree for f, _ in factors) or all(sp.degree(f, A) == 0 for f, _ in factors)


# --- closed forms ----------------------------------------------------------------------------------

def guess_closed_form(terms: list[int], offset: int = 0, max_degree: int = 8) -> ClosedForm | NoGuess:
    """A polynomial in n of least degree, else an exponential-polynomial mix, else a hypergeometric
    term; each fitted on a prefix and confirmed by the margin rule."""
    total = len(terms)
    largest = min(max_degree, (total - MARGIN) // 2 - 1)
    for degree in range(largest + 1):
        fitted = degree + 1
        coefficients = interpolate([(offset + t, terms[t]) for t in range(fitted)])
        if any(evaluate_polynomial(coefficients, offset + t) != v for t, v in enumerate(terms)):
            continue
        poly = sum(sp.Rational(c.numerator, c.denominator) * n**j for j, c in enumerate(coefficients))
        if reproduces(poly, terms, offset):
            return ClosedForm(expression=str(sp.factor(poly)), family="polynomial", fitted_on=fitted,
                              checked_on=total, parameters=fitted)
    exponential = guess_exponential_polynomial(terms, offset)
    if exponential is not None:
        return exponential
    first_order = guess_recurrence(terms, offset, max_order=1, max_degree=3, inhomogeneous=False)
    if isinstance(first_order, Recurrence) and terms[0] != 0:
        p0, p1 = first_order.polynomials()
        expression = hypergeometric_term(sp.cancel(-p0 / p1), terms[0], offset)
        if expression is not None and reproduces(expression, terms, offset):
            return ClosedForm(expression=str(expression), family="hypergeometric",
                              fitted_on=first_order.fitted_on, checked_on=total,
                              parameters=first_order.parameters)
    return NoGuess(guesser="closed_form", reason=f"no polynomial of degree <= {largest}, no sum of p(n)·r^n "
                   f"with rational r and denominator degree <= {max(0, (total - MARGIN) // 4)}, and no "
                   f"hypergeometric term over 1, n!, C(2n,n), C(3n,n) with a first-order recurrence of "
                   f"degree <= 3 fits {total} terms")


def guess_exponential_polynomial(terms: list[int], offset: int = 0) -> ClosedForm | None:
    """``a(n) = sum_i p_i(n)·r_i^n`` (r_i rational, not all 1) for n >= start, from the constant-
    coefficient recurrence when its characteristic polynomial splits over Q. Same fit and margin as
    the recurrence: 2L terms fitted, 2L + MARGIN confirming."""
    connection = constant_recurrence(terms)
    if connection is None or len(connection) < 2:
        return None
    length = len(connection) - 1
    z = sp.Symbol("z")
    characteristic = sp.Poly([sp.Rational(c.numerator, c.denominator) for c in connection], z)
    roots = sp.roots(characteristic, filter="Q")
    if sum(roots.values()) != length or set(roots) - {0} <= {1}:
        return None  # roots outside Q, or a plain polynomial (found by the polynomial search)
    # A root 0 of multiplicity e only allows e exceptional first terms.
    exceptions = roots.pop(0, 0)
    basis = [n**j * r**n for r, multiplicity in sorted(roots.items(), key=lambda item: -abs(item[0]))
             for j in range(multiplicity)]
    for start in range(exceptions + 1):
        matrix = sp.Matrix([[b.subs(n, offset + start + t) for b in basis] for t in range(len(basis))])
        if matrix.det() == 0:
            continue
        weights = matrix.solve(sp.Matrix(terms[start:start + len(basis)]))
        expression = sp.nsimplify(sum(w * b for w, b in zip(weights, basis)))
        if not reproduces(expression, terms[start:], offset + start):
            continue
        return ClosedForm(expression=str(_tidy(expression)), family="exponential_polynomial",
                          fitted_on=2 * length, checked_on=len(terms), parameters=2 * length,
                          start=offset + start if start else None)
    return None


def _tidy(expression: sp.Expr) -> sp.Expr:
    """A readable form: powers of a base collected, e.g. ``2**n - 1``, ``(n + 2)*2**n``."""
    factored = sp.factor(sp.powsimp(sp.expand(expression)))
    return factored if sp.count_ops(factored) <= sp.count_ops(expression) else sp.expand(expression)


def hypergeometric_term(ratio: sp.Expr, first: int, offset: int) -> sp.Expr | None:
    """``f`` with ``f(offset) = first`` and ``f(n+1)/f(n) = ratio``, free of gamma functions, or None."""
    for base in (sp.Integer(1), sp.factorial(n), sp.binomial(2 * n, n), sp.binomial(3 * n, n)):
        base_ratio = sp.combsimp(base.subs(n, n + 1) / base)
        rest = sp.cancel(ratio / base_ratio)
        try:
            product = sp.gammasimp(sp.product(rest.subs(n, k), (k, offset, n - 1)))
            if product.has(sp.RisingFactorial, sp.FallingFactorial):
                product = sp.gammasimp(product.rewrite(sp.factorial))
        except (TypeError, ValueError, NotImplementedError, ZeroDivisionError):
            continue  # e.g. complex roots of the ratio: sympy cannot rewrite the product; not this base
        if product.has(sp.gamma, sp.Product, sp.RisingFactorial, sp.FallingFactorial, sp.pi):
            continue
        value = base.subs(n, offset)
        if value == 0:
            continue
        return sp.factor(sp.simplify(first / value * base * product))
    return None


def reproduces(expression: sp.Expr, terms: list[int], offset: int) -> bool:
    """Does the closed form give exactly ``terms`` = a(offset), a(offset + 1), ...?"""
    for t, value in enumerate(terms):
        computed = expression.subs(n, offset + t)
        if not computed.is_Integer:
            computed = sp.simplify(computed)
        if computed != value:
            return False
    return True
