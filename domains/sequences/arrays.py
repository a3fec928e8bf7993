"""Triangles and square arrays read as sequences: a(m) = T(n, k) for (n, k) the m-th cell of a reading
order (``SHAPES``: a triangle read by rows 0 <= k <= n or 1 <= k <= n, a square array read by
antidiagonals from (0, 0) or from (1, 1), rows of length 2^n), and T a term of a small bivariate
language, searched by size (the OEIS's commonest way to list a table of numbers: A118413, T(n, k) =
(2n - 1)·2^(k - 1); A173786, 2^n + 2^k; A095142, C(n, k) mod 7; A062050, rows 1..2^m).

The language (``expressions``' nodes, with a second variable ``k``): leaves n, k, 1, 2; unary
primitives ``UNARY`` (prime(x), x!, Fibonacci(x)), at most two in a row; binary + - * // mod ^ gcd
C(x, y); every term of at most ``MAX_SIZE`` nodes is enumerated bottom-up on the grid 0 <= n, k < GRID
and one term is kept per table of values there (observational equivalence). Then the separable terms
f(n) op g(k), op in ``SEPARABLE_OPERATIONS`` (* + - C), f a term in n alone and g in k alone, each of at
most ``FACTOR_SIZE`` nodes or of at most ``ARITHMETIC_FACTOR_SIZE`` built with + - * ^ alone (2n + 1,
2^(n + 1)), at most ``SEPARABLE_SIZE`` nodes in all, after the bank's terms by size, one per table not
already met: (2n + 1)·2^k, C(2n + 1, 2k), 2^(n + 2) + k.

Reading a table modulo m (Pascal's triangle mod 7): when every term lies in 0..M with M < ``MAX_MODULUS``,
the terms T(n, k) mod (M + 1) are searched too, the modulus counting one parameter more.

The search follows the rule of ``guess`` (as ``expressions.search`` does): for each reading order the
candidates are the bank's terms defined on the cells the given terms occupy, one per list of values
there, smallest first; the r-th counts max(ceil(log2 r), its size) parameters, plus
choice_bits(the reading orders and modular readings tried). The first candidate that matches its
fitted prefix (all terms but those parameters plus MARGIN, at least ``FEWEST_FITTED``) must match every
given term, else that reading states nothing; a rival within RIVAL_GAP bits that matches every term
but predicts other next terms cancels it; and two readings that both fit but predict different next
terms cancel each other. Terms constant on the grid are not candidates.
"""

from __future__ import annotations

from functools import lru_cache
from math import isqrt

import numpy as np

from . import arithmetic
from .expressions import BINARY, binary_batch, fingerprints, from_json, glossary, rivals_agree, show, terms_over, uses, value
from .guess import MARGIN, Answer, choice_bits

GRID = 10
"""The bank holds every term's values on 0 <= n, k < GRID (a triangle's first 55 entries; later cells are
computed exactly, for the few candidates that match the earlier ones)."""
MAX_SIZE = 6
"""Largest term in n and k (nodes)."""
FACTOR_SIZE = 4
"""Largest f(n) and g(k) of the separable terms f(n) op g(k)."""
ARITHMETIC_FACTOR_SIZE = 5
"""Largest f(n) and g(k) built with + - * ^ alone."""
SEPARABLE_SIZE = 9
"""Largest separable term f(n) op g(k) (nodes)."""
SEPARABLE_OPERATIONS = ("*", "+", "-", "C")
UNARY = ("prime", "fact", "fib")
FEWEST_FITTED = 6
"""A candidate is tried only while its fitted prefix holds at least this many terms (a triangle's first three
rows; the expression search's FEWEST_FITTED). 10 (four rows) until the twelfth round: 6 gives A364843 (1 + C(n, 2)
in rows, fitted on 9 of 24 terms for 13 parameters), and the choice is paid for by the parameters all the same."""
MAX_MODULUS = 11
"""Terms all in 0..M with M + 1 <= MAX_MODULUS are also read as T(n, k) mod (M + 1)."""
DISTINCT_CELLS = 24
"""Candidates are told apart by their values on the first cells of a reading, at most this many (a
fixed list of candidates per reading, whatever the number of given terms beyond)."""
AHEAD = 12
"""Next terms compared between rivals (as ``consensus.AHEAD``)."""

SHAPES = ("rows", "rows_from_1", "antidiagonals", "antidiagonals_from_1", "rows_of_2^n", "rows_reversed",
          "rows_of_2n+1", "rows_from_1_with_0")
"""Reading orders: T(0, 0); T(1, 0), T(1, 1); ... (rows 0 <= k <= n); T(1, 1); T(2, 1), T(2, 2); ...
(rows 1 <= k <= n); T(0, 0); T(1, 0), T(0, 1); T(2, 0), T(1, 1), T(0, 2); ... (a square array by
antidiagonals; the other direction is the same with n and k exchanged, which the language is closed
under); T(1, 1); T(2, 1), T(1, 2); ... (antidiagonals of the array n, k >= 1); rows n >= 0 of length 2^n,
0 <= k < 2^n; rows 0 <= k <= n read from k = n down to 0; rows 0 <= k <= 2n; rows n >= 1 with 0 <= k <= n
(eight orders: choice_bits counts 3 for them, as for five)."""
WORDS = {
    "rows": "for 0 <= k <= n: a triangle read by rows, a(m) = T(n, k) at m = n(n + 1)/2 + k",
    "rows_from_1": "for 1 <= k <= n: a triangle read by rows, a(m) = T(n, k) at m = n(n - 1)/2 + k - 1",
    "antidiagonals": "for n, k >= 0: a square array read by antidiagonals T(d, 0), T(d - 1, 1), ..., T(0, d), "
                     "d = 0, 1, 2, ...",
    "antidiagonals_from_1": "for n, k >= 1: a square array read by antidiagonals T(d - 1, 1), T(d - 2, 2), ..., "
                            "T(1, d - 1), d = 2, 3, ...",
    "rows_of_2^n": "for 0 <= k < 2^n: rows of length 2^n read in order, a(m) = T(n, k) at m = 2^n - 1 + k",
    "rows_reversed": "for 0 <= k <= n: a triangle read by rows from k = n down to k = 0, a(m) = T(n, k) at "
                     "m = n(n + 1)/2 + n - k",
    "rows_of_2n+1": "for 0 <= k <= 2n: rows of length 2n + 1 read in order, a(m) = T(n, k) at m = n^2 + k",
    "rows_from_1_with_0": "for n >= 1 and 0 <= k <= n: a triangle read by rows, a(m) = T(n, k) at m = n(n + 1)/2 - 1 + k",
}
BOUNDS = (f"reading orders {', '.join(SHAPES)}; T(n, k) a term of at most {MAX_SIZE} nodes (leaves n, k, 1, 2; unary "
          f"{', '.join(arithmetic.NOTATION[u].format('x') for u in UNARY)}, at most two in a row; binary "
          f"{' '.join(BINARY)}), then f(n) op g(k), op in {' '.join(SEPARABLE_OPERATIONS)}, f and g terms in one "
          f"variable of at most {FACTOR_SIZE} nodes (or {ARITHMETIC_FACTOR_SIZE} with + - * ^ alone), at most "
          f"{SEPARABLE_SIZE} nodes in all; one term per table of values on 0 <= n, k < {GRID}; terms all in 0..M, M < {MAX_MODULUS - 1}, "
          "also read as T(n, k) mod (M + 1); the r-th candidate of a reading counting max(ceil(log2 r), its size) "
          f"parameters plus the choice of reading; fitted on at least {FEWEST_FITTED} terms")


def position(shape: str, index: int) -> tuple[int, int]:
    """(n, k) of the index-th cell (from 0) of the reading order."""
    if index < 0:
        raise ValueError(f"no cell {index}")
    if shape in ("rows", "antidiagonals", "rows_from_1", "antidiagonals_from_1"):
        row = (isqrt(8 * index + 1) - 1) // 2
        column = index - row * (row + 1) // 2
        if shape == "rows":
            return row, column
        if shape == "rows_from_1":
            return row + 1, column + 1
        if shape == "antidiagonals":
            return row - column, column
        return row - column + 1, column + 1
    if shape == "rows_reversed":
        row = (isqrt(8 * index + 1) - 1) // 2
        return row, row - (index - row * (row + 1) // 2)
    if shape == "rows_of_2n+1":
        row = isqrt(index)
        return row, index - row * row
    if shape == "rows_from_1_with_0":
        row = (isqrt(8 * (index + 1) + 1) - 1) // 2
        return row, index + 1 - row * (row + 1) // 2
    if shape == "rows_of_2^n":
        row = (index + 1).bit_length() - 1
        return row, index + 1 - (1 << row)
    raise ValueError(f"unknown reading order {shape!r}")


def cell_value(spec: dict, n: int, k: int) -> int:
    """T(n, k) exactly (with the modulus when there is one); ValueError outside the term's domain."""
    node = from_json(spec["term"])
    out = value(node, {"n": n, "k": k})
    modulus = spec.get("modulus")
    return out % modulus if modulus else out


def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    """a(offset), ..., a(offset + count - 1): the cells from number offset - spec["start"] on."""
    node, modulus = from_json(spec["term"]), spec.get("modulus")
    out = []
    for m in range(offset, offset + count):
        n, k = position(spec["shape"], m - spec["start"])
        v = value(node, {"n": n, "k": k})
        out.append(v % modulus if modulus else v)
    return out


# --- the bank --------------------------------------------------------------------------------------

class Bank:
    """Every candidate, smallest first: nodes, sizes, values on the grid (n-major: column n·GRID + k)."""

    def __init__(self, nodes, sizes, values, defined):
        self.nodes, self.sizes, self.values, self.defined = nodes, sizes, values, defined


def _columns_first(parts: list[np.ndarray]) -> np.ndarray:
    """The parts stacked into one array stored column by column (Fortran order): the search reads a
    column (one cell) of many rows at a time. Filled part by part: no second copy of the bank."""
    out = np.empty((sum(len(part) for part in parts), parts[0].shape[1]), dtype=parts[0].dtype, order="F")
    start = 0
    while parts:
        part = parts.pop(0)
        out[start:start + len(part)] = part
        start += len(part)
    return out


def _factor(node: tuple, size: int) -> bool:
    """Whether a term in one variable is a factor of the separable terms: any of at most FACTOR_SIZE nodes,
    or of at most ARITHMETIC_FACTOR_SIZE nodes built with + - * ^ alone (2n + 1, 2^(n + 1), n·2^n)."""
    return size <= FACTOR_SIZE or (size <= ARITHMETIC_FACTOR_SIZE and _arithmetic(node))


def _arithmetic(node: tuple) -> bool:
    if node[0] in ("n", "k", "c"):
        return True
    return node[0] == "b" and node[1] in ("+", "-", "*", "^") and _arithmetic(node[2]) and _arithmetic(node[3])


@lru_cache(maxsize=1)
def bank() -> Bank:
    """The candidates, built once per process (about a second)."""
    n = np.repeat(np.arange(GRID), GRID)
    k = np.tile(np.arange(GRID), GRID)
    leaves = [(("n",), n), (("k",), k), (("c", 1), np.ones_like(n)), (("c", 2), 2 * np.ones_like(n))]
    levels = terms_over(leaves, MAX_SIZE, UNARY)
    nodes, sizes, values, defined = [], [], [], []
    for size in sorted(levels):
        level = levels.pop(size)  # each level freed once copied: the bank is held once, not twice
        keep = [i for i, node in enumerate(level.nodes) if uses(node, "n") or uses(node, "k")]
        nodes.extend(level.nodes[i] for i in keep)
        sizes.extend([size] * len(keep))
        values.append(level.values[keep])
        defined.append(level.defined[keep])
        del level
    # Separable terms: f(n) op g(k), f and g from the terms in one variable, kept when their table is new.
    seen = set()
    for part_values, part_defined in zip(values, defined):
        seen.update(_fingerprint_keys(part_values, part_defined))
    flat_values = np.concatenate(values)
    flat_defined = np.concatenate(defined)
    in_n = [i for i, node in enumerate(nodes) if _factor(node, sizes[i]) and not uses(node, "k")]
    in_k = [i for i, node in enumerate(nodes) if _factor(node, sizes[i]) and not uses(node, "n")]
    extra = []
    for op in SEPARABLE_OPERATIONS:
        for i in in_n:
            partners = [j for j in in_k if sizes[i] + sizes[j] + 1 <= SEPARABLE_SIZE]
            if not partners:
                continue
            a = np.broadcast_to(flat_values[i], (len(partners), flat_values.shape[1]))
            out, ok = binary_batch(op, a, flat_values[partners], flat_defined[i] & flat_defined[partners])
            for j, key in enumerate(_fingerprint_keys(out, ok)):
                if key in seen or not ok[j].any():
                    continue
                seen.add(key)
                extra.append((sizes[i] + sizes[partners[j]] + 1, ("b", op, nodes[i], nodes[partners[j]]),
                              out[j].copy(), ok[j].copy()))
    del seen, flat_values, flat_defined
    extra.sort(key=lambda item: item[0])
    nodes += [item[1] for item in extra]
    sizes += [item[0] for item in extra]
    if extra:
        values.append(np.array([item[2] for item in extra]))
        defined.append(np.array([item[3] for item in extra]))
    del extra
    values, defined = _columns_first(values), _columns_first(defined)
    return Bank(nodes, np.array(sizes), values, defined)


def _fingerprint_keys(values: np.ndarray, defined: np.ndarray) -> list[bytes]:
    """A key per row (its values and where they are defined), in slices: few copies of the bank at once."""
    keys = []
    for start in range(0, len(values), 8192):
        marked = np.where(defined[start:start + 8192], values[start:start + 8192], np.int64(-(1 << 62)))
        keys += [row.tobytes() for row in fingerprints(marked)]
    return keys


# --- the search ------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _cells(shape: str, count: int) -> tuple[tuple[tuple[int, int], ...], int]:
    """The first ``count`` cells of the reading order, and how many of them (a prefix) lie on the grid."""
    cells = tuple(position(shape, i) for i in range(count))
    window = next((i for i, (n, k) in enumerate(cells) if n >= GRID or k >= GRID), count)
    return cells, window


@lru_cache(maxsize=48)
def _candidates(shape: str, window: int, modulus: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the first ``window`` cells of the reading order: their grid columns, whether each bank row is
    defined on all of them, and the first row of each distinct list of values there (reduced mod
    ``modulus`` when it is not 0) in bank order: the candidates, by rank."""
    cells, _ = _cells(shape, window)
    columns = np.array([n * GRID + k for n, k in cells], dtype=np.int64)
    everything = bank()
    defined = everything.defined[:, columns].all(axis=1)
    rows = np.nonzero(defined)[0]
    values = everything.values[np.ix_(rows, columns)]
    if modulus:
        reduced = values % modulus
        # a term already in 0..modulus-1 on these cells is the plain reading: not read modulo too
        wraps = (reduced != values).any(axis=1)
        rows, values = rows[wraps], reduced[wraps]
        defined = defined.copy()
        defined[:] = False
        defined[rows] = True
    prints = fingerprints(values)
    # one 64-bit key per row (a chance collision among 10^5 rows: about 2^-30), sorted in one dimension:
    # np.unique over rows of two keys sorts lexicographically, ten times slower
    key = prints[:, 0] ^ (prints[:, 1] * np.uint64(0x9E3779B97F4A7C15))
    _, first = np.unique(key, return_index=True)
    return columns, defined, rows[np.sort(first)]


def _agreement(rows: np.ndarray, columns: np.ndarray, target: np.ndarray, modulus: int) -> np.ndarray:
    """For each row, how many of the first cells it matches (narrowing column by column: few rows
    survive the first terms)."""
    values = bank().values
    agree = np.zeros(len(rows), dtype=np.int64)
    alive = np.arange(len(rows))
    for j, column in enumerate(columns):
        if not len(alive):
            break
        cell = values[rows[alive], column]
        if modulus:
            cell = cell % modulus
        alive = alive[cell == target[j]]
        agree[alive] = j + 1
    return agree


@lru_cache(maxsize=1)
def _choice_bits() -> np.ndarray:
    """choice_bits(r) for the ranks r = 1..len(bank())."""
    return np.array([choice_bits(r) for r in range(1, len(bank().nodes) + 1)], dtype=np.int64)


def _exact(spec: dict, cells, start: int, end: int) -> list[int]:
    return [cell_value(spec, n, k) for n, k in cells[start:end]]


def _matches(spec: dict, cells, terms: list[int], window: int, end: int) -> bool:
    if end <= window:
        return True
    try:
        return _exact(spec, cells, window, end) == terms[window:end]
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return False


def _ahead(spec: dict, total: int) -> tuple[int, ...]:
    return tuple(terms_from(spec, total, AHEAD))  # spec["start"] = 0 here: the cells from number total on


def _search_reading(terms: list[int], shape: str, modulus: int, extra: int):
    """(spec, fitted, parameters, rank, next terms) of the reading's chosen candidate, or None."""
    total = len(terms)
    cells, window = _cells(shape, total)
    if window < FEWEST_FITTED + MARGIN or any(abs(t) > arithmetic.LIMIT for t in terms[:window]):
        return None  # the bank's values are exact below LIMIT; the cells after the grid are computed exactly
    _, defined, distinct = _candidates(shape, min(window, DISTINCT_CELLS), modulus)
    columns = np.array([n * GRID + k for n, k in cells[:window]], dtype=np.int64)
    if not len(distinct):
        return None
    everything = bank()
    target = np.array(terms[:window], dtype=np.int64)
    agree = _agreement(distinct, columns, target, modulus)
    bits = _choice_bits()[:len(distinct)]
    parameters = np.maximum(bits, everything.sizes[distinct]) + extra
    fitted = total - parameters - MARGIN
    allowed = fitted >= FEWEST_FITTED
    hits = np.nonzero(allowed & (agree >= np.minimum(fitted, window)))[0]

    def spec_of(row: int) -> dict:
        return {"shape": shape, "term": everything.nodes[row], "modulus": modulus or None, "start": 0}
    chosen = next((int(h) for h in hits if _matches(spec_of(int(distinct[h])), cells, terms, window,
                                                    min(int(fitted[h]), total))), None)
    if chosen is None or agree[chosen] < window:
        return None
    row = int(distinct[chosen])
    spec = spec_of(row)
    try:
        if not _matches(spec, cells, terms, window, total):
            return None
        mine = _ahead(spec, total)
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None
    defined_rows = np.nonzero(defined)[0]
    same = defined_rows[_agreement(defined_rows, columns, target, modulus) == window]
    if not rivals_agree(same, row, chosen + 1, distinct, mine,
                        lambda other: _matches(spec_of(other), cells, terms, window, total),
                        lambda other: _ahead(spec_of(other), total)):
        return None
    return spec, int(fitted[chosen]), int(parameters[chosen]), chosen + 1, mine


def readings(terms: list[int]) -> list[tuple[str, int]]:
    """(shape, modulus) pairs searched for these terms (modulus 0: none)."""
    out = [(shape, 0) for shape in SHAPES]
    if terms and min(terms) >= 0 and 2 <= max(terms) + 1 <= MAX_MODULUS:
        out += [(shape, max(terms) + 1) for shape in SHAPES]
    return out


def guess_array(terms: list[int], offset: int = 0) -> Answer | None:
    """The Answer (spec, statement, fitted, parameters) of the reading that describes the terms, or None (none
    fits, or two that fit predict different next terms)."""
    total = len(terms)
    if total < FEWEST_FITTED + MARGIN + 1:
        return None
    if len(set(terms)) < 3:
        return None  # two values: the characteristic and periodic families read those
    if len({b - a for a, b in zip(terms, terms[1:])}) == 1:
        return None  # an arithmetic progression is no table (rows of 2^n read k + 2^n = m + 1: A080683 parts at m = 29)
    tried = readings(terms)
    extra = choice_bits(len(tried))
    options = []
    for shape, modulus in tried:
        found = _search_reading(terms, shape, modulus, extra + (1 if modulus else 0))
        if found is not None:
            options.append(found)
    if not options:
        return None
    if len({option[4] for option in options}) > 1:
        return None
    spec, fitted, parameters, rank, _ = min(options, key=lambda option: option[2])
    spec = dict(spec, start=offset)
    return Answer(spec, statement(spec, rank), fitted, parameters)


def statement(spec: dict, rank: int | None = None) -> str:
    node = from_json(spec["term"])
    formula = show(node)
    if spec.get("modulus"):
        formula = f"({formula}) mod {spec['modulus']}"
    where = f" (a({spec['start']}) is the first cell)" if spec["start"] else ""
    ranked = f"; the candidate of rank {rank} of the array search" if rank else ""
    return f"T(n, k) = {formula} {WORDS[spec['shape']]}{where}{ranked}{glossary(node)}"
