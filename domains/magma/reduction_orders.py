"""Reduction orders on magma terms, for certifying that a rewriting system terminates.

Terms are those of :mod:`terms`: a variable is an int, ``(a, b)`` is ``a ◇ b``; there is one binary
symbol and no constants. Every order here is a simplification order that is closed under
substitution and contexts, so a finite set of rules ``l → r`` with ``l > r`` in one of them
terminates.

With a single function symbol the precedence is trivial, and any positive weights make the
Knuth–Bendix order compare weights exactly as sizes do (a binary term with ``n`` operations has
``n + 1`` leaves), so the orders that differ are the status of ◇: arguments compared
lexicographically left to right or right to left (KBO and LPO), or as a multiset (RPO).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Callable

from .terms import Term

#: Names of the orders, in the order a certifier tries them.
ORDER_NAMES = ("kbo", "kbo-rl", "lpo", "lpo-rl", "rpo-mul")


@lru_cache(maxsize=None)
def _occurrences(term: Term) -> Counter:
    if isinstance(term, int):
        return Counter({term: 1})
    return _occurrences(term[0]) + _occurrences(term[1])


def _size(term: Term) -> int:
    return sum(_occurrences(term).values())


def _contains(term: Term, variable: int) -> bool:
    return variable in _occurrences(term)


def _variables_dominate(s: Term, t: Term) -> bool:
    """Each variable occurs in ``s`` at least as often as in ``t``."""
    have = _occurrences(s)
    return all(have[v] >= n for v, n in _occurrences(t).items())


def _kbo(s: Term, t: Term, right_to_left: bool) -> bool:
    if s == t or isinstance(s, int) or not _variables_dominate(s, t):
        return False
    ws, wt = _size(s), _size(t)
    if ws != wt:
        return ws > wt
    if isinstance(t, int):  # same weight as a compound s is impossible; kept for clarity
        return False
    first, second = (1, 0) if right_to_left else (0, 1)
    if s[first] != t[first]:
        return _kbo(s[first], t[first], right_to_left)
    return _kbo(s[second], t[second], right_to_left)


@lru_cache(maxsize=1 << 16)
def kbo_greater(s: Term, t: Term) -> bool:
    """Knuth–Bendix order, weights 1, arguments compared left to right."""
    return _kbo(s, t, False)


@lru_cache(maxsize=1 << 16)
def kbo_rl_greater(s: Term, t: Term) -> bool:
    """Knuth–Bendix order, weights 1, arguments compared right to left."""
    return _kbo(s, t, True)


def _path_order(s: Term, t: Term, status: str) -> bool:
    if isinstance(s, int) or s == t:
        return False
    greater = _PATH_ORDERS[status]
    if any(arg == t or greater(arg, t) for arg in s):
        return True
    if isinstance(t, int):
        return False
    if not (greater(s, t[0]) and greater(s, t[1])) and status != "mul":
        return False
    if status == "lex":
        return greater(s[0], t[0]) if s[0] != t[0] else greater(s[1], t[1])
    if status == "rl":
        return greater(s[1], t[1]) if s[1] != t[1] else greater(s[0], t[0])
    return _multiset_greater(list(s), list(t), greater)


def _multiset_greater(left: list[Term], right: list[Term], greater: Callable[[Term, Term], bool]) -> bool:
    """The multiset extension: cancel common elements, then each remaining ``right`` element is
    below some remaining ``left`` element, and something of ``left`` remains."""
    left, right = list(left), list(right)
    for item in list(left):
        if item in right:
            left.remove(item)
            right.remove(item)
    return bool(left) and all(any(greater(a, b) for a in left) for b in right)


@lru_cache(maxsize=1 << 16)
def lpo_greater(s: Term, t: Term) -> bool:
    """Lexicographic path order, arguments compared left to right."""
    return _path_order(s, t, "lex")


@lru_cache(maxsize=1 << 16)
def lpo_rl_greater(s: Term, t: Term) -> bool:
    """Lexicographic path order, arguments compared right to left."""
    return _path_order(s, t, "rl")


@lru_cache(maxsize=1 << 16)
def rpo_mul_greater(s: Term, t: Term) -> bool:
    """Recursive path order with multiset status (◇'s arguments compared as a multiset)."""
    return _path_order(s, t, "mul")


_PATH_ORDERS: dict[str, Callable[[Term, Term], bool]] = {
    "lex": lpo_greater,
    "rl": lpo_rl_greater,
    "mul": rpo_mul_greater,
}

ORDERS: dict[str, Callable[[Term, Term], bool]] = {
    "kbo": kbo_greater,
    "kbo-rl": kbo_rl_greater,
    "lpo": lpo_greater,
    "lpo-rl": lpo_rl_greater,
    "rpo-mul": rpo_mul_greater,
}


def orient(equations: list[tuple[Term, Term]], order: str) -> list[tuple[Term, Term]] | None:
    """Each equation as a rule ``bigger → smaller`` in ``order``, or None when one is incomparable."""
    greater = ORDERS[order]
    rules = []
    for a, b in equations:
        if greater(a, b):
            rules.append((a, b))
        elif greater(b, a):
            rules.append((b, a))
        else:
            return None
    return rules
