"""Classical integer sequences as short brute-force Python definitions (run through the sandbox)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SequenceDefinition(BaseModel):
    """A sequence named by code: ``code`` defines ``a(n)`` by counting objects, with no formula inside."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    name: str
    """Short identifier, e.g. ``dyck``."""
    description: str
    """What ``a(n)`` counts, in words."""
    code: str
    """Python source defining ``a(n)`` (standard library only)."""
    offset: int = 0
    """First index."""
    terms: int = 12
    """How many terms brute force computes in reasonable time."""
    known: str
    """The classical answer, for the reader (never used by the team's roles)."""


def terms_program(definition: SequenceDefinition, count: int | None = None) -> str:
    """A program for the sandbox that emits ``[a(offset), ..., a(offset + count - 1)]``."""
    count = definition.terms if count is None else count
    start = definition.offset
    return f"{definition.code}\n\nemit([a(i) for i in range({start}, {start + count})])\n"


CLASSICAL = (
    SequenceDefinition(name="no_11", description="binary strings of length n without two adjacent 1s",
                       terms=16, known="Fibonacci F(n+2): a(n) = a(n-1) + a(n-2)", code='''\
from itertools import product

def a(n):
    return sum(1 for s in product("01", repeat=n) if "11" not in "".join(s))'''),
    SequenceDefinition(name="dyck", description="Dyck paths of semilength n (up/down steps, never below 0)",
                       terms=12, known="Catalan C(2n,n)/(n+1): (n+2)a(n+1) = (4n+2)a(n)", code='''\
def a(n):
    def paths(up, down, height):
        if up == down == 0:
            return 1
        total = paths(up - 1, down, height + 1) if up else 0
        if down and height:
            total += paths(up, down - 1, height - 1)
        return total
    return paths(n, n, 0)'''),
    SequenceDefinition(name="motzkin", description="Motzkin paths of length n (up, flat, down; never below 0)",
                       terms=14, known="Motzkin: (n+4)a(n+2) = (2n+5)a(n+1) + (3n+3)a(n)", code='''\
def a(n):
    def paths(steps, height):
        if height > steps:
            return 0
        if steps == 0:
            return 1
        total = paths(steps - 1, height + 1) + paths(steps - 1, height)
        return total + (paths(steps - 1, height - 1) if height else 0)
    return paths(n, 0)'''),
    SequenceDefinition(name="central_binomial",
                       description="lattice paths from (0,0) to (n,n) with unit steps right and up",
                       terms=12, known="C(2n,n): (n+1)a(n+1) = (4n+2)a(n)", code='''\
from itertools import combinations

def a(n):
    return sum(1 for _ in combinations(range(2 * n), n))'''),
    SequenceDefinition(name="bell", description="partitions of an n-element set",
                       terms=10, known="Bell numbers: not P-recursive, no recurrence should be found", code='''\
def a(n):
    def growth(length, largest):
        # restricted growth strings: each block opened in order
        if length == n:
            return 1
        return sum(growth(length + 1, max(largest, b)) for b in range(largest + 2))
    return growth(0, -1) if n else 1'''),
    SequenceDefinition(name="subsets", description="subsets of an n-element set",
                       terms=14, known="2^n", code='''\
from itertools import product

def a(n):
    return sum(1 for _ in product((False, True), repeat=n))'''),
    SequenceDefinition(name="triangular", description="2-element subsets of an (n+1)-element set",
                       terms=14, known="n(n+1)/2", code='''\
from itertools import combinations

def a(n):
    return sum(1 for _ in combinations(range(n + 1), 2))'''),
)
"""The classical families a mathematician recognises, each with its brute-force definition."""

BY_NAME = {definition.name: definition for definition in CLASSICAL}
