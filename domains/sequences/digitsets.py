"""Lists of the numbers, or of the primes, whose base-b digits all lie in a set S, in increasing order
(the OEIS's "numbers with all digits odd", A014261; "primes whose digits are all primes", A019546;
"primes with digits in {0, 1, 2}", A036953).

S is read off the fitted prefix (the digits its terms use), so a description names the base, whether
only primes are listed, and S: it counts ``b`` parameters for S (one yes/no per digit) and
``choice_bits(len(KINDS))`` for the (base, primes or not) choice, and is fitted on the first
``N - parameters - MARGIN`` terms: S must be complete there (0 itself, written "0", adds no digit). The
list holds every member >= 1, and 0 first when the first term is 0, from the least on: no start is fitted. The members must reproduce every term, and
another (base, primes or not) whose list also reproduces every term but continues otherwise cancels it
(both go to ``ambiguous``). The confirming terms must reach b^2 (three digits): below it the digit condition
is one on m mod b and m // b, which residue classes and intervals imitate (the numbers not divisible by 7
and those with no base-7 digit 0 agree up to 48). Not read: S holding every digit (all numbers, all primes), S = {0, ..., k - 1}
without the prime condition (n written in base k and read in base b: the digits family), and lists whose
members would have to be enumerated past ``ENUMERATION_LIMIT`` candidates.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from sympy import isprime

from .guess import MARGIN, Answer, choice_bits, decided_choice

AHEAD = 12
"""Next members compared between rival readings (as ``consensus.AHEAD``)."""
BASES = tuple(range(2, 11))
"""Bases searched, smallest first."""
KINDS = tuple((base, primes) for primes in (False, True) for base in BASES)
"""(base, only primes) in the order searched."""
ENUMERATION_LIMIT = 200_000
"""Most digit strings enumerated for one list."""
BOUNDS = (f"the numbers or the primes whose base-b digits lie in a set S, b in {BASES[0]}..{BASES[-1]}, S read off the "
          "fitted terms (b parameters) and the (base, primes or not) choice counting "
          f"{choice_bits(len(KINDS))} more; every member from the least (>= 1, or >= 0 when the list starts at 0); "
          "confirming terms reaching b^2")


def digits_of(value: int, base: int) -> list[int]:
    """Base-b digits, least significant first; 0 has the single digit 0."""
    if value < 0:
        raise ValueError("negative")
    out = [value % base]
    value //= base
    while value:
        out.append(value % base)
        value //= base
    return out


def _members(base: int, allowed: tuple[int, ...], primes: bool, with_zero: bool):
    """The members in increasing order (a generator); ValueError past ENUMERATION_LIMIT digit strings."""
    if with_zero and not primes:
        yield 0
    leading = [d for d in allowed if d]
    if not leading:
        raise ValueError("no non-zero digit")
    seen, length = 0, 1
    while True:
        for first in leading:
            for rest in product(allowed, repeat=length - 1):
                seen += 1
                if seen > ENUMERATION_LIMIT:
                    raise ValueError("too many digit strings")
                value = first
                for d in rest:
                    value = value * base + d
                if not primes or isprime(value):
                    yield value
        length += 1


@lru_cache(maxsize=256)
def members(base: int, allowed: tuple[int, ...], primes: bool, with_zero: bool, count: int) -> tuple[int, ...]:
    """The first ``count`` members, in increasing order; ValueError past ENUMERATION_LIMIT strings."""
    out = []
    for value in _members(base, allowed, primes, with_zero):
        out.append(value)
        if len(out) == count:
            break
    return tuple(out)


def _agrees(spec: dict, terms: list[int]) -> bool:
    """The members reproduce ``terms`` (stopping at the first that differs)."""
    for i, value in enumerate(_members(spec["base"], tuple(spec["digits"]), spec["primes"], spec["zero"])):
        if i == len(terms):
            return True
        if value != terms[i]:
            return False
    return False


def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    return list(members(spec["base"], tuple(spec["digits"]), spec["primes"], spec["zero"], count))


def statement(spec: dict) -> str:
    what = "primes" if spec["primes"] else "numbers"
    digits = ", ".join(str(d) for d in spec["digits"])
    zero = " (0 included)" if spec["zero"] and not spec["primes"] else ""
    return (f"a(n) = the {what} whose base-{spec['base']} digits all lie in {{{digits}}}{zero}, in increasing order "
            "(a digit-set list)")


def guess_digit_set(terms: list[int], offset: int = 0, ambiguous: list | None = None) -> Answer | None:
    """The Answer (spec, statement, fitted, parameters) of the first (base, primes or not) reading the terms
    confirm, or None."""
    total = len(terms)
    if total < 12 or terms[0] < 0 or any(b <= a for a, b in zip(terms, terms[1:])):
        return None
    if all(b - a == 1 for a, b in zip(terms, terms[1:])):
        return None
    chosen, matching = None, []
    # A list of primes has prime terms: without this the members of a digit set with few primes (or none:
    # the digits 0 and 9) were enumerated to ENUMERATION_LIMIT with a primality test each (A116260: 9, 99,
    # 999, ..., minutes).
    all_prime = all(isprime(t) for t in terms)
    for rank, (base, primes) in enumerate(KINDS, start=1):
        if primes and not all_prime:
            continue
        parameters = base + choice_bits(len(KINDS))
        fitted = total - parameters - MARGIN
        if fitted < 3:
            continue
        allowed = tuple(sorted({d for t in terms[:fitted] if t for d in digits_of(t, base)}))
        if len(allowed) == base or (not primes and allowed == tuple(range(len(allowed)))):
            continue
        if max(terms[fitted:]) < base**2:
            # below b^2 "digits in S" is a condition on m mod b and m // b (m not divisible by 7 and the
            # base-7 numbers without a 0 agree up to 48): the confirming terms must reach three digits
            continue
        spec = {"base": base, "digits": list(allowed), "primes": primes, "zero": terms[0] == 0}
        try:
            if not _agrees(spec, terms):
                continue
            values = terms_from(spec, offset, total + AHEAD)
        except ValueError:
            continue
        matching.append((spec, fitted, parameters, values[total:]))
        if chosen is None:
            chosen = matching[-1]
    return decided_choice(chosen, matching, ambiguous, statement)
