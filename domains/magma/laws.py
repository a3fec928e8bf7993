"""The Equational Theories Project's numbered laws, canonical forms up to symmetry, and law specs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from mathteam.domains.magma.terms import Law, LawSyntaxError, Term, parse_law

#: Laws of order ≤ 4: the ETP's published list (Equation1 … Equation4694).
ETP_ORDER4_COUNT = 4694


@lru_cache(maxsize=None)
def _shapes(ops: int) -> tuple[Term, ...]:
    """Binary trees with ``ops`` operations in ETP order (leaves are all ``0``)."""
    if ops == 0:
        return (0,)
    return tuple(
        (left, right)
        for i in range(ops)
        for left in _shapes(i)
        for right in _shapes(ops - 1 - i)
    )


def _restricted_growth_strings(length: int) -> Iterator[tuple[int, ...]]:
    """Variable patterns in lexicographic order: each entry is at most one more than the max so far."""

    def extend(prefix: list[int], top: int) -> Iterator[tuple[int, ...]]:
        if len(prefix) == length:
            yield tuple(prefix)
            return
        for value in range(top + 2):
            prefix.append(value)
            yield from extend(prefix, max(top, value))
            prefix.pop()

    return extend([], -1)


def _fill(shape: Term, values: Iterator[int]) -> Term:
    if isinstance(shape, int):
        return next(values)
    left = _fill(shape[0], values)
    return (left, _fill(shape[1], values))


def _renumber(pattern: tuple[int, ...]) -> tuple[int, ...]:
    first: dict[int, int] = {}
    return tuple(first.setdefault(v, len(first)) for v in pattern)


@lru_cache(maxsize=None)
def _laws_of_order(n: int) -> tuple[Law, ...]:
    laws: list[Law] = []
    for k in range(n // 2 + 1):
        lhs_shapes, rhs_shapes = _shapes(k), _shapes(n - k)
        lhs_leaves = k + 1
        for a, lhs_shape in enumerate(lhs_shapes):
            for b, rhs_shape in enumerate(rhs_shapes):
                if k == n - k and a > b:
                    continue
                same_shape = k == n - k and a == b
                for pattern in _restricted_growth_strings(n + 2):
                    values = iter(pattern)
                    lhs, rhs = _fill(lhs_shape, values), _fill(rhs_shape, values)
                    if lhs == rhs and n > 0:
                        continue
                    if same_shape:
                        # Keep only the lexicographically smaller of a law and its mirror, rhs = lhs.
                        mirrored = _renumber(pattern[lhs_leaves:] + pattern[:lhs_leaves])
                        if mirrored < pattern:
                            continue
                    laws.append(Law(lhs, rhs))
    return tuple(laws)


def enumerate_laws(max_order: int) -> list[Law]:
    """All laws of order ≤ ``max_order`` in ETP numbering: ``result[i]`` is Equation ``i + 1``.

    Order 4 gives the ETP's 4694 laws (checked against the published list); order 5 follows the same
    rule and gives 57,882 more, 62,576 in all, the counts of the ETP's order-5 extension (the laws
    themselves are not compared with a published list here).
    """
    if max_order < 0:
        return []
    return [law for n in range(max_order + 1) for law in _laws_of_order(n)]


def _encode(term: Term, out: list[int]) -> None:
    # Preorder with -1 marking an operation is a prefix code, hence injective on terms.
    if isinstance(term, int):
        out.append(term)
    else:
        out.append(-1)
        _encode(term[0], out)
        _encode(term[1], out)


def _law_code(law: Law) -> tuple[int, ...]:
    out: list[int] = []
    _encode(law.lhs, out)
    out.append(-2)
    _encode(law.rhs, out)
    return tuple(out)


def canonical_key(law: Law) -> tuple[int, ...]:
    """A key equal for two laws exactly when they agree up to renaming variables and swapping sides."""
    law = Law.of(law.lhs, law.rhs)
    return min(_law_code(law), _law_code(law.swapped()))


def canonical_form(law: Law) -> Law:
    """The representative of ``law`` up to renaming and swapping: whichever orientation has the smaller key."""
    law = Law.of(law.lhs, law.rhs)
    swapped = law.swapped()
    return law if _law_code(law) <= _law_code(swapped) else swapped


@lru_cache(maxsize=None)
def _etp_index(max_order: int) -> dict[tuple[int, ...], int]:
    index: dict[tuple[int, ...], int] = {}
    for number, law in enumerate(enumerate_laws(max_order), start=1):
        index.setdefault(canonical_key(law), number)
    return index


def etp_number(law: Law, max_order: int = 4) -> int | None:
    """The ETP number of ``law`` up to renaming and swapping sides, among laws of order ≤ ``max_order``."""
    if law.order > max_order:
        return None
    return _etp_index(max_order).get(canonical_key(law))


def etp_law(number: int) -> Law:
    """Equation ``number`` of the ETP (order ≤ 5); ``IndexError`` when out of range."""
    max_order = 4 if 1 <= number <= ETP_ORDER4_COUNT else 5
    laws = enumerate_laws(max_order)
    if not 1 <= number <= len(laws):
        raise IndexError(f"Equation{number} is out of range 1–{len(laws)}")
    return laws[number - 1]


def etp_bound() -> int:
    """The largest ETP number :func:`parse_law_spec` accepts (laws of order ≤ 5)."""
    return len(enumerate_laws(5))


# ---------------------------------------------------------------- law specs in project files


class LawSpecError(ValueError):
    """A law spec item is malformed; ``item`` is the offending text, ``problem`` what is wrong."""

    def __init__(self, item: str, problem: str):
        self.item = item
        self.problem = problem
        super().__init__(problem)


@dataclass(frozen=True)
class NamedLaw:
    """A law as a project names it; ``etp_number`` is set when it is an ETP law (up to symmetry)."""

    name: str
    law: Law
    etp_number: int | None = None


_ETP_ITEM = re.compile(r"\s*etp\s*:(?P<body>.*)$", re.IGNORECASE | re.DOTALL)
_ETP_PART = re.compile(r"\s*(?P<lo>\d+)\s*(?:[-–]\s*(?P<hi>\d+)\s*)?$")
_NAMED = re.compile(r"\s*(?P<name>[^:]*?)\s*:(?P<law>.*)$", re.DOTALL)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_']*$")


def _etp_numbers(item: str, body: str) -> list[int]:
    parts = body.split(",")
    numbers: list[int] = []
    for part in parts:
        where = "" if len(parts) == 1 else f" (in {item.strip()!r})"
        match = _ETP_PART.match(part)
        if not match:
            raise LawSpecError(item, f"etp:{part.strip()}: expected a number or a range like 1-46{where}")
        lo = int(match["lo"])
        hi = int(match["hi"]) if match["hi"] else lo
        if hi < lo:
            raise LawSpecError(item, f"etp:{part.strip()}: empty range{where}")
        for value in (lo, hi):
            if value < 1 or (value > ETP_ORDER4_COUNT and value > etp_bound()):
                raise LawSpecError(item, f"etp:{value} is out of range 1–{etp_bound()}{where}")
        numbers.extend(range(lo, hi + 1))
    return numbers


def _parse_equation(item: str, text: str) -> Law:
    try:
        return parse_law(text)
    except LawSyntaxError as error:
        raise LawSpecError(item, f"{item.strip()!r}: {error.problem} at character {error.position + 1}") from error


def _lookup(law: Law) -> int | None:
    # Order-5 numbers are only looked up for order-5 laws, so the larger list is built lazily.
    return etp_number(law, max_order=max(4, law.order)) if law.order <= 5 else None


def parse_law_spec(spec: str | list[str]) -> list[NamedLaw]:
    """Laws named by a project file: ``"etp:1-10,43"`` items, ``"Name: x * y = y * x"`` or bare laws.

    A bare law that is an ETP law (up to renaming and swapping) is named ``EquationN``, otherwise
    ``L1``, ``L2``, … in order. Repeats of a law are dropped (the first is kept); two different
    laws under one name raise :class:`LawSpecError`.
    """
    parsed = _parse_spec_items(spec)
    taken = {name for name, _, _ in parsed if name is not None}
    result: list[NamedLaw] = []
    by_key: dict[tuple[int, ...], NamedLaw] = {}
    by_name: dict[str, NamedLaw] = {}
    counter = 0
    for name, law, number in parsed:
        key = canonical_key(law)
        if key in by_key:
            continue
        if name is None:
            counter += 1
            while f"L{counter}" in taken:
                counter += 1
            name = f"L{counter}"
        if name in by_name:
            raise LawSpecError(name, f"the name {name} is given to two different laws: {by_name[name].law} and {law}")
        entry = NamedLaw(name, law, number)
        by_key[key] = by_name[name] = entry
        result.append(entry)
    return result


def _parse_spec_items(spec: str | list[str]) -> list[tuple[str | None, Law, int | None]]:
    """(name or None, law, ETP number or None) for each law the spec names, in order, repeats kept."""
    items = [spec] if isinstance(spec, str) else list(spec)
    if not items:
        raise LawSpecError("", "the law spec is empty")
    parsed: list[tuple[str | None, Law, int | None]] = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise LawSpecError(str(item), f"{item!r}: expected a law or an etp: item")
        etp = _ETP_ITEM.match(item)
        if etp:
            for number in _etp_numbers(item, etp["body"]):
                parsed.append((f"Equation{number}", etp_law(number), number))
            continue
        named = _NAMED.match(item)
        if named:
            name = named["name"]
            if not _IDENTIFIER.match(name):
                raise LawSpecError(item, f"{item.strip()!r}: law name {name!r} must be a single word")
            law = _parse_equation(item, named["law"])
            parsed.append((name, law, _lookup(law)))
        else:
            law = _parse_equation(item, item)
            number = _lookup(law)
            parsed.append((f"Equation{number}" if number else None, law, number))
    return parsed


def count_spec_laws(spec: str | list[str]) -> int:
    """How many laws the spec names, repeats included (``parse_law_spec`` drops repeats)."""
    return len(_parse_spec_items(spec))
