"""More families of descriptions, each fitted on a prefix and stated only under the margin rule of
``guess`` (the terms after the fitted prefix number at least the free parameters plus ``MARGIN``).

Families, each with its exact search bounds (``BOUNDS``):
- ``periodic``: a(n + p) = a(n) from some index n0 on (with 0/1 values: the characteristic function
  of residue classes);
- ``periodic_differences``: a(n + 1) - a(n) periodic from n0 on (the numbers in a union of residue
  classes, in increasing order, when the differences are positive from the start);
- ``quasi_polynomial``: a(n) = p_r(n) for n ≡ r (mod P), polynomials of degree d, period P >= 2;
- ``digits``: a function of the base-b digits of n + s: a weighted digit sum, or the digits mapped
  and read in another base (optionally reversed);
- ``combination``: a(n) = α·B(n + s) + β + γ·n or (β + γ·n)·B(n + s) for B from a small catalogue of
  classical sequences, or B1(n + s) ± B2(n + s);
- ``transform``: a(n) built from b(n) by partial sums, the binomial transform, the Möbius transform or
  products, where b has a closed form or a description of one of the families above;
- ``program``: the smallest program of a small loop-and-arithmetic language (``programs``) that
  reproduces the fitted prefix;
- ``beatty``, ``floor_power``, ``expansion``: Beatty sequences and Sturmian words of constants, integer
  parts of powers, digits and continued fractions of constants (``constants``).
- ``expression``: the first term, by size, of a language of number-theoretic primitives, aggregates
  (divisor sums, sums, products, counts and least k over k = 1..n) and multiplicative or additive
  functions that reproduces the fitted prefix (``expressions``).
- ``runs``: the value v(j) repeated r(j) times, v and r of a few shapes (``runs``);
- ``summatory``: a(n) = c + sum_{k=1..n} f(k), f multiplicative or an expression-search term (``summatory``);
- ``digit_set``: the numbers or primes whose base-b digits lie in a set S (``digitsets``);
- ``bank_set``: the numbers m such that P(m), P a test (odd, prime, = c, ...) of a term E(m) of a bank of
  arithmetic functions (tau, sigma, phi, isqrt(k·m^2), ...; ``predicate_bank``);
- ``automatic``: a coding of the fixed point of a substitution on 2 or 3 letters (morphic words), or a
  linear representation in base 2 or 3 (k-regular sequences, k-automatic ones among them) (``automatic``).

A description is data (``spec``) that ``evaluate`` turns back into terms, so every claim can be checked
on terms it never saw.
"""

from __future__ import annotations

import re
from fractions import Fraction
from math import comb, gcd, isqrt
from functools import lru_cache
from itertools import groupby
from typing import Any, Callable, Literal

import sympy as sp
from sympy.functions.combinatorial.numbers import partition

from . import (arrays, automatic, composed, constants, digitsets, expressions, multiplicative, predicate_bank, predicates,
               programs, runs, summatory, transforms)
from .arithmetic import THREE_DIGITS
from .digitsets import digits_of
from .consensus import (AHEAD, flat_confirmation, withdraw_by_next_terms, withdraw_conflicts, withdraw_regime_changes,
                        withdraw_unearned_periods)
from .linalg import interpolate, nullspace
from .guess import (MARGIN, RIVAL_GAP, Answer, Guess, NoGuess, RationalGF, Recurrence, choice_bits, confirmed_enough,
                    guess_algebraic_gf, guess_closed_form, guess_rational_gf, guess_recurrence, rival_horizon,
                    undecided_by_rival, x as gf_x)

Family = Literal["periodic", "periodic_differences", "quasi_polynomial", "digits", "combination",
                 "transform", "program", "set_members", "characteristic", "triangle", "first_exception",
                 "beatty", "floor_power", "expansion", "composition", "expression", "multiplicative",
                 "series_transform", "runs", "summatory", "digit_set", "bank_set", "composed",
                 "automatic", "array"]


class Description(Guess):
    """``a(n)`` for n >= offset, as ``statement`` says; ``spec`` lets ``evaluate`` compute any term."""

    kind: Literal["description"] = "description"
    family: Family
    """Which family found it."""
    statement: str
    """In words and formulas, e.g. ``a(n) = the numbers congruent to 1 or 5 (mod 6), in increasing order``."""
    spec: dict[str, Any]
    """The family's parameters, enough to compute every term."""
    offset: int
    """First index."""
    fitted_on: int
    """First terms the fit used."""
    checked_on: int
    """First terms the description reproduces."""
    parameters: int
    """Free parameters of the fit (a choice among a catalogue counts as parameters too)."""


BOUNDS = {
    "periodic": "period p and pre-period n0 with 2(n0 + p) + MARGIN <= N and n0 + 3p + MARGIN <= N (every "
                "position of the period confirmed twice; n0 + 4p + MARGIN <= N when the period, or every q-th "
                "position of it for a divisor q <= 6 of p, takes two consecutive values; and more than 2·g·L confirming terms, L the longest stretch "
                "where the pattern held and then broke inside the pre-period, g >= 1 the largest growth from one such stretch to the next; "
                "more than (r + 1)·p confirming terms when a period of two consecutive values is built from a shorter "
                "period p' >= 2 that its repeated block follows for r periods and then breaks (the level below of a Sturmian word); "
                "a period that is a multiple of 10 or of 11 only from terms that reach n = 100)",
    "periodic_differences": "period p and pre-period n0 of the differences with 2(n0 + p + 1) + MARGIN <= N and "
                            "n0 + 3p + 1 + MARGIN <= N (n0 + 4p + 1 + MARGIN when the differences take two "
                            "consecutive values, as for the periodic family), the pre-period and decimal-period rules of the periodic family, "
                            "and, for increasing terms, no term before n0 in the progression of a(n0) but in a class mod the "
                            "period's sum that the period leaves out (a sieve's shape), and for a sum p^k (p prime, k >= 2) "
                            "terms that reach p^(k + 1) (2^(k + 2) for p = 2), and for a sum that is a multiple of 10 or 11 "
                            f"terms that reach {THREE_DIGITS}; when the pre-period showed the pattern break each time the "
                            "terms gained a decimal digit (twice or more, at successive digit counts), terms that reach one more digit",
    "quasi_polynomial": "period 2..6, degree 1..3, 2·period·(degree + 1) + MARGIN <= N and degree + 2 confirming "
                        "indices in every residue class",
    "digits": "bases 2..10 for n + s (s in -1, 0, 1), weighted digit sums and digits mapped and read in "
              "bases 2..16, reversed or not; the factorial base for n + s, its digit sum and its digits read in "
              "bases 2..16, reversed or not; a weighted sum with w(0) != 0 (a count of positions) only from "
              "terms where n + s reaches b^3",
    "transform": "partial sums, binomial transform, Möbius transform (offset 1), products of ratios, of a "
                 "sequence with a closed form or a description by one of the families above",
    "program": "programs of the loop language up to size " + str(programs.MAX_SIZE),
    "set_members": f"strictly increasing lists of integers 0..{predicates.LIST_LIMIT}: the members >= the first "
                   "term of a set defined by one or two atoms of predicates.atoms(), the r-th candidate "
                   "(simplest first) counting ceil(log2 r) parameters; none that reads decimal digits (base-10 "
                   f"palindromes, Harshad numbers, the decimal digit sum) from a list whose last term is below {THREE_DIGITS}; "
                   f"none when another candidate at most {RIVAL_GAP} bits longer fits every term and has other members up to "
                   "2L + 64, L the last term (guess.rival_horizon); none that tests a count f(m) = c no listed m exceeds, "
                   "or the parity of Omega while no listed m has three primes with an odd exponent (all m < 30), or "
                   "cubefree (squarefree) while no listed m has an odd prime cubed (squared) (predicates.undecided)",
    "triangle": "a triangle read by rows, T(n, k) for 0 <= k <= n: a polynomial in n and k of total degree 1..3, "
                "or C(n, k) times one of degree 0..2; fitted on as many terms as coefficients",
    "first_exception": "when nothing fits from n = 0: the families above but transforms, programs and the expression "
                       "search on the terms from n = 1, a(0) counting as one more parameter and one more fitted term "
                       "(a description fitted with no term to spare fitted again on a(1..N-2), and stated only when "
                       "it is the same description and, for an increasing list, its confirming terms carry the bits: "
                       "predicate_bank.informative)",
    "beatty": f"floor((n + s)·α + β) + k·n + c and the Sturmian words floor((n + 1 + s)·α + β) - floor((n + s)·α + β) + c, "
              f"s in 0..1, β in {{0, 1/2}}, k and c fitted integers, α among {len(constants.beatty_alphas())} constants "
              "(sqrt(2), φ, sqrt(3), e, π, sqrt(5..13), 2^(1/3), 3^(1/3), log 2, log 3, log 10, log2 3, log10 2, their "
              "reciprocals, complements α/(α - 1), doubles and halves)",
    "floor_power": f"floor, ceil and round of r^(n + s), s in 0..1, r among {len(constants.power_candidates()) // 6} "
                   "bases (small rationals 3/2 .. 11/10, sqrt(2), φ, sqrt(3), e, π, sqrt(5), 2^(1/3), 1 + sqrt(2), 2 + sqrt(3))",
    "expansion": f"base-10 digits and continued fractions of {len(constants.EXPANSION_CONSTANTS)} constants (π, e, φ, "
                 "logs, ζ(3), Catalan, ..., sqrt(2..100), cube roots of 2..30, fourth roots), digits in bases 2..9 and "
                 f"16 of the first {constants.OTHER_BASE_CONSTANTS}",
    "expression": expressions.BOUNDS,
    "runs": runs.BOUNDS, "summatory": summatory.BOUNDS, "digit_set": digitsets.BOUNDS,
    "bank_set": predicate_bank.BOUNDS, "composed": composed.BOUNDS, "automatic": automatic.BOUNDS,
    "array": arrays.BOUNDS,
    "series_transform": transforms.BOUNDS,
    "multiplicative": f"a(1) = 1 and a(n) = the product of F(p, e) over the prime powers p^e exactly dividing n, F among "
                      f"{len(multiplicative.FORMS)} forms (h(p)·p^g(e) with g(e) in e, e - 1, floor/ceil(e/2), floor/ceil(e/3), "
                      "ceil(e/4), 1, 0, 2e, e + 1 and h(p) in 1, p ± 1, 1 - p, -1, 2, p - 2; e + 1, 2^e, 2p^e - 1, "
                      "sigma(p^e), ...), read from n = 1",
    "characteristic": "0/1 sequences: a(n) = 1 when n + s (s = 0 or 1) satisfies one or two atoms of "
                      "predicates.atoms(), else 0, the r-th candidate counting ceil(log2 r) + 1 parameters; none "
                      f"that reads decimal digits from terms that stop before n + s = {THREE_DIGITS}; none when another "
                      f"candidate at most {RIVAL_GAP} bits longer fits every term and differs up to m = 2L + 64, L the last m "
                      "the terms cover (guess.rival_horizon); none that tests a count f(m) = c no covered m exceeds, or "
                      "the parity of Omega while no covered m has three primes with an odd exponent (all m < 30), or "
                      "cubefree (squarefree) while no covered m has an odd prime cubed (squared) (predicates.undecided)",
}


# --- evaluation ------------------------------------------------------------------------------------

def evaluate(description: Description, count: int) -> list[int]:
    """a(offset), ..., a(offset + count - 1) computed from the description alone."""
    return _EVALUATORS[description.family](description.spec, description.offset, count)


def _periodic_terms(spec, offset, count):
    head, period = spec["head"], spec["period_values"]
    return [head[i] if i < len(head) else period[(i - len(head)) % len(period)] for i in range(count)]


def _differences_terms(spec, offset, count):
    head, differences = spec["head"], spec["differences"]
    values = list(head[:count])
    while len(values) < count:
        values.append(values[-1] + differences[(len(values) - len(head)) % len(differences)])
    return values


def _quasi_terms(spec, offset, count):
    period = spec["period"]
    polys = [[Fraction(c) for c in p] for p in spec["polynomials"]]
    out = []
    for i in range(count):
        m = offset + i
        value = sum(c * m**j for j, c in enumerate(polys[m % period]))
        out.append(int(value) if value.denominator == 1 else value)
    return out


def _digits_terms(spec, offset, count):
    return [digit_function(spec, offset + i) for i in range(count)]


def _combination_terms(spec, offset, count):
    return [combination_value(spec, offset + i) for i in range(count)]


def _program_terms(spec, offset, count):
    return programs.run(programs.parse(spec["program"]), offset, count)


def _triangle_terms(spec, offset, count):
    out = []
    for i in range(count):
        row, column = triangle_position(i)
        value = triangle_value(spec, row, column)
        out.append(int(value) if value.denominator == 1 else value)
    return out


def _exception_terms(spec, offset, count):
    inner = Description.model_validate(spec["inner"])
    return ([spec["first"]] + evaluate(inner, count - 1))[:count]


def _members_terms(spec, offset, count):
    return predicates.members(tuple(spec["predicate"]), spec["start"], count)


def _characteristic_terms(spec, offset, count):
    return predicates.indicator(tuple(spec["predicate"]), offset + spec["shift"], count)


def _reproduces(terms_of: Callable[[dict, int, int], list], spec: dict, offset: int, terms: list[int]) -> bool:
    """Whether the family's evaluator gives ``terms``, asked one term at a time and stopping at the first
    that differs (or that it cannot compute): the check ``_found`` makes, without the full list (and the
    Description) for each of a family's many candidates. For evaluators whose i-th term depends only
    on the spec and offset + i."""
    try:
        return all(terms_of(spec, offset + i, 1) == [term] for i, term in enumerate(terms))
    except (ValueError, ZeroDivisionError, OverflowError, IndexError, RecursionError):
        return False


def _found(family: Family, statement: str, spec: dict, offset: int, fitted: int, total: int, parameters: int,
           terms: list[int], tried: int = 1) -> Description | None:
    """The description if it reproduces every term and enough of them lie beyond the fitted prefix.
    ``tried``: the candidates the family's search tried up to this one; the choice among them counts as
    ``choice_bits(tried)`` more parameters (see ``guess.choice_bits``)."""
    parameters += choice_bits(tried)
    if not confirmed_enough(total, fitted, parameters):
        return None
    description = Description(family=family, statement=statement, spec=spec, offset=offset, fitted_on=fitted,
                              checked_on=total, parameters=parameters)
    try:
        if evaluate(description, total) != terms:
            return None
    except (ValueError, ZeroDivisionError, OverflowError, IndexError, RecursionError):
        return None
    return description


def _described(family: Family, answer: Answer | None, offset: int, terms: list[int]) -> Description | None:
    """A family module's Answer as a Description (``_found``: the margin rule, then every term
    re-evaluated from the spec), or None: the one way the modules' answers come in."""
    if answer is None:
        return None
    return _found(family, answer.statement, answer.spec, offset, answer.fitted, len(terms), answer.parameters, terms)


# --- periodic, periodic differences, quasi-polynomials ---------------------------------------------

def guess_periodic(terms: list[int], offset: int = 0) -> Description | None:
    """Eventually periodic values, fewest parameters (pre-period + period) first."""
    total, tried = len(terms), 0
    for size in range(1, (total - MARGIN) // 2 + 1):
        for period in range(1, size + 1):
            tried += 1
            head_length = size - period
            if not _repeats(terms, head_length, period):
                continue  # the description would not reproduce the terms (what ``_found`` checks, cheaply)
            head, block = terms[:head_length], terms[head_length:size]
            spec = {"head": head, "period_values": block}
            statement = _periodic_statement(head, block, offset)
            # Every position of the period must come back twice after the fit, not only once.
            if total - size < _periods_needed(block) * period + MARGIN:
                continue
            if total - size < _stretch_confirmation(terms[:head_length + 1], block) + MARGIN:
                continue
            if total - size < _level_confirmation(block) + MARGIN:
                continue
            if _decimal_period_unseen(period, offset, total):
                continue
            found = _found("periodic", statement, spec, offset, size, total, size, terms, tried)
            if found:
                return found
    return None


def _repeats(values: list[int], start: int, period: int) -> bool:
    """values[j] = values[j - period] for every j >= start + period: periodic from ``start`` on. A
    candidate failing this is rejected before its statement and pre-period rule are worked out, which
    cost time in the length of the terms for each of the (length²) candidates."""
    return all(values[j] == values[j - period] for j in range(start + period, len(values)))


def _broken_stretches(values: list[int], block: list[int]) -> tuple[int, list[int]]:
    """(the longest stretch of ``values`` that follows the periodic pattern ``block`` (in any phase) and
    then breaks within the pre-period, the lengths in order of the successive such stretches). The
    successive ones are read left to right without overlap: from each place, the longest stretch in
    any phase, then on from where it broke."""
    period = len(block)

    def run(start: int, phase: int) -> int:
        length = 0
        while start + length < len(values) and values[start + length] == block[(phase + length) % period]:
            length += 1
        return length
    longest, successive, place = 0, [], 0
    for start in range(len(values)):
        for phase in range(period):
            length = run(start, phase)
            if start + length < len(values):
                longest = max(longest, length)
    while place < len(values):
        length = max(run(place, phase) for phase in range(period))
        if length and place + length < len(values):
            successive.append(length)
        place += max(length, 1)
    return longest, successive


def _stretch_confirmation(values: list[int], block: list[int]) -> Fraction:
    """Confirming terms a pattern needs beyond the stretches where the data showed it hold and break.

    The data themselves showed the pattern hold for L terms and fail, so the claim that it now holds
    for ever must be confirmed for more than twice as long: twice, because doubling is how such
    stretches grow in the many sequences built on binary blocks (between powers of 2, rows of length
    2^k), and a confirmation of up to 2L is what the next, doubled stretch shows before it breaks too. When the
    stretches that broke grew by a factor g > 1 from one to the next (the largest such factor over
    the successive stretches), the next one is expected about g·L long, and the confirmation must
    exceed twice that: the growth itself can grow (A380788, runs of +1 of 5, 15, then 63 differences:
    ×3, then ×4.2, the blocks 2^(p - 1)..2^p - 1 for primes p), which a confirmation of g·L would
    miss by as much as the doubling reading misses with L.

    For one repeated value ("constant from here on", of the values or of the differences) every run of one
    value, at least two terms long, that the data showed end is that pattern broken, whatever the value: a
    staircase whose steps grew longer has not shown its last step (A063095, the largest prime gap among the
    first n primes: runs of 1, 1, 2, 5, 15, 6 terms, then 14 for the 66 terms the data section shows after
    the fit, and 18 from n = 99; the runs grew by up to 3, so the claim needs more than 2·3·15 = 90). The
    claim must meet both readings, the runs of its own value and the runs of any value."""
    def needed(longest: int, successive: list[int]) -> Fraction:
        growth = max([Fraction(b, a) for a, b in zip(successive, successive[1:]) if b > a] or [Fraction(1)])
        return 2 * growth * longest
    own = needed(*_broken_stretches(values, block))
    if len(set(block)) > 1:
        return own
    runs = [len(list(run)) for _, run in groupby(values)][:-1]  # the last run goes on into the claim
    steps = [length for length in runs if length >= 2]
    return max(own, needed(max(steps, default=0), steps))


def _periods_needed(block: list[int]) -> int:
    """Whole periods the terms after the fit must cover: two, or three when the period takes just two
    consecutive values, or when its positions r, r + q, r + 2q, ... do for a divisor q <= INTERLEAVE of
    the period. Such blocks are what Beatty sequences floor(n·α + β) show (Sturmian words): for an
    irrational α they look periodic, with the period of a convergent of α, over a stretch of about one
    more period; the third period is what tells the two apart. Interleaved with a fixed pattern they show
    it in every q-th position only (A286904, a sum of floor(n/√2)-like terms: differences 1 at the even
    positions, 3 or 4 at the odd ones, "period 24" for 77 terms)."""
    period = len(block)
    for step in range(1, min(period, INTERLEAVE) + 1):
        if period % step == 0 and any(_two_consecutive_values(block[start::step]) for start in range(step)):
            return 3
    return 2


def _level_confirmation(block: list[int]) -> Fraction:
    """Confirming terms a period of two consecutive values needs when it is built from a shorter
    pattern that the period itself shows hold and break: (r + 1)·p, r the most periods (whole and
    partial) of a shorter period p' >= 2 that a stretch of the repeated block follows before breaking.

    Such a block is one level of a Sturmian word, the differences of floor(n·α + β): the period p of a
    convergent of α is made of a shorter convergent's block p' repeated about r times, and for the
    quadratic irrationals of most Beatty sequences the next level repeats as often as this one before
    it breaks in turn (α = 2 + √5 = [4; 4, 4, ...]: the block 4445 repeats four times and a bit inside
    the period 17, and the period 17 repeats four times and a bit, 72 terms, then breaks at n = 89:
    A004976). So the period must be confirmed for more periods than the level below held, one more."""
    period = len(block)
    if period < 3 or not _two_consecutive_values(block):
        return Fraction(0)
    word = block * 3
    repetitions = Fraction(0)
    for shorter in range(2, period):
        if all(word[i] == word[i - shorter] for i in range(shorter, len(word))):
            continue  # the block itself has the shorter period: no level below, the same pattern
        start = 0  # word[start:i + 1] follows the shorter period
        for i in range(shorter, len(word) + 1):
            if i < len(word) and word[i] == word[i - shorter]:
                continue
            stretch = word[start:i]
            if len(set(stretch)) == 2:  # a run of one value (0, 0, 0, ... of a sparse 0/1 period) is no pattern
                repetitions = max(repetitions, Fraction(len(stretch), shorter))
            start = i - shorter + 1
    return (repetitions + 1) * period if repetitions else Fraction(0)


def _decimal_breaks_unseen(terms: list[int], head_length: int, block: list[int]) -> bool:
    """Whether the data showed the pattern break each time the terms gained a decimal digit (at least
    twice, at successive digit counts) and the terms stop before they gain the next one.

    Such breaks are what a rule on the decimal length of the terms shows (the numbers beginning with 2:
    2, 20..29, 200..299, 2000..): the +1 stretch after the break to 3 digits says nothing about what
    happens at 4 digits, where the rule breaks again (A217394, A217402, A131835: "a(n + 1) = a(n) + 1
    for n >= 12" from terms 200..271, the next term after 299 being 2000). The periodic-difference claim
    is stated only from terms that reach the next digit count, where a break would show."""
    block_values = set(block)
    gained = []
    for j in range(head_length - 1):
        low, high = terms[j], terms[j + 1]
        if high - low not in block_values and 0 < low and len(str(high)) > len(str(low)):
            gained.append(len(str(high)))
    if len(gained) < 2 or gained[-1] - 1 not in gained[:-1]:
        return False
    return len(str(max(terms))) <= gained[-1]


def _two_consecutive_values(values: list[int]) -> bool:
    seen = set(values)
    return len(seen) == 2 and max(seen) - min(seen) == 1


INTERLEAVE = 6
"""The largest interleaving step ``_periods_needed`` looks at."""


def _decimal_modulus(modulus: int) -> bool:
    """Whether a period or modulus is one that n's decimal digits show: a multiple of 10 (the last digit) or of
    11 (two-digit palindromes and repdigits, the alternating digit sum). Below THREE_DIGITS such a pattern
    cannot be told from a rule on the digit string."""
    return modulus % 10 == 0 or modulus % 11 == 0


def _decimal_period_unseen(period: int, offset: int, total: int) -> bool:
    """Whether a period that is a multiple of 10 or of 11 is claimed from terms that stop before n = 100.
    Such a period is what the last decimal digit of n shows (10), or the two-digit palindromes and
    repdigits (11); below n = 100 the data cannot show what the other digits do, and they change at
    n = 100: A367362 = 10·(n mod 10) + the first digit of n + 1 (differences periodic with period 10 up to
    n = 98), A160943 = n + digitsum(n - 1) + digitsum(n + 1), A262038 (the least palindrome >= n, period
    11 from n = 10, then 22 when 11 is refused). So the terms must reach n = 100 before such a period is stated."""
    return _decimal_modulus(period) and offset + total - 1 < THREE_DIGITS


def decimal_root_order(guess) -> int | None:
    """The order m, a multiple of 10 or of 11, of a root of unity of a rational generating function's denominator
    or of a constant-coefficient recurrence's characteristic polynomial; None when it has no such root.

    Such a root is a claim that the terms are, for each n mod m, a polynomial in n (a quasi-polynomial of period
    m): the same decimal period as ``_decimal_period_unseen``'s, only in a form that the periodic families'
    rules (on the values and their differences) do not meet. A080719 (n's decimal digits, each written in binary,
    read as one binary number) is, for n < 100, linear in each class mod 10: its 91 shown terms fit a rational
    generating function of 38 parameters whose denominator is (1 - x)^2 (1 + x) Φ5(x)^2 Φ10(x)^2, confirmed by
    53 terms, and it fails at n = 100."""
    if isinstance(guess, RationalGF):
        polynomial = sp.Poly(sp.sympify(guess.denominator), gf_x)
    elif isinstance(guess, Recurrence) and all(len(p) == 1 for p in guess.coefficients):
        polynomial = sp.Poly([p[0] for p in reversed(guess.coefficients)], gf_x)
    else:
        return None
    degree = polynomial.degree()
    for order in range(10, 12 * max(degree, 1) + 12):
        if _decimal_modulus(order) and sp.totient(order) <= degree \
                and polynomial.rem(sp.Poly(sp.cyclotomic_poly(order, gf_x), gf_x)).is_zero:
            return order
    return None


def withdraw_decimal_roots(guesses: list, terms: list[int], offset: int) -> list:
    """The guesses, with each rational generating function or recurrence that claims a period that is a multiple
    of 10 or of 11 (``decimal_root_order``) from terms that stop before n = 100 (``_decimal_period_unseen``)
    replaced by a NoGuess that says so."""
    out = []
    for guess in guesses:
        order = None if isinstance(guess, NoGuess) else decimal_root_order(guess)
        if order is None or not _decimal_period_unseen(order, offset, len(terms)):
            out.append(guess)
            continue
        out.append(NoGuess(guesser=guess.kind, reason=(
            f"withdrawn: it holds a root of unity of order {order}, so it claims the terms are a polynomial in n on "
            f"each class mod {order}, a period that is what n's last decimal digits show; the terms stop before "
            f"n = {THREE_DIGITS}, where n's other digits change, so they cannot confirm it")))
    return out


def _decimal_period_claimed(guess, period: int, offset: int, total: int) -> bool:
    """Whether a guess that continues a period ``period`` of the values or differences claims it before the data
    can show it (``_decimal_period_unseen``), however compactly it is written (a recurrence of order 6 for a
    period of 10): a description that reads the decimal digits of n itself (the digits family in base 10) names
    the reason for the period, the last digit, and says what the other digits do, so it keeps its own count."""
    reads_decimal = getattr(guess, "family", None) == "digits" and guess.spec.get("base") == 10
    return not reads_decimal and _decimal_period_unseen(period, offset, total)


def _periodic_statement(head, block, offset) -> str:
    start = offset + len(head)
    if len(block) == 1:
        text = f"a(n) = {block[0]} for every n >= {start}"
    elif set(block) <= {0, 1} and not head:
        residues = [(start + i) % len(block) for i, v in enumerate(block) if v == 1]
        text = (f"a(n) = 1 if n ≡ {' or '.join(map(str, sorted(residues)))} (mod {len(block)}), else 0: the "
                f"characteristic function of these residue classes")
    else:
        text = f"a(n + {len(block)}) = a(n) for every n >= {start}, one period being {block}"
    return text + (f"; the first terms {head} are exceptions" if head else "")


def guess_periodic_differences(terms: list[int], offset: int = 0) -> Description | None:
    """a(n + 1) - a(n) eventually periodic; parameters: the head, one period of differences."""
    total = len(terms)
    differences = [b - a for a, b in zip(terms, terms[1:])]
    tried = 0
    for size in range(2, (total - MARGIN) // 2 + 1):  # size = head terms + period
        for period in range(1, size):
            tried += 1
            head_length = size - period  # terms given before the periodic differences start
            head = terms[:head_length]
            block = differences[head_length - 1:head_length - 1 + period]
            if period == 1 and head_length == 1:
                continue  # an arithmetic progression: a polynomial of degree 1
            if sum(block) == 0:
                continue  # periodic values: the periodic family, with its own rule
            if not _repeats(differences, head_length - 1, period):
                continue  # the description would not reproduce the terms (what ``_found`` checks, cheaply)
            spec = {"head": head, "differences": block}
            statement = _differences_statement(head, block, offset)
            if total - size < _periods_needed(block) * period + MARGIN:
                continue  # every difference of the period confirmed twice after the fit
            if total - size < _stretch_confirmation(differences[:head_length], block) + MARGIN:
                continue
            if total - size < _level_confirmation(block) + MARGIN:
                continue
            if _decimal_period_unseen(period, offset, total):
                continue
            if _earlier_terms_left_out(head, block) or _digit_modulus_unseen(block, terms):
                continue
            if _decimal_breaks_unseen(terms, head_length, block):
                continue
            found = _found("periodic_differences", statement, spec, offset, size, total, size, terms, tried)
            if found:
                return found
    return None


def _digit_modulus_unseen(block: list[int], terms: list[int]) -> bool:
    """Whether increasing terms are claimed to be the numbers of some classes mod s = p^k (p prime,
    k >= 2) while they stay below p^(k + 1), or mod a multiple s of 10 or 11 while they stay below 100. Such classes are what a property of the last k base-p
    digits shows; below p^(k + 1) a number has at most one digit above them, never a 0 followed by
    more digits, and a property of the digit string (a pattern such as "02" in base 5) changes where
    that first appears: A044460 (n has "02" in base 5 and n + 1 has not) is 2, 14, 27, 52, 77 or 102
    mod 125 up to 652, then takes 699 = 10244 in base 5. The decimal-period rule is the same reading
    for a period in n (10 = 10^1, needing n >= 100). For p = 2 one more binary digit does not show a pattern
    of the bit string change (two binary digits are one digit of base 4), so the terms must reach 2^(k + 2):
    A055039 (an odd number of trailing 0s, then 111) is classes mod 256 up to 824 and takes 896 =
    1110000000 in binary."""
    if not all(d > 0 for d in block):
        return False
    if _decimal_modulus(sum(block)):
        # classes mod 10 are the last decimal digit (mod 11, the alternating digit sum): below 100 the terms
        # show one digit above it, and a property of the decimal digit string reads as these classes there
        # (A057436, the numbers whose digits are 1..6: 1..6 mod 10 up to 66, then 111)
        return max(terms) < THREE_DIGITS
    factors = sp.factorint(sum(block))
    if len(factors) != 1:
        return False
    (prime, power), = factors.items()
    above = 2 if prime == 2 else 1  # two binary digits above the classes, as one digit of a larger base
    return power >= 2 and max(terms) < prime ** (power + above)


def _earlier_terms_left_out(head: list[int], block: list[int]) -> list[int]:
    """The terms before the periodic part that lie in a residue class it leaves out, when the terms
    increase: from a(n0) on they are claimed to be the numbers of some classes mod the period's sum s
    (in the progression of a(n0) modulo the gcd of the differences), and an earlier term in that
    progression but in another class mod s was taken while the later members of its class are skipped.
    So the terms were not picked by their class mod s: the rule that picked them took a number the
    claim says it never takes, and the data show it. Such claims are not stated. The shape is a
    sieve's (it keeps the number it sieves with and removes the later members of its class: A274968
    keeps 8 and leaves out 92, 176, 260, ..., all 8 mod 84, and, after its data, 506 and 512 that a
    later sieving step removes) and a Beatty sequence's, whose classes drift (A066343, floor(n·log2(5)) + n:
    0, then the numbers 3, 6 or 9 mod 10 for 24 terms, until 93, 96, 99, 102)."""
    if len(head) < 2 or not all(d > 0 for d in block):
        return []
    step, common, start = sum(block), gcd(*block), head[-1]
    members, value = set(), start
    for d in block:
        members.add(value % step)
        value += d
    return [h for h in head[:-1] if h < start and (h - start) % common == 0 and h % step not in members]


def _differences_statement(head, block, offset) -> str:
    start = offset + len(head) - 1
    step = sum(block)
    text = (f"a(n + 1) - a(n) is periodic for n >= {start}, one period being {block}; so a(n + {len(block)}) "
            f"= a(n) + {step} for n >= {start}")
    if len(head) == 1 and all(d > 0 for d in block) and step > 0:
        values = [head[0]]
        for d in block[:-1]:
            values.append(values[-1] + d)
        residues = sorted({v % step for v in values})
        text = (f"a(n) = the integers >= {head[0]} congruent to {' or '.join(map(str, residues))} (mod {step}), "
                f"in increasing order")
        if len(residues) == step - 1:
            missing = next(r for r in range(step) if r not in residues)
            text += f", i.e. those not congruent to {missing} (mod {step})"
    return text


def guess_quasi_polynomial(terms: list[int], offset: int = 0, max_period: int = 6, max_degree: int = 3
                           ) -> Description | None:
    """a(n) = p_{n mod P}(n), each p of degree <= d fitted on its residue class's first d + 1 indices."""
    total = len(terms)
    shapes = sorted(((p, d) for p in range(2, max_period + 1) for d in range(1, max_degree + 1)),
                    key=lambda s: (s[0] * (s[1] + 1), s[1]))
    for tried, (period, degree) in enumerate(shapes, start=1):
        fitted = period * (degree + 1)
        # Each residue class's polynomial is confirmed only by its own class: it needs degree + 2
        # indices of its class after the fitted ones (the least populated class counts).
        if not confirmed_enough(total, fitted, fitted) or (total - fitted) // period < degree + 2:
            continue
        polys = []
        for residue_index in range(period):
            points = [(offset + residue_index + period * j, terms[residue_index + period * j])
                      for j in range(degree + 1)]
            polys.append([str(c) for c in interpolate(points)])
        # index the polynomials by n mod period
        by_residue = [None] * period
        for residue_index, poly in enumerate(polys):
            by_residue[(offset + residue_index) % period] = poly
        if len({tuple(p) for p in by_residue}) == 1:
            continue  # one polynomial: found by the polynomial search
        spec = {"period": period, "polynomials": by_residue}
        if not _reproduces(_quasi_terms, spec, offset, terms):
            continue  # what ``_found`` checks, before the statement (sympy's factor) is written
        statement = "a(n) = " + "; ".join(
            f"{_poly_text(p)} if n ≡ {r} (mod {period})" for r, p in enumerate(by_residue))
        found = _found("quasi_polynomial", statement, spec, offset, fitted, total, fitted, terms, tried)
        if found:
            return found
    return None


def _poly_text(coefficients: list[str]) -> str:
    m = sp.Symbol("n")
    return str(sp.factor(sum(sp.Rational(c) * m**j for j, c in enumerate(coefficients))))


# --- digits ----------------------------------------------------------------------------------------

FACTORIAL = "factorial"
"""The ``base`` of the factorial number system: the mixed radix 2, 3, 4, ... (n = sum d_i·(i + 1)!,
0 <= d_i <= i + 1), in which the OEIS writes many sequences (A007623, A034968, ...)."""


def factorial_digits(value: int) -> list[int]:
    """Factorial-base digits, least significant first; 0 has the single digit 0."""
    if value < 0:
        raise ValueError("negative")
    out, radix = [value % 2], 2
    value //= 2
    while value:
        radix += 1
        out.append(value % radix)
        value //= radix
    return out


def digit_function(spec: dict, index: int) -> int:
    base = spec["base"]
    digits = factorial_digits(index + spec["shift"]) if base == FACTORIAL else digits_of(index + spec["shift"], base)
    weights = spec["weights"]  # None: each digit is its own weight (the factorial base's digits are unbounded)
    if spec["kind"] == "sum":
        return sum(digits) if weights is None else sum(weights[d] for d in digits)
    mapped = list(digits) if weights is None else [weights[d] for d in digits]
    if spec["reverse"]:
        mapped.reverse()
    return sum(d * spec["read_base"] ** i for i, d in enumerate(mapped))


def guess_digits(terms: list[int], offset: int = 0) -> Description | None:
    """Digit sums with digit weights, and digits mapped then read in another base, for n + s, in bases
    2..10, then in the factorial base."""
    found, tried = _positional_digits(terms, offset)
    return found or _factorial_digits(terms, offset, tried)


def guess_positional_digits(terms: list[int], offset: int = 0) -> Description | None:
    """``guess_digits`` without the factorial base (what the family was before it)."""
    return _positional_digits(terms, offset)[0]


def guess_factorial_digits(terms: list[int], offset: int = 0) -> Description | None:
    """The factorial-base part of ``guess_digits`` alone, counting the positional candidates as tried."""
    return _factorial_digits(terms, offset, _positional_digits(terms, offset)[1])


def _positional_digits(terms: list[int], offset: int) -> tuple[Description | None, int]:
    """The first base-b description (bases 2..10) that fits and is confirmed, and the candidates tried."""
    total, tried = len(terms), 0
    for base in range(2, 11):
        for shift in (0, -1, 1):
            first = offset + shift  # the value whose digits give terms[0]
            if first < 0 or first + total - 1 < base:
                continue
            weights = {}
            for i, value in enumerate(terms):
                if first + i < base:
                    weights[first + i] = value
            for kind in ("sum", "reread"):
                for reverse in ((False,) if kind == "sum" else (False, True)):
                    for read_base in ((None,) if kind == "sum" else range(2, 17)):
                        tried += 1
                        spec = _digit_spec(terms, first, base, shift, kind, weights, read_base, reverse)
                        if spec is None or not _reproduces(_digits_terms, spec, offset, terms):
                            continue  # (``_found`` would refuse it: checked first, term by term)
                        if _length_unseen(spec, first + total - 1):
                            continue
                        # Parameters: the digit weights unless they are the digits themselves, plus
                        # the choice of base, read base, shift and kind among those tried; fitted on
                        # the single-digit indices and the first two-digit one.
                        natural = spec["weights"] == list(range(base))
                        parameters = 0 if natural else base
                        fitted = max(base - first, 0) + 1
                        statement = _digits_statement(spec)
                        found = _found("digits", statement, spec, offset, min(fitted, total), total, parameters,
                                       terms, tried)
                        if found:
                            return found, tried
    return None, tried


def _length_unseen(spec: dict, last: int) -> bool:
    """Whether a weighted digit sum with w(0) != 0 (it counts every position: the number of base-b digits,
    A081604, when all weights are 1) is read from arguments that stop before b^3. Its value then changes
    with the length of n only at the powers of b, and those the terms reached are its only evidence: b and
    b^2 fix the base, b^3 is the first to confirm it (A185679, the number of decimal digits of n^2, is "1,
    then the number of base-3 digits of n - 1" up to n = 27)."""
    return spec["kind"] == "sum" and spec["weights"][0] != 0 and last < spec["base"] ** 3


def _factorial_digits(terms: list[int], offset: int, tried: int) -> Description | None:
    """The factorial base, after the positional bases (their ranks unchanged, ``tried`` of them): its digits
    as they are (no weights to fit), summed or read in a base 2..16; fitted on the terms up to the first
    three-digit index, 3! = 6."""
    total = len(terms)
    for shift in (0, -1, 1):
        first = offset + shift
        if first < 0 or first + total - 1 < 6:
            continue
        for kind, reverse, read_base in ([("sum", False, None)] + [("reread", reverse, read_base) for reverse in
                                                                    (False, True) for read_base in range(2, 17)]):
            tried += 1
            spec = {"kind": kind, "base": FACTORIAL, "shift": shift, "weights": None, "read_base": read_base,
                    "reverse": reverse}
            if not _reproduces(_digits_terms, spec, offset, terms):
                continue  # (``_found`` would refuse it: checked first, term by term)
            found = _found("digits", _digits_statement(spec), spec, offset, min(max(6 - first, 0) + 1, total), total,
                           0, terms, tried)
            if found:
                return found
    return None


def _digit_spec(terms, first, base, shift, kind, weights, read_base, reverse):
    """The spec with the weights of digits missing from the single-digit values solved from two-digit ones."""
    full = dict(weights)
    missing = [d for d in range(base) if d not in full]
    if kind == "sum":
        # value of n = d*base + e: weight[d] + weight[e]; fill from the first two-digit indices
        for i, value in enumerate(terms):
            m = first + i
            if m >= base and m < base * base:
                high, low = divmod(m, base)
                if low not in full and high in full:
                    full[low] = value - full[high]
                elif high not in full and low in full:
                    full[high] = value - full[low]
    else:
        if 0 not in full:
            full[0] = 0
    if any(d not in full for d in range(base)) or missing and len(missing) > 1:
        return None
    if kind == "reread" and (full.get(0) != 0 or (read_base == base and not reverse and
                                                   all(full[d] == d for d in range(base)))):
        return None  # a nonzero weight for 0 is a different family; the identity is n itself
    return {"kind": kind, "base": base, "shift": shift, "weights": [full[d] for d in range(base)],
            "read_base": read_base, "reverse": reverse}


def _digits_statement(spec) -> str:
    argument = "n" if spec["shift"] == 0 else f"n {'+' if spec['shift'] > 0 else '-'} {abs(spec['shift'])}"
    base, weights = spec["base"], spec["weights"]
    if base == FACTORIAL:
        system = "the factorial base (n = sum d_i·(i + 1)!, 0 <= d_i <= i + 1)"
        if spec["kind"] == "sum":
            return f"a(n) = the sum of the digits of {argument} in {system}"
        order = " reversed" if spec["reverse"] else ""
        return f"a(n) = the digits of {argument} in {system}{order} read in base {spec['read_base']}"
    identity = weights == list(range(base))
    if spec["kind"] == "sum":
        what = "the sum of the digits" if identity else f"the sum over the digits d of w(d), w = {weights}"
        return f"a(n) = {what} of {argument} in base {base}"
    mapped = "" if identity else f", each digit d replaced by {weights}[d],"
    order = " reversed" if spec["reverse"] else ""
    return f"a(n) = the base-{base} digits of {argument}{order}{mapped} read in base {spec['read_base']}"


# --- combinations of classical sequences -----------------------------------------------------------

def _fibonacci(m):
    a, b = 0, 1
    for _ in range(m):
        a, b = b, a + b
    return a


def _lucas(m):
    a, b = 2, 1
    for _ in range(m):
        a, b = b, a + b
    return a


@lru_cache(maxsize=None)
def _nth(kind: str, m: int) -> int:
    """The m-th (m >= 1) composite, squarefree number or semiprime, by counting."""
    test = {"composite": lambda v: v > 3 and not sp.isprime(v),
            "squarefree": lambda v: all(e == 1 for e in sp.factorint(v).values()),
            "semiprime": lambda v: sum(sp.factorint(v).values()) == 2}[kind]
    start = _nth(kind, m - 1) + 1 if m > 1 else 1
    value = start
    while not test(value):
        value += 1
    return value


def _positive(function):
    return lambda m: function(m) if m >= 1 else _undefined()


def _natural(function):
    return lambda m: function(m) if m >= 0 else _undefined()


CATALOGUE: dict[str, Callable[[int], int]] = {
    "n!": _natural(lambda m: int(sp.factorial(m))),
    "2^n": _natural(lambda m: 2**m),
    "3^n": _natural(lambda m: 3**m),
    "F(n)": _natural(_fibonacci),
    "L(n)": _natural(_lucas),
    "C(2n,n)": _natural(lambda m: int(sp.binomial(2 * m, m))),
    "Catalan(n)": _natural(lambda m: int(sp.catalan(m))),
    "p(n)": _natural(lambda m: int(partition(m))),
    "prime(n)": _positive(lambda m: int(sp.prime(m))),
    "composite(n)": _positive(lambda m: _nth("composite", m)),
    "squarefree(n)": _positive(lambda m: _nth("squarefree", m)),
    "semiprime(n)": _positive(lambda m: _nth("semiprime", m)),
    "pi(n)": _natural(lambda m: int(sp.primepi(m))),
    "d(n)": _positive(lambda m: int(sp.divisor_count(m))),
    "sigma(n)": _positive(lambda m: int(sp.divisor_sigma(m))),
    "phi(n)": _positive(lambda m: int(sp.totient(m))),
    "omega(n)": _positive(lambda m: int(sp.primenu(m))),
    "Omega(n)": _positive(lambda m: int(sp.primeomega(m))),
    "mu(n)": _positive(lambda m: int(sp.mobius(m))),
    "lpf(n)": _positive(lambda m: min(sp.factorint(m)) if m > 1 else 1),
    "gpf(n)": _positive(lambda m: max(sp.factorint(m)) if m > 1 else 1),
    "rad(n)": _positive(lambda m: int(sp.prod(sp.factorint(m)))),
    "isprime(n)": _natural(lambda m: int(sp.isprime(m))),
    "issquare(n)": _natural(lambda m: int(sp.sqrt(m).is_Integer)),
}
"""Classical sequences a combination may use, by the name the statement shows."""
SHIFTS = (0, 1, -1, 2, -2)
SIGNATURE_FUNCTIONS = ("d(n)", "omega(n)", "Omega(n)", "mu(n)", "isprime(n)", "issquare(n)")
"""Catalogue functions of n's prime signature (its exponents, sorted) alone."""
BOUNDS["combination"] = ("α·B(n + s) + β, α·B(n + s) + β + γ·n, (β + γ·n)·B(n + s), B1(n + s) ± B2(n + s), "
                         "B(2n + s), B(n + s)^2 and B(n + s) mod 2 with s in -2..2 and α, β, γ rational; "
                         "B among " + ", ".join(CATALOGUE) + f"; none when another combination at most {RIVAL_GAP} "
                         "bits longer fits every term and differs at some n up to 2L + 64, L the last n given "
                         "(guess.rival_horizon); a pair B1 ± B2 whose pairs of values (B1(n + s), B2(n + s)) "
                         "repeat at the given indices (the prime signatures of n + s, when B1 and B2 are both among "
                         + ", ".join(SIGNATURE_FUNCTIONS) + ") only when it meets no other up to that horizon, or "
                         "when the distinct ones met are as many as the terms the margin rule asks for (its fitted "
                         "term, its parameters and MARGIN); Omega(n + s) mod 2 only from terms where some n + s has "
                         "three primes with an odd exponent (n + s >= 30: below, it is also \"exactly one odd exponent\"), "
                         "omega(n + s) mod 2 only where some n + s has three distinct primes (below, it is also "
                         "\"a prime power\")")


def _undefined():
    raise ValueError("outside the domain")


@lru_cache(maxsize=None)
def _catalogue_value(name: str, m: int) -> int:
    return CATALOGUE[name](m)


def _argument(spec: dict, index: int) -> int:
    return spec.get("scale", 1) * index + spec["shift"]


def _basic(spec: dict, name: str, index: int) -> int:
    value = _catalogue_value(name, _argument(spec, index))
    post = spec.get("post")
    if post == "square":
        return value * value
    if post == "mod2":
        return value % 2
    return value


def combination_value(spec: dict, index: int) -> int:
    base = _basic(spec, spec["basic"], index)
    alpha, beta, gamma = (Fraction(spec[key]) for key in ("alpha", "beta", "gamma"))
    if spec["form"] == "affine":
        value = alpha * base + beta + gamma * index
    elif spec["form"] == "product":
        value = (beta + gamma * index) * base
    else:
        value = base + alpha * _basic(spec, spec["other"], index)
    if value.denominator != 1:
        raise ValueError("not an integer")
    return int(value)


@lru_cache(maxsize=1 << 14)
def _column(name: str, scale: int, shift: int, post: str | None, offset: int, total: int) -> list[int] | None:
    try:
        return [_basic({"scale": scale, "shift": shift, "post": post}, name, offset + i) for i in range(total)]
    except ValueError:
        return None


def guess_combination(terms: list[int], offset: int = 0, ambiguous: list | None = None) -> Description | None:
    """The first catalogue combination (fewest parameters first) that reproduces every term and that the
    margin rule confirms, when no rival leaves the data undecided: another combination at most RIVAL_GAP
    parameters (bits) longer that reproduces every term too but predicts other values at some index up to
    ``guess.rival_horizon`` (2L + 64, L the last index given) cancels it, and both go to ``ambiguous`` (as
    Descriptions, the tie report of the families in TIES_REPORTED); and a pair B1 ± B2 is held to
    ``_pair_values_undecided``."""
    total = len(terms)
    horizon = range(offset + total, rival_horizon(offset + total - 1) + 1)
    first = next(((tried, spec, fitted, parameters) for tried, spec, fitted, parameters in _combinations(terms, offset)
                  if confirmed_enough(total, fitted, parameters)), None)
    if first is None:
        return None
    tried, spec, fitted, parameters = first
    chosen = (spec, fitted, parameters, _combination_values(spec, horizon))
    matching = [(spec, fitted, parameters, _combination_values(spec, horizon)) for _, spec, fitted, parameters
                in _combinations(terms, offset, after=tried, most=parameters + RIVAL_GAP)]
    tied: list = []
    if undecided_by_rival(chosen, matching, tied):
        for spec, fitted, parameters in tied if ambiguous is not None else ():
            rival = _found("combination", _combination_statement(spec), spec, offset, fitted, total, parameters, terms)
            if rival is not None:
                ambiguous.append(rival)
        return None
    spec, fitted, parameters, _ = chosen
    if spec["form"] == "pair" and _pair_values_undecided(spec, offset, total, horizon, fitted, parameters):
        return None
    if spec.get("post") == "mod2" and spec["basic"] in ("Omega(n)", "omega(n)") and not any(
            predicates.decides_omega_parity(_argument(spec, offset + i), spec["basic"] == "omega(n)") for i in range(total)):
        return None  # the parity of Omega or omega, undecided below 30 (predicates.ODD_EXPONENT_WITNESS)
    return _found("combination", _combination_statement(spec), spec, offset, fitted, total, parameters, terms)


def _combinations(terms: list[int], offset: int, after: int = 0, most: int | None = None):
    """Every catalogue combination that reproduces all ``terms``, in search order, as (tried, spec, fitted,
    parameters): ``tried`` = the candidates tried up to it, ``parameters`` = its fitted coefficients (the first
    terms they are fitted on: ``fitted``) plus choice_bits(tried) (the choice of sequence, argument and form).
    The affine and product forms first, then the pairs B1(n + s) ± B2(n + s) (no coefficient; fitted on the
    first term by convention). Only those after the first ``after`` tried, and with at most ``most``
    parameters when given (the rivals of a choice)."""
    def wanted(count: int) -> bool:
        return tried > after and (most is None or count + choice_bits(tried) <= most)
    total = len(terms)
    variants = [(1, shift, None) for shift in SHIFTS] + [(2, shift, None) for shift in (0, 1, -1)] + \
        [(1, shift, post) for post in ("square", "mod2") for shift in (0, 1, -1)]
    forms = (("affine", 2), ("product", 1), ("affine", 3), ("product", 2))
    tried = 0
    for form, count in forms:
        for name in CATALOGUE:
            for scale, shift, post in variants:
                tried += 1
                if not wanted(count):
                    continue
                column = _column(name, scale, shift, post, offset, total)
                if column is None or len(set(column[2:])) <= 1:
                    continue  # undefined, or constant but for its first terms: a hidden exception, not a sequence
                spec = _fit_affine(form, count, column, terms, offset)
                if spec is not None:
                    spec.update(basic=name, shift=shift, scale=scale, post=post)
                    yield tried, spec, count, count + choice_bits(tried)
    names = list(CATALOGUE)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            for shift in (0, 1, -1):
                left, right = _column(first, 1, shift, None, offset, total), _column(second, 1, shift, None, offset,
                                                                                    total)
                if left is None or right is None:
                    continue
                for sign in (1, -1):
                    tried += 1
                    if most is not None and choice_bits(tried) > most:
                        return
                    if wanted(0) and all(a + sign * b == t for a, b, t in zip(left, right, terms)):
                        spec = {"form": "pair", "basic": first, "other": second, "shift": shift, "scale": 1,
                                "post": None, "alpha": str(sign), "beta": "0", "gamma": "0"}
                        yield tried, spec, 1, choice_bits(tried)


def _combination_values(spec: dict, indices) -> list[int | None]:
    """The combination's values at ``indices`` (None where it is undefined or not an integer)."""
    values = []
    for index in indices:
        try:
            values.append(combination_value(spec, index))
        except ValueError:
            values.append(None)
    return values


def _pair_values_undecided(spec: dict, offset: int, total: int, horizon, fitted: int, parameters: int) -> bool:
    """Whether a pair B1(n + s) ± B2(n + s) is one of two functions that repeat their values on the data
    (tau, omega, mu, [n is prime], ...) combined as the data leave open. The data test how B1 and B2
    combine only at the distinct pairs (B1, B2) they show, as ``expressions.outer_undecided`` tests an
    outer function only at the values its subterm took: a term whose pair of values was met before
    confirms the choice of B1 and B2 but not how they combine, which any function of the two values that
    agrees at the pairs met reproduces too; and two functions of the prime signature of m = n + s
    (SIGNATURE_FUNCTIONS) are tested only at the signatures met, any function of the signature that agrees
    there reproducing them too. So when those repeat and one not met comes before the horizon, the
    distinct ones met must pay the claim under the margin rule (``confirmed_enough``) as terms would.
    A331072 from 24 terms: tau(m) - omega(m), m = 1..23, met 7 signatures (7 pairs), and A034836, the
    products x·y·z = m, parts from it at m = 36; A387944: mu(m) + [m is prime] (3 pairs) parts from
    mu(m)^2 - [m is prime] at m = 30; A122895, [tau(m) is a Fibonacci number], is [m is prime] + [m is a
    square] up to m = 23, 3 pairs that are all there are, but 7 signatures (tau(24) = 8)."""
    names = (spec["basic"], spec["other"])
    by_signature = all(name in SIGNATURE_FUNCTIONS for name in names)

    def key(index: int) -> tuple:
        m = _argument(spec, index)
        if by_signature:
            return tuple(sorted(predicates.factor(m).values())) if m >= 1 else (-1,)
        return tuple(_basic(spec, name, index) for name in names)
    met = {key(index) for index in range(offset, offset + total)}
    if len(met) == total or confirmed_enough(len(met), fitted, parameters):
        return False
    return any(key(index) not in met for index in horizon)


def _fit_affine(form, count, column, terms, offset):
    """Coefficients from the first ``count`` terms (exact, Fractions), kept only if they reproduce all."""
    total = len(terms)
    if form == "affine":
        columns = [column, [1] * total] + ([[offset + i for i in range(total)]] if count == 3 else [])
        keys = ("alpha", "beta", "gamma")
    else:
        columns = [column] + ([[(offset + i) * v for i, v in enumerate(column)]] if count == 2 else [])
        keys = ("beta", "gamma")
    if total > count and _determinant([[c[i] for c in columns] + [terms[i]] for i in range(count + 1)]):
        # The unique fit through the first ``count`` terms (if any) misses term ``count``: the same
        # refusal as below, decided on small integers instead of Fractions.
        return None
    rows = [[c[i] for c in columns] + [-terms[i]] for i in range(count)]
    basis = nullspace(rows, len(columns) + 1)
    if len(basis) != 1 or basis[0][-1] == 0:
        return None
    solution = [v / basis[0][-1] for v in basis[0][:-1]]
    for i in range(total):
        if sum(w * c[i] for w, c in zip(solution, columns)) != terms[i]:
            return None
    spec = {"form": form, "alpha": "0", "beta": "0", "gamma": "0"}
    for key, value in zip(keys, solution):
        spec[key] = str(value)
    if form == "affine" and (spec["alpha"] == "0" or (count == 3 and spec["gamma"] == "0")):
        return None
    if form == "product" and (spec["beta"] == "0" or (count == 2 and spec["gamma"] == "0")):
        return None
    return spec


def _determinant(matrix: list[list[int]]) -> int:
    """The determinant of a small square integer matrix (expansion along the first row)."""
    if len(matrix) == 1:
        return matrix[0][0]
    return sum((-1) ** j * value * _determinant([row[:j] + row[j + 1:] for row in matrix[1:]])
               for j, value in enumerate(matrix[0]) if value)


def _name_at(name: str, spec: dict) -> str:
    scale, shift = spec.get("scale", 1), spec["shift"]
    argument = ("n" if scale == 1 else f"{scale}n") + ("" if shift == 0 else f" {'+' if shift > 0 else '-'} {abs(shift)}")
    simple = argument == "n"
    text = {"n!": f"{argument}!" if simple else f"({argument})!", "2^n": f"2^{argument}" if simple else f"2^({argument})",
            "3^n": f"3^{argument}" if simple else f"3^({argument})",
            "C(2n,n)": f"C(2({argument}), {argument})"}.get(name, name.replace("(n)", f"({argument})"))
    post = spec.get("post")
    return f"({text})^2" if post == "square" else (f"({text} mod 2)" if post == "mod2" else text)


def _combination_statement(spec) -> str:
    basic = _name_at(spec["basic"], spec)
    nsym = sp.Symbol("n")
    if spec["form"] == "pair":
        return f"a(n) = {basic} {'+' if spec['alpha'] == '1' else '-'} {_name_at(spec['other'], spec)}"
    alpha, beta, gamma = (sp.Rational(spec[key]) for key in ("alpha", "beta", "gamma"))
    if spec["form"] == "affine":
        rest = sp.expand(beta + gamma * nsym)
        scale = "" if alpha == 1 else ("-" if alpha == -1 else f"{alpha}·")
        tail = "" if rest == 0 else (f" - {-rest}" if (rest.is_number and rest < 0) else f" + {rest}")
        return f"a(n) = {scale}{basic}{tail}"
    factor = sp.factor(beta + gamma * nsym)
    return f"a(n) = {basic}" if factor == 1 else f"a(n) = ({factor})·{basic}"


# --- the f(n)-th term of a catalogue sequence ------------------------------------------------------

INDEX_MAPS: dict[str, Callable[[int], int]] = {
    "floor(n/2)": lambda m: m // 2 if m >= 0 else _undefined(),
    "floor(n/3)": lambda m: m // 3 if m >= 0 else _undefined(),
    "floor(sqrt(n))": lambda m: isqrt(m) if m >= 0 else _undefined(),
    "the row of n in a triangle read by rows (floor((sqrt(8n + 1) - 1)/2))":
        lambda m: (isqrt(8 * m + 1) - 1) // 2 if m >= 0 else _undefined(),
    "floor(log2(n))": lambda m: m.bit_length() - 1 if m >= 1 else _undefined(),
    "pi(n)": lambda m: _catalogue_value("pi(n)", m),
    "prime(n)": lambda m: _catalogue_value("prime(n)", m),
    "2^n": lambda m: 2**m if 0 <= m <= 64 else _undefined(),
    "n^2": lambda m: m * m,
    "n(n + 1)/2": lambda m: m * (m + 1) // 2,
    "F(n)": lambda m: _fibonacci(m) if 0 <= m <= 90 else _undefined(),
}
"""Inner index maps g of a(n) = B(g(n + t) + s)."""
_ARGUMENT_LIMITS = {"n!": 1000, "2^n": 1000, "3^n": 1000, "F(n)": 1000, "L(n)": 1000, "C(2n,n)": 1000,
                    "Catalan(n)": 1000, "p(n)": 2000, "prime(n)": 10**5, "composite(n)": 500,
                    "squarefree(n)": 500, "semiprime(n)": 500, "pi(n)": 10**7}
"""Largest argument each catalogue sequence is evaluated at here (10^12 for the others): a
composition that needs more is not searched (the values would be too large or too slow)."""


def composition_value(spec: dict, index: int) -> int:
    argument = INDEX_MAPS[spec["inner"]](index + spec["t"]) + spec["s"]
    if argument > _ARGUMENT_LIMITS.get(spec["outer"], 10**12):
        raise ValueError("argument beyond the evaluation limit")
    return _catalogue_value(spec["outer"], argument)


def _composition_terms(spec, offset, count):
    return list(_composition_column(spec["outer"], spec["inner"], spec["t"], spec["s"], offset, count))


@lru_cache(maxsize=1 << 13)
def _composition_column(outer, inner, t, s, offset, count) -> tuple[int, ...]:
    spec = {"outer": outer, "inner": inner, "t": t, "s": s}
    return tuple(composition_value(spec, offset + i) for i in range(count))


def composition_candidates() -> list[tuple[str, str, int, int]]:
    return [(outer, inner, t, s) for inner in INDEX_MAPS for outer in CATALOGUE for t in (0, 1) for s in (0, 1, -1)]


def _composition_statement(spec) -> str:
    inner = spec["inner"]
    row = inner.startswith("the row")
    short = "row(n)" if row else inner
    argument = short if spec["t"] == 0 else short.replace("n", "(n + 1)")
    argument += "" if spec["s"] == 0 else (" + 1" if spec["s"] == 1 else " - 1")
    outer = spec["outer"]
    outer = {"n!": "m!", "2^n": "2^m", "3^n": "3^m", "C(2n,n)": "C(2m,m)"}.get(outer, outer.replace("(n)", "(m)"))
    return f"a(n) = {outer} where m = {argument}" + (
        ", row(n) = floor((sqrt(8n + 1) - 1)/2) being the row of n in a triangle read by rows" if row else "")


BOUNDS["composition"] = ("a(n) = B(g(n + t) + s), t in 0..1, s in -1..1, B among the combination catalogue, g among "
                         + ", ".join(INDEX_MAPS))


def guess_composition(terms: list[int], offset: int = 0) -> Description | None:
    """a(n) = B(g(n + t) + s): the g(n)-th term of a catalogue sequence (prime(prime(n)), F(2^n), the
    row number's factorial ...), the first candidate matching the fitted prefix (``constants.choose``)."""
    if len(terms) < 12:
        return None

    def predict(candidate, count):
        outer, inner, t, s = candidate
        spec = {"outer": outer, "inner": inner, "t": t, "s": s}
        values = _composition_terms(spec, offset, count)
        if len(set(values[2:len(terms)])) <= 1:
            raise ValueError("constant but for its first terms")
        return spec, values
    def first_values(candidate):
        outer, inner, t, s = candidate
        spec = {"outer": outer, "inner": inner, "t": t, "s": s}
        return (composition_value(spec, offset + i) for i in range(len(terms)))
    found = constants.choose(terms, composition_candidates(), predict, 0, first_values=first_values)
    if found is None:
        return None
    spec, fitted, parameters = found
    return _found("composition", _composition_statement(spec), spec, offset, fitted, len(terms), parameters, terms)


# --- triangles read by rows -------------------------------------------------------------------------

def triangle_position(index: int) -> tuple[int, int]:
    """(n, k) of the index-th entry (from 0) of a triangle read by rows n = 0, 1, ... of length n + 1."""
    row = (isqrt(8 * index + 1) - 1) // 2
    return row, index - row * (row + 1) // 2


def _monomials(degree: int) -> list[tuple[int, int]]:
    return [(a, b) for total in range(degree + 1) for a in range(total, -1, -1) for b in (total - a,)]


def triangle_value(spec: dict, row: int, column: int) -> Fraction:
    value = sum(Fraction(c) * row**a * column**b for c, (a, b) in zip(spec["coefficients"],
                                                                       _monomials(spec["degree"])))
    return value * comb(row, column) if spec["binomial"] else value


TRIANGLE_SHAPES = ((False, 1), (True, 0), (False, 2), (True, 1), (True, 2), (False, 3))
"""(times C(n, k), degree), fewest coefficients first."""


def guess_triangle(terms: list[int], offset: int = 0) -> Description | None:
    """T(n, k) = p(n, k) or C(n, k)·p(n, k), read by rows; the coefficients solved from the first terms."""
    total = len(terms)
    for tried, (binomial, degree) in enumerate(TRIANGLE_SHAPES, start=1):
        monomials = _monomials(degree)
        unknowns = len(monomials)
        if not confirmed_enough(total, unknowns, unknowns + choice_bits(tried)):
            continue
        rows = []
        for i in range(unknowns):
            n_, k_ = triangle_position(i)
            scale = comb(n_, k_) if binomial else 1
            rows.append([scale * n_**a * k_**b for a, b in monomials] + [-terms[i]])
        basis = nullspace(rows, unknowns + 1)
        if len(basis) != 1 or basis[0][-1] == 0:
            continue
        coefficients = [v / basis[0][-1] for v in basis[0][:-1]]
        if all(c == 0 for c, (a, b) in zip(coefficients, monomials) if b > 0) and not binomial:
            continue  # T depends on the row only: a sequence of rows, not a triangle worth stating
        spec = {"binomial": binomial, "degree": degree, "coefficients": [str(c) for c in coefficients]}
        if any(triangle_value(spec, *triangle_position(i)) != term for i, term in enumerate(terms)):
            continue  # ``_found`` would refuse it: checked first, term by term, before sympy writes the statement
        nk = sp.symbols("n k")
        poly = sp.factor(sum(sp.Rational(str(c)) * nk[0]**a * nk[1]**b for c, (a, b) in zip(coefficients, monomials)))
        formula = f"C(n, k)·({poly})" if binomial else str(poly)
        statement = f"a(n(n + 1)/2 + k) = T(n, k) = {formula} for 0 <= k <= n: a triangle read by rows"
        if offset:
            statement += f" (the terms indexed from {offset}: a({offset}) = T(0, 0))"
        found = _found("triangle", statement, spec, offset, unknowns, total, unknowns, terms, tried)
        if found:
            return found
    return None


def guess_array(terms: list[int], offset: int = 0) -> Description | None:
    """``arrays.guess_array`` (T(n, k) of a triangle or square array, read by rows or antidiagonals, from a
    bivariate term search) as a Description."""
    return _described("array", arrays.guess_array(terms, offset), offset, terms)


# --- sets defined by predicates: their members, their characteristic functions -------------------

def _predicate_undecided(indices: tuple[int, ...], low: int, high: int) -> bool:
    """Whether the numbers low..high the terms cover cannot decide the predicate: it reads decimal digits and
    they stop before THREE_DIGITS (``predicates.reads_decimal_digits``), or it tests a count "f(m) = c" that
    none of them exceeds, or the parity of Omega where none of them has three primes with an odd exponent
    (``predicates.undecided``). The set and characteristic families state nothing then."""
    return (predicates.reads_decimal_digits(indices) and high < THREE_DIGITS
            or predicates.undecided(indices, low, high))


def guess_set_members(terms: list[int], offset: int = 0) -> Description | None:
    """a(n) = the members >= a(offset) of a set {m : P(m)}, P from ``predicates``, in increasing order."""
    total = len(terms)
    if total < 8 or terms[0] < 0 or terms[-1] > predicates.LIST_LIMIT or any(b <= a for a, b in zip(terms, terms[1:])):
        return None
    if all(b - a == 1 for a, b in zip(terms, terms[1:])):
        return None  # consecutive integers: a polynomial
    first, last = terms[0], terms[-1]
    horizon = rival_horizon(last)
    limit = predicates.bucket(horizon)
    target = sum(1 << t for t in terms)

    def span(low: int, high: int) -> int:
        return ((1 << (high + 1)) - 1) & ~((1 << low) - 1)

    def window(bits: int) -> int | None:
        fitted = total - bits - MARGIN
        return span(first, terms[fitted - 1]) if fitted >= 2 else None

    def extension(value: int) -> int:
        return (value >> (last + 1)) & ((1 << (horizon - last)) - 1)  # its members in last + 1..horizon
    found = predicates.search(target, window, span(first, last), extension, limit, choice_bits)
    if found is None:
        return None
    indices, rank = found
    if _predicate_undecided(indices, first, last):
        return None
    bits = choice_bits(rank)
    spec = {"predicate": list(indices), "start": first}
    statement = (f"a(n) = the numbers m >= {first} such that {predicates.predicate_words(indices)}, in "
                 f"increasing order")
    return _found("set_members", statement, spec, offset, total - bits - MARGIN, total, bits, terms)


def guess_characteristic(terms: list[int], offset: int = 0, reserve: int = 0) -> Description | None:
    """a(n) = 1 if n + s satisfies P, else 0; P from ``predicates``, s = 0 or 1. ``reserve``: further
    confirming terms to keep out of the fit (a transform built on this one adds its own parameters)."""
    total = len(terms)
    if total < 8 or offset < 0 or set(terms) != {0, 1}:
        return None
    for shift in (0, 1):
        start = offset + shift
        horizon = rival_horizon(start + total - 1)
        limit = predicates.bucket(horizon)
        target = sum(1 << (start + i) for i, v in enumerate(terms) if v)

        def span(count: int) -> int:
            return ((1 << count) - 1) << start

        def window(bits: int) -> int | None:
            fitted = total - bits - 1 - MARGIN - reserve
            return span(fitted) if fitted >= 2 else None

        def extension(value: int, horizon: int = horizon) -> int:
            return (value >> (start + total)) & ((1 << (horizon - start - total + 1)) - 1)  # bits up to horizon
        found = predicates.search(target, window, span(total), extension, limit, choice_bits)
        if found is None:
            continue
        indices, rank = found
        if _predicate_undecided(indices, start, start + total - 1):
            return None
        bits = choice_bits(rank) + 1
        argument = "n" if shift == 0 else f"n + {shift}"
        words = predicates.predicate_words(indices, argument)
        spec = {"predicate": list(indices), "shift": shift}
        statement = f"a(n) = 1 if {words} (m = {argument}), else 0: the characteristic function of that set"
        return _found("characteristic", statement, spec, offset, total - bits - MARGIN - reserve, total, bits, terms)
    return None


# --- sequences read off real constants (``constants``) --------------------------------------------

_STATEMENTS = {"beatty": constants.beatty_statement, "floor_power": constants.power_statement,
               "expansion": constants.expansion_statement, "multiplicative": multiplicative.statement,
               "runs": runs.statement, "digit_set": digitsets.statement, "bank_set": predicate_bank.statement,
               "automatic": automatic.statement}


def _constant_family(family: Family, search: Callable) -> Callable[..., Description | None]:
    def guess(terms: list[int], offset: int = 0, ambiguous: list | None = None) -> Description | None:
        """``ambiguous``, when given, receives the candidates that fit every term but cancelled each
        other (as Descriptions): rivals for the consensus between families."""
        tied: list = []
        found = search(terms, offset, tied)
        if ambiguous is not None:
            for spec, fitted, parameters in tied:
                rival = _found(family, _STATEMENTS[family](spec), spec, offset, fitted, len(terms), parameters, terms)
                if rival is not None:
                    ambiguous.append(rival)
        return _described(family, found, offset, terms)
    guess.__name__ = f"guess_{family}"
    guess.__doc__ = f"``{search.__module__.rsplit('.', 1)[-1]}.{search.__name__}`` as a Description."
    return guess


guess_beatty = _constant_family("beatty", constants.guess_beatty)
guess_floor_power = _constant_family("floor_power", constants.guess_power)
guess_expansion = _constant_family("expansion", constants.guess_expansion)
guess_multiplicative = _constant_family("multiplicative", multiplicative.guess_multiplicative)
guess_runs = _constant_family("runs", runs.guess_runs)
guess_digit_set = _constant_family("digit_set", digitsets.guess_digit_set)
guess_bank_set = _constant_family("bank_set", predicate_bank.guess_bank_set)
guess_automatic = _constant_family("automatic", automatic.guess_automatic)
TIES_REPORTED = ("combination", "beatty", "floor_power", "expansion", "multiplicative", "runs", "digit_set", "bank_set",
                 "automatic")
"""Families whose guessers take an ``ambiguous`` list (see ``_constant_family`` and ``guess_combination``)."""


# --- transforms: partial sums, binomial and Möbius transforms, products -----------------------------

SIMPLE_FAMILIES = (guess_periodic, guess_periodic_differences, guess_quasi_polynomial, guess_digits,
                   guess_combination, guess_characteristic)
"""The families a transform's b may be described by (with closed forms)."""

TRANSFORMS = ("partial_sums", "binomial", "mobius", "products")
"""How a(n) is built from b(n): a(n0) + sum of b (b the first differences); sum_k C(n, k)·b(k) (b the
inverse binomial transform); sum over the divisors d of n of b(d) (b the Möbius transform, n >= 1);
a(n0)·product of b (b the ratios a(n + 1)/a(n), when all are integers)."""


def _transform_inner(transform: str, terms: list[int], offset: int) -> list[int] | None:
    """b from a, or None where the transform does not apply."""
    if transform == "partial_sums":
        return [y - x for x, y in zip(terms, terms[1:])]
    if transform == "binomial":
        return [sum((-1) ** (m - j) * comb(m, j) * terms[j] for j in range(m + 1)) for m in range(len(terms))]
    if transform == "mobius":
        if offset < 1:
            return None
        return [sum(int(sp.mobius(m // d)) * terms[d - offset] for d in sp.divisors(m) if d >= offset)
                for m in range(offset, offset + len(terms))] if offset == 1 else None
    if any(t == 0 for t in terms[:-1]) or any(y % x for x, y in zip(terms, terms[1:])):
        return None
    return [y // x for x, y in zip(terms, terms[1:])]


def _transform_back(transform: str, first: int, inner: list[int], offset: int, count: int) -> list[int]:
    if transform == "partial_sums" or transform == "products":
        values = [first]
        for b in inner[:count - 1]:
            values.append(values[-1] + b if transform == "partial_sums" else values[-1] * b)
        return values[:count]
    if transform == "binomial":
        return [sum(comb(m, j) * inner[j] for j in range(m + 1)) for m in range(count)]
    return [sum(inner[d - offset] for d in sp.divisors(m)) for m in range(offset, offset + count)]


def _inner_values(inner: dict, count: int) -> list[int]:
    if inner["kind"] == "closed_form":
        from .guess import ClosedForm
        # The stored spec carries the offset beside the closed form's own fields (`_offset`), which
        # ClosedForm (extra fields forbidden) would refuse: validate the closed form's fields only.
        closed = ClosedForm.model_validate({key: value for key, value in inner.items() if key != "_offset"})
        expression = sp.sympify(closed.expression, locals={"n": sp.Symbol("n", integer=True)})
        symbol = next(iter(expression.free_symbols), sp.Symbol("n", integer=True))
        start = inner["_offset"]
        values = []
        for i in range(count):
            value = expression.subs(symbol, start + i)
            if not value.is_Integer:
                value = sp.simplify(value)
            if not value.is_Integer:
                raise ValueError("not an integer")
            values.append(int(value))
        return values
    return evaluate(Description.model_validate(inner), count)


def _transformed_terms(spec, offset, count):
    needed = count - 1 if spec["transform"] in ("partial_sums", "products") else count
    inner = _inner_values(spec["inner"], max(needed, 0))
    return _transform_back(spec["transform"], spec["first"], inner, offset, count)


_TRANSFORM_WORDS = {
    "partial_sums": "a(n) = {first} + the sum over {offset} <= k < n of b(k), where b(n) = a(n + 1) - a(n) and {inner}",
    "binomial": "a(n) = the sum over 0 <= k <= n - {offset} of C(n - {offset}, k)·b({offset} + k) (binomial "
                "transform), where {inner}",
    "mobius": "a(n) = the sum over the divisors d of n of b(d), where {inner}",
    "products": "a(n) = {first}·the product over {offset} <= k < n of b(k), where b(n) = a(n + 1)/a(n) and {inner}",
}


TRANSFORM_BITS = choice_bits(len(TRANSFORMS) * (len(SIMPLE_FAMILIES) + 1))
"""The most parameters the choice of a transform and of b's family counts for."""


def guess_transform(terms: list[int], offset: int = 0) -> Description | None:
    """a(n) built by one of TRANSFORMS from b(n), b described by a closed form or a simple family."""
    from .guess import ClosedForm, guess_closed_form  # guess is imported by this module's callers first
    tried, stated = 0, []
    for transform in TRANSFORMS:
        inner_terms = _transform_inner(transform, terms, offset)
        if inner_terms is None or len(inner_terms) < 6:
            continue
        if len(set(inner_terms)) == 1 and transform in ("partial_sums", "products"):
            continue  # an arithmetic or geometric progression: a closed form of a itself
        # The closed-form search only where it may succeed (``transforms.closed_form_possible``: exact).
        candidates = [guess_closed_form(inner_terms, offset) if transforms.closed_form_possible(inner_terms, offset)
                      else None]
        # Partial sums of periodic values or differences are periodic differences or quasi-polynomials
        # of a itself, searched directly under their own (stricter) rules: not again through b.
        families = [f for f in SIMPLE_FAMILIES if transform != "partial_sums"
                    or f not in (guess_periodic, guess_periodic_differences)]
        candidates += [family(inner_terms, offset, reserve=TRANSFORM_BITS) if family is guess_characteristic
                       else family(inner_terms, offset) for family in families]
        for inner in candidates:
            tried += 1
            if not isinstance(inner, (Description, ClosedForm)):
                continue
            if isinstance(inner, ClosedForm) and inner.start is not None:
                continue
            inner_text = (inner.statement if isinstance(inner, Description)
                          else f"a(n) = {inner.expression}")
            inner_text = re.sub(r"\ba\(", "b(", inner_text)
            statement = _TRANSFORM_WORDS[transform].format(first=terms[0], offset=offset, inner=inner_text)
            dumped = inner.model_dump(mode="json") | ({"_offset": offset} if isinstance(inner, ClosedForm) else {})
            spec = {"transform": transform, "first": terms[0], "inner": dumped}
            extra = 1 if transform in ("partial_sums", "products") else 0
            found = _found("transform", statement, spec, offset, inner.fitted_on + extra, len(terms),
                           inner.parameters, terms, tried)
            if found:
                stated.append(found)
    # Every transform and inner family is asked: two that fit but disagree on the next terms cancel.
    survivors = [g for g in withdraw_conflicts(stated, terms, offset, evaluate) if isinstance(g, Description)]
    return survivors[0] if survivors else None


# --- programs --------------------------------------------------------------------------------------

def guess_program(terms: list[int], offset: int = 0) -> Description | None:
    """The smallest program (then first in enumeration order) that matches the prefix; stated only if
    it also matches the confirming terms. A failure there ends the search: no larger program is tried
    on the same data, which would be fitting on the held-out terms."""
    total = len(terms)
    for rank, (size, program, values) in enumerate(programs.bank(offset, total), start=1):
        # The program is one of ``rank`` tried, smallest first: its parameters are the bits that name it
        # among them (at least its size), so the confirmations grow with the log of the search.
        parameters = max(size, choice_bits(rank))
        fitted = total - parameters - MARGIN
        if fitted < parameters:
            return None
        if values[:fitted] != terms[:fitted]:
            continue
        if values != terms:
            return None
        spec = {"program": programs.show(program)}
        statement = f"a(n) = {programs.show(program)}"
        return Description(family="program", statement=statement, spec=spec, offset=offset, fitted_on=fitted,
                           checked_on=total, parameters=parameters)
    return None


def guess_summatory(terms: list[int], offset: int = 0) -> Description | None:
    """``summatory.guess_summatory`` (a(n) = c + sum of f(k), f multiplicative or an expression) as a Description."""
    return _described("summatory", summatory.guess_summatory(terms, offset), offset, terms)


def guess_expression(terms: list[int], offset: int = 0) -> Description | None:
    """The first term of the expression search (``expressions``) that the terms confirm, or None."""
    found = expressions.describe(terms, offset)
    return None if found is None else Description(family="expression", **found)


def guess_composed(terms: list[int], offset: int = 0) -> Description | None:
    """a(n) = E(B(n)) or B1(n + s1) op B2(n + s2) + c for classical sequences B (``composed``), or None."""
    return _described("composed", composed.describe(terms, offset), offset, terms)


_EVALUATORS: dict[str, Callable[[dict, int, int], list]] = {
    "periodic": _periodic_terms, "periodic_differences": _differences_terms, "quasi_polynomial": _quasi_terms,
    "digits": _digits_terms, "combination": _combination_terms, "transform": _transformed_terms,
    "program": _program_terms, "set_members": _members_terms, "triangle": _triangle_terms,
    "first_exception": _exception_terms, "characteristic": _characteristic_terms,
    "composition": _composition_terms, "multiplicative": multiplicative.terms_from, "beatty": constants.beatty_terms, "floor_power": constants.power_terms, "expansion": constants.expansion_terms,
    "expression": expressions.description_terms, "runs": runs.terms_from, "summatory": summatory.terms_from,
    "digit_set": digitsets.terms_from, "bank_set": predicate_bank.terms_from, "composed": composed.terms_from,
    "automatic": automatic.terms_from, "array": arrays.terms_from,
    "series_transform": lambda spec, offset, count: transforms.terms_from(
        spec, offset, count, lambda inner, size: evaluate(Description.model_validate(inner), size)),
}


FAMILIES: tuple[tuple[str, Callable[[list[int], int], Description | None]], ...] = (
    ("periodic", guess_periodic), ("periodic_differences", guess_periodic_differences),
    ("quasi_polynomial", guess_quasi_polynomial), ("digits", guess_digits), ("combination", guess_combination),
    ("transform", guess_transform), ("program", guess_program), ("set_members", guess_set_members),
    ("triangle", guess_triangle),
    ("characteristic", guess_characteristic),
    ("beatty", guess_beatty), ("floor_power", guess_floor_power), ("expansion", guess_expansion),
    ("composition", guess_composition), ("multiplicative", guess_multiplicative),
    ("expression", guess_expression), ("runs", guess_runs), ("summatory", guess_summatory),
    ("digit_set", guess_digit_set), ("bank_set", guess_bank_set), ("composed", guess_composed),
    ("automatic", guess_automatic),
    # late: where an older family also describes the terms (and agrees), its words are the ones stated
    ("array", guess_array),
    ("series_transform", lambda terms, offset=0: guess_series_transform(terms, offset)),
)


def guess_series_transform(terms: list[int], offset: int = 0) -> Description | None:
    """a = T(c), T a Superseeker-style transform (``transforms``), c a closed form or described by a
    cheap simple family (periodic, periodic differences, characteristic)."""
    def found(statement, spec, fitted, parameters, tried):
        return _found("series_transform", statement, spec, offset, fitted, len(terms), parameters, terms, tried)
    inner = [lambda c, start, bits: guess_periodic(c, start),
             lambda c, start, bits: guess_periodic_differences(c, start),
             lambda c, start, bits: guess_characteristic(c, start, reserve=bits)]
    return transforms.search(terms, offset, inner, found, evaluate)


def _ask_families(terms: list[int], offset: int, families) -> tuple[list[Description], list[Description]]:
    """(every family's description, the tied candidates of the families that report ties): the ties fit
    every term too, so the consensus weighs them against the others, but a tie is never stated itself (its
    family stated nothing: A358270 from 24 terms, "digitsum10(m) is even" and a reversal reading that agree on
    the next 12 members and part later, the first of them false at n = 45)."""
    answers: list[Description] = []
    ties: list[Description] = []
    for name, family in families:
        tied: list = []
        description = family(terms, offset, tied) if name in TIES_REPORTED else family(terms, offset)
        answers += [description] if description is not None else []
        ties += tied
    return answers, ties


def guess_description(terms: list[int], offset: int = 0, rivals: list | None = None) -> Description | NoGuess:
    """The first family (in the order of FAMILIES) that describes the terms, or what was searched.
    Every family is asked: when two descriptions fit but predict different next terms, neither is
    stated (``consensus``). ``rivals``, when given, receives every description that fits, withdrawn or
    not: each is evidence against a guess of another kind that predicts otherwise."""
    answers, ties = _ask_families(terms, offset, FAMILIES)
    if rivals is not None:
        rivals.extend(answers + ties)
    if answers:
        return withdraw_conflicts(answers + ties, terms, offset, evaluate)[0]
    if ties:
        return NoGuess(guesser="description", reason=f"{len(ties)} descriptions fit all {len(terms)} terms and the "
                       "data do not decide between them (their families state none)")
    if offset == 0 and len(terms) > 8 and (wrapped := guess_first_exception(terms)) is not None:
        return wrapped
    bounds = "; ".join(f"{name}: {expressions.bounds(len(terms)) if name == 'expression' else BOUNDS[name]}"
                       for name, _ in FAMILIES)  # the expression search's depth depends on the number of terms
    return NoGuess(guesser="description", reason=f"no description fits {len(terms)} terms (MARGIN = {MARGIN}; "
                   f"searched {bounds})")


NOT_ASKED_AFTER_EXCEPTION = ("transform", "program", "expression")
"""The families the first-exception reading does not ask (the slowest; the expression search reads a(0) as
an exception itself)."""


def guess_first_exception(terms: list[int]) -> Description | None:
    """a(0) alone an exception (a sequence read from n = 0 whose rule starts at n = 1): the families on
    a(1), a(2), ..., a(N - 1), and the first description that survives their consensus, with a(0) one more
    parameter (and one more fitted term). A family that fits on all its terms but its parameters plus
    MARGIN leaves no confirming term for that parameter: its description is then fitted again on one term
    fewer, a(1), ..., a(N - 2), and stated only when the family gives the same description there (whose
    first candidate must reproduce a(N - 1) too), so that the exception is paid for under the margin
    rule like any parameter; an increasing list so re-fitted must also pass ``predicate_bank.informative``
    (its confirming terms, weighted by the entropy of the list's density, carry the parameters plus
    MARGIN bits)."""
    asked = [(name, family) for name, family in FAMILIES if name not in NOT_ASKED_AFTER_EXCEPTION]
    answers, ties = _ask_families(terms[1:], 1, asked)
    survivors = [d for d in withdraw_conflicts(answers + ties, terms[1:], 1, evaluate)[:len(answers)]
                 if isinstance(d, Description)]
    if not survivors:
        return None
    inner = survivors[0]
    if not confirmed_enough(len(terms), inner.fitted_on + 1, inner.parameters + 1):
        refitted = dict(asked)[inner.family](terms[1:-1], 1)
        if refitted is None or refitted.spec != inner.spec:
            return None
        rest = terms[1:]
        if all(b > a for a, b in zip(rest, rest[1:])) and not predicate_bank.informative(
                rest, refitted.fitted_on, refitted.parameters + 1):
            # the re-fit leaves the fewest confirming terms the rule allows; a term of a dense list says
            # little, so they must carry the bits too (A255805 from 24 terms: 0, then 1..7, 9..15, 17..23,
            # 25, 26 are the cubefree numbers, and the numbers without a 0 among their base-8 digits)
            return None
        inner = refitted
    statement = f"a(0) = {terms[0]}, and for n >= 1: {inner.statement}"
    return _found("first_exception", statement, {"first": terms[0], "inner": inner.model_dump(mode="json")},
                  0, inner.fitted_on + 1, len(terms), inner.parameters + 1, terms)


RECURRENCE_ORDER, RECURRENCE_DEGREE = 7, 5
"""The P-recursive shapes ``guess_all`` searches: order <= 7, polynomial coefficients of degree <= 5 (each
shape only when the terms suffice to fit and confirm it; 24 terms reach order 7 with constant
coefficients, order 1 with degree 4, order 4 with degree 1)."""


def guess_all(terms: list[int], offset: int = 0) -> list:
    """Every guesser's answer (``guess``'s, then this module's): the algebraic guesser only runs when no
    rational function fits, and the further families only when no closed form does. It lives here,
    beside the families it calls last, so that ``guess`` does not import this module back. The answers go
    through the consensus rules (``consensus``), the last being ``consensus.flat_confirmation``: a guess
    fitted through every change of value of data that take at least three values, whose confirming terms
    all repeat one value, is withdrawn when it changes that value later."""
    rational = guess_rational_gf(terms)
    closed = guess_closed_form(terms, offset)
    answers = [closed, guess_recurrence(terms, offset, max_order=RECURRENCE_ORDER, max_degree=RECURRENCE_DEGREE), rational]
    if isinstance(rational, NoGuess):
        answers.append(guess_algebraic_gf(terms))
    rivals: list = []
    if isinstance(closed, NoGuess):
        answers.append(guess_description(terms, offset, rivals))
    # The descriptions withdrawn among themselves still fit every term: a recurrence or generating
    # function that predicts otherwise than one of them is withdrawn too (A342024: 1, 0, 0, 0 repeated
    # for 24 terms, "period 4" and "n is divisible by p^p for some prime p" part at n = 27).
    agreed = withdraw_conflicts(answers + rivals, terms, offset, evaluate)[:len(answers)]
    # A guess that only continues a tail the data turned regular late (A138836: 1, 1, 2, 4, 5, 6, 8, then
    # differences 1 for 18 terms, and a skip again at n = 29) is judged as "exceptions, then that rule".
    agreed = withdraw_regime_changes(agreed, terms, offset, evaluate)
    # A recurrence a(n + 6) = a(n) + 17 is "periodic differences" in other words: the periodic families'
    # rules apply to it (A198263, a Beatty sequence whose differences repeat 3, 3, 3, 3, 3, 2 for 24 terms).
    agreed = withdraw_unearned_periods(agreed, terms, offset, evaluate, _periodic_accepts, _decimal_period_claimed)
    # A rational g.f. whose denominator holds a 10th root of unity is a quasi-polynomial of period 10: the same
    # decimal claim in another form (A080719, linear in each class mod 10 up to n = 99).
    agreed = withdraw_decimal_roots(agreed, terms, offset)
    # A guess fitted through every change of value the data hold, "confirmed" by a run of one value (A365742:
    # pi(pi(n + 1) + 1) fitted on 12 terms through the step to 4, then twelve 4s; it steps at n = 28).
    return withdraw_by_next_terms(agreed, terms, offset, evaluate,
                                  lambda guess, predicted: flat_confirmation(guess, terms, offset, predicted))


def _periodic_accepts(terms: list[int], offset: int = 0) -> bool:
    return guess_periodic(terms, offset) is not None or guess_periodic_differences(terms, offset) is not None
