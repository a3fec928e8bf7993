"""Sequences built on a classical sequence B (the primes, composite numbers, semiprimes, squarefree numbers,
decimal palindromes): a(n) = E(B(n)) for a small term E, α·E(B(n)) + β, and B1(n + s1) op B2(n + s2) + c.

Three searches, each under the rule of ``guess`` (the r-th candidate counts ceil(log2 r) parameters; the
first candidate that matches its fitted prefix, all terms but its parameters plus MARGIN, must match every
given term, else nothing is stated; a candidate at most RIVAL_GAP parameters longer that also matches every
given term but predicts other next terms leaves nothing stated); each counts SEARCH_BITS more parameters for
the choice among the three:

- ``bank``: the terms E of at most MAX_SIZE nodes over the primes (OTHER_SIZE over the other sequences)
  built from the leaves B(m), B(m + 1), m and the constants 1, 2, 3 with the unary primitives and binary
  operations of ``expressions`` (same pruning), one term per list of values at m = 0..POINTS-1
  (``expressions.terms_over``; B(0) undefined), for each B of BASES. Candidates: the terms that use B,
  vary where the bank defines them, equal no term in m alone and hold no pi(prime(m + d)) (the others are
  the expression family's), by size, then in the order of BASES, then in enumeration order; a candidate
  counts max(ceil(log2 rank), its size) parameters, and one undefined somewhere in the window (past a
  table of the bank) is none there. (prime(n + 1) - prime(n) - 1, A046933; n - isqrt(prime(n + 1)),
  A103416; squarefree(n)·sigma(squarefree(n)), A073245; digitsum(prime(n)); C(prime(n), 2) ...)
- ``affine``: a(n) = α·E + β, α and β rational, fitted on a(offset) and the next term where E differs (two
  parameters), E among the bank's terms of at most AFFINE_SIZE nodes, one per class of terms equal up to
  such a map ((prime(n)^2 - 1)/24, A024702; (prime(n) - 1)/2).
- ``pairs``: a(n) = B1(n + s1) - B2(n + s2) + c, B1(n + s1) + B2(n + s2) + c or B1(n + s1)·B2(n + s2) + c,
  B1, B2 among PAIR_BASES (BASES and tau, sigma, phi), s1, s2 in PAIR_SHIFTS (B(n + s) starting at B(1) or
  later), c fitted on the first term (one parameter): different sequences or shifts, which the bank (one B,
  shifts 0 and 1) and the combination family (one shift) do not reach (prime(n) - composite(n - 1),
  A014237; prime(n)·composite(n), A067563).

The bank and the affine search are read with m = n + s for two shifts s: B(1) at the first index, and m
one less (one more parameter). The family asks every reading of every search: when two answers disagree on
the next terms, nothing is stated; else the one with the fewest parameters is. A rule that starts at n = 1
after an exceptional a(0) (lpf(squarefree(n)), A073481) is the shared first-exception reading's
(``families``), as for every family. A term that reads m only through a few-valued subterm (omega(B(m)))
is held to the expression search's rule for those (``expressions.outer_undecided``).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import count as counting
from math import gcd

import numpy as np

from . import arithmetic, expressions
from .arithmetic import LIMIT, NOTATION
from .guess import MARGIN, RIVAL_GAP, Answer, choice_bits
from .predicates import factor

BASES = ("prime", "composite", "semiprime", "squarefree", "palindrome")
"""The classical sequences B of the bank, B(1) being the first member: 2, 4, 4, 1 and 0 (the decimal
palindromes, A002113, from 0)."""
PAIR_BASES = BASES + ("tau", "sigma", "phi")
"""The sequences of the pairs: those of the bank and three arithmetic functions of n (tau(n) + tau(n - 1) - 1,
A092338)."""
POINTS = 48
"""The bank holds each term's values at m = 0..POINTS-1 (B(0) undefined)."""
MAX_SIZE = 5
"""Largest term E (nodes) over the primes."""
OTHER_SIZE = 4
"""Largest term E (nodes) over the other sequences of BASES (rarer in the OEIS: fewer candidates before
the primes' larger terms)."""
FEWEST_FITTED = 6
"""A candidate is tried only while its fitted prefix has at least this many terms."""
PAIR_SHIFTS = (0, 1, -1, 2, -2)
PAIR_OPERATIONS = ("-", "+", "*")
AHEAD = 12
"""Next terms on which rivals are compared (as ``consensus.AHEAD``)."""
SEARCH_BITS = 2
"""The choice among the three searches."""
AFFINE_SIZE = 3
"""Largest term E of the affine search (nodes)."""
EXACT_ROWS = 64
"""Most candidates one search evaluates exactly (past the bank's window); a search that needs more states
nothing."""
BASE_LIMIT = 10**6
"""Largest index B(m) is computed at."""

BOUNDS = (f"a(n) = E(B(m), B(m + 1), m) with m = n (n + 1 for a list read from n = 0), or m one less (one more "
          f"parameter), B among {', '.join(BASES)}, E a term of at most {MAX_SIZE} nodes over the primes, "
          f"{OTHER_SIZE} over the others, built from B(m), B(m + 1), m, 1, 2, 3 (unary: "
          f"{', '.join(expressions.UNARY)}, at most two in a row; binary: {' '.join(expressions.BINARY)}) that "
          f"uses B, varies, equals no term in m alone and holds no pi(prime(m + d)), one per list of values at "
          f"m = 0..{POINTS - 1}, by size, then B, the r-th counting max(ceil(log2 r), size) parameters, candidates "
          f"tried while at least {FEWEST_FITTED} terms remain to fit; α·E + β with α, β rational fitted on two "
          f"terms and E among those of at most {AFFINE_SIZE} nodes, one per affine class; and B1(n + s1) op "
          f"B2(n + s2) + c, op in {' '.join(PAIR_OPERATIONS)}, B1, B2 among {', '.join(PAIR_BASES)}, s1, s2 in "
          f"{min(PAIR_SHIFTS)}..{max(PAIR_SHIFTS)}, c fitted on the first term; {SEARCH_BITS} more parameters "
          f"for the choice among the three; none stated whose decimal digit sum, reversal or palindromes only met "
          f"numbers below {arithmetic.THREE_DIGITS} at the given indices; none whose E reads m only through a "
          f"subterm repeating its values at the given indices while a term of the expression bank at most "
          f"{RIVAL_GAP} bits after the outer function agrees with it on those values and differs at a value the "
          f"subterm takes below {expressions.REACH_FACTOR} times the last index")


# --- the classical sequences ------------------------------------------------------------------------

def _is_member(name: str, m: int) -> bool:
    if name == "palindrome":
        return str(m) == str(m)[::-1]
    if m < 1:
        return False
    if name == "composite":
        return m > 3 and arithmetic.least_prime_factor(m) != m
    factors = factor(m) if m > 1 else {}
    if name == "semiprime":
        return sum(factors.values()) == 2
    return all(e == 1 for e in factors.values())  # squarefree


@lru_cache(maxsize=None)
def _members(name: str, how_many: int) -> tuple[int, ...]:
    """The first ``how_many`` members (a power of two, so that the cache holds few lists)."""
    if name == "prime":
        return tuple(arithmetic.nth_prime(i) for i in range(1, how_many + 1))
    found = []
    for m in counting(0):
        if _is_member(name, m):
            found.append(m)
            if len(found) == how_many:
                return tuple(found)
    raise AssertionError("unreachable")


_FUNCTIONS = {"tau": arithmetic.tau, "sigma": arithmetic.sigma, "phi": arithmetic.phi}


def base_value(name: str, index: int) -> int:
    """B(index), index >= 1; ValueError outside that."""
    if index < 1 or index > BASE_LIMIT:
        raise ValueError(f"{name}({index}) is outside 1..{BASE_LIMIT}")
    if name == "prime":
        return arithmetic.nth_prime(index)
    if name in _FUNCTIONS:
        return _FUNCTIONS[name](index)
    return _members(name, 1 << (index - 1).bit_length())[index - 1]


# --- exact evaluation and writing --------------------------------------------------------------------

def _substituted(node: tuple, m: int) -> tuple:
    """The node with each leaf B(m + d) replaced by its value (an ordinary ``expressions`` term in m)."""
    if node[0] == "base":
        return ("c", base_value(node[1], m + node[2]))
    return tuple(_substituted(part, m) if isinstance(part, tuple) else part for part in node)


def value(node: tuple, m: int) -> int:
    """E at m, exactly; ValueError outside its domain."""
    return expressions.value(_substituted(node, m), {"n": m})


def _index_text(shift: int) -> str:
    return "n" if shift == 0 else f"n {'+' if shift > 0 else '-'} {abs(shift)}"


def show(node: tuple, shift: int) -> str:
    """E in ordinary notation, m written as n + shift; a part made of constants alone by its value
    (prime(n) mod 4, not mod (1 + 3))."""
    head = node[0]
    if head == "b" and _constant(node):
        try:
            return str(expressions.value(node, {}))
        except (ValueError, ZeroDivisionError, OverflowError):
            pass
    if head == "base":
        return f"{node[1]}({_index_text(shift + node[2])})"
    if head == "n":
        return _index_text(shift)
    if head == "c":
        return str(node[1])
    if head == "u":
        return NOTATION[node[1]].format(show(node[2], shift))

    def special(child, text):
        if _constant(child):  # constants alone: no precedence parentheses, only around a negative text
            return f"({text})" if text.startswith("-") else text
        if child[0] == "n" and shift:
            return f"({text})"
        return None
    return expressions.binary_text(node, show(node[2], shift), show(node[3], shift), special)


def _constant(node: tuple) -> bool:
    return node[0] == "c" or (node[0] in ("u", "b") and all(_constant(part) for part in node[2:]))


def _uses_base(node: tuple) -> bool:
    return node[0] == "base" or any(isinstance(part, tuple) and _uses_base(part) for part in node[1:])


def _counts_primes_back(node: tuple) -> bool:
    """Whether the term holds pi(prime(m + d)) = m + d: a term in m written through the primes."""
    if node[0] == "u" and node[1] == "primepi" and node[2][0] == "base" and node[2][1] == "prime":
        return True
    return any(isinstance(part, tuple) and _counts_primes_back(part) for part in node[1:])


# --- the bank ------------------------------------------------------------------------------------------

_UNDEFINED = np.int64(-(1 << 62))
"""A value no accepted term equals (terms beyond LIMIT are refused): undefined entries of the bank."""


class Bank:
    """The candidates in rank order: nodes, sizes, and values at m = 0..POINTS-1 (_UNDEFINED where undefined)."""

    def __init__(self, nodes: list[tuple], sizes: np.ndarray, values: np.ndarray):
        self.nodes, self.sizes, self.values = nodes, sizes, values


@lru_cache(maxsize=1)
def bank() -> Bank:
    """Every base's terms that use it, by size then base, at m = 0..POINTS-1 (B(0) undefined): built once
    per process. A term equal at m = 1..POINTS-1 to a term in m alone (of at most MAX_SIZE nodes, without
    the prime primitive) does not depend on B (pi(prime(m + 1)) = m + 1), nor does a term holding
    pi(prime(m + d)), and a term constant where the bank defines it says nothing of B: not candidates."""
    m = np.arange(POINTS)
    constants = [(("c", c), np.full(POINTS, c, dtype=np.int64)) for c in (1, 2, 3)]
    alone = expressions.terms_over([(("n",), m)] + constants, MAX_SIZE,
                                   tuple(name for name in expressions.UNARY if name != "prime"))
    independent = set()
    for level in alone.values():
        independent.update(_keys(level.values, level.defined))
    defined_from_one = np.arange(POINTS) >= 1
    by_size: dict[int, list[tuple[list, np.ndarray]]] = {}
    for name in BASES:
        column = np.array([0] + [base_value(name, i) for i in range(1, POINTS + 1)], dtype=np.int64)
        leaves = [(("base", name, 0), column[:POINTS], defined_from_one), (("base", name, 1), column[1:]),
                  (("n",), m)] + constants
        for size, level in expressions.terms_over(leaves, MAX_SIZE if name == "prime" else OTHER_SIZE).items():
            keys = _keys(level.values, level.defined)
            varies = _varies(level.values, level.defined)
            keep = [i for i, node in enumerate(level.nodes) if varies[i] and _uses_base(node)
                    and keys[i] not in independent and not _counts_primes_back(node)]
            if not keep:
                continue
            values = np.where(level.defined[keep], level.values[keep], _UNDEFINED)
            by_size.setdefault(size, []).append(([level.nodes[i] for i in keep], values))
    nodes, sizes, values = [], [], []
    for size in sorted(by_size):
        for part_nodes, part_values in by_size[size]:
            nodes.extend(part_nodes)
            sizes.append(np.full(len(part_nodes), size))
            values.append(part_values)
    return Bank(nodes, np.concatenate(sizes), np.concatenate(values))


def _varies(values: np.ndarray, defined: np.ndarray) -> np.ndarray:
    """Whether each row takes two values where defined at m = 1..POINTS-1 (1^composite(m), defined only
    while composite(m) <= 62, is the constant 1: not a candidate)."""
    low = np.where(defined, values, np.iinfo(np.int64).max)[:, 1:].min(axis=1)
    high = np.where(defined, values, np.iinfo(np.int64).min)[:, 1:].max(axis=1)
    return high > low


def _keys(values: np.ndarray, defined: np.ndarray) -> list[bytes]:
    """Each row's values at m = 1..POINTS-1 (undefined marked), as bytes."""
    marked = np.where(defined, values, _UNDEFINED)[:, 1:]
    return [row.tobytes() for row in marked]


def _readings(offset: int) -> list[tuple[int, int]]:
    """(m - n, extra parameters): B(1) with the first index (m = n + 1 from n = 0, m = n from n = 1 on),
    then m one less (a term in B(m + 1) and m: n - isqrt(prime(n + 1)) from n = 0, A103416), one more
    parameter."""
    natural = 1 if offset == 0 else 0
    return [(natural, 0), (natural - 1, 1)]


def _next_terms(node: tuple, first_m: int, total: int) -> list[int] | None:
    try:
        return [value(node, first_m + total + i) for i in range(AHEAD)]
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None


class _TooMany(Exception):
    """More candidates than EXACT_ROWS need exact evaluation."""


def search_bank(terms: list[int], offset: int, shift: int, extra: int = 0) -> dict | None:
    """(node, rank, size, fitted, parameters, shift) of the bank's answer with m = n + shift, or None.
    ``extra``: parameters the reading counts beyond the candidate's."""
    total = len(terms)
    first_m = offset + shift
    if first_m < 0 or first_m >= POINTS or total < FEWEST_FITTED + MARGIN + 1:
        return None
    window = min(total, POINTS - first_m)
    if window < FEWEST_FITTED or any(abs(t) > LIMIT for t in terms[:window]):
        return None
    candidates = bank()
    values = candidates.values[:, first_m:first_m + window]
    # Cheap rejections: only the rows that match the first FEWEST_FITTED terms can match a fitted prefix.
    rows = np.nonzero(values[:, 0] == terms[0])[0]
    for j in range(1, FEWEST_FITTED):
        rows = rows[values[rows, j] == terms[j]]
    # As in the expression search, a row undefined somewhere in the window (past a table of the bank, e.g.
    # C(x, y) for x >= 128, x^y for y > 62) is no candidate there: its exact values would bring back terms
    # in m alone that the bank could not recognise where it left them undefined (mu(m)^prime(m) = mu(m)).
    rows = rows[(values[rows] != _UNDEFINED).all(axis=1)]
    if not len(rows):
        return None
    agree = np.cumprod(values[rows] == np.array(terms[:window], dtype=np.int64), axis=1).sum(axis=1)
    ranks = rows + 1
    bits = np.array([choice_bits(int(r)) for r in ranks], dtype=np.int64) + SEARCH_BITS
    parameters = np.maximum(bits, candidates.sizes[rows]) + extra
    fitted = total - parameters - MARGIN
    matched: dict[int, int] = {}
    exact_budget = [EXACT_ROWS]

    def matched_length(i: int) -> int:
        """How many first terms row i reproduces: from the bank in the window, exactly past it."""
        if i not in matched:
            length = int(agree[i])
            if length == window:
                exact_budget[0] -= 1
                if exact_budget[0] < 0:
                    raise _TooMany
                node = candidates.nodes[rows[i]]
                try:
                    while length < total and value(node, first_m + length) == terms[length]:
                        length += 1
                except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
                    pass
            matched[i] = length
        return matched[i]

    try:
        chosen = None
        for i in range(len(rows)):
            if fitted[i] < FEWEST_FITTED:
                return None  # this candidate and every later one: too many parameters for the terms
            if matched_length(i) >= fitted[i]:
                chosen = i
                break
        if chosen is None or matched_length(chosen) < total:
            return None
        node = candidates.nodes[rows[chosen]]
        mine = _next_terms(node, first_m, total)
        if mine is None:
            return None
        for i in range(len(rows)):
            if i == chosen or parameters[i] > parameters[chosen] + RIVAL_GAP:
                continue
            if matched_length(i) == total and _next_terms(candidates.nodes[rows[i]], first_m, total) != mine:
                return None
    except _TooMany:
        return None  # more rows to evaluate exactly than EXACT_ROWS: nothing stated rather than a slow search
    return {"node": node, "rank": int(ranks[chosen]), "size": int(candidates.sizes[rows[chosen]]),
            "fitted": int(fitted[chosen]), "parameters": int(parameters[chosen]), "shift": shift, "next": mine}


# --- affine images -----------------------------------------------------------------------------------------

class Affine:
    """The affine search's candidates: one bank row per class of terms equal up to x -> αx + β at m = 1..POINTS-1
    (the first, in bank order), of at most AFFINE_SIZE nodes and defined there."""

    def __init__(self, rows: np.ndarray):
        self.rows = rows


@lru_cache(maxsize=1)
def affine() -> Affine:
    candidates = bank()
    small = np.nonzero(candidates.sizes <= AFFINE_SIZE)[0]
    seen, chosen = set(), []
    for row in small:
        values = candidates.values[row, 1:]
        if (values == _UNDEFINED).any():
            continue
        differences = [int(v) - int(values[0]) for v in values]
        scale = 0
        for d in differences:
            scale = gcd(scale, d)
        if scale == 0:
            continue  # constant
        if next(d for d in differences if d) < 0:
            scale = -scale
        key = tuple(d // scale for d in differences)
        if key not in seen:
            seen.add(key)
            chosen.append(int(row))
    return Affine(np.array(chosen, dtype=np.int64))


def affine_value(node: tuple, alpha: Fraction, beta: Fraction, m: int) -> int:
    result = alpha * value(node, m) + beta
    if result.denominator != 1:
        raise ValueError("not an integer")
    return int(result)


def search_affine(terms: list[int], offset: int, shift: int, extra: int = 0) -> dict | None:
    """(node, alpha, beta, rank, fitted, parameters, shift) of a(n) = α·E(m) + β with m = n + shift, α and β
    rational, fitted on the first terms (two parameters), or None."""
    total = len(terms)
    first_m = offset + shift
    if first_m < 1 or first_m >= POINTS or total < FEWEST_FITTED + MARGIN + 1:
        return None
    candidates, classes = bank(), affine().rows
    if any(abs(t) > LIMIT for t in terms[:FEWEST_FITTED]):
        return None
    head = candidates.values[classes, first_m:first_m + FEWEST_FITTED]
    target = terms[:FEWEST_FITTED]
    # Cheap rejections (in floating point, with a margin: exact checks follow): the fit uses a(offset) and the
    # first later term where E differs from its first value; the rows it does not carry to the first
    # FEWEST_FITTED terms cannot match a fitted prefix.
    defined = (head != _UNDEFINED).all(axis=1)
    differs = head[:, 1:] != head[:, :1]
    j = np.where(differs.any(axis=1), differs.argmax(axis=1) + 1, 0)
    ej = head[np.arange(len(head)), j].astype(np.float64)
    e0 = head[:, 0].astype(np.float64)
    t = np.array(target, dtype=np.float64)
    with np.errstate(all="ignore"):
        slope = (t[j] - t[0]) / (ej - e0)
        predicted = slope[:, None] * (head.astype(np.float64) - e0[:, None]) + t[0]
        close = (np.abs(predicted - t) <= 1e-6 * np.maximum(1.0, np.abs(t))).all(axis=1)
    passing = np.nonzero(defined & (j > 0) & close & (slope != 0))[0]
    head = head.astype(object)
    arithmetic_errors = (ValueError, ZeroDivisionError, OverflowError, RecursionError)

    def match(index):
        rank, row = int(index) + 1, classes[index]
        values = head[rank - 1]
        if (values == _UNDEFINED).any():
            return None
        j = next((j for j in range(1, FEWEST_FITTED) if values[j] != values[0]), None)
        if j is None:
            return None
        alpha = Fraction(target[j] - target[0], int(values[j] - values[0]))
        beta = target[0] - alpha * int(values[0])
        if alpha == 0 or any(alpha * int(v) + beta != t for v, t in zip(values, target)):
            return None
        node = candidates.nodes[row]
        try:
            matched = FEWEST_FITTED
            while matched < total and affine_value(node, alpha, beta, first_m + matched) == terms[matched]:
                matched += 1
        except arithmetic_errors:
            return None

        def ahead() -> list[int]:
            return [affine_value(node, alpha, beta, first_m + total + i) for i in range(AHEAD)]

        def answer(fitted: int, parameters: int, chosen_next: list[int]) -> dict:
            return {"node": node, "alpha": alpha, "beta": beta, "rank": rank, "fitted": fitted,
                    "parameters": parameters, "shift": shift, "next": chosen_next}
        return matched, ahead, answer
    sized = ((choice_bits(int(index) + 1) + 2 + SEARCH_BITS + extra, index) for index in passing)
    return _first_fit_with_rivals(sized, match, total, arithmetic_errors)


def _first_fit_with_rivals(sized, match, total: int, errors: tuple = ()) -> dict | None:
    """The rule the affine and the pair searches state by (one place, so that both keep it alike).
    ``sized`` yields (parameters, candidate), fewest parameters first; ``match(candidate)`` gives None
    where the candidate does not apply, else (matched, ahead, answer): how many first terms it equals,
    a function of no argument giving its next AHEAD terms, and answer(fitted, parameters, next) its dict.
    The first candidate equal to the terms it is fitted on (all but its parameters plus MARGIN) is chosen
    if it equals every term, else nothing is stated; each later candidate within RIVAL_GAP bits of it
    that equals every term must agree with it on the next AHEAD terms, else nothing is stated. ``errors``:
    what a failing ``ahead`` raises (nothing is stated for the chosen one, a rival is passed over); other
    errors propagate."""
    chosen, chosen_next = None, None
    for parameters, candidate in sized:
        if chosen is not None and parameters > chosen["parameters"] + RIVAL_GAP:
            break
        fitted = total - parameters - MARGIN
        if chosen is None and fitted < FEWEST_FITTED:
            return None
        found = match(candidate)
        if found is None:
            continue
        matched, ahead, answer = found
        if chosen is None:
            if matched < fitted:
                continue
            if matched < total:
                return None
            try:
                chosen_next = ahead()
            except errors:
                return None
            chosen = answer(fitted, parameters, chosen_next)
            continue
        if matched == total:
            try:
                theirs = ahead()
            except errors:
                continue
            if theirs != chosen_next:
                return None
    return chosen


def _affine_text(node: tuple, alpha: Fraction, beta: Fraction, shift: int) -> str:
    denominator = alpha.denominator * beta.denominator // gcd(alpha.denominator, beta.denominator)
    a, b = int(alpha * denominator), int(beta * denominator)
    inner = show(node, shift)
    if node[0] == "b" and node[1] in ("+", "-") and a != 1:
        inner = f"({inner})"
    text = inner if a == 1 else (f"-{inner}" if a == -1 else f"{a}·{inner}")
    if b:
        text += f" {'+' if b > 0 else '-'} {abs(b)}"
    return text if denominator == 1 else f"({text})/{denominator}"


# --- pairs -----------------------------------------------------------------------------------------------

def _atoms() -> list[tuple[str, int]]:
    return [(name, shift) for shift in PAIR_SHIFTS for name in PAIR_BASES]


@lru_cache(maxsize=1)
def pair_candidates() -> tuple[tuple[str, tuple[str, int], tuple[str, int]], ...]:
    """(op, (B1, s1), (B2, s2)) in search order: by the later atom's place, then op; + and · unordered."""
    atoms = _atoms()
    out = []
    for j, second in enumerate(atoms):
        for i, first in enumerate(atoms[:j]):
            for op in PAIR_OPERATIONS:
                out.append((op, first, second))
                if op == "-":
                    out.append((op, second, first))
    return tuple(out)


def pair_value(op: str, first: tuple[str, int], second: tuple[str, int], constant: int, n: int) -> int:
    left, right = base_value(first[0], n + first[1]), base_value(second[0], n + second[1])
    combined = left - right if op == "-" else (left + right if op == "+" else left * right)
    return combined + constant


def search_pairs(terms: list[int], offset: int) -> dict | None:
    """(op, first, second, constant, rank, fitted, parameters) of the pairs' answer, or None."""
    total = len(terms)
    if offset < 0 or total < FEWEST_FITTED + MARGIN + 1:
        return None
    candidates = pair_candidates()

    def match(index):
        op, first, second = candidates[index]
        if offset + min(first[1], second[1]) < 1:
            return None  # B(n + s) undefined at the first index
        try:
            constant = terms[0] - pair_value(op, first, second, 0, offset)
            matched = 1
            for i in range(1, total):
                if pair_value(op, first, second, constant, offset + i) != terms[i]:
                    break
                matched += 1
        except ValueError:
            return None

        def ahead() -> list[int]:
            return [pair_value(op, first, second, constant, offset + total + i) for i in range(AHEAD)]

        def answer(fitted: int, parameters: int, chosen_next: list[int]) -> dict:
            return {"op": op, "first": first, "second": second, "constant": constant, "rank": index + 1,
                    "fitted": fitted, "parameters": parameters}
        return matched, ahead, answer
    # the constant, and the choice of search, besides the rank
    sized = ((choice_bits(index + 1) + 1 + SEARCH_BITS, index)
             for index in _pair_prefilter(tuple(terms[:FEWEST_FITTED]), offset))
    return _first_fit_with_rivals(sized, match, total)


@lru_cache(maxsize=64)
def _pair_head(offset: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair candidate's values B1 op B2 at the first FEWEST_FITTED indices (int64), whether they are
    defined there, and the indices of the candidates in order."""
    atoms = _atoms()
    where = {atom: i for i, atom in enumerate(atoms)}
    column = np.zeros((len(atoms), FEWEST_FITTED), dtype=np.int64)
    defined = np.ones(len(atoms), dtype=bool)
    for i, (name, shift) in enumerate(atoms):
        try:
            column[i] = [base_value(name, offset + shift + j) for j in range(FEWEST_FITTED)]
        except ValueError:
            defined[i] = False
    candidates = pair_candidates()
    left = np.array([where[first] for _, first, _ in candidates])
    right = np.array([where[second] for _, _, second in candidates])
    op = np.array([PAIR_OPERATIONS.index(o) for o, _, _ in candidates])
    a, b = column[left], column[right]
    values = np.where((op == 0)[:, None], a - b, np.where((op == 1)[:, None], a + b, a * b))
    return values, defined[left] & defined[right], np.arange(len(candidates))


def _pair_prefilter(head: tuple[int, ...], offset: int) -> list[int]:
    """The candidates (indices, in order) that match the first FEWEST_FITTED terms with the constant fitted
    on the first: only they can match a fitted prefix. Exact: the values there are small integers."""
    values, defined, indices = _pair_head(offset)
    if any(abs(t) > LIMIT for t in head):
        return []
    shifted = values - values[:, :1]
    target = np.array(head, dtype=np.int64) - head[0]
    keep = defined & (shifted == target).all(axis=1)
    return indices[keep].tolist()


def _pair_text(op: str, first: tuple[str, int], second: tuple[str, int], constant: int) -> str:
    symbol = {"-": "-", "+": "+", "*": "·"}[op]
    text = f"{first[0]}({_index_text(first[1])}) {symbol} {second[0]}({_index_text(second[1])})"
    return text if constant == 0 else f"{text} {'+' if constant > 0 else '-'} {abs(constant)}"


# --- the family ------------------------------------------------------------------------------------------

def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    """A stated description's terms a(offset..offset+count-1), exactly (``families.evaluate``)."""
    if "exception" in spec:  # a(0) an exception: what this family stated before the shared reading took it over
        return ([spec["exception"]] + terms_from(spec["rest"], offset + 1, count - 1))[:count]
    if "alpha" in spec:
        node, alpha, beta = _from_json(spec["expression"]), Fraction(spec["alpha"]), Fraction(spec["beta"])
        return [affine_value(node, alpha, beta, offset + spec["shift"] + i) for i in range(count)]
    if "expression" in spec:
        node = _from_json(spec["expression"])
        return [value(node, offset + spec["shift"] + i) for i in range(count)]
    first, second = tuple(spec["first"]), tuple(spec["second"])
    return [pair_value(spec["op"], first, second, spec["constant"], offset + i) for i in range(count)]


def _from_json(data) -> tuple:
    return tuple(_from_json(part) if isinstance(part, (list, tuple)) else part for part in data)


def describe(terms: list[int], offset: int = 0) -> Answer | None:
    """The family's Answer, or None. Every reading of the three searches is asked: answers that disagree
    on the next terms leave nothing stated; else the one with the fewest parameters is."""
    if offset < 0:
        return None
    answers = _answers(terms, offset)
    if not answers or any(following != answers[0][1] for _, following, _ in answers):
        return None
    if any(decimal_unseen(answer.spec, offset, len(terms)) for _, _, answer in answers):
        return None
    if any(outer_undecided(answer.spec, offset, len(terms)) for _, _, answer in answers):
        return None
    return min(answers, key=lambda answer: answer[0])[2]


def outer_undecided(spec: dict, offset: int, count: int) -> bool:
    """Whether a description E reads n only through a subterm taking few values on the data (tau(prime(n) + 1),
    omega(semiprime(n))) whose outer function the data leave open (``expressions.outer_undecided``, the
    expression bank's terms as the rivals)."""
    if "expression" not in spec:
        return False
    node, start = _from_json(spec["expression"]), offset + spec["shift"]
    return expressions.outer_undecided(node, range(start, start + count), expressions.bank(),
                                       evaluate=value, depends=_reads_index)


def _reads_index(node: tuple) -> bool:
    """Whether a term of this family holds m or a leaf B(m + d)."""
    if node[0] in ("n", "base", "agg", "local"):
        return True
    return any(isinstance(part, tuple) and _reads_index(part) for part in node[1:])


def decimal_unseen(spec: dict, offset: int, count: int) -> bool:
    """Whether a description reads decimal digits the data never showed on a three-digit number
    (``expressions.decimal_unseen``): a digit primitive whose argument, or a palindrome B(m), stays below
    ``arithmetic.THREE_DIGITS`` at every given index (the palindromes below 100 are the repdigits and the
    one-digit numbers: multiples of 11, and 0..9)."""
    try:
        if "expression" not in spec:
            reach = [base_value(name, n + shift) for name, shift in (spec["first"], spec["second"])
                     if name == "palindrome" for n in range(offset, offset + count)]
            return bool(reach) and max(reach) < arithmetic.THREE_DIGITS
        node, indices = _from_json(spec["expression"]), range(offset + spec["shift"], offset + spec["shift"] + count)
        palindromes = [base_value("palindrome", m + d) for d in _palindrome_shifts(node) for m in indices]
        if palindromes and max(palindromes) < arithmetic.THREE_DIGITS:
            return True
        reach = expressions.decimal_reach([(_substituted(node, m), {"n": m}) for m in indices])
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return True
    return reach is not None and reach < arithmetic.THREE_DIGITS


def _palindrome_shifts(node: tuple) -> list[int]:
    """The d of the leaves B(m + d) with B the palindromes."""
    if node[0] == "base":
        return [node[2]] if node[1] == "palindrome" else []
    return [d for part in node[1:] if isinstance(part, tuple) for d in _palindrome_shifts(part)]


def _answers(terms: list[int], offset: int) -> list[tuple[int, list[int], Answer]]:
    """(parameters, next terms, Answer) of every search and reading that answers."""
    answers = []
    for shift, more in _readings(offset):
        found = search_bank(terms, offset, shift, more)
        if found is not None:
            node = found["node"]
            statement = (f"a(n) = {show(node, shift)} (search over a classical sequence: the candidate of rank "
                         f"{found['rank']} among the terms of at most {MAX_SIZE} nodes over the primes, {OTHER_SIZE} "
                         f"over the others, in B(m), B(m + 1), m = {_index_text(shift)}, 1, 2, 3 that use B, B among "
                         f"{', '.join(BASES)}, smallest first{expressions.glossary(node)})")
            answers.append((found["parameters"], found["next"], Answer(
                {"expression": node, "shift": shift}, statement, found["fitted"], found["parameters"])))
    for shift, more in _readings(offset):
        found = search_affine(terms, offset, shift, more)
        if found is not None:
            node, alpha, beta = found["node"], found["alpha"], found["beta"]
            text = _affine_text(node, alpha, beta, shift)
            statement = (f"a(n) = {text} (affine search over a classical sequence: α·E + β, α and β fitted on the "
                         f"first terms, E the candidate of rank {found['rank']} among "
                         f"{len(affine().rows)} terms of at most {AFFINE_SIZE} nodes in B(m), B(m + 1), m = "
                         f"{_index_text(shift)}, 1, 2, 3, one per class of terms equal up to such a map, B among "
                         f"{', '.join(BASES)}{expressions.glossary(node)})")
            spec = {"expression": node, "shift": shift, "alpha": str(alpha), "beta": str(beta)}
            answers.append((found["parameters"], found["next"], Answer(spec, statement, found["fitted"],
                                                                       found["parameters"])))
    paired = search_pairs(terms, offset)
    if paired is not None:
        op, first, second, constant = paired["op"], paired["first"], paired["second"], paired["constant"]
        statement = (f"a(n) = {_pair_text(op, first, second, constant)} (search over pairs of classical sequences: "
                     f"the candidate of rank {paired['rank']} among {len(pair_candidates())}, the constant fitted on "
                     f"a({offset}))")
        following = [pair_value(op, first, second, constant, offset + len(terms) + i) for i in range(AHEAD)]
        spec = {"op": op, "first": list(first), "second": list(second), "constant": constant}
        answers.append((paired["parameters"], following, Answer(spec, statement, paired["fitted"],
                                                                paired["parameters"])))
    return answers
