"""Sequences built on a classical sequence B (the primes, the composite numbers, the semiprimes, the
squarefree numbers): a(n) = E(B(n)) for a small term E, and a(n) = B1(n + s1) op B2(n + s2) + c.

Two searches, each under the rule of ``guess`` (the r-th candidate counts ceil(log2 r) parameters; the
first candidate that matches its fitted prefix, all terms but its parameters plus MARGIN, must match
every given term, else nothing is stated; a candidate at most RIVAL_GAP parameters longer that also
matches every given term but predicts other next terms leaves nothing stated):

- ``bank``: the terms E of at most MAX_SIZE nodes over the leaves B(m), B(m + 1), m and the constants 1,
  2, 3, with the unary primitives and binary operations of ``expressions`` (same pruning), one term per
  list of values at m = 0..POINTS-1 (``expressions.terms_over``; B(0) undefined), for each B of BASES;
  only the terms that use B, equal no term in m alone and hold no pi(prime(m + d)) are candidates (the others are the expression
  family's), by size, then in the order of BASES, then in enumeration order. A candidate counts
  max(ceil(log2 rank), its size) parameters.
  (prime(n + 1) - prime(n) - 1, A046933; prime(n) - isqrt(prime(n)), A112045; n - isqrt(prime(n + 1)),
  A103416; (prime(n) - 1) // 2; digitsum(prime(n)); sigma(prime(n) + 1) ...)
- ``pairs``: a(n) = B1(n + s1) - B2(n + s2) + c, B1(n + s1) + B2(n + s2) + c or B1(n + s1)·B2(n + s2) + c,
  B1, B2 among BASES, s1, s2 in PAIR_SHIFTS (B(n + s) then starting at B(1) or later), c fitted on the
  first term (one parameter): different sequences or shifts, which the bank (one B, shifts 0 and 1)
  and the combination family (one shift) do not reach (prime(n) - composite(n - 1), A014237;
  prime(n)·composite(n), A067563).

The bank is read with m = n + s for two shifts s (B(1) at the first index; and m one less, one more
parameter). The family asks every reading and both searches: when two answers disagree on the next terms,
nothing is stated; else the one with the fewest parameters. Each search counts one more parameter for the
choice between the two.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import count as counting

import numpy as np

from . import arithmetic, expressions
from .arithmetic import LIMIT, NOTATION
from .guess import MARGIN, RIVAL_GAP, choice_bits
from .predicates import factor

BASES = ("prime", "composite", "semiprime", "squarefree")
"""The classical sequences B, B(1) being the first member: 2, 4, 4 and 1."""
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
SEARCH_BITS = 1
"""The choice between the two searches."""
BASE_LIMIT = 10**6
"""Largest index B(m) is computed at."""

BOUNDS = (f"a(n) = E(B(m), B(m + 1), m) with m = n (n + 1 for a list read from n = 0), or m one less (one more "
          f"parameter), B among {', '.join(BASES)} "
          f"and E a term of at most {MAX_SIZE} nodes ({OTHER_SIZE} but for the primes) over B(m), B(m + 1), m, 1, 2, 3 (unary: "
          f"{', '.join(expressions.UNARY)}, at most two in a row; binary: {' '.join(expressions.BINARY)}) that uses "
          f"B, equals no term in m alone and holds no pi(prime(m + d)), one per list of values at m = 0..{POINTS - 1}, by size, then B, the r-th counting max(ceil(log2 r), "
          f"size) parameters, candidates tried while at least {FEWEST_FITTED} terms remain to fit; and a(n) = "
          f"B1(n + s1) op B2(n + s2) + c, op in {' '.join(PAIR_OPERATIONS)}, B1, B2 among the same, s1, s2 in "
          f"{min(PAIR_SHIFTS)}..{max(PAIR_SHIFTS)}, c fitted on the first term; one more parameter for the choice "
          "between the two")


# --- the classical sequences ------------------------------------------------------------------------

def _is_member(name: str, m: int) -> bool:
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
    for m in counting(1):
        if _is_member(name, m):
            found.append(m)
            if len(found) == how_many:
                return tuple(found)
    raise AssertionError("unreachable")


def base_value(name: str, index: int) -> int:
    """B(index), index >= 1; ValueError outside that."""
    if index < 1 or index > BASE_LIMIT:
        raise ValueError(f"{name}({index}) is outside 1..{BASE_LIMIT}")
    if name == "prime":
        return arithmetic.nth_prime(index)
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


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "//": 2, "mod": 2, "^": 3}


def show(node: tuple, shift: int) -> str:
    """E in ordinary notation, m written as n + shift."""
    head = node[0]
    if head == "base":
        return f"{node[1]}({_index_text(shift + node[2])})"
    if head == "n":
        return _index_text(shift)
    if head == "c":
        return str(node[1])
    if head == "u":
        return NOTATION[node[1]].format(show(node[2], shift))
    op, left, right = node[1], show(node[2], shift), show(node[3], shift)
    if op == "gcd":
        return f"gcd({left}, {right})"
    if op == "C":
        return f"C({left}, {right})"
    level = _PRECEDENCE[op]

    def wrap(child, text, right_side):
        if child[0] == "n" and shift:
            return f"({text})"
        if child[0] == "b" and child[1] in _PRECEDENCE:
            inner = _PRECEDENCE[child[1]]
            if inner < level or (inner == level and (right_side or op == "^")):
                return f"({text})"
        return text
    return f"{wrap(node[2], left, False)} {op} {wrap(node[3], right, True)}"


def _glossary(node: tuple) -> str:
    used = set(_names(node))
    words = [arithmetic.MEANING[name] for name in arithmetic.MEANING if name in used]
    return "; " + ", ".join(words) if words else ""


def _names(node: tuple):
    if node[0] in ("u", "b"):
        yield node[1]
    for part in node[1:]:
        if isinstance(part, tuple):
            yield from _names(part)


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
    pi(prime(m + d)): not candidates."""
    m = np.arange(POINTS)
    constants = [(("c", c), np.full(POINTS, c, dtype=np.int64)) for c in (1, 2, 3)]
    alone = expressions.terms_over([(("n",), m)] + constants, MAX_SIZE,
                                   tuple(name for name in expressions.UNARY if name != "prime"))
    independent = set()
    for level in alone.values():
        independent.update(_keys(level.values, level.defined))
    undefined_first = np.arange(POINTS) >= 1
    by_size: dict[int, list[tuple[list, np.ndarray]]] = {}
    for name in BASES:
        column = np.array([0] + [base_value(name, i) for i in range(1, POINTS + 1)], dtype=np.int64)
        leaves = [(("base", name, 0), column[:POINTS], undefined_first), (("base", name, 1), column[1:]),
                  (("n",), m)] + constants
        for size, level in expressions.terms_over(leaves, MAX_SIZE if name == "prime" else OTHER_SIZE).items():
            keys = _keys(level.values, level.defined)
            keep = [i for i, node in enumerate(level.nodes)
                    if _uses_base(node) and keys[i] not in independent and not _counts_primes_back(node)]
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


def _matches(node: tuple, terms: list[int], first_m: int, start: int, end: int) -> bool:
    """Whether E's exact values equal terms[start:end] (a(n) at m = first_m + i)."""
    try:
        return all(value(node, first_m + i) == terms[i] for i in range(start, end))
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return False


def _next_terms(node: tuple, first_m: int, total: int) -> list[int] | None:
    try:
        return [value(node, first_m + total + i) for i in range(AHEAD)]
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None


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
    if not len(rows):
        return None
    agree = np.cumprod(values[rows] == np.array(terms[:window], dtype=np.int64), axis=1).sum(axis=1)
    ranks = rows + 1
    bits = np.array([choice_bits(int(r)) for r in ranks], dtype=np.int64) + SEARCH_BITS
    parameters = np.maximum(bits, candidates.sizes[rows]) + extra
    fitted = total - parameters - MARGIN
    chosen = None
    for i in range(len(rows)):
        if fitted[i] < FEWEST_FITTED:
            return None  # this candidate and every later one: too many parameters for the terms
        if agree[i] >= min(fitted[i], window) and _matches(candidates.nodes[rows[i]], terms, first_m, window,
                                                            int(fitted[i])):
            chosen = i
            break
    if chosen is None:
        return None
    node = candidates.nodes[rows[chosen]]
    if agree[chosen] < window or not _matches(node, terms, first_m, window, total):
        return None
    mine = _next_terms(node, first_m, total)
    if mine is None:
        return None
    for i in range(len(rows)):
        if i == chosen or agree[i] < window or parameters[i] > parameters[chosen] + RIVAL_GAP:
            continue
        other = candidates.nodes[rows[i]]
        if _matches(other, terms, first_m, window, total) and _next_terms(other, first_m, total) != mine:
            return None
    return {"node": node, "rank": int(ranks[chosen]), "size": int(candidates.sizes[rows[chosen]]),
            "fitted": int(fitted[chosen]), "parameters": int(parameters[chosen]), "shift": shift, "next": mine}


# --- pairs -----------------------------------------------------------------------------------------------

def _atoms() -> list[tuple[str, int]]:
    return [(name, shift) for shift in PAIR_SHIFTS for name in BASES]


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
    chosen, chosen_next = None, None
    for rank, (op, first, second) in enumerate(pair_candidates(), start=1):
        parameters = choice_bits(rank) + 1 + SEARCH_BITS  # the constant, and the choice of search
        if chosen is not None and parameters > chosen["parameters"] + RIVAL_GAP:
            break
        fitted = total - parameters - MARGIN
        if chosen is None and fitted < FEWEST_FITTED:
            return None
        if offset + min(first[1], second[1]) < 1:
            continue  # B(n + s) undefined at the first index
        try:
            constant = terms[0] - pair_value(op, first, second, 0, offset)
            matched = 1
            for i in range(1, total):
                if pair_value(op, first, second, constant, offset + i) != terms[i]:
                    break
                matched += 1
        except ValueError:
            continue
        if chosen is None:
            if matched < fitted:
                continue
            if matched < total:
                return None
            chosen = {"op": op, "first": first, "second": second, "constant": constant, "rank": rank,
                      "fitted": fitted, "parameters": parameters}
            chosen_next = [pair_value(op, first, second, constant, offset + total + i) for i in range(AHEAD)]
            continue
        if matched == total:
            theirs = [pair_value(op, first, second, constant, offset + total + i) for i in range(AHEAD)]
            if theirs != chosen_next:
                return None
    return chosen


def _pair_text(op: str, first: tuple[str, int], second: tuple[str, int], constant: int) -> str:
    symbol = {"-": "-", "+": "+", "*": "·"}[op]
    text = f"{first[0]}({_index_text(first[1])}) {symbol} {second[0]}({_index_text(second[1])})"
    return text if constant == 0 else f"{text} {'+' if constant > 0 else '-'} {abs(constant)}"


# --- the family ------------------------------------------------------------------------------------------

def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    """A stated description's terms a(offset..offset+count-1), exactly (``families.evaluate``)."""
    if "expression" in spec:
        node = _from_json(spec["expression"])
        return [value(node, offset + spec["shift"] + i) for i in range(count)]
    first, second = tuple(spec["first"]), tuple(spec["second"])
    return [pair_value(spec["op"], first, second, spec["constant"], offset + i) for i in range(count)]


def _from_json(data) -> tuple:
    return tuple(_from_json(part) if isinstance(part, (list, tuple)) else part for part in data)


def describe(terms: list[int], offset: int = 0) -> dict | None:
    """The fields of the family's ``families.Description``, or None. Every reading and both searches are
    asked: answers that disagree on the next terms leave nothing stated; else the one with the fewest
    parameters is."""
    if offset < 0:
        return None
    answers = []
    for shift, extra in _readings(offset):
        found = search_bank(terms, offset, shift, extra)
        if found is not None:
            node = found["node"]
            statement = (f"a(n) = {show(node, shift)} (search over a classical sequence: the candidate of rank "
                         f"{found['rank']} among the terms of at most {MAX_SIZE} nodes over the primes, {OTHER_SIZE} "
                         f"over the others, in B(m), B(m + 1), m = {_index_text(shift)}, 1, 2, 3 that use B, B among "
                         f"{', '.join(BASES)}, smallest first{_glossary(node)})")
            answers.append((found["parameters"], found["next"], {
                "statement": statement, "spec": {"expression": node, "shift": shift}, "offset": offset,
                "fitted_on": found["fitted"], "checked_on": len(terms), "parameters": found["parameters"]}))
    paired = search_pairs(terms, offset)
    if paired is not None:
        op, first, second, constant = paired["op"], paired["first"], paired["second"], paired["constant"]
        statement = (f"a(n) = {_pair_text(op, first, second, constant)} (search over pairs of classical sequences: "
                     f"the candidate of rank {paired['rank']} among {len(pair_candidates())}, the constant fitted on "
                     f"a({offset}))")
        following = [pair_value(op, first, second, constant, offset + len(terms) + i) for i in range(AHEAD)]
        answers.append((paired["parameters"], following, {
            "statement": statement, "spec": {"op": op, "first": list(first), "second": list(second),
                                             "constant": constant},
            "offset": offset, "fitted_on": paired["fitted"], "checked_on": len(terms),
            "parameters": paired["parameters"]}))
    if not answers or any(following != answers[0][1] for _, following, _ in answers):
        return None
    return min(answers, key=lambda answer: answer[0])[2]
