"""Sets of integers defined by simple predicates: their characteristic functions (a(n) = 1 when n is in
the set, else 0) and their members in increasing order ("numbers m such that ...").

A predicate is one atom, or two atoms joined by "and". Atoms: classical properties of m (prime, prime
power, squarefree, square, cube, perfect power, powerful, semiprime, palindromes in bases 2 and 10,
evil/odious, abundant, deficient, Harshad, triangular, Fibonacci, power of 2, composite), cubefree,
sums of two squares, numbers of the forms x² + 2y² and x² + 3y², 3-, 5- and 7-smooth numbers, even 2-adic
and 3-adic valuation, exponentially odd numbers, numbers free of p^p (every exponent e of a prime p has
e < p), squares or twice squares (sigma(m) odd)), the parity
of Omega, omega or the decimal digit sum, a count equal to a small constant (Omega, omega, number of divisors, binary weight, decimal digit sum),
their negations, a residue class m ≡ r (mod q) for q <= 6, and a property of a simple image of m
(m ± 1, m ± 2, m + 4, m + 6, 2m ± 1, (m - 1)/2 or m/2 is prime, squarefree or a square; m² + 1 is prime;
the parity of Omega or omega of m/2 and of (m - 1)/2: "m/2 has an odd number of prime factors").

Search: candidates in a fixed order, simplest first (single atoms, then pairs). The choice of the
``r``-th candidate counts ``choice_bits(r)`` parameters (``guess.choice_bits``). As for programs, the
first candidate that matches the fitted prefix must match every given term, else nothing is stated
(trying further candidates would be fitting on the confirming terms); and when another candidate also
matches every given term but differs from it anywhere up to ``guess.rival_horizon`` (twice the data's reach, not only
the next terms), nothing is stated either (the data do not decide between them). Bounds: ``BOUNDS`` below.
"""

from __future__ import annotations

import re
from functools import lru_cache
from math import isqrt
from typing import Callable

import sympy

from .guess import RIVAL_GAP

LIST_LIMIT = 5000
"""Lists are searched only when their last given term is at most this (the sets are computed up to
about twice it)."""
SIEVE_LIMIT = 2 * 10**6
"""Factorizations use a smallest-factor table up to here, sympy beyond."""
SCAN_LIMIT = 10**6
"""The evaluator gives up (ValueError) beyond this m."""

_spf: list[int] = [0, 1]


def _smallest_factors(limit: int) -> list[int]:
    """Smallest-prime-factor table up to at least ``limit`` (grown by doubling, kept between calls)."""
    global _spf
    if len(_spf) > limit:
        return _spf
    size = max(limit + 1, 2 * len(_spf))
    spf = list(range(size))
    for p in range(2, isqrt(size - 1) + 1):
        if spf[p] == p:
            for multiple in range(p * p, size, p):
                if spf[multiple] == multiple:
                    spf[multiple] = p
    _spf = spf
    return spf


@lru_cache(maxsize=1 << 16)
def factor(m: int) -> dict[int, int]:
    """Prime factorization of m >= 1."""
    if m >= len(_spf):  # beyond the table: sympy (the table grows only where a search asks for it)
        return {int(p): int(e) for p, e in sympy.factorint(m).items()}
    spf = _spf
    out: dict[int, int] = {}
    while m > 1:
        p = spf[m]
        out[p] = out.get(p, 0) + 1
        m //= p
    return out


def _is_prime(m: int) -> bool:
    if m < len(_spf):
        return m >= 2 and _spf[m] == m
    return bool(sympy.isprime(m))  # beyond the table (m² + 1 and the like): not worth growing it


def _exponents(m: int) -> list[int]:
    return list(factor(m).values()) if m >= 1 else []


def _perfect_power(m: int) -> bool:
    if m == 1:
        return True
    exponents = _exponents(m)
    if not exponents:
        return False
    g = 0
    for e in exponents:
        g = _gcd(g, e)
    return g >= 2


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _divisor_sum(m: int) -> int:
    total = 1
    for p, e in factor(m).items():
        total *= (p ** (e + 1) - 1) // (p - 1)
    return total


def _digit_sum(m: int, base: int) -> int:
    total = 0
    while m:
        total += m % base
        m //= base
    return total


def _palindrome(m: int, base: int) -> bool:
    digits = []
    while m:
        digits.append(m % base)
        m //= base
    return digits == digits[::-1]


def _fibonacci_number(m: int) -> bool:
    return any(isqrt(v) ** 2 == v for v in (5 * m * m + 4, 5 * m * m - 4) if v >= 0)


def _cube(m: int) -> bool:
    r = round(m ** (1 / 3)) if m > 0 else 0
    return any((r + d) ** 3 == m for d in (-1, 0, 1))


_PROPERTIES: dict[str, Callable[[int], bool]] = {
    "prime": _is_prime,
    "a prime power": lambda m: m >= 2 and len(factor(m)) == 1,
    "squarefree": lambda m: m >= 1 and all(e == 1 for e in _exponents(m)),
    "a square": lambda m: m >= 0 and isqrt(m) ** 2 == m,
    "a cube": lambda m: m >= 0 and _cube(m),
    "a perfect power": lambda m: m >= 1 and _perfect_power(m),
    "powerful": lambda m: m >= 1 and all(e >= 2 for e in _exponents(m)),
    "a semiprime": lambda m: m >= 1 and sum(_exponents(m)) == 2,
    "composite": lambda m: m >= 4 and not _is_prime(m),
    "a palindrome in base 10": lambda m: m >= 0 and _palindrome(m, 10),
    "a palindrome in base 2": lambda m: m >= 0 and _palindrome(m, 2),
    "evil (an even number of 1s in binary)": lambda m: m >= 0 and bin(m).count("1") % 2 == 0,
    "abundant": lambda m: m >= 1 and _divisor_sum(m) > 2 * m,
    "deficient": lambda m: m >= 1 and _divisor_sum(m) < 2 * m,
    "a Harshad number (divisible by its decimal digit sum)": lambda m: m >= 1 and m % _digit_sum(m, 10) == 0,
    "triangular": lambda m: m >= 0 and isqrt(8 * m + 1) ** 2 == 8 * m + 1,
    "a Fibonacci number": lambda m: m >= 0 and _fibonacci_number(m),
    "a power of 2": lambda m: m >= 1 and m & (m - 1) == 0,
    "cubefree": lambda m: m >= 1 and all(e < 3 for e in _exponents(m)),
    "a sum of two squares": lambda m: m == 0 or m >= 1 and all(e % 2 == 0 for p, e in factor(m).items() if p % 4 == 3),
    "of the form x^2 + 2y^2": lambda m: m == 0 or m >= 1 and all(e % 2 == 0 for p, e in factor(m).items()
                                                                   if p % 8 in (5, 7)),
    "of the form x^2 + 3y^2": lambda m: m == 0 or m >= 1 and all(e % 2 == 0 for p, e in factor(m).items()
                                                                   if p % 3 == 2),
    "3-smooth": lambda m: m >= 1 and all(p <= 3 for p in factor(m)),
    "5-smooth": lambda m: m >= 1 and all(p <= 5 for p in factor(m)),
    "7-smooth": lambda m: m >= 1 and all(p <= 7 for p in factor(m)),
    "of even 2-adic valuation": lambda m: m >= 1 and ((m & -m).bit_length() - 1) % 2 == 0,
    "of even 3-adic valuation": lambda m: m >= 1 and factor(m).get(3, 0) % 2 == 0,
    "exponentially odd (every prime exponent odd)": lambda m: m >= 1 and all(e % 2 for e in _exponents(m)),
    "free of p^p (every exponent e of a prime p has e < p)": lambda m: m >= 1 and all(e < p for p, e in factor(m).items()),
    "a square or twice a square (sigma(m) odd)": lambda m: m >= 1 and (isqrt(m) ** 2 == m or m % 2 == 0 and isqrt(m // 2) ** 2 == m // 2),
}

_PARITIES: dict[str, Callable[[int], int]] = {
    "Omega(m)": lambda m: sum(_exponents(m)),
    "omega(m)": lambda m: len(factor(m)),
    "the decimal digit sum of m": lambda m: _digit_sum(m, 10),
}
"""Counts whose parity is an atom ("Omega(m) is even"; its negation says odd)."""

_COUNTS: dict[str, tuple[Callable[[int], int], tuple[int, ...]]] = {
    "Omega(m)": (lambda m: sum(_exponents(m)), (1, 2, 3, 4)),
    "omega(m)": (lambda m: len(factor(m)), (1, 2, 3)),
    "the number of divisors of m": (lambda m: len(_all_divisors(m)), (3, 4, 6, 8)),
    "the number of 1s of m in binary": (lambda m: bin(m).count("1"), (1, 2, 3, 4)),
    "the decimal digit sum of m": (lambda m: _digit_sum(m, 10), (10,)),
}


def _all_divisors(m: int) -> list[int]:
    divisors = [1]
    for p, e in factor(m).items():
        divisors = [d * p**k for d in divisors for k in range(e + 1)]
    return divisors


_IMAGES: tuple[tuple[str, Callable[[int], int | None]], ...] = (
    ("m + 2", lambda m: m + 2), ("m - 2", lambda m: m - 2), ("m + 1", lambda m: m + 1),
    ("m - 1", lambda m: m - 1), ("m + 4", lambda m: m + 4), ("m + 6", lambda m: m + 6),
    ("2m + 1", lambda m: 2 * m + 1), ("2m - 1", lambda m: 2 * m - 1), ("m^2 + 1", lambda m: m * m + 1),
    ("(m - 1)/2", lambda m: (m - 1) // 2 if m % 2 else None), ("m/2", lambda m: m // 2 if m % 2 == 0 else None),
)
_IMAGE_PROPERTIES = ("prime", "squarefree", "a square")
_IMAGE_PARITIES = ("Omega", "omega")
"""Parities of counts of an image: "m/2 has an odd number of prime factors (with multiplicity)"."""


class Atom:
    """A named test of m; ``holds(m)`` is its truth, False where it is undefined (m < 1 for most)."""

    __slots__ = ("name", "test", "count", "decides")

    def __init__(self, name: str, test: Callable[[int], bool],
                 count: tuple[Callable[[int], int], int] | None = None,
                 decides: Callable[[int], bool] | None = None):
        self.name = name
        self.test = test
        self.count = count
        """(f, c) for an atom "f(m) = c" on an unbounded count f (and its negation), else None."""
        self.decides = decides
        """For an atom that agrees with a rival reading on every m but rare ones, whether m is one of those
        (``undecided``); None when no such rival is known."""

    def holds(self, m: int) -> bool:
        return bool(self.test(m))


def _count_atom(label, function, value):
    return Atom(f"{label} = {value}", lambda m: m >= 1 and function(m) == value, (function, value),
                lambda m: m >= 1 and function(m) > value)


def _odd_exponents(m: int) -> int:
    return sum(e % 2 for e in _exponents(m))


ODD_EXPONENT_WITNESS = 3
"""The parity of Omega(m) is that of the number of primes with an odd exponent in m; where no m has
ODD_EXPONENT_WITNESS (3) of them (every m < 30 = 2·3·5), "Omega(m) is odd" agrees with "exactly one prime has an
odd exponent" (m = p·k², A229125) and "Omega(m) is even" with "none or two primes have one", so the data do not
decide between them (A358769, "exactly one odd exponent", is "Omega(n) is odd" up to n = 29). Likewise "omega(m)
is odd" agrees with "omega(m) = 1" (m a prime power) while no m has ODD_EXPONENT_WITNESS distinct primes (A085970's
summands, "n + 1 is not a prime power", read as "omega(n + 1) is even" up to n + 1 = 29)."""


def decides_omega_parity(m: int, distinct: bool = False) -> bool:
    """Whether m tells "Omega(m) is odd" from "exactly one prime has an odd exponent in m", or, ``distinct``,
    "omega(m) is odd" from "omega(m) = 1": it has ODD_EXPONENT_WITNESS primes to an odd power (distinct primes)."""
    return m >= 1 and (len(factor(m)) if distinct else _odd_exponents(m)) >= ODD_EXPONENT_WITNESS


def _parity_decides(function: Callable[[int], int]) -> Callable[[int], bool] | None:
    if function is _PARITIES["Omega(m)"]:
        return decides_omega_parity
    return (lambda m: decides_omega_parity(m, True)) if function is _PARITIES["omega(m)"] else None


def _image_atom(label, image, prop):
    test = _PROPERTIES[prop]

    def holds(m):
        v = image(m)
        return v is not None and v >= 0 and test(v)
    return Atom(f"{label} is {prop}", holds)


def _residue_atom(q, r):
    return Atom(f"m ≡ {r} (mod {q})", lambda m: m % q == r)


def _negation(atom: Atom) -> Atom:
    return Atom(f"not ({atom.name})", lambda m: not atom.test(m), atom.count, atom.decides)


def decides_power_free(power: int) -> Callable[[int], bool]:
    """Whether m tells "m is free of k-th powers" (k = ``power``: squarefree, cubefree) from "2^k does not divide
    m": an odd prime divides it k times. Below 3^k the two agree, so the data do not decide between them (A168181,
    "8 does not divide n", and A072401 read as "n is cubefree" and its negation from 24 terms, n < 27)."""
    return lambda m: m >= 1 and any(p > 2 and e >= power for p, e in factor(m).items())


_PROPERTY_DECIDES = {"squarefree": decides_power_free(2), "cubefree": decides_power_free(3)}
"""Properties with a rival reading that only rare m tell apart (``Atom.decides``)."""


@lru_cache(maxsize=1)
def atoms() -> tuple[tuple[Atom, ...], tuple[Atom, ...]]:
    """(first atoms, second atoms): a predicate is a first atom, or a first atom and a second one."""
    base = [Atom(f"m is {name}", test, None, _PROPERTY_DECIDES.get(name)) for name, test in _PROPERTIES.items()]
    base += [Atom(f"{label} is even", lambda m, f=function: m >= 1 and f(m) % 2 == 0, None, _parity_decides(function))
             for label, function in _PARITIES.items()]
    base += [_count_atom(label, function, value) for label, (function, values) in _COUNTS.items()
             for value in values]
    first = base + [_negation(atom) for atom in base]
    second = list(first)
    second += [_residue_atom(q, r) for q in range(2, 7) for r in range(q)]
    second += [_image_atom(label, image, prop) for label, image in _IMAGES for prop in _IMAGE_PROPERTIES
               if label != "m^2 + 1" or prop == "prime"]
    second += [_image_parity_atom(label, image, count, odd) for label, image in _IMAGES if label in _HALVES
               for count in _IMAGE_PARITIES for odd in (False, True)]
    return tuple(first), tuple(second)


_HALVES = ("m/2", "(m - 1)/2")


def _image_parity_atom(label, image, count, odd):
    function = _PARITIES[f"{count}(m)"]

    def holds(m):
        v = image(m)
        return v is not None and v >= 1 and function(v) % 2 == odd
    decides = _parity_decides(function)

    def image_decides(m):
        v = image(m)
        return v is not None and decides(v)
    return Atom(f"{count}({label}) is {'odd' if odd else 'even'}", holds, None, image_decides if decides else None)


@lru_cache(maxsize=1)
def candidates() -> list[tuple[int, ...]]:
    """Predicates as index tuples: (i,) a first atom; (i, j) first atom i and second atom j. Simplest
    first: single atoms, then pairs by the larger index (so that earlier atoms pair first)."""
    first, second = atoms()
    out: list[tuple[int, ...]] = [(i,) for i in range(len(first))]
    pairs = [(i, j) for i in range(len(first)) for j in range(len(second))
             if not (j < len(first) and j <= i) and not (j < len(first) and j % (len(first) // 2) == i % (len(first) // 2))]
    pairs.sort(key=lambda p: (max(p[0], p[1]), p))
    return out + pairs


def predicate_test(indices: tuple[int, ...]) -> Callable[[int], bool]:
    first, second = atoms()
    if len(indices) == 1:
        return first[indices[0]].test
    a, b = first[indices[0]].test, second[indices[1]].test
    return lambda m: a(m) and b(m)


def predicate_words(indices: tuple[int, ...], argument: str = "m") -> str:
    """The predicate in words, the variable m written as ``argument`` ("n", "n + 1"): only the letter m
    standing alone is replaced (not the m of "sum" or "mod"), in parentheses where a compound argument
    meets an operator ("2(n + 1) + 1", "(n + 1)/2")."""
    first, second = atoms()
    words = first[indices[0]].name
    if len(indices) == 2:
        words += " and " + second[indices[1]].name
    if argument == "m":
        return words

    def written(match: re.Match) -> str:
        start, end = match.start(), match.end()
        joined = start > 0 and words[start - 1].isdigit() or end < len(words) and words[end] in "/^"
        return f"({argument})" if joined and " " in argument else argument
    return re.sub(r"(?<![A-Za-z])m(?![A-Za-z])", written, words)


def reads_decimal_digits(indices: tuple[int, ...]) -> bool:
    """Whether the predicate reads the decimal digits of m (a palindrome in base 10, a Harshad number, the
    decimal digit sum): a list or a characteristic function that never reaches m = 100 shows such an atom
    on two-digit numbers only (``arithmetic.THREE_DIGITS``), and is not stated."""
    words = predicate_words(indices)
    return "decimal" in words or "base 10" in words


def undecided(indices: tuple[int, ...], low: int, high: int) -> bool:
    """Whether the predicate holds an atom that no m in low..high tells from its rival reading (``Atom.decides``),
    so that the data do not decide between them and nothing is stated:

    - a count "f(m) = c" (or its negation) while no m has f(m) > c: there "f(m) = c" and "f(m) >= c" agree
      on every m the data cover, yet they differ beyond (numbers with at most three prime factors are
      "not (Omega(m) = 4)" up to m = 31, and 32 has five);
    - the parity of Omega (of m or of an image of m) while no m has ``ODD_EXPONENT_WITNESS`` primes with an
      odd exponent (none below 30): there "Omega(m) is odd" is "exactly one prime has an odd exponent"
      (A358769, whose 24 terms from n = 0 fit "Omega(n) is odd", and which parts from it at n = 30); and the
      parity of omega while no m has that many distinct primes, where "omega(m) is odd" is "m is a prime power";
    - "m is squarefree" ("cubefree") while no m is a multiple of an odd prime squared (cubed): there it is "4 (8)
      does not divide m" (``decides_power_free``)."""
    first, second = atoms()
    chosen = [first[indices[0]]] + ([second[indices[1]]] if len(indices) == 2 else [])
    return any(atom.decides is not None and not any(atom.decides(m) for m in range(max(low, 1), high + 1))
               for atom in chosen)


_tables: dict[str, object] = {"limit": -1, "base": [], "rest": []}


def bitsets(limit: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Each atom's truth on 0..L (L >= limit) as an int (bit m set when it holds at m): the first atoms
    and the second ones. Tables are extended, never rebuilt, so searches share them."""
    first, second = atoms()
    half = len(first) // 2
    built = _tables["limit"]
    if built < limit:
        _smallest_factors(min(4 * limit + 8, SIEVE_LIMIT))
        new = range(built + 1, limit + 1)
        base = [mask | sum(1 << m for m in new if atom.test(m)) for atom, mask in
                zip(first[:half], _tables["base"] or [0] * half)]
        rest = [mask | sum(1 << m for m in new if atom.test(m)) for atom, mask in
                zip(second[len(first):], _tables["rest"] or [0] * (len(second) - len(first)))]
        _tables.update(limit=limit, base=base, rest=rest)
    full = (1 << (_tables["limit"] + 1)) - 1
    first_masks = tuple(_tables["base"] + [full & ~b for b in _tables["base"]])
    return first_masks, first_masks + tuple(_tables["rest"])


def members(indices: tuple[int, ...], start: int, count: int) -> list[int]:
    """The first ``count`` m >= start with the predicate (ValueError beyond SCAN_LIMIT)."""
    test, out, m = predicate_test(indices), [], start
    while len(out) < count:
        if m > SCAN_LIMIT:
            raise ValueError("no more members below the scan limit")
        if 4 * m + 8 >= len(_spf) and len(_spf) <= SIEVE_LIMIT:
            _smallest_factors(min(8 * m + 64, SIEVE_LIMIT))  # keep the factorizations in the table
        if test(m):
            out.append(m)
        m += 1
    return out


def indicator(indices: tuple[int, ...], offset: int, count: int) -> list[int]:
    test = predicate_test(indices)
    return [int(test(m)) for m in range(offset, offset + count)]


def bucket(value: int) -> int:
    """The bitset size used for values up to ``value``: a power of 2 (so that searches share tables)."""
    size = 256
    while size < value:
        size *= 2
    return size


def search(target: int, window: Callable[[int], int | None], full_mask: int, extension: Callable[[int], object], limit: int, bits: Callable[[int], int]
           ) -> tuple[tuple[int, ...], int] | None:
    """The predicate (and its rank) for the data ``target`` (a bitset): the first candidate whose bits
    agree with ``target`` on ``fitted_mask`` (which depends on its rank: ``window(rank)``) must agree
    on ``full_mask``; then no other candidate at most ``RIVAL_GAP`` bits longer that agrees on
    ``full_mask`` may differ from it beyond the data (``extension``, a function of the bitset: the callers
    give its bits up to ``guess.rival_horizon``, inside ``limit``)."""
    first_masks, second_masks = bitsets(limit)
    chosen = None
    for rank, indices in enumerate(candidates(), start=1):
        value = first_masks[indices[0]] if len(indices) == 1 else first_masks[indices[0]] & second_masks[indices[1]]
        if chosen is None:
            fitted = window(bits(rank))
            if fitted is None:
                return None
            if value & fitted != target & fitted:
                continue
            if value & full_mask != target & full_mask:
                return None
            chosen, chosen_rank, chosen_ahead = indices, rank, extension(value)
            continue
        if bits(rank) > bits(chosen_rank) + RIVAL_GAP:
            break  # rivals this much longer than the chosen predicate do not count (Occam)
        if value & full_mask == target & full_mask and extension(value) != chosen_ahead:
            return None
    return (chosen, chosen_rank) if chosen is not None else None
