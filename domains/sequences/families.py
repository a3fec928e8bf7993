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
- ``partial_sums``: a(n) = a(n0) + sum_{k < n} b(k) where b, the first differences, has a description
  of one of the families above;
- ``program``: the smallest program of a small loop-and-arithmetic language (``programs``) that
  reproduces the fitted prefix.

A description is data (``spec``) that ``evaluate`` turns back into terms, so every claim can be checked
on terms it never saw.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Literal

import sympy as sp
from sympy.functions.combinatorial.numbers import partition

from . import programs
from .guess import MARGIN, Guess, NoGuess, confirmed_enough, required_terms

Family = Literal["periodic", "periodic_differences", "quasi_polynomial", "digits", "combination",
                 "partial_sums", "program"]


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
    "periodic": "period p and pre-period n0 with 2(n0 + p) + MARGIN <= N",
    "periodic_differences": "period p and pre-period n0 of the differences with 2(n0 + p + 1) + MARGIN <= N",
    "quasi_polynomial": "period 2..6, degree 1..3, 2·period·(degree + 1) + MARGIN <= N",
    "digits": "bases 2..10 for n + s (s in -1, 0, 1), weighted digit sums and digits mapped and read in "
              "bases 2..16, reversed or not",
    "partial_sums": "first differences described by one of the other families (not programs)",
    "program": "programs of the loop language up to size " + str(programs.MAX_SIZE),
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


def _partial_terms(spec, offset, count):
    inner = Description.model_validate(spec["inner"])
    differences = evaluate(inner, max(count - 1, 0))
    values = [spec["first"]]
    for d in differences[:count - 1]:
        values.append(values[-1] + d)
    return values[:count]


def _program_terms(spec, offset, count):
    return programs.run(programs.parse(spec["program"]), offset, count)


_EVALUATORS: dict[str, Callable[[dict, int, int], list]] = {
    "periodic": _periodic_terms, "periodic_differences": _differences_terms, "quasi_polynomial": _quasi_terms,
    "digits": _digits_terms, "combination": _combination_terms, "partial_sums": _partial_terms,
    "program": _program_terms,
}


def _found(family: Family, statement: str, spec: dict, offset: int, fitted: int, total: int, parameters: int,
           terms: list[int]) -> Description | None:
    """The description if it reproduces every term and enough of them lie beyond the fitted prefix."""
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


# --- periodic, periodic differences, quasi-polynomials ---------------------------------------------

def guess_periodic(terms: list[int], offset: int = 0) -> Description | None:
    """Eventually periodic values, fewest parameters (pre-period + period) first."""
    total = len(terms)
    for size in range(1, (total - MARGIN) // 2 + 1):
        for period in range(1, size + 1):
            head_length = size - period
            head, block = terms[:head_length], terms[head_length:size]
            spec = {"head": head, "period_values": block}
            statement = _periodic_statement(head, block, offset)
            found = _found("periodic", statement, spec, offset, size, total, size, terms)
            if found:
                return found
    return None


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
    for size in range(2, (total - MARGIN) // 2 + 1):  # size = head terms + period
        for period in range(1, size):
            head_length = size - period  # terms given before the periodic differences start
            head = terms[:head_length]
            block = differences[head_length - 1:head_length - 1 + period]
            if period == 1 and head_length == 1:
                continue  # an arithmetic progression: a polynomial of degree 1
            spec = {"head": head, "differences": block}
            statement = _differences_statement(head, block, offset)
            found = _found("periodic_differences", statement, spec, offset, size, total, size, terms)
            if found:
                return found
    return None


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
    for period, degree in shapes:
        fitted = period * (degree + 1)
        if not confirmed_enough(total, fitted, fitted):
            continue
        polys = []
        for residue_index in range(period):
            points = [(offset + residue_index + period * j, terms[residue_index + period * j])
                      for j in range(degree + 1)]
            poly = sp.Poly(sp.interpolate(points, sp.Symbol("n")), sp.Symbol("n"))
            coefficients = list(reversed(poly.all_coeffs()))
            polys.append([str(sp.Rational(c)) for c in coefficients])
        # index the polynomials by n mod period
        by_residue = [None] * period
        for residue_index, poly in enumerate(polys):
            by_residue[(offset + residue_index) % period] = poly
        if len({tuple(p) for p in by_residue}) == 1:
            continue  # one polynomial: found by the polynomial search
        spec = {"period": period, "polynomials": by_residue}
        statement = "a(n) = " + "; ".join(
            f"{_poly_text(p)} if n ≡ {r} (mod {period})" for r, p in enumerate(by_residue))
        found = _found("quasi_polynomial", statement, spec, offset, fitted, total, fitted, terms)
        if found:
            return found
    return None


def _poly_text(coefficients: list[str]) -> str:
    m = sp.Symbol("n")
    return str(sp.factor(sum(sp.Rational(c) * m**j for j, c in enumerate(coefficients))))


# --- digits ----------------------------------------------------------------------------------------

def digits_of(value: int, base: int) -> list[int]:
    """Base-b digits, least significant first; 0 has the single digit 0."""
    if value < 0:
        raise ValueError("negative")
    out = [value % base]
    value //= base
    while value:
        out.append(value % base)
        value //= base
    return out


def digit_function(spec: dict, index: int) -> int:
    digits = digits_of(index + spec["shift"], spec["base"])
    weights = spec["weights"]
    if spec["kind"] == "sum":
        return sum(weights[d] for d in digits)
    mapped = [weights[d] for d in digits]
    if spec["reverse"]:
        mapped.reverse()
    return sum(d * spec["read_base"] ** i for i, d in enumerate(mapped))


def guess_digits(terms: list[int], offset: int = 0) -> Description | None:
    """Digit sums with digit weights, and digits mapped then read in another base, for n + s."""
    total = len(terms)
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
                        spec = _digit_spec(terms, first, base, shift, kind, weights, read_base, reverse)
                        if spec is None:
                            continue
                        # Parameters: the base, read base and shift, plus the digit weights unless
                        # they are the digits themselves; fitted on the single-digit indices and the
                        # first two-digit one.
                        natural = spec["weights"] == list(range(base))
                        parameters = 3 + (0 if natural else base)
                        fitted = max(base - first, 0) + 1
                        statement = _digits_statement(spec)
                        found = _found("digits", statement, spec, offset, min(fitted, total), total, parameters,
                                       terms)
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


def _prime(m):
    return int(sp.prime(m))


CATALOGUE: dict[str, Callable[[int], int]] = {
    "n!": lambda m: int(sp.factorial(m)) if m >= 0 else _undefined(),
    "2^n": lambda m: 2**m if m >= 0 else _undefined(),
    "3^n": lambda m: 3**m if m >= 0 else _undefined(),
    "F(n)": lambda m: _fibonacci(m) if m >= 0 else _undefined(),
    "C(2n,n)": lambda m: int(sp.binomial(2 * m, m)) if m >= 0 else _undefined(),
    "prime(n)": lambda m: _prime(m) if m >= 1 else _undefined(),
    "d(n)": lambda m: int(sp.divisor_count(m)) if m >= 1 else _undefined(),
    "sigma(n)": lambda m: int(sp.divisor_sigma(m)) if m >= 1 else _undefined(),
    "phi(n)": lambda m: int(sp.totient(m)) if m >= 1 else _undefined(),
    "pi(n)": lambda m: int(sp.primepi(m)) if m >= 0 else _undefined(),
    "omega(n)": lambda m: int(sp.primenu(m)) if m >= 1 else _undefined(),
    "Omega(n)": lambda m: int(sp.primeomega(m)) if m >= 1 else _undefined(),
    "mu(n)": lambda m: int(sp.mobius(m)) if m >= 1 else _undefined(),
    "p(n)": lambda m: int(partition(m)) if m >= 0 else _undefined(),
}
"""Classical sequences a combination may use, by the name the statement shows."""
BOUNDS["combination"] = ("α·B(n + s) + β + γ·n, (β + γ·n)·B(n + s), B1(n + s) ± B2(n + s), s in -2..2, "
                         "α, β, γ rational; B among " + ", ".join(CATALOGUE))


def _undefined():
    raise ValueError("outside the domain")


@lru_cache(maxsize=None)
def _catalogue_value(name: str, m: int) -> int:
    return CATALOGUE[name](m)


def combination_value(spec: dict, index: int) -> int:
    m = index + spec["shift"]
    base = _catalogue_value(spec["basic"], m)
    alpha, beta, gamma = (Fraction(spec[key]) for key in ("alpha", "beta", "gamma"))
    if spec["form"] == "affine":
        value = alpha * base + beta + gamma * index
    elif spec["form"] == "product":
        value = (beta + gamma * index) * base
    else:
        value = base + alpha * _catalogue_value(spec["other"], m)
    if value.denominator != 1:
        raise ValueError("not an integer")
    return int(value)


def guess_combination(terms: list[int], offset: int = 0) -> Description | None:
    """The first catalogue combination (fewest parameters first) fitted on the first terms where it is
    defined and confirmed by the margin rule."""
    total = len(terms)
    names = list(CATALOGUE)
    candidates = []
    for form, fitted_count in (("affine", 2), ("product", 1), ("affine", 3), ("product", 2)):
        for name in names:
            for shift in (0, 1, -1, 2, -2):
                candidates.append((form, fitted_count, name, shift, None))
    for first in names:
        for second in names:
            if first < second:
                for shift in (0, 1, -1):
                    for sign in (1, -1):
                        candidates.append(("pair", 0, first, shift, (second, sign)))
    for form, fitted_count, name, shift, pair in candidates:
        try:
            values = [_catalogue_value(name, offset + i + shift) for i in range(total)]
            others = [_catalogue_value(pair[0], offset + i + shift) for i in range(total)] if pair else None
        except ValueError:
            continue
        spec = _fit_combination(form, fitted_count, name, shift, pair, values, others, terms, offset)
        if spec is None:
            continue
        # Parameters: the fitted coefficients, plus two for the choice of sequence and shift.
        parameters = fitted_count + 2
        fitted = max(fitted_count, 1)
        found = _found("combination", _combination_statement(spec), spec, offset, fitted, total, parameters,
                       terms)
        if found:
            return found
    return None


def _fit_combination(form, count, name, shift, pair, values, others, terms, offset):
    spec = {"form": form, "basic": name, "shift": shift, "alpha": "0", "beta": "0", "gamma": "0"}
    if form == "pair":
        spec.update(form="pair", other=pair[0], alpha=str(pair[1]))
        return spec
    if form == "affine":
        unknowns = [values, [1] * len(values)] + ([[offset + i for i in range(len(values))]] if count == 3 else [])
    else:
        unknowns = [values] + ([[(offset + i) * v for i, v in enumerate(values)]] if count == 2 else [])
    matrix = sp.Matrix([[column[i] for column in unknowns] for i in range(count)])
    if matrix.det() == 0:
        return None
    solution = matrix.solve(sp.Matrix(terms[:count]))
    keys = ("alpha", "beta", "gamma") if form == "affine" else ("beta", "gamma")
    for key, value in zip(keys, solution):
        spec[key] = str(sp.Rational(value))
    if form == "affine" and spec["alpha"] == "0":
        return None
    if form == "product" and spec["beta"] == "0" and spec["gamma"] == "0":
        return None
    return spec


def _combination_statement(spec) -> str:
    m = "n" if spec["shift"] == 0 else f"n {'+' if spec['shift'] > 0 else '-'} {abs(spec['shift'])}"
    basic = spec["basic"].replace("(n)", f"({m})").replace("^n", f"^({m})").replace("n!", f"({m})!") \
        .replace("C(2n,n)", f"C(2({m}), {m})")
    nsym = sp.Symbol("n")
    if spec["form"] == "pair":
        other = spec["other"].replace("(n)", f"({m})").replace("^n", f"^({m})").replace("n!", f"({m})!") \
            .replace("C(2n,n)", f"C(2({m}), {m})")
        return f"a(n) = {basic} {'+' if spec['alpha'] == '1' else '-'} {other}"
    alpha, beta, gamma = (sp.Rational(spec[key]) for key in ("alpha", "beta", "gamma"))
    if spec["form"] == "affine":
        rest = sp.expand(beta + gamma * nsym)
        scale = "" if alpha == 1 else ("-" if alpha == -1 else f"{alpha}·")
        tail = "" if rest == 0 else (f" - {-rest}" if (rest.is_number and rest < 0) else f" + {rest}")
        return f"a(n) = {scale}{basic}{tail}"
    factor = sp.factor(beta + gamma * nsym)
    return f"a(n) = {basic}" if factor == 1 else f"a(n) = ({factor})·{basic}"


# --- partial sums ----------------------------------------------------------------------------------

def guess_partial_sums(terms: list[int], offset: int = 0) -> Description | None:
    """a(n) = a(n0) + the sum of the differences, when the differences have a description of their own
    (found and confirmed on the N - 1 differences: one parameter more, a(n0))."""
    differences = [b - a for a, b in zip(terms, terms[1:])]
    if len(differences) < 4:
        return None
    for family in SIMPLE_FAMILIES:
        inner = family(differences, offset)
        if inner is None:
            continue
        parameters = inner.parameters + 1
        inner_text = re.sub(r"\ba\(", "b(", inner.statement)
        statement = (f"a(n) = {terms[0]} + the sum over {offset} <= k < n of b(k), where b(n) = a(n + 1) - a(n) "
                     f"and {inner_text}")
        spec = {"first": terms[0], "inner": inner.model_dump(mode="json")}
        found = _found("partial_sums", statement, spec, offset, inner.fitted_on + 1, len(terms), parameters,
                       terms)
        if found:
            return found
    return None


SIMPLE_FAMILIES = (guess_periodic, guess_periodic_differences, guess_quasi_polynomial, guess_digits,
                   guess_combination)


# --- programs --------------------------------------------------------------------------------------

def guess_program(terms: list[int], offset: int = 0) -> Description | None:
    """The smallest program (then first in enumeration order) that matches the prefix; stated only if
    it also matches the confirming terms. A failure there ends the search: no larger program is tried
    on the same data, which would be fitting on the held-out terms."""
    total = len(terms)
    for size, program, values in programs.bank(offset, total):
        parameters = size
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


FAMILIES: tuple[tuple[str, Callable[[list[int], int], Description | None]], ...] = (
    ("periodic", guess_periodic), ("periodic_differences", guess_periodic_differences),
    ("quasi_polynomial", guess_quasi_polynomial), ("digits", guess_digits), ("combination", guess_combination),
    ("partial_sums", guess_partial_sums), ("program", guess_program),
)


def guess_description(terms: list[int], offset: int = 0) -> Description | NoGuess:
    """The first family (in the order of FAMILIES) that describes the terms, or what was searched."""
    for _, family in FAMILIES:
        found = family(terms, offset)
        if found is not None:
            return found
    bounds = "; ".join(f"{name}: {BOUNDS[name]}" for name, _ in FAMILIES)
    return NoGuess(guesser="description", reason=f"no description fits {len(terms)} terms (MARGIN = {MARGIN}; "
                   f"searched {bounds})")


def needed_for(parameters: int, fitted: int) -> int:
    return required_terms(fitted, parameters)
