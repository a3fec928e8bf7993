"""Sequences read off well-known real constants, computed exactly: Beatty sequences and Sturmian words,
integer parts of powers, and the base-b digits and continued-fraction terms of constants.

Families (each candidate is a fixed formula; nothing real-valued is fitted):
- ``beatty``: a(n) = floor((n + s)·α + β) + k·n + c, α one of ``beatty_alphas()`` (fractional parts of
  sqrt(d), φ, e, π, ... and of their reciprocals and Beatty complements α/(α - 1)), s in {0, 1},
  β in {0, 1/2}; k and c integers fitted on the first two terms. The complement of the Beatty
  sequence of α > 1 is the Beatty sequence of α/(α - 1), so complements are candidates too. The
  Sturmian word of the same α (a(n) = floor((n + 1 + s)·α + β) - floor((n + s)·α + β) + c) is the
  same candidate read as differences.
- ``floor_power``: a(n) = floor(r^(n + s)), ceil or round, r a small rational (3/2, 4/3, ...) or a
  constant (φ, sqrt(2), e, π, ...), s in {0, 1}.
- ``expansion``: the digits of a constant in base 10 (and bases 2..9 and 16 for the best-known ones),
  from its leading non-zero digit, or the terms of its continued fraction.

Exactness: every value is computed with mpmath at a working precision plus guard digits and the
computation is repeated at a higher precision; a value the two disagree on, or a real number closer
to an integer than the guard allows, raises ValueError, so no claim rests on a rounding.

Search discipline (as ``predicates.search``): candidates in a fixed order, simplest first; the r-th
counts ``choice_bits(r)`` parameters on top of its fitted ones; the first candidate that matches the
fitted prefix (all terms but the parameters and the margin) must match every given term, else
nothing is stated; another candidate at most ``RIVAL_GAP`` bits longer that also matches every term
but predicts different next terms cancels it.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Callable, Iterable

import mpmath

from .guess import MARGIN, RIVAL_GAP, Answer, choice_bits

AHEAD = 12
"""Next terms compared between rival candidates (``consensus.AHEAD``; not imported, to keep this module
below ``consensus``)."""
GUARD_DIGITS = 30
"""Digits beyond those the values need; a value within 10^-GUARD_DIGITS of an integer is undecided."""

_BASE_CONSTANTS: tuple[tuple[str, Callable[[], mpmath.mpf]], ...] = (
    ("sqrt(2)", lambda: mpmath.sqrt(2)), ("φ = (1 + sqrt(5))/2", lambda: mpmath.phi),
    ("sqrt(3)", lambda: mpmath.sqrt(3)), ("e", lambda: mpmath.e), ("π", lambda: mpmath.pi),
    ("sqrt(5)", lambda: mpmath.sqrt(5)), ("sqrt(6)", lambda: mpmath.sqrt(6)), ("sqrt(7)", lambda: mpmath.sqrt(7)),
    ("sqrt(8)", lambda: mpmath.sqrt(8)), ("sqrt(10)", lambda: mpmath.sqrt(10)),
    ("sqrt(11)", lambda: mpmath.sqrt(11)), ("sqrt(12)", lambda: mpmath.sqrt(12)),
    ("sqrt(13)", lambda: mpmath.sqrt(13)), ("2^(1/3)", lambda: mpmath.cbrt(2)), ("3^(1/3)", lambda: mpmath.cbrt(3)),
    ("log(2)", lambda: mpmath.log(2)), ("log(3)", lambda: mpmath.log(3)), ("log(10)", lambda: mpmath.log(10)),
    ("log2(3)", lambda: mpmath.log(3) / mpmath.log(2)), ("log10(2)", lambda: mpmath.log10(2)),
)
"""Constants of the Beatty and power families, in the order searched."""


def _beatty_transforms(name: str, value) -> list[tuple[str, object]]:
    out = [(name, value), (f"1/{name}", 1 / value)]
    if value > 1:
        out.append((f"{name}/({name} - 1)", value / (value - 1)))
    else:
        out.append((f"1/(1 - {name})", 1 / (1 - value)))
    out += [(f"2·{name}", 2 * value), (f"{name}/2", value / 2)]
    return out


@lru_cache(maxsize=4)
def beatty_alphas(dps: int = 60) -> tuple[tuple[str, object], ...]:
    """(name, α) in the order searched, α irrational, distinct fractional parts (first kept)."""
    out, seen = [], []
    with mpmath.workdps(dps):
        for name, constant in _BASE_CONSTANTS:
            for label, alpha in _beatty_transforms(name, constant()):
                fraction = alpha - mpmath.floor(alpha)
                if any(abs(fraction - f) < mpmath.mpf(10) ** (-20) for f in seen):
                    continue
                seen.append(fraction)
                out.append((label, +alpha))
    return tuple(out)


def _floor_exact(values: Callable[[int], Iterable], count: int, what: str) -> list[int]:
    """Floors of the reals ``values(dps)`` computes, at two precisions; ValueError if undecided."""
    results = []
    for dps in (40 + GUARD_DIGITS, 80 + 2 * GUARD_DIGITS):
        with mpmath.workdps(dps):
            floors = []
            for v in values(dps):
                f = mpmath.floor(v)
                if v - f < mpmath.mpf(10) ** (-GUARD_DIGITS) or f + 1 - v < mpmath.mpf(10) ** (-GUARD_DIGITS):
                    raise ValueError(f"{what}: a value too close to an integer to decide")
                floors.append(int(f))
            results.append(floors)
    if results[0] != results[1]:
        raise ValueError(f"{what}: precisions disagree")
    return results[0][:count]


# --- Beatty sequences and Sturmian words -----------------------------------------------------------

BEATTY_MODES = ((0, "0"), (1, "0"), (0, "1/2"), (1, "1/2"))
"""(s, β): the index shift and the intercept."""


@lru_cache(maxsize=1 << 12)
def beatty_column(alpha_index: int, shift: int, beta: str, first: int, count: int) -> tuple[int, ...]:
    """floor((m + s)·α + β) for m = first, ..., first + count - 1 (exact, see ``_floor_exact``)."""
    name = beatty_alphas()[alpha_index][0]

    def values(dps):
        alpha = beatty_alphas(dps)[alpha_index][1]
        b = mpmath.mpf(Fraction(beta).numerator) / Fraction(beta).denominator
        return [(m + shift) * alpha + b for m in range(first, first + count)]
    if first + shift <= 0 and beta == "0":
        # floor(0·α) = 0 exactly; the guard would call it undecided
        head = [0] if first + shift == 0 else []
        rest = _floor_exact(lambda dps: values(dps)[len(head):], count - len(head), name) if count > len(head) else []
        return tuple(head + rest)
    return tuple(_floor_exact(values, count, name))


def beatty_terms(spec: dict, offset: int, count: int) -> list[int]:
    """The terms a Beatty/Sturmian spec gives from n = offset."""
    index = next(i for i, (name, _) in enumerate(beatty_alphas()) if name == spec["alpha"])
    k, c = spec["k"], spec["c"]
    if spec["kind"] == "floor":
        column = beatty_column(index, spec["shift"], spec["beta"], offset, count)
        return [v + k * (offset + i) + c for i, v in enumerate(column)]
    column = beatty_column(index, spec["shift"], spec["beta"], offset, count + 1)
    return [b - a + c for a, b in zip(column, column[1:])]


def beatty_statement(spec: dict) -> str:
    argument = "n" if spec["shift"] == 0 else "(n + 1)"
    inside = f"{argument}·α" + ("" if spec["beta"] == "0" else f" + {spec['beta']}")
    alpha = f"α = {spec['alpha']}"
    if spec["kind"] == "floor":
        k, c = spec["k"], spec["c"]
        tail = (f" + {k}n" if k > 1 else " + n" if k == 1 else " - n" if k == -1 else f" - {-k}n" if k < 0 else "") + (f" + {c}" if c > 0 else f" - {-c}" if c < 0 else "")
        return f"a(n) = floor({inside}){tail}, {alpha} (a Beatty sequence)"
    following = ("(n + 1)" if spec["shift"] == 0 else "(n + 2)") + "·α" + ("" if spec["beta"] == "0" else f" + {spec['beta']}")
    tail = f" + {spec['c']}" if spec["c"] > 0 else (f" - {-spec['c']}" if spec["c"] < 0 else "")
    return f"a(n) = floor({following}) - floor({inside}){tail}, {alpha} (a Sturmian word)"


def _beatty_candidates(kind: str) -> list[tuple[int, int, str]]:
    return [(index, shift, beta) for index in range(len(beatty_alphas())) for shift, beta in BEATTY_MODES]


PREFIX = 16
"""Terms of a candidate computed first (``choose``'s ``first_values``): most candidates differ from the
data there, and are skipped without computing the terms of a long list at two precisions."""
BEATTY_FITTED = {"floor": 2, "sturmian": 1}
"""Integers fitted on the first terms: k and c for a Beatty sequence, c for a Sturmian word."""


def guess_beatty(terms: list[int], offset: int = 0, ambiguous: list | None = None) -> Answer | None:
    """The Answer (spec, statement, fitted, parameters) of the first Beatty sequence or Sturmian word that matches,
    or None. A Beatty sequence's differences take two consecutive values, a Sturmian word's values do."""
    total = len(terms)
    if total < 12:
        return None
    differences = [b - a for a, b in zip(terms, terms[1:])]
    if len(set(differences)) == 2 and max(differences) - min(differences) == 1:
        kind = "floor"
    elif len(set(terms)) == 2 and max(terms) - min(terms) == 1:
        kind = "sturmian"
    else:
        return None
    fitted_count = BEATTY_FITTED[kind]
    rival = periodic_rival_size(differences if kind == "floor" else terms)

    def predict(candidate, count):
        index, shift, beta = candidate
        name = beatty_alphas()[index][0]
        if kind == "floor":
            column = beatty_column(index, shift, beta, offset, count)
            k = (terms[1] - column[1]) - (terms[0] - column[0])
            c = terms[0] - column[0] - k * offset
            spec = {"kind": "floor", "alpha": name, "shift": shift, "beta": beta, "k": k, "c": c}
        else:
            column = beatty_column(index, shift, beta, offset, count + 1)
            c = terms[0] - (column[1] - column[0])
            spec = {"kind": "sturmian", "alpha": name, "shift": shift, "beta": beta, "k": 0, "c": c}
        return spec, beatty_terms(spec, offset, count)
    prefix = min(PREFIX, total)

    def first_values(candidate):
        # The candidate's first terms from a short column: the same exact values, each computed alone
        # at the same precisions (a value undecided here is undecided in the full column too, which
        # ``predict`` would refuse). A generator, so that ``choose`` sees the ValueError it may raise.
        index, shift, beta = candidate
        if kind == "floor":
            column = beatty_column(index, shift, beta, offset, prefix)
            k = (terms[1] - column[1]) - (terms[0] - column[0])
            c = terms[0] - column[0] - k * offset
            yield from (v + k * (offset + i) + c for i, v in enumerate(column))
        else:
            column = beatty_column(index, shift, beta, offset, prefix + 1)
            c = terms[0] - (column[1] - column[0])
            yield from (b - a + c for a, b in zip(column, column[1:]))
    found = choose(terms, _beatty_candidates(kind), predict, fitted_count, ambiguous=ambiguous,
                   first_values=first_values)
    if found is None:
        return None
    spec, fitted, parameters = found
    if rival is not None and parameters + RIVAL_GAP >= rival:
        # The word is also periodic after a short head, i.e. the word of a rational slope p/q (a
        # convergent of α) with a few exceptions: floor(n·π) and floor(22n/7) agree up to n = 56. The
        # rival is not much longer, so the data do not decide (the consensus rule between families).
        return None
    return Answer(spec, beatty_statement(spec), fitted, parameters)


def periodic_rival_size(word: list[int]) -> int | None:
    """The fewest parameters of an eventually periodic description of ``word``, counted as the periodic
    families count them (head + period + 1), among those whose period comes back at least twice; None
    when the word has none."""
    best = None
    for head in range(len(word)):
        for period in range(1, (len(word) - head) // 2 + 1):
            if all(word[i + period] == word[i] for i in range(head, len(word) - period)):
                size = head + period + 1
                best = size if best is None else min(best, size)
                break
        if best is not None and head + 2 > best:
            break
    return best


# --- integer parts of powers -----------------------------------------------------------------------

_RATIONAL_BASES = ("3/2", "4/3", "5/3", "5/4", "7/4", "5/2", "7/5", "8/5", "9/5", "7/3", "6/5", "9/4", "9/8",
                   "10/9", "11/10")
_POWER_CONSTANTS = ("sqrt(2)", "φ = (1 + sqrt(5))/2", "sqrt(3)", "e", "π", "sqrt(5)", "2^(1/3)", "1 + sqrt(2)",
                    "2 + sqrt(3)")
ROUNDINGS = ("floor", "ceil", "round")


def _power_base(name: str):
    if "/" in name and not any(ch.isalpha() or ch in "(√φπ" for ch in name):
        p, q = name.split("/")
        return Fraction(int(p), int(q))
    table = dict(_BASE_CONSTANTS) | {"1 + sqrt(2)": lambda: 1 + mpmath.sqrt(2), "2 + sqrt(3)": lambda: 2 + mpmath.sqrt(3)}
    return table[name]


def power_candidates() -> list[tuple[str, str, int]]:
    return [(base, rounding, shift) for base in _RATIONAL_BASES + _POWER_CONSTANTS for rounding in ROUNDINGS
            for shift in (0, 1)]


@lru_cache(maxsize=1 << 10)
def power_terms_cached(base: str, rounding: str, shift: int, first: int, count: int) -> tuple[int, ...]:
    exponents = [m + shift for m in range(first, first + count)]
    if any(e < 0 for e in exponents):
        raise ValueError("negative exponent")
    value = _power_base(base)
    if isinstance(value, Fraction):
        out = []
        for e in exponents:
            p, q = value.numerator ** e, value.denominator ** e
            down = p // q
            out.append(down if rounding == "floor" else down + (p % q != 0) if rounding == "ceil"
                       else (2 * p + q) // (2 * q))
        return tuple(out)
    largest = max(exponents, default=0)
    positive = [e for e in exponents if e > 0]  # r^0 = 1 exactly: no rounding question

    def values(dps):
        with mpmath.workdps(dps + largest):
            r = value()
            shifted = {"floor": 0, "ceil": 0, "round": mpmath.mpf(1) / 2}[rounding]
            return [r ** e + shifted for e in positive]
    floors = iter(_floor_exact(values, len(positive), base) if positive else [])
    return tuple(1 if e == 0 else next(floors) + (rounding == "ceil") for e in exponents)


def power_statement(spec: dict) -> str:
    exponent = "n" if spec["shift"] == 0 else "n + 1"
    base = spec["base"]
    shown = f"({base})" if any(ch in base for ch in "/ +") else base
    return f"a(n) = {spec['rounding']}({shown}^({exponent}))"


def power_terms(spec: dict, offset: int, count: int) -> list[int]:
    return list(power_terms_cached(spec["base"], spec["rounding"], spec["shift"], offset, count))


def guess_power(terms: list[int], offset: int = 0, ambiguous: list | None = None) -> Answer | None:
    """floor/ceil/round of r^(n + s); terms positive and growing like a geometric progression."""
    total = len(terms)
    if total < 12 or terms[-1] < 8 or any(t < 0 for t in terms) or any(b < a for a, b in zip(terms, terms[1:])):
        return None

    def predict(candidate, count):
        base, rounding, shift = candidate
        spec = {"base": base, "rounding": rounding, "shift": shift}
        return spec, power_terms(spec, offset, count)
    prefix = min(PREFIX, total)

    def first_values(candidate):
        # The first terms alone: exact for rational bases; for the others computed and checked at two
        # precisions as in the full list (whose precision grows with the largest exponent). Where they
        # are undecided here, nothing is yielded and ``choose`` asks the full computation.
        try:
            values = power_terms_cached(*candidate, offset, prefix)
        except ValueError:
            return
        yield from values
    found = choose(terms, power_candidates(), predict, 0, ambiguous=ambiguous, first_values=first_values)
    if found is None:
        return None
    spec, fitted, parameters = found
    return Answer(spec, power_statement(spec), fitted, parameters)


# --- digits and continued fractions of constants ---------------------------------------------------

def _expansion_constants() -> list[tuple[str, Callable[[], object]]]:
    named = [("π", lambda: mpmath.pi), ("e", lambda: mpmath.e), ("φ = (1 + sqrt(5))/2", lambda: mpmath.phi),
             ("sqrt(2)", lambda: mpmath.sqrt(2)), ("sqrt(3)", lambda: mpmath.sqrt(3)),
             ("log(2)", lambda: mpmath.log(2)), ("Euler's γ", lambda: mpmath.euler),
             ("log(10)", lambda: mpmath.log(10)), ("log(3)", lambda: mpmath.log(3)),
             ("2^(1/3)", lambda: mpmath.cbrt(2)), ("ζ(3)", lambda: mpmath.zeta(3)),
             ("Catalan's constant", lambda: mpmath.catalan), ("π^2", lambda: mpmath.pi ** 2),
             ("1/π", lambda: 1 / mpmath.pi), ("1/e", lambda: 1 / mpmath.e), ("π/2", lambda: mpmath.pi / 2),
             ("2π", lambda: 2 * mpmath.pi), ("π/4", lambda: mpmath.pi / 4), ("sqrt(π)", lambda: mpmath.sqrt(mpmath.pi)),
             ("e^π", lambda: mpmath.exp(mpmath.pi)), ("π^e", lambda: mpmath.pi ** mpmath.e),
             ("e^2", lambda: mpmath.e ** 2), ("sqrt(e)", lambda: mpmath.sqrt(mpmath.e)),
             ("log(π)", lambda: mpmath.log(mpmath.pi)), ("log10(2)", lambda: mpmath.log10(2)),
             ("log2(3)", lambda: mpmath.log(3) / mpmath.log(2)), ("π^2/6", lambda: mpmath.pi ** 2 / 6),
             ("1/log(2)", lambda: 1 / mpmath.log(2)), ("1/φ", lambda: 1 / mpmath.phi), ("e^γ", lambda: mpmath.exp(mpmath.euler)),
             ("Khinchin's constant", lambda: mpmath.khinchin), ("Glaisher's constant", lambda: mpmath.glaisher),
             ("ζ(5)", lambda: mpmath.zeta(5)), ("π^3", lambda: mpmath.pi ** 3), ("e/π", lambda: mpmath.e / mpmath.pi),
             ("π/e", lambda: mpmath.pi / mpmath.e), ("sqrt(2π)", lambda: mpmath.sqrt(2 * mpmath.pi)),
             ("3^(1/3)", lambda: mpmath.cbrt(3))]
    names = {name for name, _ in named}
    for d in range(2, 101):
        if int(d ** 0.5 + 0.5) ** 2 != d and f"sqrt({d})" not in names:
            named.append((f"sqrt({d})", lambda d=d: mpmath.sqrt(d)))
    for d in range(2, 31):
        if round(d ** (1 / 3)) ** 3 != d and f"{d}^(1/3)" not in names:
            named.append((f"{d}^(1/3)", lambda d=d: mpmath.cbrt(d)))
    for d in (2, 3, 5, 6, 7, 10):
        named.append((f"{d}^(1/4)", lambda d=d: mpmath.root(d, 4)))
    for d in range(5, 11):
        named.append((f"log({d})", lambda d=d: mpmath.log(d)))
    return named


EXPANSION_CONSTANTS = _expansion_constants()
OTHER_BASES = (2, 3, 4, 5, 6, 7, 8, 9, 16)
OTHER_BASE_CONSTANTS = 8
"""The first constants of EXPANSION_CONSTANTS are also searched in OTHER_BASES."""


def expansion_candidates() -> list[tuple[str, int]]:
    """(constant, base) for digits, (constant, 0) for continued-fraction terms; base-10 digits and
    continued fractions of every constant first, then other bases of the best-known ones."""
    out = [(name, kind) for name, _ in EXPANSION_CONSTANTS for kind in (10, 0)]
    out += [(name, base) for name, _ in EXPANSION_CONSTANTS[:OTHER_BASE_CONSTANTS] for base in OTHER_BASES]
    return out


@lru_cache(maxsize=1 << 10)
def expansion_values(name: str, base: int, count: int) -> tuple[int, ...]:
    """The first ``count`` digits (base >= 2; from the leading non-zero digit) or continued-fraction terms
    (base 0) of the constant, checked at two precisions."""
    constant = dict(EXPANSION_CONSTANTS)[name]
    results = []
    for extra in (GUARD_DIGITS, 3 * GUARD_DIGITS):
        dps = 3 * count + extra
        with mpmath.workdps(dps):
            value = constant()
            results.append(_continued_fraction(value, count) if base == 0 else _digits(value, base, count))
    if results[0] != results[1]:
        raise ValueError(f"{name}: precisions disagree")
    return tuple(results[0])


def _digits(value, base: int, count: int) -> list[int]:
    position = 0
    while value >= base:
        value /= base
        position += 1
    while value < 1:
        value *= base
    out = []
    for _ in range(count):
        digit = int(mpmath.floor(value))
        out.append(digit)
        value = (value - digit) * base
    return out


def _continued_fraction(value, count: int) -> list[int]:
    out = []
    for _ in range(count):
        term = mpmath.floor(value)
        out.append(int(term))
        rest = value - term
        if rest < mpmath.mpf(10) ** (-GUARD_DIGITS):
            raise ValueError("continued fraction ends within the precision")
        value = 1 / rest
    return out


def _first_expansion_values(candidate: tuple[str, int], count: int):
    """The candidate's first ``count`` digits or terms, at the precisions ``expansion_values`` uses for
    that many (both agree, so they are the constant's); nothing when those disagree, so that ``choose``
    asks the full computation, at its own precisions, rather than skip the candidate."""
    try:
        values = expansion_values(candidate[0], candidate[1], count)
    except ValueError:
        return
    yield from values


def expansion_statement(spec: dict) -> str:
    if spec["base"] == 0:
        return f"a(n) = the n-th term of the continued fraction of {spec['constant']} (from its integer part)"
    where = "decimal" if spec["base"] == 10 else f"base-{spec['base']}"
    return f"a(n) = the {where} digits of {spec['constant']}, from its leading non-zero digit"


def expansion_terms(spec: dict, offset: int, count: int) -> list[int]:
    return list(expansion_values(spec["constant"], spec["base"], count))


def guess_expansion(terms: list[int], offset: int = 0, ambiguous: list | None = None) -> Answer | None:
    """Digits (all terms in 0..base - 1, the first non-zero) or continued-fraction terms (all >= 1 after
    the first) of a constant of EXPANSION_CONSTANTS."""
    total = len(terms)
    if total < 12 or min(terms) < 0:
        return None
    digits_possible = terms[0] > 0 and max(terms) <= 15
    fraction_possible = all(t >= 1 for t in terms[1:])
    if not digits_possible and not fraction_possible:
        return None
    candidates = [(name, base) for name, base in expansion_candidates()
                  if (base == 0 and fraction_possible) or (base > 0 and digits_possible and max(terms) < base)]

    def predict(candidate, count):
        name, base = candidate
        spec = {"constant": name, "base": base}
        return spec, expansion_terms(spec, offset, count)
    # The candidates kept depend on the terms only through the range of their values, which any
    # sequence of that range shares; the rank counts among all candidates of the full list.
    ranks = {c: i for i, c in enumerate(expansion_candidates(), start=1)}
    found = choose(terms, candidates, predict, 0, rank_of=lambda c: ranks[c], ambiguous=ambiguous,
                   first_values=lambda c: _first_expansion_values(c, min(PREFIX, total)))
    if found is None:
        return None
    spec, fitted, parameters = found
    return Answer(spec, expansion_statement(spec), fitted, parameters)


# --- the common search -----------------------------------------------------------------------------

def _starts_with(values, prefix: list[int]) -> bool:
    """Whether the lazily computed ``values`` begin with ``prefix``; stops at the first difference."""
    try:
        for value, term in zip(values, prefix):
            if value != term:
                return False
    except (ValueError, ZeroDivisionError, OverflowError):
        return False
    return True


def choose(terms: list[int], candidates: list, predict: Callable, fitted_parameters: int,
           rank_of: Callable | None = None, ambiguous: list | None = None,
           first_values: Callable | None = None) -> tuple[dict, int, int] | None:
    """(spec, fitted, parameters) of the first candidate that matches the fitted prefix, when it matches
    every term and no rival at most RIVAL_GAP bits longer matches every term but predicts otherwise.
    ``predict(candidate, count)`` gives (spec, the first count terms) or raises ValueError. When a
    rival cancels the choice, both go to ``ambiguous`` (as (spec, fitted, parameters)): each still fits
    every term, and is evidence against a description of another family that predicts otherwise.
    ``first_values(candidate)``, where given, yields the same terms lazily: a candidate whose first
    terms already differ from those it must match is skipped without computing the rest, which is
    what ``predict`` would have led to, only cheaper where terms are costly."""
    total = len(terms)
    chosen = None
    for position, candidate in enumerate(candidates, start=1):
        rank = rank_of(candidate) if rank_of else position
        parameters = choice_bits(rank) + fitted_parameters
        if chosen is not None and parameters > chosen[2] + RIVAL_GAP:
            break
        fitted = total - parameters - MARGIN
        if chosen is None and fitted < max(2, fitted_parameters + 1):
            return None
        if first_values is not None and not _starts_with(first_values(candidate),
                                                         terms[:fitted] if chosen is None else terms):
            continue
        try:
            spec, values = predict(candidate, total + AHEAD)
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        if chosen is None:
            if values[:fitted] != terms[:fitted]:
                continue
            if values[:total] != terms:
                return None
            chosen = (spec, fitted, parameters, values[total:])
            continue
        if values[:total] == terms and values[total:] != chosen[3]:
            if ambiguous is not None:
                ambiguous += [chosen[:3], (spec, total - parameters - MARGIN, parameters)]
            return None
    return chosen[:3] if chosen else None
