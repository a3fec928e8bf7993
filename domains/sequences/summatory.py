"""Summatory functions of arithmetic functions: a(n) = c + f(1) + f(2) + ... + f(n), f a multiplicative
function (``multiplicative``) or a term of the expression search (``expressions``).

The OEIS holds many of these ("sum_{k=1..n} sigma_2(k)", "partial sums of A024924's sopf", the Mertens-like
sums of ±1): the transform family reads partial sums of closed forms and of the simple families, but not
of these two searches. f is read off the terms: f(k) = a(k) - a(k - 1) for k >= 1 when a starts at n = 0
(c = a(0), one more parameter); f(1) = a(1) and f(k) = a(k) - a(k - 1) when a starts at n = 1 (c = 0).
Both inner searches are asked on f, under their own rules (fitted prefix, confirmations, rivals); the
description counts f's parameters, c's, and ``choice_bits(2)`` for the choice of the inner search, and is
fitted on the terms that give f's fitted prefix (one more when c = a(0)). Two inner answers that fit but predict other next terms
cancel each other; a constant f (a(n) linear: a closed form) is not read. An f that reads k only through a
few-valued subterm is held to the expression search's rule for it (``expressions.outer_undecided``): from 24
terms, f(k) = pi(wt(k)^2) met wt(k) = 1..4 only, where 2·wt(k) - 2 agrees (A076178).
"""

from __future__ import annotations

from . import constants, expressions, multiplicative
from .guess import Answer, choice_bits

AHEAD = 12
"""Next terms on which the two inner searches' answers are compared."""
INNER = ("multiplicative", "expression")
"""The inner searches, in the order asked."""
BOUNDS = ("a(n) = c + sum_{k=1..n} f(k), f a multiplicative function (the multiplicative family's forms, from "
          "k = 1) or a term of the expression search (its bounds), c = a(0) fitted when a starts at n = 0 and "
          f"0 when it starts at n = 1; the choice of the inner search counts {choice_bits(len(INNER))} parameter")


def summands(terms: list[int], offset: int) -> list[int] | None:
    """f(1), f(2), ... read off a(offset), a(offset + 1), ..., or None for other offsets."""
    if offset == 0:
        return [y - x for x, y in zip(terms, terms[1:])]
    if offset == 1:
        return [terms[0]] + [y - x for x, y in zip(terms, terms[1:])]
    return None


def _inner_terms(inner: dict, count: int) -> list[int]:
    if inner["family"] == "multiplicative":
        return multiplicative.terms_from(inner["spec"], 1, count)
    return expressions.description_terms(inner["spec"], 1, count)


def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    """a(offset), ..., a(offset + count - 1)."""
    if offset == 0:
        values = [spec["first"]]
        for f in _inner_terms(spec["inner"], max(count - 1, 0)):
            values.append(values[-1] + f)
        return values[:count]
    values, total = [], 0
    for f in _inner_terms(spec["inner"], count):
        total += f
        values.append(total)
    return values


def statement(spec: dict, offset: int) -> str:
    inner = spec["inner"]["statement"].replace("a(n) = f(n), f multiplicative", "f multiplicative").replace("a(n)", "f(n)")
    start = f"{spec['first']} + " if offset == 0 and spec["first"] else ""
    return f"a(n) = {start}the sum of f(k) over 1 <= k <= n (a summatory function), where {inner}"


def _multiplicative(f: list[int], reserve: int):
    """The multiplicative family's search on f(1), f(2), ..., each form counting ``reserve`` more."""
    if f[0] != 1:
        return None

    def predict(candidate, count):
        spec = {"form": multiplicative.FORMS[candidate][0], "shift": 0}
        return spec, multiplicative.terms_from(spec, 1, count)
    found = constants.choose(f, list(range(len(multiplicative.FORMS))), predict, reserve)
    if found is None:
        return None
    spec, fitted, parameters = found
    return {"family": "multiplicative", "spec": spec, "statement": multiplicative.statement(spec)}, fitted, parameters


def _expression(f: list[int], reserve: int):
    """The expression search on f(1), f(2), ..., each term counting ``reserve`` more."""
    found = expressions.search(f, 1, extra_parameters=reserve)
    if found is None:
        return None
    text = (f"a(n) = {expressions.show(found.node)} (expression search: the candidate of rank {found.rank} among the "
            f"distinct terms of at most {expressions.MAX_SIZE} nodes, smallest first)")
    spec = {"expression": found.node, "first": None, "shift": 0}
    return {"family": "expression", "spec": spec, "statement": text}, found.fitted, found.parameters


def guess_summatory(terms: list[int], offset: int = 0) -> Answer | None:
    """The Answer (spec, statement, fitted, parameters), or None. ``parameters`` counts f's, c's and the choice
    of the inner search (each inner search is run with those reserved, so that its own margin rule
    already counts them); ``families`` checks the margin rule and every term again."""
    f = summands(terms, offset)
    if f is None or len(f) < 12 or len(set(f)) == 1:
        return None
    extra = 1 if offset == 0 else 0
    reserve = extra + choice_bits(len(INNER))
    answers = [answer for answer in (_multiplicative(f, reserve), _expression(f, reserve)) if answer is not None]
    if not answers:
        return None
    if len(answers) > 1:
        try:
            ahead = {tuple(_inner_terms(inner, len(f) + AHEAD)[len(f):]) for inner, _, _ in answers}
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            return None
        if len(ahead) > 1:
            return None
    inner, fitted, parameters = min(answers, key=lambda answer: answer[2])
    spec = {"inner": inner, "first": terms[0] if offset == 0 else None}
    return Answer(spec, statement(spec, offset), fitted + extra, parameters)
