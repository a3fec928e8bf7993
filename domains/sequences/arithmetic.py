"""Number-theoretic primitives of the expression search (``expressions``), each twice: exact on Python
integers (``SCALAR``: any argument in its domain, ValueError outside) and as a numpy table on 0..TABLE-1
(``table``), which the search's bank reads. The two agree wherever the table is defined: a value the
table does not hold only makes the bank skip a candidate, never changes what a stated formula means.
"""

from __future__ import annotations

from functools import lru_cache
from math import factorial, isqrt
from typing import Callable

import numpy as np
import sympy

from .predicates import _smallest_factors, factor

TABLE = 1 << 15
"""Arguments 0..TABLE-1 are tabulated; beyond, the bank marks a unary primitive's value undefined."""
LIMIT = 10**15
"""Largest absolute value the bank computes with (int64 arithmetic stays exact below 2**62)."""


def _positive(x: int) -> None:
    if x < 1:
        raise ValueError("argument must be >= 1")


def _nonnegative(x: int) -> None:
    if x < 0:
        raise ValueError("argument must be >= 0")


def sigma(x: int) -> int:
    _positive(x)
    out = 1
    for p, e in factor(x).items():
        out *= (p ** (e + 1) - 1) // (p - 1)
    return out


def tau(x: int) -> int:
    _positive(x)
    out = 1
    for e in factor(x).values():
        out *= e + 1
    return out


def phi(x: int) -> int:
    _positive(x)
    out = 1
    for p, e in factor(x).items():
        out *= (p - 1) * p ** (e - 1)
    return out


def omega(x: int) -> int:
    _positive(x)
    return len(factor(x))


def bigomega(x: int) -> int:
    _positive(x)
    return sum(factor(x).values())


def mobius(x: int) -> int:
    _positive(x)
    exponents = factor(x).values()
    return 0 if any(e > 1 for e in exponents) else (-1) ** len(exponents)


def radical(x: int) -> int:
    _positive(x)
    out = 1
    for p in factor(x):
        out *= p
    return out


def core(x: int) -> int:
    """The squarefree part: x divided by its largest square divisor."""
    _positive(x)
    out = 1
    for p, e in factor(x).items():
        out *= p ** (e % 2)
    return out


def least_prime_factor(x: int) -> int:
    """lpf(1) = 1, as in the OEIS (A020639)."""
    _positive(x)
    return min(factor(x), default=1)


def greatest_prime_factor(x: int) -> int:
    """gpf(1) = 1, as in the OEIS (A006530)."""
    _positive(x)
    return max(factor(x), default=1)


def is_prime(x: int) -> int:
    return int(x >= 2 and bool(sympy.isprime(x)))


@lru_cache(maxsize=1 << 14)
def nth_prime(x: int) -> int:
    _positive(x)
    if x > 10**6:
        raise ValueError("prime index beyond 10^6")
    return int(sympy.prime(x))


def prime_pi(x: int) -> int:
    _nonnegative(x)
    if x > 10**8:
        raise ValueError("pi(x) beyond 10^8")
    return int(sympy.primepi(x))


def binary_weight(x: int) -> int:
    _nonnegative(x)
    return bin(x).count("1")


def digit_sum(x: int) -> int:
    _nonnegative(x)
    return sum(map(int, str(x)))


def reverse(x: int) -> int:
    """The decimal digits of x reversed (leading zeros dropped)."""
    _nonnegative(x)
    return int(str(x)[::-1])


def two_adic(x: int) -> int:
    _positive(x)
    return (x & -x).bit_length() - 1


def square_root(x: int) -> int:
    _nonnegative(x)
    return isqrt(x)


def is_square(x: int) -> int:
    return int(x >= 0 and isqrt(x) ** 2 == x)


def factorial_of(x: int) -> int:
    _nonnegative(x)
    if x > 2000:
        raise ValueError("factorial beyond 2000")
    return factorial(x)


def fibonacci(x: int) -> int:
    _nonnegative(x)
    if x > 20000:
        raise ValueError("Fibonacci index beyond 20000")
    a, b = 0, 1
    for _ in range(x):
        a, b = b, a + b
    return a


def is_zero(x: int) -> int:
    return int(x == 0)


SCALAR: dict[str, Callable[[int], int]] = {
    "sigma": sigma, "tau": tau, "phi": phi, "omega": omega, "bigomega": bigomega, "mu": mobius,
    "rad": radical, "core": core, "lpf": least_prime_factor, "gpf": greatest_prime_factor,
    "isprime": is_prime, "prime": nth_prime, "primepi": prime_pi, "wt": binary_weight, "ds": digit_sum,
    "rev": reverse, "v2": two_adic, "isqrt": square_root, "issquare": is_square, "fact": factorial_of,
    "fib": fibonacci, "iszero": is_zero,
}
"""The unary primitives by name: exact, ValueError outside their domain."""

NOTATION: dict[str, str] = {
    "sigma": "sigma({})", "tau": "tau({})", "phi": "phi({})", "omega": "omega({})", "bigomega": "Omega({})",
    "mu": "mu({})", "rad": "rad({})", "core": "core({})", "lpf": "lpf({})", "gpf": "gpf({})",
    "isprime": "[{} is prime]", "prime": "prime({})", "primepi": "pi({})", "wt": "wt({})",
    "ds": "digitsum({})", "rev": "reverse({})", "v2": "v2({})", "isqrt": "isqrt({})",
    "issquare": "[{} is a square]", "fact": "({})!", "fib": "Fibonacci({})", "iszero": "[{} = 0]",
}
"""How each primitive is written in a statement."""

DECIMAL = ("ds", "rev")
"""The primitives that read decimal digits."""
THREE_DIGITS = 100
"""The least number with three decimal digits. A decimal-digit primitive is trusted only where the terms
it was fitted and confirmed on gave it an argument this large: on two-digit arguments a digit sum or a
reversal is one of many functions of the two digits (the digital root and the digit sum of a digit sum
agree up to 18; min(n, reverse(n)) and the digits of n sorted agree below 100), which the data cannot tell
apart (``expressions.decimal_unseen``)."""

MEANING: dict[str, str] = {
    "sigma": "sigma = sum of divisors", "tau": "tau = number of divisors", "phi": "phi = Euler's totient",
    "omega": "omega = number of distinct prime factors", "bigomega": "Omega = number of prime factors with "
    "multiplicity", "mu": "mu = Moebius function", "rad": "rad = product of the distinct prime factors",
    "core": "core = squarefree part", "lpf": "lpf = least prime factor (lpf(1) = 1)",
    "gpf": "gpf = greatest prime factor (gpf(1) = 1)", "prime": "prime(i) = the i-th prime",
    "primepi": "pi = prime-counting function", "wt": "wt = binary weight", "ds": "digitsum = decimal digit sum",
    "rev": "reverse = decimal digits reversed", "v2": "v2 = 2-adic valuation", "fib": "Fibonacci(0) = 0",
    "//": "// = floor division", "mod": "mod = remainder (sign of the divisor)", "C": "C = binomial coefficient",
}
"""Words for a statement's glossary, for the primitives whose notation is not self-explanatory."""


@lru_cache(maxsize=1)
def tables() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each primitive's (values, defined) on 0..TABLE-1, built once per process from the scalar versions
    (so the two cannot disagree); values above LIMIT count as undefined."""
    _smallest_factors(TABLE)  # factorizations below TABLE from the sieve, not sympy
    sieve = np.ones(TABLE, dtype=bool)
    sieve[:2] = False
    for p in range(2, isqrt(TABLE - 1) + 1):
        if sieve[p]:
            sieve[p * p::p] = False
    out = {}
    for name, function in SCALAR.items():
        if name == "fact":
            values = [factorial_of(x) if x <= 17 else None for x in range(TABLE)]
        elif name == "fib":
            values = [fibonacci(x) if x <= 74 else None for x in range(TABLE)]
        elif name == "prime":
            primes = list(sympy.primerange(2, 80000))
            values = [None] + [primes[x - 1] if x - 1 < len(primes) else None for x in range(1, TABLE)]
        elif name == "primepi":
            values = np.cumsum(sieve).tolist()
        elif name == "isprime":
            values = sieve.astype(int).tolist()
        else:
            values = []
            for x in range(TABLE):
                try:
                    values.append(function(x))
                except ValueError:
                    values.append(None)
        defined = np.array([v is not None and abs(int(v)) <= LIMIT for v in values], dtype=bool)
        array = np.array([int(v) if d else 0 for v, d in zip(values, defined)], dtype=np.int64)
        out[name] = (array, defined)
    return out


def isqrt_array(x: np.ndarray) -> np.ndarray:
    root = np.floor(np.sqrt(x.astype(np.float64))).astype(np.int64)
    for _ in range(2):  # float rounding is off by at most one below 2**53
        root -= (root * root > x)
        root += ((root + 1) * (root + 1) <= x)
    return root


def digits_array(x: np.ndarray, reverse_them: bool) -> np.ndarray:
    out, rest = np.zeros_like(x), x.copy()
    while (left := rest > 0).any():
        out = np.where(left, out * 10 + rest % 10, out) if reverse_them else out + rest % 10
        rest //= 10
    return out


def weight_array(x: np.ndarray) -> np.ndarray:
    out, rest = np.zeros_like(x), x.copy()
    while (rest > 0).any():
        out += rest & 1
        rest >>= 1
    return out


DIRECT: dict[str, tuple[int, Callable[[np.ndarray], np.ndarray]]] = {
    "isqrt": (0, isqrt_array), "issquare": (0, lambda x: (isqrt_array(x) ** 2 == x).astype(np.int64)),
    "v2": (1, lambda x: np.round(np.log2((x & -x).astype(np.float64))).astype(np.int64)),
    "wt": (0, weight_array), "ds": (0, lambda x: digits_array(x, False)), "rev": (0, lambda x: digits_array(x, True)),
}
"""The primitives cheap enough to compute on any argument up to LIMIT (least argument, vectorized version):
the bank reads them there instead of marking a value past the table undefined, so that a formula such as
isqrt(n^3) stays a candidate for lists longer than TABLE's reach (32 terms of n^3). Each equals its scalar
version (tests/test_sequences_expressions.py compares them)."""


def direct(name: str, values: np.ndarray, defined: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``name`` on every defined argument from its least to LIMIT, as (values, defined), or None when the
    primitive is only tabulated."""
    if name not in DIRECT:
        return None
    least, function = DIRECT[name]
    ok = defined & (values >= least) & (values <= LIMIT)
    out = function(np.where(ok, values, least))
    ok &= np.abs(out) <= LIMIT
    return np.where(ok, out, 0), ok


def binomial(a: int, b: int) -> int:
    """C(a, b) for a >= 0 (0 when b < 0 or b > a); ValueError for a < 0 or a beyond 5000."""
    if a < 0 or a > 5000:
        raise ValueError("binomial needs 0 <= a <= 5000")
    if b < 0 or b > a:
        return 0
    from math import comb
    return comb(a, b)


@lru_cache(maxsize=1)
def binomial_table(size: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """C(a, b) for 0 <= a, b < size as (values, defined) int64 / bool matrices (defined when <= LIMIT)."""
    values = np.zeros((size, size), dtype=np.int64)
    defined = np.zeros((size, size), dtype=bool)
    for a in range(size):
        for b in range(size):
            c = binomial(a, b)
            if c <= LIMIT:
                values[a, b], defined[a, b] = c, True
    return values, defined
