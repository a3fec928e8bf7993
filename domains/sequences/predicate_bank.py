"""Lists "the numbers m such that P(m)" with P read from a bank of tests of terms E(m) (the OEIS's most
common kind of entry: "numbers m such that isqrt(3m^2) is odd", A283776; "numbers with exactly 14
divisors", A030632; "numbers m such that sigma(m) + tau(m) is prime").

The bank: terms E(m), simplest first (m itself; f(m) for f among ``FUNCTIONS`` (tau, sigma, phi, omega,
Omega, mu, rad, core, lpf, gpf, digit sum, binary weight, digit reversal, isqrt, pi, the least number
of the same prime signature (A046523), the arithmetic derivative, the 2-adic valuation, the odd part);
f(g(m)) for the images g(m) = m ± 1, m ± 2, 2m ± 1; f(m) - m, f(m) - 2m; isqrt(k·m²) and isqrt(k·m);
f1(f2(m)) for f2 with values <= m; f(m + 1) - f(m); f1(m) ± f2(m)), each under the tests of
``test_names`` (odd, even, prime, not prime, a square, not a square, squarefree, > 0, < 0, != 0, <= 0,
>= 0, a divisor of m, a power of 2, triangular, coprime to m, a multiple of m, = c for small c (for A046523: each signature below SIGNATURE_LIMIT, the sets
p^a q^b ...; for tau: 1..32, the numbers with exactly c divisors), <= c and > c (for gpf and lpf: the
primes up to 31, smooth and rough numbers)). Each (term, test) pair is a candidate; candidates whose characteristic
functions on 0..LIMIT - 1 coincide with an earlier one's are dropped (they are the same set there),
as are sets with fewer than MIN_MEMBERS members there. Their characteristic functions are packed
bitsets, built once per process (3 to 5 seconds), and compared all at once with the list's.

Fitting, as ``families.guess_set_members`` does it: the r-th candidate counts ``choice_bits(r)``
parameters and is fitted on the characteristic bits of [a(0), a(k - 1)], k = N - parameters - MARGIN
list terms; the first candidate (by rank) that fits its prefix must reproduce every given term, else
nothing is stated. Then:
- the characteristic bits after the fitted ones, weighted by the entropy of the set's density, must
  also number parameters + MARGIN (``informative``: a term of a dense list says little);
- another candidate at most RIVAL_GAP bits longer that reproduces every given term but has other
  members among the next HORIZON (32, not only AHEAD) cancels it (both go to ``ambiguous``);
- when the second half of the list's characteristic bits is periodic, the periodic continuation is a
  rival too (``_periodic_next``).
When no candidate fits its prefix, the same sets after an exceptional first term are the second tier
(ranks after the whole first tier; the first term's value one more parameter), from offsets other than 0:
from offset 0 that reading is the shared first-exception reading's (``families``: this search on a(1),
a(2), ... from offset 1, A030632, the numbers with 14 divisors, read from a 0), which reads a(0) only.
A list is read only when it has 12 terms or more and its last term is below LIST_LIMIT (so that AHEAD
further members lie inside the bitsets), and the bitsets of the chosen set must hold AHEAD more members.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from math import isqrt, log2
from typing import Callable

import numpy as np
import sympy

from .arithmetic import THREE_DIGITS, digits_array, isqrt_array, weight_array
from .guess import MARGIN, RIVAL_GAP, Answer, choice_bits

LIMIT = 1 << 15
"""The bank's bitsets cover m = 0..LIMIT - 1."""
LIST_LIMIT = LIMIT * 3 // 5
"""Lists are read only when their last given term is below this (the next members must lie in the bitsets)."""
MIN_MEMBERS = 24
"""A candidate set with fewer members below LIMIT is not in the bank (it cannot be listed there)."""
AHEAD = 12
"""Next members the chosen set must have inside the bitsets (as ``consensus.AHEAD``)."""
HORIZON = 32
"""Next members compared between rivals: more than the 16 terms a benchmark holds out, so that a rival
parting between the 13th and the 32nd next member (beyond ``consensus.AHEAD``) still cancels the choice."""
SCAN_LIMIT = 1 << 19
"""The evaluator gives up (ValueError) beyond this m."""
TABLE_LIMIT = 1 << 21
"""Arithmetic tables go no further (ValueError beyond)."""
PRIME_LIMIT = 1 << 24
"""The primality of a term's values is read from a sieve up to here (ValueError beyond)."""
SIGNATURE_LIMIT = 5000
"""Least numbers of a prime signature (2, 4, 6, 8, 12, ...) below this are the constants of the signature test."""
BANK_TABLE = 1 << 18
"""Tables built for the bank (the terms' values on 0..LIMIT - 1 stay below it)."""
SMALL_VALUES = tuple(range(0, 17))
"""Constants c of the test E(m) = c for the terms but tau (1..32) and A046523 (the signatures)."""

# --- arithmetic tables (numpy, grown by doubling) ---------------------------------------------------

_tables: dict[str, np.ndarray] = {}


def _build(size: int) -> None:
    """Tables of the arithmetic functions on 0..size - 1 (value 0 at 0)."""
    spf = np.zeros(size, dtype=np.int64)
    for p in range(2, isqrt(size - 1) + 1):
        if spf[p] == 0:
            segment = spf[p * p::p]
            segment[segment == 0] = p
    numbers = np.arange(size, dtype=np.int64)
    spf[spf == 0] = numbers[spf == 0]
    one = np.ones(size, dtype=np.int64)
    tau, sigma, phi, rad, core = one.copy(), one.copy(), one.copy(), one.copy(), one.copy()
    omega, big_omega, gpf = np.zeros(size, np.int64), np.zeros(size, np.int64), one.copy()
    derivative = np.zeros(size, np.int64)
    exponents = []
    rest = numbers.copy()
    active = np.nonzero(rest > 1)[0]
    while active.size:
        r = rest[active]
        p = spf[r]
        e = np.zeros(active.size, np.int64)
        power = np.ones(active.size, np.int64)
        dividing = np.ones(active.size, bool)
        while dividing.any():
            r = np.where(dividing, r // p, r)
            e += dividing
            power = np.where(dividing, power * p, power)
            dividing = (r % p == 0) & (r > 1)
        tau[active] *= e + 1
        sigma[active] *= (power * p - 1) // (p - 1)
        phi[active] *= power // p * (p - 1)
        rad[active] *= p
        core[active] *= np.where(e % 2 == 1, p, 1)
        omega[active] += 1
        derivative[active] += numbers[active] // p * e
        big_omega[active] += e
        gpf[active] = p
        column = np.zeros(size, np.int8)
        column[active] = e
        exponents.append(column)
        rest[active] = r
        active = active[r > 1]
    signature = one.copy()
    if exponents:
        ordered = -np.sort(-np.stack(exponents, axis=1), axis=1)
        for j, q in enumerate((2, 3, 5, 7, 11, 13, 17, 19, 23, 29)[:ordered.shape[1]]):
            signature *= np.power(q, ordered[:, j].astype(np.int64))
    mu = np.where(big_omega == omega, np.where(big_omega % 2 == 0, 1, -1), 0)
    is_prime = (spf == numbers) & (numbers >= 2)
    digit_sum, reverse = digits_array(numbers, False), digits_array(numbers, True)
    weight, roots = weight_array(numbers), isqrt_array(numbers)
    zero = numbers == 0
    for table in (tau, sigma, phi, rad, core, gpf, signature, mu):
        table[zero] = 0
    lpf = np.where(numbers >= 2, spf, 0)
    valuation, odd_part = np.zeros(size, np.int64), numbers.copy()
    while True:
        even = (odd_part % 2 == 0) & (odd_part > 0)
        if not even.any():
            break
        valuation += even
        odd_part = np.where(even, odd_part // 2, odd_part)
    small = dict(ad=derivative, v2=valuation, odd=odd_part, tau=tau, sigma=sigma, phi=phi, omega=omega, Omega=big_omega, mu=mu, rad=rad, core=core, lpf=lpf,
                 gpf=np.where(numbers >= 2, gpf, 0), s10=digit_sum, rev10=reverse, wt2=weight, isqrt=roots,
                 pi=np.cumsum(is_prime), sig=signature)
    _tables.clear()
    _tables.update({name: table.astype(np.int32) for name, table in small.items()})  # halves the memory
    _tables.update(size=np.array(size), prime=is_prime, square=roots * roots == numbers,
                   squarefree=(big_omega == omega) & (numbers >= 1))


def tables(needed: int) -> dict[str, np.ndarray]:
    """The tables, covering 0..needed - 1 at least (ValueError beyond TABLE_LIMIT)."""
    if needed > TABLE_LIMIT:
        raise ValueError(f"a table up to {needed} is beyond TABLE_LIMIT")
    if not _tables or int(_tables["size"]) < needed:
        size = 1 << 12
        while size < needed:
            size *= 2
        _build(size)
    return _tables


# --- terms E(m): (values, defined) on an array of m --------------------------------------------------

Values = tuple[np.ndarray, np.ndarray]
FUNCTIONS = ("tau", "sigma", "phi", "omega", "Omega", "mu", "rad", "core", "lpf", "gpf", "s10", "wt2", "rev10",
             "isqrt", "pi", "sig", "ad", "v2", "odd")
"""Leaf functions f(m), read from the tables (f(0) is undefined but for the digit functions and isqrt)."""
_DEFINED_AT_ZERO = ("s10", "wt2", "rev10", "isqrt", "pi")
SMALL = ("tau", "phi", "omega", "Omega", "rad", "core", "lpf", "gpf", "s10", "wt2", "isqrt", "pi", "v2", "odd")
"""Functions with values <= m: the inner functions of compositions f1(f2(m))."""
IMAGES = {"m + 1": (1, 1), "m - 1": (1, -1), "m + 2": (1, 2), "m - 2": (1, -2), "2m + 1": (2, 1), "2m - 1": (2, -1)}
"""g(m) = a·m + b."""
ROOT_FACTORS = (2, 3, 5, 6, 7, 8, 10, 11, 12, 13)
POLYNOMIALS = ((1, 0, 1), (1, 1, 1), (1, 1, -1), (1, 0, 2), (1, 0, -2), (2, 0, 1), (2, 0, -1), (1, 0, 4), (4, 0, 1),
               (1, 0, 3), (1, 0, -3), (1, 2, 2), (1, 0, 6), (3, 0, 1), (1, 1, 41))
"""Quadratics a·m^2 + b·m + c (the numbers m such that m^2 + 1 is prime, A005574; m^2 + m + 1, A002384)."""
STEPPED = ("tau", "sigma", "phi", "omega", "Omega", "s10", "wt2", "gpf", "lpf", "ad")
"""Functions f of the terms f(m + 1) - f(m) (numbers m such that m and m + 1 have as many divisors, ...)."""


def _leaf(name: str, argument: np.ndarray, defined: np.ndarray) -> Values:
    low = 0 if name in _DEFINED_AT_ZERO else 1
    defined = defined & (argument >= low)
    safe = np.where(defined, argument, 0)
    top = int(safe.max()) + 1 if safe.size else 1
    return tables(top)[name][safe], defined


def term_function(key: str) -> Callable[[np.ndarray], Values]:
    """The term named ``key`` as a function of an array of m (int64): (values, defined)."""
    kind, _, rest = key.partition(":")
    if kind == "m":
        return lambda m: (m, np.ones(m.shape, bool))
    if kind == "f":
        return lambda m: _leaf(rest, m, np.ones(m.shape, bool))
    if kind == "fg":
        name, image = rest.split("@")
        a, b = IMAGES[image]
        return lambda m: _leaf(name, a * m + b, np.ones(m.shape, bool))
    if kind == "fm":  # f(m) - k·m
        name, k = rest.split("@")

        def minus(m):
            values, defined = _leaf(name, m, np.ones(m.shape, bool))
            return values - int(k) * m, defined
        return minus
    if kind == "root":  # isqrt(k·m^e)
        k, e = map(int, rest.split("@"))

        def root(m):
            inside = k * m**e
            r = np.floor(np.sqrt(inside.astype(np.float64))).astype(np.int64)
            r -= r * r > inside
            r += (r + 1) * (r + 1) <= inside
            return r, m >= 0
        return root
    if kind == "step":  # f(m + 1) - f(m)
        def step(m):
            v1, d1 = _leaf(rest, m + 1, np.ones(m.shape, bool))
            v0, d0 = _leaf(rest, m, np.ones(m.shape, bool))
            return v1 - v0, d1 & d0
        return step
    if kind == "poly":  # a·m^2 + b·m + c
        a, b, c = map(int, rest.split("@"))
        return lambda m: (a * m * m + b * m + c, m >= 0)
    if kind in ("sum", "diff"):
        first, second = rest.split("@")
        sign = 1 if kind == "sum" else -1

        def combined(m):
            v1, d1 = _leaf(first, m, np.ones(m.shape, bool))
            v2, d2 = _leaf(second, m, np.ones(m.shape, bool))
            return v1 + sign * v2, d1 & d2
        return combined
    if kind == "comp":
        outer, inner = rest.split("@")

        def composed(m):
            v, d = _leaf(inner, m, np.ones(m.shape, bool))
            return _leaf(outer, v, d)
        return composed
    raise ValueError(f"unknown term {key!r}")


def term_words(key: str) -> str:
    kind, _, rest = key.partition(":")
    names = {"tau": "tau", "sigma": "sigma", "phi": "phi", "omega": "omega", "Omega": "Omega", "mu": "mu",
             "rad": "rad", "core": "core", "lpf": "lpf", "gpf": "gpf", "s10": "digitsum10", "wt2": "binaryweight",
             "rev10": "reverse10", "isqrt": "isqrt", "pi": "pi", "sig": "A046523", "ad": "derivative",
             "v2": "v2", "odd": "oddpart"}
    if kind == "m":
        return "m"
    if kind == "f":
        return f"{names[rest]}(m)"
    if kind == "fg":
        name, image = rest.split("@")
        return f"{names[name]}({image})"
    if kind == "fm":
        name, k = rest.split("@")
        return f"{names[name]}(m) - {'' if k == '1' else k}m"
    if kind == "root":
        k, e = rest.split("@")
        return f"isqrt({k}·m{'^2' if e == '2' else ''})"
    if kind == "step":
        return f"{names[rest]}(m + 1) - {names[rest]}(m)"
    if kind == "poly":
        a, b, c = map(int, rest.split("@"))
        words = (f"{a if a > 1 else ''}m^2" if a else "") + (f" {'+' if b > 0 else '-'} {abs(b) if abs(b) > 1 else ''}m" if b else "")
        return words + (f" {'+' if c > 0 else '-'} {abs(c)}" if c else "")
    if kind in ("sum", "diff"):
        first, second = rest.split("@")
        return f"{names[first]}(m) {'+' if kind == 'sum' else '-'} {names[second]}(m)"
    outer, inner = rest.split("@")
    return f"{names[outer]}({names[inner]}(m))"


def term_keys() -> list[str]:
    """The terms, simplest first."""
    keys = ["m"] + [f"f:{f}" for f in FUNCTIONS]
    keys += [f"fg:{f}@{g}" for g in IMAGES for f in FUNCTIONS if f not in ("pi", "sig")]
    keys += [f"fm:{f}@{k}" for k in (1, 2) for f in ("sigma", "phi", "rev10", "pi", "tau")]
    keys += [f"root:{k}@2" for k in ROOT_FACTORS] + [f"root:{k}@1" for k in ROOT_FACTORS]
    keys += [f"comp:{outer}@{inner}" for inner in SMALL for outer in FUNCTIONS if outer not in ("pi", "sig")]
    keys += [f"poly:{a}@{b}@{c}" for a, b, c in POLYNOMIALS]
    keys += [f"step:{f}" for f in STEPPED]
    pairs = [f for f in FUNCTIONS if f not in ("sig", "rev10", "ad", "v2", "odd")]
    keys += [f"{kind}:{a}@{b}" for i, a in enumerate(pairs) for b in pairs[i + 1:] for kind in ("sum", "diff")]
    return keys


# --- tests on the values ---------------------------------------------------------------------------

def _roots(values: np.ndarray) -> np.ndarray:
    safe = np.maximum(values, 0)
    r = np.floor(np.sqrt(safe.astype(np.float64))).astype(np.int64)
    r -= r * r > safe
    r += (r + 1) * (r + 1) <= safe
    return r


_sieve: list[np.ndarray] = []


MILLER_RABIN_LIMIT = 1 << 32
"""Below this the Miller-Rabin test to the bases 2, 7, 61 is exact (up to 4,759,123,141), and its products
of two residues fit in 64 bits."""


def _powmod(base: np.ndarray, exponent: np.ndarray, modulus: np.ndarray) -> np.ndarray:
    """base^exponent mod modulus, elementwise, for moduli below 2^32 (products stay below 2^64)."""
    result = np.ones_like(modulus)
    base = base % modulus
    exponent = exponent.copy()
    while (exponent > 0).any():
        odd = (exponent & 1).astype(bool)
        result = np.where(odd, result * base % modulus, result)
        base = base * base % modulus
        exponent >>= 1
    return result


def _miller_rabin(values: np.ndarray) -> np.ndarray:
    """Exact primality of values below MILLER_RABIN_LIMIT (numpy, unsigned 64-bit arithmetic)."""
    n = np.where(values >= 3, values, 3).astype(np.uint64)
    d, s = n - np.uint64(1), np.zeros(n.shape, np.uint64)
    while True:
        even = (d & np.uint64(1)) == 0
        if not even.any():
            break
        d = np.where(even, d >> np.uint64(1), d)
        s += even
    prime = (values == 2) | ((values >= 3) & (values % 2 == 1))
    for witness in (2, 7, 61):
        a = np.full(n.shape, witness, np.uint64)
        x = _powmod(a, d, n)
        passed = (x == 1) | (x == n - np.uint64(1)) | (a % n == 0)
        for _ in range(int(s.max()) if s.size else 0):
            x = x * x % n
            passed |= x == n - np.uint64(1)
        prime &= passed
    return prime


def _prime_values(values: np.ndarray) -> np.ndarray:
    """Primality of each value, from a sieve (1 byte a number: it reaches further than the tables), the
    Miller-Rabin test beyond it, sympy beyond that."""
    safe = np.maximum(values, 0)
    top = int(safe.max()) + 1 if safe.size else 1
    if top > PRIME_LIMIT:
        if top <= MILLER_RABIN_LIMIT:
            # trial division by the primes below 60 first: Miller-Rabin only on the survivors
            prime = safe >= 2
            for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59):
                prime &= (safe % p != 0) | (safe == p)
            survivors = np.nonzero(prime & (safe > 59))[0]
            prime[survivors] = _miller_rabin(safe[survivors])
            return prime
        return np.array([bool(sympy.isprime(int(v))) for v in values], dtype=bool).reshape(values.shape)
    if top <= int(tables(1)["size"]):
        return tables(1)["prime"][safe] & (values >= 2)
    if not _sieve or _sieve[0].size < top:
        size = 1 << max(12, (top - 1).bit_length())
        sieve = np.ones(size, dtype=bool)
        sieve[:2] = False
        for p in range(2, isqrt(size - 1) + 1):
            if sieve[p]:
                sieve[p * p::p] = False
        _sieve[:] = [sieve]
    return _sieve[0][safe] & (values >= 2)


def _squarefree_values(values: np.ndarray) -> np.ndarray:
    safe = np.maximum(values, 0)
    top = int(safe.max()) + 1 if safe.size else 1
    return tables(top)["squarefree"][safe] & (values >= 1)


def _constants(key: str) -> tuple[int, ...]:
    if key == "f:sig":
        representatives = np.unique(tables(SIGNATURE_LIMIT)["sig"][1:SIGNATURE_LIMIT])
        return tuple(int(c) for c in representatives if 1 < c < SIGNATURE_LIMIT)
    if key == "f:tau":
        return tuple(range(1, 33))
    return SMALL_VALUES


SMALL_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31)


def test_names(key: str) -> list[str]:
    """The tests applied to term ``key``, in order."""
    names = ["odd", "even", "prime", "not prime", "square", "not square", "squarefree", "> 0", "< 0", "!= 0",
             "<= 0", ">= 0", "divides m"]
    names += [f"= {c}" for c in _constants(key)]
    bounds = SMALL_PRIMES if key in ("f:gpf", "f:lpf") else range(1, 9)  # p-smooth and p-rough numbers
    names += [f"<= {c}" for c in bounds] + [f"> {c}" for c in bounds]
    return names + ["a power of 2", "triangular", "coprime to m", "a multiple of m"]


def test_values(test: str, values: np.ndarray, m: np.ndarray, cache: dict | None = None) -> np.ndarray:
    """Test ``test`` on each value (``cache``: the primality of the values, shared by "prime" and "not prime")."""
    if test in ("prime", "not prime"):
        if cache is None or "prime" not in cache:
            prime = _prime_values(values)
            if cache is None:
                return prime if test == "prime" else ~prime
            cache["prime"] = prime
        return cache["prime"] if test == "prime" else ~cache["prime"]
    if test == "odd":
        return values % 2 == 1
    if test == "even":
        return values % 2 == 0
    if test == "prime":
        return _prime_values(values)
    if test == "not prime":
        return ~_prime_values(values)
    if test in ("square", "not square"):
        if cache is None or "square" not in cache:
            square = (values >= 0) & (_roots(values) ** 2 == values)
            if cache is None:
                return square if test == "square" else ~square
            cache["square"] = square
        return cache["square"] if test == "square" else ~cache["square"]
    if test == "squarefree":
        return _squarefree_values(values)
    if test == "< 0":
        return values < 0
    if test == "!= 0":
        return values != 0
    if test.startswith("<= "):
        return values <= int(test[3:])
    if test.startswith(">= "):
        return values >= int(test[3:])
    if test.startswith("> "):
        return values > int(test[2:])
    if test == "divides m":
        return (values > 0) & (m % np.maximum(values, 1) == 0)
    if test == "a power of 2":
        return (values > 0) & (values & (values - 1) == 0)
    if test == "triangular":
        discriminant = 8 * np.maximum(values, 0) + 1
        return (values >= 0) & (_roots(discriminant) ** 2 == discriminant)
    if test == "coprime to m":
        return (m > 0) & (np.gcd(values, m) == 1)
    if test == "a multiple of m":
        return (m > 0) & (values % np.maximum(m, 1) == 0)
    if test.startswith("= "):
        return values == int(test[2:])
    raise ValueError(f"unknown test {test!r}")


def holding(term: str, test: str, m: np.ndarray) -> np.ndarray:
    """Whether P(m) holds, for each m of the array (False where the term is undefined)."""
    values, defined = term_function(term)(m)
    return defined & test_values(test, values, m)


def statement_words(term: str, test: str) -> str:
    words = term_words(term)
    if test in ("odd", "even", "prime", "squarefree"):
        return f"{words} is {test}"
    if test in ("not prime", "not square"):
        return f"{words} is {test.replace('square', 'a square')}"
    if test == "square":
        return f"{words} is a square"
    if test in ("divides m", "a power of 2", "triangular", "coprime to m", "a multiple of m"):
        return f"{words} {'is ' if test[0] in 'act' else ''}{test}"
    return f"{words} {test}"


# --- the bank -----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def bank() -> tuple[np.ndarray, list[tuple[str, str]]]:
    """(packed characteristic bitsets on 0..LIMIT - 1, one row per candidate, bit m of row r at byte m // 8,
    bit m % 8; the (term, test) pairs), simplest first, without repeats and sparse sets."""
    m = np.arange(LIMIT, dtype=np.int64)
    tables(BANK_TABLE)  # one build large enough for every term's values on 0..LIMIT - 1
    rows, pairs, seen = [], [], set()
    for term in term_keys():
        try:
            values, defined = term_function(term)(m)
        except ValueError:
            continue
        cache: dict = {}
        seen_values = values[defined]
        present = np.bincount(np.minimum(seen_values[seen_values >= 0], BANK_TABLE), minlength=1)
        at_most = np.cumsum(present) + int(np.count_nonzero(seen_values < 0))
        for test in test_names(term):
            if test.startswith(("= ", "<= ", "> ")):
                # the level and sublevel sets' sizes are read off the value counts: sparse (or nearly full)
                # ones are not built
                c = int(test.split()[1])
                size = (present[c] if c < present.size else 0) if test[0] == "=" else int(at_most[min(c, at_most.size - 1)])
                if test[0] == ">":
                    size = seen_values.size - size
                if size < MIN_MEMBERS or size > LIMIT - MIN_MEMBERS:
                    continue
            try:
                truth = defined & test_values(test, values, m, cache)
            except ValueError:
                continue
            count = int(np.count_nonzero(truth))
            if count < MIN_MEMBERS or count > LIMIT - MIN_MEMBERS:
                continue
            packed = np.packbits(truth, bitorder="little")
            digest = hashlib.blake2b(packed.tobytes(), digest_size=16).digest()  # not the 4 KB row itself
            if digest in seen:
                continue
            seen.add(digest)
            rows.append(packed)
            pairs.append((term, test))
    return np.stack(rows), pairs


BOUNDS = (f"strictly increasing lists of >= 12 terms below {LIST_LIMIT}: the members >= the first term of a set {{m : P(m)}}, P a test "
          "(odd, even, prime, a square, squarefree, = c (c = 0..16; tau: 1..32), != 0, < 0, >= 0, <= c, > c (c = 0..8; lpf and gpf: "
          "the primes <= 31: smooth and rough numbers), divides m, a power of 2, triangular, coprime to m, a multiple of m, "
          "negations) of a term E(m) of the bank "
          "(m, f(m), f(m ± 1), f(m ± 2), f(2m ± 1), f(m) - m, f(m) - 2m, isqrt(k·m^2), isqrt(k·m), f1(f2(m)), f(m + 1) - f(m), "
          "f1(m) ± f2(m); f among tau, sigma, phi, omega, Omega, mu, rad, core, lpf, gpf, digit sum, binary weight, digit "
          "reversal, isqrt, pi, the arithmetic derivative, v2, the odd part, "
          f"the least number of the same prime signature (= c for each signature below {SIGNATURE_LIMIT}: p^a q^b ... sets)), "
          f"distinct sets on 0..{LIMIT - 1} with >= {MIN_MEMBERS} members, the r-th counting ceil(log2 r) parameters; "
          f"none stated whose digit sum or reversal only met arguments below {THREE_DIGITS} up to the last term")

_LOWEST_BIT = np.array([(b & -b).bit_length() - 1 if b else 8 for b in range(256)], dtype=np.int64)


def _first_differences(rows: np.ndarray, target: np.ndarray, low: int, high: int) -> np.ndarray:
    """For each row, the least m in [low, high] where its bit differs from ``target`` (high + 1: none)."""
    first_byte, last_byte = low >> 3, high >> 3
    mask = np.full(last_byte - first_byte + 1, 255, dtype=np.uint8)
    mask[0] &= np.uint8((255 << (low & 7)) & 255)
    mask[-1] &= np.uint8(255 >> (7 - (high & 7)))
    out = np.full(rows.shape[0], high + 1, dtype=np.int64)
    pending = np.arange(rows.shape[0])
    start = first_byte
    width = 8
    while pending.size and start <= last_byte:
        stop = min(last_byte + 1, start + width)
        diff = (rows[pending, start:stop] ^ target[start:stop]) & mask[start - first_byte:stop - first_byte]
        nonzero = diff != 0
        found = nonzero.any(axis=1)
        where = nonzero.argmax(axis=1)
        hits = pending[found]
        byte = diff[found, where[found]]
        out[hits] = (start + where[found]) * 8 + _LOWEST_BIT[byte]
        pending = pending[~found]
        start, width = stop, width * 4
    return out


def _same_beyond(row: np.ndarray, other: np.ndarray, last: int) -> bool:
    """Whether two sets have the same next HORIZON members after ``last`` (as far as the bitsets go)."""
    return _next_members(row, last, HORIZON, partial=True) == _next_members(other, last, HORIZON, partial=True)


def _next_members(row: np.ndarray, last: int, count: int = AHEAD, partial: bool = False) -> tuple[int, ...] | None:
    """The next ``count`` members after ``last`` in the bitset (None when it holds fewer, unless ``partial``)."""
    bits = np.unpackbits(row, bitorder="little")[last + 1:]
    found = np.nonzero(bits)[0][:count]
    return tuple(int(last + 1 + i) for i in found) if partial or found.size == count else None


MAX_PERIOD = 256
"""Periods of the characteristic bits searched for the periodic rival (``_periodic_next``)."""


def _periodic_next(span: np.ndarray, last: int) -> tuple[int, ...] | None:
    """The next AHEAD members of the periodic continuation of the characteristic bits ``span`` (ending at
    ``last``) when their second half repeats with some period q <= MAX_PERIOD (two whole periods at
    least), else None. A union of residue classes is the periodic families' reading (periodic
    differences): a bank set agreeing with it on the data but parting later is a rival (A293292, m mod 10
    < 5, read on 24 terms as "digitsum10(2m + 1) is odd", which parts at 50)."""
    tail = span[span.size // 2:]
    for q in range(1, min(MAX_PERIOD, tail.size // 2) + 1):
        if np.array_equal(tail[q:], tail[:-q]):
            block = tail[-q:]
            if not block.any():
                return None
            out, m = [], last + 1
            while len(out) < AHEAD:
                if block[(m - last - 1) % q]:
                    out.append(m)
                m += 1
            return tuple(out)
    return None


def guess_bank_set(terms: list[int], offset: int = 0, ambiguous: list | None = None
                   ) -> Answer | None:
    """The Answer (spec, statement, fitted, parameters) of the first bank candidate the list confirms, or None.

    The candidates are the bank's sets, then, from an offset other than 0 (from 0 the shared
    first-exception reading of ``families`` asks this search on a(1), a(2), ...), the same sets after a
    first term a(offset) that is an exception (its value one more parameter; the rank counts the whole
    first tier: A089237, 0 then the primes and the squares, from offset 1). The exceptions are tried only when no set
    fits its prefix."""
    total = len(terms)
    if total < 12 or terms[-1] >= LIST_LIMIT or any(b <= a for a, b in zip(terms[1:], terms[2:])):
        return None
    found = _search(terms, None, ambiguous)
    if found is _NO_FIT and offset != 0 and terms[1] >= 0:
        found = _search(terms[1:], terms[0], ambiguous)
    return None if found is _NO_FIT else found


_NO_FIT = object()
"""``_search``'s answer when no candidate fits its prefix (so the next tier may be tried)."""


def _search(members: list[int], lead: int | None, ambiguous: list | None):
    """The search of ``guess_bank_set`` on ``members``, with a(offset) = ``lead`` before them when it is
    given (the second tier): the answer, None (the first candidate fitting its prefix is refused), or
    _NO_FIT."""
    rows, pairs = bank()
    extra, shift = (0, 0) if lead is None else (1, rows.shape[0])  # the lead's value; the first tier's ranks
    total = len(members) + extra
    if members[0] < 0 or (lead is None and members[0] >= members[1]):
        return _NO_FIT
    if lead is not None and lead >= members[0]:
        return _NO_FIT  # not an increasing list: no exception reading either
    if members[-1] - members[0] == len(members) - 1:
        return None  # consecutive integers: a polynomial
    first, last = members[0], members[-1]
    target = np.zeros(LIMIT, dtype=bool)
    target[members] = True
    packed = np.packbits(target, bitorder="little")
    differs_at = _first_differences(rows, packed, first, last)

    def parameters(index: int) -> int:
        return choice_bits(shift + index + 1) + extra
    chosen = None
    for index in np.nonzero(differs_at > members[1])[0]:
        bits = parameters(int(index))
        fitted = total - bits - MARGIN  # list terms, the lead among them
        if fitted - extra < 2:
            return None
        if differs_at[index] > members[fitted - extra - 1]:
            chosen = (int(index), bits, fitted)
            break
    if chosen is None:
        return _NO_FIT
    index, bits, fitted = chosen
    # every rank below this one has a larger window, and no candidate fitted its own (checked above only
    # for the candidates matching on the first two members: the others fail every window)
    if differs_at[index] <= last:
        return None  # the first candidate fitting its prefix fails later: nothing stated
    if not informative(members, fitted - extra, bits):
        return None
    ahead = _next_members(rows[index], last)
    if ahead is None:
        return None
    if _periodic_next(target[first:last + 1], last) not in (None, ahead):
        return None  # the list is periodic in its second half, and the periodic reading continues otherwise

    def spec_of(position: int) -> dict:
        term, test = pairs[position]
        return {"term": term, "test": test, "start": first} | ({} if lead is None else {"lead": lead})
    spec = spec_of(index)
    for other in np.nonzero(differs_at > last)[0]:
        other = int(other)
        if other == index or parameters(other) > bits + RIVAL_GAP:
            continue
        if not _same_beyond(rows[other], rows[index], last):
            if ambiguous is not None:
                ambiguous += [(spec, fitted, bits), (spec_of(other), total - parameters(other) - MARGIN, parameters(other))]
            return None
    if decimal_unseen(spec["term"], first, last):
        return None
    return Answer(spec, statement(spec), fitted, bits)


DECIMAL_FUNCTIONS = ("s10", "rev10")
"""The functions that read decimal digits."""


def decimal_unseen(term: str, first: int, last: int) -> bool:
    """Whether the term reads the decimal digits of an argument that stays below THREE_DIGITS for every m of
    [first, last] (the numbers the list's characteristic bits were read on): the data showed the digit sum or
    the reversal on one- and two-digit numbers only, where other functions of the digits agree with it
    (``expressions.decimal_unseen``)."""
    kind, _, rest = term.partition(":")
    names = rest.split("@")
    if not any(name in DECIMAL_FUNCTIONS for name in names):
        return False
    m = np.arange(first, last + 1, dtype=np.int64)
    if kind == "comp" and names[0] in DECIMAL_FUNCTIONS:
        values, defined = _leaf(names[1], m, np.ones(m.shape, bool))
        argument = values[defined]
    elif kind == "fg":
        a, b = IMAGES[names[1]]
        argument = a * m + b
    else:
        argument = m + (kind == "step")
    return not argument.size or int(np.abs(argument).max()) < THREE_DIGITS


def informative(terms: list[int], fitted: int, parameters: int) -> bool:
    """Whether the characteristic bits after the fitted prefix carry at least parameters + MARGIN bits: their
    count times the entropy of the set's density on [a(0), a(N - 1)]. A list term of a dense set says little
    (1, ..., 23, 25, 26: "tau(m) <= 6" and the numbers with at most three prime factors or a fourth power of a
    prime, A289555, part at 24 terms' end only at 30); the margin rule counts each list term as a bit."""
    density = len(terms) / (terms[-1] - terms[0] + 1)
    if density >= 1:
        return False
    entropy = -density * log2(density) - (1 - density) * log2(1 - density)
    return (terms[-1] - terms[fitted - 1]) * entropy >= parameters + MARGIN


def statement(spec: dict) -> str:
    lead = f"the first term is {spec['lead']}, then " if "lead" in spec else ""
    return (f"a(n) = {lead}the numbers m >= {spec['start']} such that {statement_words(spec['term'], spec['test'])}, "
            "in increasing order")


def members(term: str, test: str, start: int, count: int) -> list[int]:
    """The first ``count`` m >= start with P(m) (ValueError beyond SCAN_LIMIT)."""
    out: list[int] = []
    low, width = start, 4096
    while len(out) < count:
        if low > SCAN_LIMIT:
            raise ValueError("no more members below the scan limit")
        m = np.arange(low, low + width, dtype=np.int64)
        out += [int(x) for x in m[holding(term, test, m)][:count - len(out)]]
        low, width = low + width, min(width * 2, 1 << 18)
    return out


def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    if "lead" in spec:
        return ([spec["lead"]] + members(spec["term"], spec["test"], spec["start"], count - 1))[:count]
    return members(spec["term"], spec["test"], spec["start"], count)
