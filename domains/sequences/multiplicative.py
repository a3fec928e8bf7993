"""Multiplicative functions given by their values at prime powers: a(1) = 1 and
a(p1^e1 · ... · pk^ek) = F(p1, e1) · ... · F(pk, ek), F from a fixed list of forms.

Forms (``FORMS``, simplest first): h(p)·p^g(e) with g(e) one of e, e - 1, floor(e/2), ceil(e/2),
floor(e/3), ceil(e/3), ceil(e/4), 1, 0, 2e, e + 1, and h(p) one of 1, p - 1, p + 1, 1 - p, -1, 2,
p - 2; and c·p^e + d, (p^(e+1) - 1)/(p - 1) ± ..., e + 1, 2^e, e, 2e + 1, (-1)^e, ... (see ``FORMS``).
The r-th form counts ``choice_bits(r)`` parameters; the search is ``constants.choose``: the first form
that reproduces the fitted prefix must reproduce every term, and a form at most ``RIVAL_GAP`` bits
longer that reproduces every term but predicts other next terms cancels it (e.g. rad(n) = ∏ p and
∏ p^ceil(e/4) agree below 32).
"""

from __future__ import annotations

from typing import Callable

from . import constants
from .guess import Answer
from .predicates import factor

_EXPONENTS: tuple[tuple[str, Callable[[int], int]], ...] = (
    ("e", lambda e: e), ("e - 1", lambda e: e - 1), ("floor(e/2)", lambda e: e // 2),
    ("ceil(e/2)", lambda e: (e + 1) // 2), ("1", lambda e: 1), ("0", lambda e: 0), ("floor(e/3)", lambda e: e // 3),
    ("ceil(e/3)", lambda e: (e + 2) // 3), ("ceil(e/4)", lambda e: (e + 3) // 4), ("2e", lambda e: 2 * e),
    ("e + 1", lambda e: e + 1),
)
_FACTORS: tuple[tuple[str, Callable[[int], int]], ...] = (
    ("1", lambda p: 1), ("(p - 1)", lambda p: p - 1), ("(p + 1)", lambda p: p + 1), ("(1 - p)", lambda p: 1 - p),
    ("-1", lambda p: -1), ("2", lambda p: 2), ("(p - 2)", lambda p: p - 2),
)
_OTHERS: tuple[tuple[str, Callable[[int, int], int]], ...] = (
    ("e + 1", lambda p, e: e + 1), ("2^e", lambda p, e: 2**e), ("e", lambda p, e: e), ("2e + 1", lambda p, e: 2 * e + 1),
    ("(-1)^e", lambda p, e: (-1) ** e), ("2p^e - 1", lambda p, e: 2 * p**e - 1), ("p^e + 1", lambda p, e: p**e + 1),
    ("p^e - 1", lambda p, e: p**e - 1), ("(p^(e+1) - 1)/(p - 1)", lambda p, e: (p ** (e + 1) - 1) // (p - 1)),
    ("p^e + p^(e-1)", lambda p, e: p**e + p ** (e - 1)), ("(e + 1)^2", lambda p, e: (e + 1) ** 2),
    ("2 if p = 2, else p^e", lambda p, e: 2 if p == 2 else p**e), ("p^e if p is odd, else 1", lambda p, e: 1 if p == 2 else p**e),
    ("e + 1 if p is odd, else 1", lambda p, e: 1 if p == 2 else e + 1), ("p + e - 1", lambda p, e: p + e - 1),
    ("p·e", lambda p, e: p * e), ("p^e if e is odd, else 1", lambda p, e: p**e if e % 2 else 1),
    ("p if e = 1, else 0", lambda p, e: p if e == 1 else 0), ("e!", lambda p, e: _factorial(e)),
    # the number of squares and of cubes dividing n: rivals of p^floor(e/2) and p^floor(e/3), which they
    # equal wherever only p = 2 has a large exponent (2^1 = 1 + 1): below n = 27 for the cubes (A061704)
    ("floor(e/2) + 1", lambda p, e: e // 2 + 1), ("floor(e/3) + 1", lambda p, e: e // 3 + 1),
)


def _factorial(e: int) -> int:
    out = 1
    for i in range(2, e + 1):
        out *= i
    return out


def _power_form(factor_name, factor_fn, exponent_name, exponent_fn):
    power = "" if exponent_name == "0" else ("p" if exponent_name == "1" else f"p^({exponent_name})" if " " in exponent_name
                                             else f"p^{exponent_name}")
    if factor_name == "1":
        name = power or "1"
    elif factor_name == "-1":
        name = f"-{power}" if power else "-1"
    else:
        name = f"{factor_name}·{power}" if power else factor_name
    return name, lambda p, e: factor_fn(p) * p ** exponent_fn(e)


def _forms() -> tuple[tuple[str, Callable[[int, int], int]], ...]:
    out, seen = [], set()
    for exponent_name, exponent_fn in _EXPONENTS:
        for factor_name, factor_fn in _FACTORS:
            name, fn = _power_form(factor_name, factor_fn, exponent_name, exponent_fn)
            if name in ("1", "p^e"):
                continue  # a(n) = 1 and a(n) = n: polynomials
            signature = tuple(fn(p, e) for p in (2, 3, 5, 7) for e in (1, 2, 3, 4, 5))
            if signature not in seen:
                seen.add(signature)
                out.append((name, fn))
    for name, fn in _OTHERS:
        signature = tuple(fn(p, e) for p in (2, 3, 5, 7) for e in (1, 2, 3, 4, 5))
        if signature not in seen:
            seen.add(signature)
            out.append((name, fn))
    return tuple(out)


FORMS = _forms()
"""(name of F(p, e), F), in the order searched."""
LIMIT = 10**7
"""Largest n whose value is computed (factorizations beyond the table go through sympy)."""


def value(form: int, m: int) -> int:
    if m < 1 or m > LIMIT:
        raise ValueError("outside 1..LIMIT")
    fn = FORMS[form][1]
    out = 1
    for p, e in factor(m).items():
        out *= fn(p, e)
    return out


def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    form = next(i for i, (name, _) in enumerate(FORMS) if name == spec["form"])
    start = offset + spec["shift"]
    return [spec["zero"] if m == 0 and "zero" in spec else value(form, m) for m in range(start, start + count)]


def statement(spec: dict) -> str:
    argument = "n" if spec["shift"] == 0 else "n + 1"
    text = f"a(n) = f({argument}), f multiplicative with f(p^e) = {spec['form']} for every prime power p^e (f(1) = 1)"
    return f"a(0) = {spec['zero']}, and for n >= 1: {text}" if "zero" in spec else text


def guess_multiplicative(terms: list[int], offset: int = 0, ambiguous: list | None = None
                         ) -> Answer | None:
    """The Answer (spec, statement, fitted, parameters) of the first form that matches, or None. Read from n = 1:
    offset 1; or offset 0 with the terms shifted by one (a list indexed from 0 whose first term is
    f(1)); or offset 0 with a(0) a lone exception (one more parameter)."""
    if len(terms) < 12 or offset not in (0, 1):
        return None
    modes = [(1 - offset, None)] if terms[0] == 1 else []
    if offset == 0 and terms[1] == 1:
        modes.append((0, terms[0]))
    for shift, zero in modes:
        def predict(candidate, count, shift=shift, zero=zero):
            spec = {"form": FORMS[candidate][0], "shift": shift} | ({} if zero is None else {"zero": zero})
            return spec, terms_from(spec, offset, count)
        found = constants.choose(terms, list(range(len(FORMS))), predict, 0 if zero is None else 1,
                                 ambiguous=ambiguous)
        if found is not None:
            spec, fitted, parameters = found
            if step_unseen(spec["form"], offset + shift + len(terms) - 1):
                return None
            return Answer(spec, statement(spec), fitted, parameters)
    return None


FIRST_STEP = {"floor(e/3)": 3, "floor(e/3) + 1": 3, "ceil(e/3)": 4, "ceil(e/4)": 5}
"""The exponent at which a form's step in e (what sets it apart from p^e, p^floor(e/2), ...) first shows."""


def step_unseen(form: str, last: int) -> bool:
    """Whether the form's first step in e lies beyond what the terms show at an odd prime: below 3^e the
    exponent e appears at p = 2 only (8 is the only cube below 27), where other forms agree with it
    (A372381, 2^(bit length of e + 1) - 1 at each p^e, reads as 2·p^floor(e/3) up to n = 26), so the
    terms must reach n = 3^e."""
    step = next((e for name, e in FIRST_STEP.items() if name in form), None)
    return step is not None and last < 3**step
