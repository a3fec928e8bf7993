"""An expression search over number-theoretic primitives, by size (in the spirit of LODA and of
Gauthier and Urban's synthesizer, much smaller): a(n) = E(n) for a term E of a typed language.

The language (``node`` tuples, stored as JSON lists in a claim's spec):
- leaves: ``n``, the constants 1, 2, 3;
- unary primitives (``arithmetic.SCALAR``): sigma, tau, phi, omega, Omega, mu, rad, core, lpf, gpf,
  [x is prime], prime(x), pi(x), binary weight, decimal digit sum and reversal, v2, isqrt, [x is a
  square], x!, Fibonacci(x), [x = 0]; at most two in a row, never of an aggregate, and of 0/1 values
  only [x = 0];
- binary operations: + - * // mod ^ gcd C(x, y);
- aggregates over a body B(k, n), itself a term of the same language in k and n: the sum over the
  divisors d of n of B(d, n), the sum and the product over k = 1..n, the number of k in 1..n with
  B(k, n) != 0, and the least k >= 1 with B(k, n) != 0;
- multiplicative and additive functions given at prime powers: the product (sum) over the p^e
  exactly dividing n of g(p, e), g a term in p and e with + - * // ^ (of the size of g, at least 2).

``bank`` enumerates every term up to the size bounds (``BOUNDS``) bottom-up, smallest first, evaluates
each on n = 0..POINTS-1 at once (numpy, exact below ``arithmetic.LIMIT``) and keeps one term per list
of values (observational equivalence); the aggregates' bodies are enumerated the same way on a grid of
(k, n). ``search`` then reads the bank as a size-ordered list of candidates under the rule of
``guess``: the r-th distinct candidate counts ceil(log2 r) parameters, the first candidate that matches
the fitted prefix (all terms but those parameters plus MARGIN) must match every given term, else
nothing is stated; and no other term at most RIVAL_GAP bits later that also matches every given term
may predict different next terms; nor is a term that reads n only through a subterm taking few values on the
data (tau(n), omega(n), wt(n)) while a term of the bank as simple as the outer function agrees with it on those
values and parts at a value the subterm takes later (``outer_undecided``: the data test the outer function only
there). Stated formulas are evaluated exactly (``value``), on any n.

With at least DEEP_FEWEST_TERMS given terms (28; one more for a reading with an extra parameter), the
search reads ``deep_bank`` instead: the bank followed by the terms of DEEP_SIZE = 6 nodes that are a unary
primitive or a binary operation of the bank's terms in n (same pruning: no unary of a constant, commutative
operations with the smaller side first; one per list of values not already met), fewer than 2^DEEP_BITS
rows in all, so that from that many terms every candidate, whatever its rank, can be fitted on
FEWEST_FITTED terms and confirmed. It is built on first need, once per process: 24-term runs never build
it and their answers are those of the bank alone. ``bounds(count)`` says which was searched.
"""

from __future__ import annotations

from functools import lru_cache
from math import log2

import numpy as np

from . import arithmetic
from .arithmetic import LIMIT, NOTATION, SCALAR, binomial
from .guess import MARGIN, RIVAL_GAP, choice_bits

POINTS = 48
"""The bank holds every term's values at n = 0..POINTS-1."""
MAX_SIZE = 5
"""Largest term in n (nodes)."""
DEEP_SIZE = MAX_SIZE + 1
"""Terms in n of this size are searched too (``deep_bank``) when the given terms can pay for any of them."""
DEEP_BITS = 20
"""The deep bank holds fewer than 2^DEEP_BITS terms, so no candidate in it counts more parameters."""
MAX_BODY_SIZE = 4
"""Largest body B(k, n) of an aggregate (so an aggregate term has at most MAX_BODY_SIZE + 1 nodes)."""
MAX_LOCAL_SIZE = 5
"""Largest g(p, e) of a multiplicative or additive function."""
LEAST_GRID = 64
"""The bank looks for the least k among 1..LEAST_GRID (a stated formula searches up to LEAST_LIMIT)."""
LEAST_LIMIT = 10**4
"""``value`` gives up (ValueError) when no k <= this satisfies a "least k" body."""
FEWEST_FITTED = 6
"""A candidate is tried only while its fitted prefix has at least this many terms."""
DEEP_FEWEST_TERMS = FEWEST_FITTED + MARGIN + DEEP_BITS
"""The deep bank is searched from this many given terms on (plus one per extra parameter of the reading):
then every one of its candidates, whatever its rank, can be fitted on FEWEST_FITTED terms and confirmed by
the rest; with fewer (24 terms, say) the search is the bank's alone, and the deep bank is not built."""
REACH_FACTOR = 4
"""``outer_undecided`` reads the values a subterm will take on the indices below this many times the end
of the given ones (at most REACH_POINTS indices)."""
REACH_POINTS = 2000
"""The most later indices ``outer_undecided`` reads a subterm's values on."""
OUTER_VERIFIED = 64
"""``outer_undecided`` checks at most this many rival rows one by one (digits, values past the bank's
window); with more, the outer function is taken as undecided."""
OUTER_SCANNED = 4096
"""... and reads at most this many rows that agree on the values seen (those with digits of small arguments are
passed over)."""


UNARY = tuple(SCALAR)
BINARY = ("+", "-", "*", "//", "mod", "^", "gcd", "C")
LOCAL_BINARY = ("+", "-", "*", "//", "^")
AGGREGATES = ("sumdiv", "sumrange", "count", "least", "prodrange")
LOCAL = ("mult", "additive")
COMMUTATIVE = {"+", "*", "gcd"}
BOUNDS = (f"terms in n with at most {MAX_SIZE} nodes (leaves n, 1, 2, 3; unary: {', '.join(UNARY)}, at most two "
          f"in a row; binary: {' '.join(BINARY)}); sums over d | n, sums and products over k = 1..n, counts of "
          f"k <= n and least k >= 1 (bank: k <= {LEAST_GRID}) of a body in k and n with at most "
          f"{MAX_BODY_SIZE} nodes; multiplicative and additive functions with f(p^e) a term in p, e with at "
          f"most {MAX_LOCAL_SIZE} nodes (counted as the term's size) ({' '.join(LOCAL_BINARY)}); one term per list of values at "
          f"n = 0..{POINTS - 1}; the r-th distinct candidate counting ceil(log2 r) parameters, candidates "
          f"tried while at least {FEWEST_FITTED} terms remain to fit; none stated whose decimal digit sum or reversal "
          f"only met arguments below {arithmetic.THREE_DIGITS} at the given indices; none stated that reads n only "
          f"through a subterm u(n) repeating its values at the given indices while a term of the search at most "
          f"{RIVAL_GAP} bits after the outer function agrees with it at every value u took there and differs at a "
          f"value u takes below {REACH_FACTOR} times the last index; none stated that reads some Omega(v) only "
          f"through its parity, or reads [core(v) is prime], while no v at the given indices has three primes with "
          f"an odd exponent (v < 30: the two readings agree there), nor omega(v) through its parity while no v has "
          f"three distinct primes; from {DEEP_FEWEST_TERMS} given terms on (one more "
          f"for a reading with a(0) an exception or shifted), also the terms in n of {DEEP_SIZE} nodes that are a "
          f"unary primitive or a binary operation of smaller terms in n, as above, one per list of values not "
          f"already met, after all smaller ones")
DEEP_WORDS = (f"terms in n of {DEEP_SIZE} nodes (a unary primitive or a binary operation of smaller terms in n, "
              f"as above, one per list of values at n = 0..{POINTS - 1} not already met)")


def bounds(count: int) -> str:
    """What ``describe`` searches for ``count`` given terms, exactly (BOUNDS with the deep level settled)."""
    base = BOUNDS[:BOUNDS.index(f"; from {DEEP_FEWEST_TERMS} given terms on")]
    if count >= DEEP_FEWEST_TERMS + 1:
        return f"{base}; and, {count} terms being given, {DEEP_WORDS}, after all smaller ones"
    if count == DEEP_FEWEST_TERMS:
        return (f"{base}; and, {count} terms being given, for the reading from the offset (not for those with one more "
                f"parameter), {DEEP_WORDS}, after all smaller ones")
    return f"{base}; not {DEEP_WORDS} (searched from {DEEP_FEWEST_TERMS} given terms on)"


# --- exact evaluation ------------------------------------------------------------------------------

def _binary(op: str, a: int, b: int) -> int:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op in ("//", "mod"):
        if b == 0:
            raise ValueError("division by zero")
        return a // b if op == "//" else a % b
    if op == "^":
        if b < 0 or b > 4096 or (abs(a) > 1 and b * log2(abs(a)) > 200000):
            raise ValueError("power out of range")
        return a ** b
    if op == "gcd":
        from math import gcd
        return gcd(a, b)
    if op == "C":
        return binomial(a, b)
    raise ValueError(f"unknown operation {op}")


def _divisors(m: int) -> list[int]:
    from .predicates import factor
    out = [1]
    for p, e in factor(m).items():
        out = [d * p**i for d in out for i in range(e + 1)]
    return sorted(out)


def value(node: tuple, env: dict[str, int]) -> int:
    """The term's exact value with the variables of ``env``; ValueError outside its domain."""
    head = node[0]
    if head in ("n", "k", "p", "e"):
        return env[head]
    if head == "c":
        return node[1]
    if head == "u":
        return SCALAR[node[1]](value(node[2], env))
    if head == "b":
        return _binary(node[1], value(node[2], env), value(node[3], env))
    if head == "agg":
        kind, body, n = node[1], node[2], env["n"]
        if kind == "sumdiv":
            if n < 1:
                raise ValueError("a divisor sum needs n >= 1")
            return sum(value(body, {"k": d, "n": n}) for d in _divisors(n))
        if kind == "least":
            for k in range(1, LEAST_LIMIT + 1):
                if value(body, {"k": k, "n": n}) != 0:
                    return k
            raise ValueError(f"no k <= {LEAST_LIMIT}")
        if n < 0:
            raise ValueError("a sum over k = 1..n needs n >= 0")
        values = [value(body, {"k": k, "n": n}) for k in range(1, n + 1)]
        if kind == "sumrange":
            return sum(values)
        if kind == "count":
            return sum(1 for v in values if v != 0)
        product = 1
        for v in values:
            product *= v
        return product
    if head == "local":
        from .predicates import factor
        n = env["n"]
        if n < 1:
            raise ValueError("a multiplicative function needs n >= 1")
        parts = [value(node[2], {"p": p, "e": e}) for p, e in factor(n).items()]
        if node[1] == "additive":
            return sum(parts)
        product = 1
        for v in parts:
            product *= v
        return product
    raise ValueError(f"not a term: {node!r}")


def decimal_reach(instances: list[tuple[tuple, dict[str, int]]]) -> int | None:
    """The least, over the decimal-digit primitives (``arithmetic.DECIMAL``) of a term, of the largest
    |argument| that primitive met in the ``instances`` (pairs of the term, or terms of one shape as
    ``composed`` substitutes them, and the variables it is evaluated with), aggregates' bodies taken at every
    k the aggregate reads; None when the term has no such primitive. ValueError where it cannot be evaluated."""
    reaches: list[int] = []
    _reach(instances, reaches)
    return min(reaches) if reaches else None


def _reach(instances, reaches: list[int]) -> None:
    if not instances:
        return
    node = instances[0][0]
    head = node[0]
    if head == "u":
        if node[1] in arithmetic.DECIMAL:
            reaches.append(max(abs(value(term[2], env)) for term, env in instances))
        _reach([(term[2], env) for term, env in instances], reaches)
    elif head == "b":
        _reach([(term[2], env) for term, env in instances], reaches)
        _reach([(term[3], env) for term, env in instances], reaches)
    elif head == "agg":
        inner = []
        for term, env in instances:
            n, kind = env["n"], term[1]
            if kind == "sumdiv":
                ks = _divisors(n) if n >= 1 else []
            elif kind == "least":
                ks = range(1, value(term, env) + 1)
            else:
                ks = range(1, n + 1)
            inner += [(term[2], {"k": k, "n": n}) for k in ks]
        if any(name in arithmetic.DECIMAL for name in primitive_names(node)):
            if not inner:
                reaches.append(0)
            _reach(inner, reaches)


def decimal_unseen(node: tuple, indices) -> bool:
    """Whether the term reads the decimal digits of an argument that stays below THREE_DIGITS in absolute
    value at every n of ``indices`` (the indices of the terms it was fitted and confirmed on): then the data
    showed the digit primitive only on one- and two-digit numbers, where it agrees with other functions of
    the digits that part later (A004185, the digits of n sorted, and min(n, reverse(n)), A068636, agree for
    n < 100; A145389, the digital root of C(n + 1, 2), and digitsum(digitsum(C(n + 1, 2))) while the inner
    sum stays <= 18), and such a description is not stated."""
    if not any(name in arithmetic.DECIMAL for name in primitive_names(node)):
        return False
    try:
        reach = decimal_reach([(node, {"n": m}) for m in indices])
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return True
    return reach is not None and reach < arithmetic.THREE_DIGITS


def omega_parity_undecided(node: tuple, indices) -> bool:
    """Whether the term reads some Omega(v) only through its parity (its values at ``indices`` are the same
    with Omega(v) read as Omega(v) + 2), or reads [core(v) is prime], while no v there has three primes with
    an odd exponent (``predicates.decides_omega_parity``; none below 30): on such v the two readings agree
    ("Omega(v) is odd" and "exactly one prime has an odd exponent in v"), so the data do not tell them apart
    (A358769 is the second: its 24 terms from n = 0 are "Omega(n) mod 2" but for a(0), and it parts from that
    at n = 30), and neither description is stated (the rule of ``predicates.undecided`` for the set and
    characteristic families). The same for omega(v) read through its parity while no v has three distinct
    primes: "omega(v) is odd" is "v is a prime power" there (A085970)."""
    from .predicates import decides_omega_parity
    for sub in (node, *inner_subterms(node)):
        distinct = sub[:2] == ("u", "omega")
        if sub[:2] == ("u", "isprime") and sub[2][:2] == ("u", "core"):
            argument = sub[2][2]
        elif sub[:2] in (("u", "bigomega"), ("u", "omega")):
            argument = sub[2]
            twin = replaced(node, sub, ("b", "+", sub, ("c", 2)))
            try:
                if any(value(node, {"n": m}) != value(twin, {"n": m}) for m in indices):
                    continue  # Omega(v) itself is read, not only its parity
            except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
                continue
        else:
            continue
        try:
            if not any(decides_omega_parity(value(argument, {"n": m}), distinct) for m in indices):
                return True
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            continue
    return False


def terms_of(node: tuple, offset: int, count: int) -> list[int]:
    return [value(node, {"n": m}) for m in range(offset, offset + count)]


def from_json(data) -> tuple:
    """A term back from its JSON form (nested lists)."""
    if isinstance(data, (list, tuple)):
        return tuple(from_json(part) if isinstance(part, (list, tuple)) else part for part in data)
    raise ValueError(f"not a term: {data!r}")


# --- writing ---------------------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "//": 2, "mod": 2, "^": 3}


def binary_text(node: tuple, left: str, right: str, special) -> str:
    """A binary node ("b", op, x, y) written from its operands' texts: gcd and C as calls, the other
    operators infix, an operand in parentheses where precedence asks for it. ``special(child, text)``:
    the writing family's own rule for an operand (its text, parenthesised or not), or None to follow
    precedence; shared by the expression and the composed families, so both write terms alike."""
    op = node[1]
    if op == "gcd":
        return f"gcd({left}, {right})"
    if op == "C":
        return f"C({left}, {right})"
    level = _PRECEDENCE[op]

    def wrap(child, text, right_side):
        own = special(child, text)
        if own is not None:
            return own
        if child[0] == "b" and child[1] in _PRECEDENCE:
            inner = _PRECEDENCE[child[1]]
            if inner < level or (inner == level and (right_side or op == "^")):
                return f"({text})"
        return text
    return f"{wrap(node[2], left, False)} {op} {wrap(node[3], right, True)}"


def show(node: tuple, bound: str = "k", n: str = "n") -> str:
    """The term in ordinary notation (``bound``: the name of an aggregate's variable; ``n``: what to
    write for n, e.g. ``n + 1``)."""
    head = node[0]
    if head == "k":
        return bound
    if head == "n":
        return n
    if head in ("p", "e"):
        return head
    if head == "c":
        return str(node[1])
    if head == "u":
        return NOTATION[node[1]].format(show(node[2], bound, n))
    if head == "b":
        op = node[1]

        def special(child, text):
            if child[0] == "n" and " " in n:
                return f"({text})"
            if op == "^" and child[0] == "c" and child[1] < 0:
                return f"({text})"
            return None
        return binary_text(node, show(node[2], bound, n), show(node[3], bound, n), special)
    if head == "agg":
        kind, body = node[1], node[2]
        if kind == "sumdiv":
            return f"sum_{{d | {n}}} {show(body, 'd', n)}"
        if kind == "sumrange":
            return f"sum_{{k=1..{n}}} {show(body, 'k', n)}"
        if kind == "prodrange":
            return f"prod_{{k=1..{n}}} {show(body, 'k', n)}"
        if kind == "count":
            return f"#{{k in 1..{n} : {show(body, 'k', n)} != 0}}"
        return f"(least k >= 1 with {show(body, 'k', n)} != 0)"
    if head == "local":
        words = "prod" if node[1] == "mult" else "sum"
        return f"{words}_{{p^e || {n}}} ({show(node[2])})"
    raise ValueError(f"not a term: {node!r}")


# --- the bank --------------------------------------------------------------------------------------

class _Level:
    """Terms of one size: their nodes, values (rows) and where the values are defined."""

    __slots__ = ("nodes", "values", "defined", "chain", "variable")

    def __init__(self, nodes, values, defined, chain, variable):
        self.nodes, self.values, self.defined = nodes, values, defined
        self.chain, self.variable = chain, variable


_SENTINEL = np.int64(-(1 << 62))


def _unary_batch(name: str, values: np.ndarray, defined: np.ndarray):
    table, table_defined = arithmetic.tables()[name]
    if name == "iszero":
        return (values == 0).astype(np.int64), defined.copy()
    inside = defined & (values >= 0) & (values < arithmetic.TABLE)
    index = np.where(inside, values, 0)
    out = table[index]
    ok = inside & table_defined[index]
    if name in ("isprime", "issquare"):  # 0 for negative arguments, as the scalar versions say
        negative = defined & (values < 0)
        out = np.where(negative, 0, out)
        ok = ok | negative
    beyond = arithmetic.direct(name, values, defined & (values >= arithmetic.TABLE))
    if beyond is not None:  # past the table, where the primitive is cheap enough to compute directly
        out, ok = np.where(beyond[1], beyond[0], out), ok | beyond[1]
    return np.where(ok, out, 0), ok


_LOG_LIMIT = log2(LIMIT)


def binary_batch(op: str, a: np.ndarray, b: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a op b`` elementwise for a binary operation of BINARY, with where the result is defined: ``ok``
    (where both operands are) narrowed to the entries the operation allows (no division by 0, no
    overflow past LIMIT, ...). Returns (values, defined), the values 0 where undefined. The bank's
    enumeration and ``arrays``' products of factors in n and in k build their rows with it."""
    with np.errstate(all="ignore"):
        if op == "+":
            out = a + b
        elif op == "-":
            out = a - b
        elif op == "*":
            ok = ok & (np.abs(a.astype(np.float64) * b) <= LIMIT)
            out = np.where(ok, a, 0) * np.where(ok, b, 0)
        elif op in ("//", "mod"):
            ok = ok & (b != 0)
            safe = np.where(ok, b, 1)
            out = a // safe if op == "//" else a % safe
        elif op == "^":
            magnitude = np.abs(a).astype(np.float64)
            small = (magnitude <= 1) | (b * np.log2(np.maximum(magnitude, 1.0)) <= _LOG_LIMIT)
            ok = ok & (b >= 0) & (b <= 62) & small
            out = np.power(np.where(ok, a, 1), np.where(ok, b, 0))
        elif op == "gcd":
            out = np.gcd(a, b)
        else:  # C(a, b)
            table, table_defined = arithmetic.binomial_table()
            size = table.shape[0]
            ok = ok & (a >= 0) & (a < size)
            aa = np.where(ok, a, 0)
            outside = (b < 0) | (b > aa)
            bb = np.clip(b, 0, size - 1)
            out = np.where(outside, 0, table[aa, bb])
            ok = ok & (outside | table_defined[aa, bb])
    ok = ok & (np.abs(out) <= LIMIT)
    return np.where(ok, out, 0), ok


def _keys(values: np.ndarray, defined: np.ndarray) -> list[bytes]:
    marked = np.where(defined, values, _SENTINEL)
    return [row.tobytes() for row in marked]


def _unseen_rows(values: np.ndarray, defined: np.ndarray, seen: set[bytes]) -> list[int]:
    """The rows defined somewhere whose list of values is not in ``seen`` (the first of equal rows), which
    ``seen`` then takes in: one term per list of values."""
    useful = defined.any(axis=1)
    chosen = []
    for i, key in enumerate(_keys(values, defined)):
        if useful[i] and key not in seen:
            seen.add(key)
            chosen.append(i)
    return chosen


def _enumerate(leaves: list[tuple[tuple, np.ndarray]], max_size: int, unary: tuple[str, ...],
               binary: tuple[str, ...], extra=None) -> dict[int, _Level]:
    """Every term up to ``max_size`` nodes over the leaves, one per list of values (the first, smallest
    one), by levels. ``extra(size, levels)`` adds terms of a size built otherwise (aggregates)."""
    seen: set[bytes] = set()
    levels: dict[int, _Level] = {}

    nodes = [leaf[0] for leaf in leaves]
    values = np.array([leaf[1] for leaf in leaves], dtype=np.int64)
    # A leaf may say where it is defined (a third item); the bank's leaves are defined everywhere.
    defined = np.array([leaf[2] if len(leaf) > 2 else np.ones(len(leaf[1]), bool) for leaf in leaves], dtype=bool)
    variable = np.array([leaf[0] != "c" for leaf in nodes])
    values = np.where(defined, values, 0)
    chosen = _unseen_rows(values, defined, seen)
    levels[1] = _Level([nodes[i] for i in chosen], values[chosen], defined[chosen], np.zeros(len(chosen), int),
                       variable[chosen])
    for size in range(2, max_size + 1):
        levels[size] = _next_level(levels, size, unary, binary, extra, seen)
    return levels


def _next_level(levels: dict[int, _Level], size: int, unary: tuple[str, ...], binary: tuple[str, ...], extra,
                seen: set[bytes]) -> _Level:
    """The terms of ``size`` nodes built from the smaller ``levels`` whose values are not in ``seen`` (which
    takes them in). Each batch is deduplicated as soon as it is built, so that a large level never holds
    all its raw candidates at once (same terms, same order as deduplicating them all at the end)."""
    width = levels[1].values.shape[1]
    level_nodes, level_values, level_defined, level_chain, level_variable = [], [], [], [], []

    def take(builder, out, ok, chain, var):
        if not len(out):
            return
        chosen = _unseen_rows(out, ok, seen)
        if not chosen:
            return
        level_nodes.extend(builder[i] for i in chosen)
        level_values.append(out[chosen])
        level_defined.append(ok[chosen])
        level_chain.append(np.asarray(chain)[chosen])
        level_variable.append(np.asarray(var)[chosen])

    child = levels[size - 1]
    # Unary primitives of unary chains longer than two, of aggregates and of 0/1 values (but [x = 0])
    # describe few sequences and would crowd the search's ranks: not enumerated; nor of constants (the
    # value is a constant the binary terms already reach, or a bank entry of no use).
    boolean = ((child.values == 0) | (child.values == 1) | ~child.defined).all(axis=1)
    usable = np.nonzero((child.chain < 2) & child.variable)[0]
    if len(usable):
        for name in unary:
            rows = usable[~boolean[usable]] if name != "iszero" else usable
            out, ok = _unary_batch(name, child.values[rows], child.defined[rows])
            take([("u", name, child.nodes[i]) for i in rows], out, ok, child.chain[rows] + 1, child.variable[rows])
    if extra is not None:
        for part in extra(size):  # aggregates before binary terms: the language's main device
            take(*part)
    for left_size in range(1, size - 1):
        right_size = size - 1 - left_size
        left, right = levels.get(left_size), levels.get(right_size)
        if left is None or right is None or not len(left.nodes) or not len(right.nodes):
            continue
        for op in binary:
            if op in COMMUTATIVE and left_size > right_size:
                continue  # a op b with a the smaller side (equal sizes: both orders, deduplicated by value)
            # In slices of the left side: the batch's rows are len(left) * len(right) lists of values.
            step = max(1, 65536 // len(right.nodes))
            for start in range(0, len(left.nodes), step):
                stop = min(len(left.nodes), start + step)
                lv, ld, lvar = left.values[start:stop], left.defined[start:stop], left.variable[start:stop]
                a = np.repeat(lv, len(right.nodes), axis=0)
                b = np.tile(right.values, (stop - start, 1))
                ok = np.repeat(ld, len(right.nodes), axis=0) & np.tile(right.defined, (stop - start, 1))
                out, ok = binary_batch(op, a, b, ok)
                var = np.repeat(lvar, len(right.nodes)) | np.tile(right.variable, stop - start)
                take(_PairNodes(op, left.nodes[start:stop], right.nodes, len(right.nodes)), out, ok,
                     np.zeros(len(out), int), var)
    if level_nodes:
        return _Level(level_nodes, np.concatenate(level_values), np.concatenate(level_defined),
                      np.concatenate(level_chain), np.concatenate(level_variable))
    return _Level([], np.zeros((0, width), np.int64), np.zeros((0, width), bool), np.zeros(0, int), np.zeros(0, bool))


def terms_over(leaves: list[tuple], max_size: int, unary: tuple[str, ...] = UNARY) -> dict[int, _Level]:
    """Every term of at most ``max_size`` nodes over ``leaves`` ((node, values) or (node, values, defined)
    rows) with the unary primitives ``unary`` and the bank's binary operations, with the bank's pruning,
    one per list of values, by size (levels with ``nodes``, ``values``, ``defined``): the bank's
    enumeration over other leaves, which ``composed`` uses with a classical sequence's values as leaves."""
    return _enumerate(leaves, max_size, unary, BINARY)


class _PairNodes:
    """The nodes of a batch of binary terms, built only for the rows that are kept."""

    def __init__(self, op, left, right, count):
        self.op, self.left, self.right, self.count = op, left, right, count

    def __getitem__(self, i):
        return ("b", self.op, self.left[i // self.count], self.right[i % self.count])


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """(k, n) for n = 0..POINTS-1 and k = 1..LEAST_GRID, n-major (row n holds k = 1..LEAST_GRID)."""
    n = np.repeat(np.arange(POINTS), LEAST_GRID)
    k = np.tile(np.arange(1, LEAST_GRID + 1), POINTS)
    return k, n


def _sum_or_product(v: np.ndarray, mask: np.ndarray, product: bool):
    """(the sum, or the product, of v over its last axis where mask holds; whether the product's
    magnitude stays within 2^_LOG_LIMIT, always true for a sum). Checked before the product is trusted:
    int64 products overflow silently."""
    if not product:
        return np.where(mask, v, 0).sum(axis=2), True
    magnitude = np.where(mask, np.log2(np.maximum(np.abs(v).astype(np.float64), 1.0)), 0).sum(axis=2)
    return np.where(mask, v, 1).prod(axis=2), magnitude <= _LOG_LIMIT


def _aggregate(kind: str, values: np.ndarray, defined: np.ndarray):
    """Each body row (on the grid) aggregated to a row over n = 0..POINTS-1."""
    rows = len(values)
    v = values.reshape(rows, POINTS, LEAST_GRID)
    d = defined.reshape(rows, POINTS, LEAST_GRID)
    k = np.arange(1, LEAST_GRID + 1)[None, :]
    n = np.arange(POINTS)[:, None]
    with np.errstate(all="ignore"):
        if kind == "least":
            hit = d & (v != 0)
            first = hit.argmax(axis=2)
            found = hit.any(axis=2)
            bad_before = np.cumsum(~d, axis=2)
            clean = np.take_along_axis(bad_before, first[:, :, None], axis=2)[:, :, 0] == 0
            ok = found & clean
            return np.where(ok, first + 1, 0), ok
        mask = (k <= n) if kind != "sumdiv" else ((n >= 1) & (n % k == 0))
        mask = np.broadcast_to(mask, v.shape)
        ok = (d | ~mask).all(axis=2)
        if kind == "sumdiv":
            ok = ok & (np.arange(POINTS) >= 1)[None, :]
        if kind == "count":
            out = (mask & (v != 0)).sum(axis=2)
        else:
            out, within = _sum_or_product(v, mask, product=kind == "prodrange")
            ok = ok & within
        ok = ok & (np.abs(out) <= LIMIT)
        return np.where(ok, out, 0).astype(np.int64), ok


@lru_cache(maxsize=1)
def _prime_powers() -> tuple[list[tuple[int, int]], np.ndarray]:
    """The (p, e) with p^e < POINTS, and for each n < POINTS the indices of the p^e exactly dividing it
    (padded with len(pairs), the place of the neutral column)."""
    from .predicates import factor
    pairs = sorted({(p, e) for m in range(2, POINTS) for p, e in factor(m).items()})
    where = {pair: i for i, pair in enumerate(pairs)}
    width = max(len(factor(m)) for m in range(1, POINTS))
    index = np.full((POINTS, width), len(pairs), dtype=np.int64)
    for m in range(1, POINTS):
        for j, pair in enumerate(factor(m).items()):
            index[m, j] = where[pair]
    return pairs, index


def _local(kind: str, values: np.ndarray, defined: np.ndarray):
    pairs, index = _prime_powers()
    neutral = 1 if kind == "mult" else 0
    v = np.concatenate([values, np.full((len(values), 1), neutral, np.int64)], axis=1)[:, index]
    d = np.concatenate([defined, np.ones((len(values), 1), bool)], axis=1)[:, index]
    ok = d.all(axis=2)
    ok[:, 0] = False  # n = 0
    with np.errstate(all="ignore"):
        out, within = _sum_or_product(v, d, product=kind == "mult")
    ok = ok & within & (np.abs(out) <= LIMIT)
    return np.where(ok, out, 0).astype(np.int64), ok


class Bank:
    """Every term of the search, smallest first: nodes, sizes, values at n = 0..POINTS-1, defined."""

    def __init__(self, nodes, sizes, values, defined, levels=None):
        self.nodes, self.sizes, self.values, self.defined = nodes, sizes, values, defined
        self.levels = levels  # the terms in n by size (``deep_bank`` grows them by one node)


@lru_cache(maxsize=1)
def bank() -> Bank:
    """The search's candidates, built once per process."""
    k, n = _grid()
    bodies = _enumerate([(("k",), k), (("n",), n), (("c", 1), np.ones_like(k)), (("c", 2), 2 * np.ones_like(k))],
                        MAX_BODY_SIZE, UNARY, BINARY)
    pairs, _ = _prime_powers()
    p = np.array([pp for pp, _ in pairs])
    e = np.array([ee for _, ee in pairs])
    locals_ = _enumerate([(("p",), p), (("e",), e), (("c", 1), np.ones_like(p)), (("c", 2), 2 * np.ones_like(p))],
                         MAX_LOCAL_SIZE, (), LOCAL_BINARY)

    def extra(size):
        parts = []
        body = bodies.get(size - 1)
        if body is not None and len(body.nodes):
            uses_k = np.array([uses(node, "k") for node in body.nodes])
            chosen = np.nonzero(uses_k)[0]
            for kind in AGGREGATES:
                for start in range(0, len(chosen), 512):
                    rows = chosen[start:start + 512]
                    out, ok = _aggregate(kind, body.values[rows], body.defined[rows])
                    parts.append(([("agg", kind, body.nodes[i]) for i in rows], out, ok,
                                  np.full(len(rows), 2), np.ones(len(rows), bool)))
        # A multiplicative or additive function costs what its g(p, e) costs (at least 2): arithmetic
        # functions given at prime powers are the commonest kind in the OEIS, so the prior favours them.
        for local in [locals_.get(size)] + ([locals_.get(1)] if size == 2 else []):
            if local is None or not len(local.nodes):
                continue
            for kind in LOCAL:
                out, ok = _local(kind, local.values, local.defined)
                parts.append(([("local", kind, node) for node in local.nodes], out, ok,
                              np.full(len(local.nodes), 2), np.ones(len(local.nodes), bool)))
        return parts

    leaves = [(("n",), np.arange(POINTS))] + [(("c", c), np.full(POINTS, c)) for c in (1, 2, 3)]
    levels = _enumerate(leaves, MAX_SIZE, UNARY, BINARY, extra)
    nodes, sizes, values, defined = [], [], [], []
    for size in sorted(levels):
        level = levels[size]
        nodes.extend(level.nodes)
        sizes.extend([size] * len(level.nodes))
        values.append(level.values)
        defined.append(level.defined)
    return Bank(nodes, np.array(sizes), np.concatenate(values), np.concatenate(defined), levels)


@lru_cache(maxsize=1)
def deep_bank() -> Bank:
    """``bank`` and then the terms of DEEP_SIZE nodes (unary primitives and binary operations over the bank's
    terms in n; no new aggregates or multiplicative functions), one per list of values not already in the
    bank: built on first need (only ``search(..., deep=True)`` with at least DEEP_FEWEST_TERMS terms asks
    for it), once per process."""
    base = bank()
    seen = set(key for key, useful in zip(_keys(base.values, base.defined), base.defined.any(axis=1)) if useful)
    level = _next_level(base.levels, DEEP_SIZE, UNARY, BINARY, None, seen)
    del seen
    if len(level.nodes) >= 1 << DEEP_BITS:  # the rule that decides when it is searched relies on this
        raise RuntimeError(f"the deep level holds {len(level.nodes)} terms, not fewer than 2^{DEEP_BITS}")
    return Bank(base.nodes + level.nodes, np.concatenate([base.sizes, np.full(len(level.nodes), DEEP_SIZE)]),
                np.concatenate([base.values, level.values]), np.concatenate([base.defined, level.defined]))


def uses(node: tuple, name: str) -> bool:
    """Whether the term ``node`` holds the leaf ``(name,)`` (a variable: "n", "k", "p", ...) anywhere."""
    if node[0] == name:
        return True
    return any(isinstance(part, tuple) and uses(part, name) for part in node[1:])


# --- the search ------------------------------------------------------------------------------------

class Found:
    """What the search chose: the term, its rank among the distinct candidates, and how many were tried."""

    __slots__ = ("node", "rank", "size", "fitted", "parameters", "max_size")

    def __init__(self, node, rank, size, fitted, parameters, max_size=MAX_SIZE):
        self.node, self.rank, self.size, self.fitted, self.parameters = node, rank, size, fitted, parameters
        self.max_size = max_size  # the largest terms in n that were searched (MAX_SIZE or DEEP_SIZE)


AHEAD = 12
"""Next terms on which rivals are compared (as ``consensus.AHEAD``)."""


@lru_cache(maxsize=16)
def _window(offset: int, window: int, deep: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the indices offset..offset+window-1 (the same for every sequence given that many terms):
    which bank rows are defined there, the first row of each distinct list of values there in bank
    order (the candidates, by rank), and each candidate's choice bits."""
    everything = deep_bank() if deep else bank()
    values = everything.values[:, offset:offset + window]
    defined = everything.defined[:, offset:offset + window].all(axis=1)
    candidates = np.nonzero(defined)[0]
    _, first = np.unique(fingerprints(values[candidates]), axis=0, return_index=True)
    distinct = candidates[np.sort(first)]
    bits = np.array([choice_bits(r) for r in range(1, len(distinct) + 1)], dtype=np.int64)
    return defined, distinct, bits


def searched_size(count: int, extra_parameters: int = 0, deep: bool = True) -> int:
    """The largest terms in n that ``search`` reads for ``count`` given terms: DEEP_SIZE from
    DEEP_FEWEST_TERMS terms (plus the extra parameters) on when ``deep``, else MAX_SIZE."""
    return DEEP_SIZE if deep and count >= DEEP_FEWEST_TERMS + extra_parameters else MAX_SIZE


def fingerprints(values: np.ndarray) -> np.ndarray:
    """Two 64-bit hashes of each row (mixed values, weighted by random odd multipliers, wrapping): rows
    with equal fingerprints are taken to be equal (a chance collision among the deep bank's 549,000 rows
    has probability about 2^-88); sorting 16 bytes a row instead of whole rows makes the window's distinct
    candidates quick to find."""
    x = values.astype(np.uint64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    multipliers = np.random.default_rng(17).integers(0, 1 << 62, size=(2, values.shape[1]), dtype=np.uint64)
    multipliers = multipliers * np.uint64(2) + np.uint64(1)
    return np.stack([(x * multipliers[0]).sum(axis=1, dtype=np.uint64),
                     (x * multipliers[1]).sum(axis=1, dtype=np.uint64)], axis=1)


def search(terms: list[int], offset: int, extra_parameters: int = 0, ahead: int = AHEAD,
           deep: bool = False) -> Found | None:
    """The first candidate (distinct on the given terms, smallest first) that matches its fitted prefix,
    when it matches every term and no rival within RIVAL_GAP bits that also matches them predicts other
    next ``ahead`` terms; None otherwise. With ``deep``, the candidates are those of ``deep_bank`` when
    the terms can pay for any of them (``searched_size``), the rule being the same."""
    total = len(terms)
    if offset < 0 or offset >= POINTS or total < FEWEST_FITTED + MARGIN + 1:
        return None
    if any(abs(t) > LIMIT for t in terms[:POINTS - offset]):
        return None
    max_size = searched_size(total, extra_parameters, deep)
    deep = max_size == DEEP_SIZE
    everything = deep_bank() if deep else bank()
    window = min(total, POINTS - offset)
    defined, distinct, bits = _window(offset, window, deep)
    if not len(distinct):
        return None
    target = np.array(terms[:window], dtype=np.int64)
    agree = np.cumprod(everything.values[distinct, offset:offset + window] == target, axis=1).sum(axis=1)
    parameters = np.maximum(bits, everything.sizes[distinct]) + extra_parameters
    fitted = total - parameters - MARGIN
    allowed = fitted >= FEWEST_FITTED
    hits = np.nonzero(allowed & (agree >= np.minimum(fitted, window)))[0]
    # With more terms than the bank's window, a candidate's fitted prefix reaches past the window: the
    # first candidate that matches it is the first hit whose exact values there match too.
    chosen = next((int(hit) for hit in hits if _matches(everything.nodes[int(distinct[hit])], terms, offset,
                                                        window, min(int(fitted[hit]), total))), None)
    if chosen is None:
        return None
    if not allowed[:chosen + 1].all() or agree[chosen] < window:
        return None
    row = int(distinct[chosen])
    node = everything.nodes[row]
    try:
        if not _matches(node, terms, offset, window, total):
            return None
        mine = terms_of(node, offset + total, ahead)
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None
    if outer_undecided(node, range(offset, offset + total), everything):
        return None  # a function of a few-valued subterm that the data leave open (``outer_undecided``)
    # Rivals: every bank row equal to the terms on the window (and, beyond it, on the other given terms),
    # named by the rank of the first distinct candidate at or after it, no more than RIVAL_GAP bits
    # after the chosen one.
    same = np.nonzero(defined & (everything.values[:, offset:offset + window] == target).all(axis=1))[0]
    if not rivals_agree(same, row, chosen + 1, distinct, mine,
                        lambda other: _matches(everything.nodes[other], terms, offset, window, total),
                        lambda other: terms_of(everything.nodes[other], offset + total, ahead)):
        return None
    return Found(node, chosen + 1, int(everything.sizes[row]), int(fitted[chosen]), int(parameters[chosen]),
                 max_size)


def inner_subterms(node: tuple, depends=None):
    """The proper subterms of ``node`` in n (``depends``: whether a term varies with n; default, whether it
    holds n) other than n itself that are reached through unary primitives and binary operations only (not
    inside an aggregate's body or a g(p, e)), each once, outermost first."""
    depends = depends if depends is not None else _varies
    seen = set()
    stack = [child for child in node[2:] if isinstance(child, tuple)] if node[0] in ("u", "b") else []
    while stack:
        sub = stack.pop(0)
        if sub in seen or not depends(sub) or sub == ("n",):
            continue
        seen.add(sub)
        yield sub
        if sub[0] in ("u", "b"):
            stack.extend(child for child in sub[2:] if isinstance(child, tuple))


def _varies(node: tuple) -> bool:
    """Whether a term varies with n: it holds n, or an aggregate or a multiplicative function (which read n
    without holding the leaf)."""
    if node[0] in ("n", "agg", "local"):
        return True
    return any(isinstance(part, tuple) and _varies(part) for part in node[1:])


def replaced(node: tuple, sub: tuple, by: tuple) -> tuple:
    """``node`` with every occurrence of the subterm ``sub`` replaced by ``by``."""
    if node == sub:
        return by
    return tuple(replaced(part, sub, by) if isinstance(part, tuple) else part for part in node)


def outer_undecided(node: tuple, indices, everything: Bank | None = None, evaluate=None, depends=None) -> bool:
    """Whether ``node`` reads n only through a subterm u(n) that repeats its values at ``indices`` (the
    given terms' indices: tau(n), omega(n), wt(n), ...) while the data leave the outer function g (``node``
    with u(n) read as a variable x) open: the data test g only at the set V of values u took there, and a
    term of the bank (``everything``; its rows are terms in one variable, valued at 0..POINTS-1) no more
    than RIVAL_GAP bits after g agrees with g at every x of V (below POINTS; those above, exactly) but
    differs at a value u takes at a later index (below REACH_FACTOR times the end of ``indices``, within
    the bank's window). Then which of the two the terms describe is not decided by them, and neither is
    stated: ceil(tau(n)/2), A038548, and isqrt(isqrt(tau(n)^3)) agree while tau(n) is at most 12, 14 or 16,
    and part at tau(n) = 15 (n = 144); pi(wt(n)^2) and 2·wt(n) - 2 (A076178's summands) part at wt(n) = 5.
    2^omega(n) from n <= 130 (omega at most 3) is not refused: no term that simple gives 1, 2, 4, 8 and
    not 16. ``evaluate(sub, m)`` and ``depends(sub)`` read a subterm's value at index m and whether it varies
    with m, for a family whose terms hold other leaves (``composed``: B(m)); by default, n is the index."""
    everything = everything if everything is not None else bank()
    evaluate = evaluate if evaluate is not None else (lambda sub, m: value(sub, {"n": m}))
    depends = depends if depends is not None else _varies
    indices = list(indices)
    if len(indices) < 2 or node[0] not in ("u", "b"):
        return False
    end = indices[-1] + 1
    later = range(end, min(max(end * REACH_FACTOR, end + 1), end + REACH_POINTS))
    for sub in inner_subterms(node, depends):
        outer = replaced(node, sub, ("x",))
        if depends(outer) or not uses(outer, "x"):
            continue  # n is also read elsewhere, or the subterm is the whole reading
        try:
            seen = {evaluate(sub, m) for m in indices}
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            continue
        if len(seen) >= len(indices):
            continue  # no repeated value: the data test g at as many points as there are terms
        reached = set()
        for m in later:
            try:
                reached.add(evaluate(sub, m))
            except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
                continue
        unseen = sorted(x for x in reached - seen if 0 <= x < POINTS)
        if not unseen:
            continue
        g = replaced(outer, ("x",), ("n",))
        inside = sorted(x for x in seen if 0 <= x < POINTS)
        outside = sorted(x for x in seen if not 0 <= x < POINTS)
        if _outer_rival(g, inside, outside, unseen, everything):
            return True
    return False


def _outer_rival(g: tuple, inside: list[int], outside: list[int], unseen: list[int], everything: Bank) -> bool:
    """Whether a bank row no more than RIVAL_GAP bits after the term ``g`` (in n) equals g at every x of
    ``inside`` (below POINTS) and ``outside`` (checked exactly) and differs from it at some x of ``unseen``."""
    mine = np.zeros(POINTS, np.int64)
    known = np.zeros(POINTS, bool)
    for x in range(POINTS):
        try:
            v = value(g, {"n": x})
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            continue
        if abs(v) <= LIMIT:
            mine[x], known[x] = v, True
    if not known[inside].all():
        return False
    later = [x for x in unseen if known[x]]
    if not later:
        return False
    # g's place in the bank: the first row equal to it wherever g is defined at 0..POINTS-1 (looked for in
    # blocks that grow fourfold, g being small).
    # Not there (a form the bank prunes): the last row of its size.
    columns = np.nonzero(known)[0]
    place = int(np.searchsorted(everything.sizes, _nodes(g), side="right")) - 1
    start, stop = 0, 1024
    while start <= place:
        block = slice(start, min(stop, place + 1))
        equal = ((everything.values[block][:, columns] == mine[columns])
                 & everything.defined[block][:, columns]).all(axis=1)
        if equal.any():
            place = start + int(np.argmax(equal))
            break
        start, stop = stop, stop * 4
    last = min(len(everything.nodes), 1 << (choice_bits(place + 1) + RIVAL_GAP))
    # The rows equal to g on ``inside``, narrowed one value at a time (the first ones cut most).
    rows = np.arange(last)
    for x in inside:
        rows = rows[everything.defined[rows, x] & (everything.values[rows, x] == mine[x])]
        if not len(rows):
            return False
    differ = (everything.defined[rows][:, later] & (everything.values[rows][:, later] != mine[later])).any(axis=1)
    seen, checked, candidates = inside + outside, 0, rows[differ]
    for row in candidates[:OUTER_SCANNED]:
        rival = everything.nodes[int(row)]
        if decimal_unseen(rival, seen):
            continue  # digits of arguments below 100 (n itself, below 10): not a description either
        checked += 1
        try:
            if all(value(rival, {"n": x}) == value(g, {"n": x}) for x in outside):
                return True
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            pass
        if checked >= OUTER_VERIFIED:
            return True  # too many to check: undecided
    return len(candidates) > OUTER_SCANNED  # too many to read: undecided


def _nodes(node: tuple) -> int:
    return 1 + sum(_nodes(part) for part in node[1:] if isinstance(part, tuple))


def rivals_agree(same, row: int, rank: int, distinct, mine, fits_given_terms, next_terms) -> bool:
    """Whether every rival of the chosen bank row agrees with it on the next terms (``mine``): the rule
    the expression and the array searches share, so that both name and weigh rivals alike. ``same``:
    the bank rows equal to the terms on the window; a rival is such a row, other than ``row``, named by
    the rank of the first distinct candidate at or after it (``distinct``: the rows of the distinct
    candidates, sorted), no more than RIVAL_GAP bits after the chosen ``rank``, that
    ``fits_given_terms(row)`` (the given terms past the window); ``next_terms(row)`` gives its next
    terms, and a rival where they cannot be evaluated is passed over."""
    for other in same:
        if other == row:
            continue
        other_rank = int(np.searchsorted(distinct, other, side="left")) + 1
        if choice_bits(other_rank) > choice_bits(rank) + RIVAL_GAP:
            continue
        if not fits_given_terms(int(other)):
            continue  # it differs from a given term past the window: no rival
        try:
            theirs = next_terms(int(other))
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            continue
        if theirs != mine:
            return False
    return True


def _matches(node: tuple, terms: list[int], offset: int, window: int, end: int) -> bool:
    """Whether the term's exact values equal terms[window:end] (the given terms past the bank's window,
    up to ``end``); False where it cannot be evaluated there. True when end <= window."""
    if end <= window:
        return True
    try:
        return terms_of(node, offset + window, end - window) == terms[window:end]
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return False


# --- the family ------------------------------------------------------------------------------------

def description_terms(spec: dict, offset: int, count: int) -> list[int]:
    """A stated description's terms a(offset..offset+count-1), exactly (``families.evaluate``)."""
    node, shift = from_json(spec["expression"]), spec.get("shift", 0)
    if spec.get("first") is None:
        return terms_of(node, offset + shift, count)
    return ([spec["first"]] + terms_of(node, offset + 1 + shift, count - 1))[:count]


def describe(terms: list[int], offset: int = 0) -> dict | None:
    """The expression search as a family: the fields of its ``families.Description`` (which
    ``families.guess_expression`` builds; this module sits below ``families``), or None."""
    # Readings: from the offset; with a(0) a lone exception (one more parameter); shifted, a(n) = E(n + 1)
    # (one more parameter: lists and tables are often read from n = 0 for a rule that starts at 1).
    options = []
    if (found := search(terms, offset, deep=True)) is not None:
        options.append((found, None, 0))
    if offset == 0 and len(terms) > 1 and (found := search(terms[1:], 1, extra_parameters=1, deep=True)) is not None:
        options.append((found, terms[0], 0))
    if (found := search(terms, offset + 1, extra_parameters=1, deep=True)) is not None:
        options.append((found, None, 1))
    if not options:
        return None
    if len(options) > 1:
        # Several readings fit: the one with fewest parameters is stated when all agree on the next terms
        # (from n = 0 a formula may be an awkward form that happens to give a(0)); else none is.
        try:
            ahead = {tuple(terms_of(option.node, offset + len(terms) + shift, AHEAD)) for option, _, shift in options}
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            return None
        if len(ahead) > 1:
            return None
        options.sort(key=lambda option: option[0].parameters)  # the extra parameter is counted in there
    found, first, shift = options[0]
    if any(decimal_unseen(option.node, range(offset + (exception is not None) + moved, offset + len(terms) + moved))
           for option, exception, moved in options):
        return None  # a decimal-digit primitive the data showed on two-digit arguments only (decimal_unseen)
    if any(omega_parity_undecided(option.node, range(offset + (exception is not None) + moved, offset + len(terms) + moved))
           for option, exception, moved in options):
        return None  # the parity of Omega where no argument had three odd exponents (omega_parity_undecided)
    formula = show(found.node, n="n + 1" if shift else "n")
    statement = f"a(n) = {formula}" if first is None else f"a(0) = {first}, and a(n) = {formula} for n >= 1"
    deeper = f", then the {DEEP_WORDS}" if found.max_size == DEEP_SIZE else ""
    statement += (f" (expression search: the candidate of rank {found.rank} among the distinct terms of at most "
                  f"{MAX_SIZE} nodes, aggregate bodies of at most {MAX_BODY_SIZE} and f(p^e) of at most "
                  f"{MAX_LOCAL_SIZE}{deeper}, smallest first{glossary(found.node)})")
    spec = {"expression": found.node, "first": first, "shift": shift}
    return {"statement": statement, "spec": spec, "offset": offset, "fitted_on": found.fitted + (first is not None),
            "checked_on": len(terms), "parameters": found.parameters}


def glossary(node: tuple) -> str:
    """"; " and what the primitives the formula uses mean (only those, in arithmetic.MEANING's order), or ""
    where it uses none. Shared by every family that states a term of the bank (expressions, composed, arrays),
    so that a primitive is explained in the same words whichever family states it."""
    used = set(primitive_names(node))
    words = [arithmetic.MEANING[name] for name in arithmetic.MEANING if name in used]
    return "; " + ", ".join(words) if words else ""


def primitive_names(node: tuple):
    """The names of the unary and binary primitives in a term (with repeats), whatever other leaves the
    family's terms hold (constants, n, k, a classical sequence B)."""
    if node[0] in ("u", "b"):
        yield node[1]
    for part in node[1:]:
        if isinstance(part, tuple):
            yield from primitive_names(part)
