"""Small finite groups as multiplication tables, identity numbered 0 (for left-invariant magmas).

A magma x ◇ y = x·f(x⁻¹·y) on a group G has every left multiplication as an automorphism
(g·(x ◇ y) = (g·x) ◇ (g·y)), which is what the translation-invariant search needs; Z/n is the
cyclic case. Groups are built as products of cyclic groups and as permutation groups closed from
generators (dihedral, quaternion, alternating), so each table is computed, not typed in.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


@dataclass(frozen=True, eq=False)
class Group:
    name: str
    mul: np.ndarray
    """mul[i, j] = i·j; element 0 is the identity."""
    inverse: np.ndarray

    @property
    def size(self) -> int:
        return len(self.mul)


def _from_table(name: str, mul: np.ndarray) -> Group:
    n = len(mul)
    assert (mul[0] == np.arange(n)).all() and (mul[:, 0] == np.arange(n)).all(), name
    inverse = np.array([int(np.flatnonzero(mul[i] == 0)[0]) for i in range(n)], dtype=np.int64)
    mul = mul.astype(np.int64)
    mul.flags.writeable = False
    inverse.flags.writeable = False
    return Group(name, mul, inverse)


@lru_cache(maxsize=None)
def cyclic(n: int) -> Group:
    x, y = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return _from_table(f"Z{n}", (x + y) % n)


@lru_cache(maxsize=None)
def abelian(*orders: int) -> Group:
    """Z/orders[0] × Z/orders[1] × …, elements numbered in mixed radix (last coordinate fastest)."""
    elements = list(itertools.product(*(range(o) for o in orders)))
    index = {e: i for i, e in enumerate(elements)}
    mul = np.array([[index[tuple((a + b) % o for a, b, o in zip(e, f, orders))] for f in elements]
                    for e in elements])
    return _from_table("×".join(f"Z{o}" for o in orders), mul)


def _permutation_group(name: str, degree: int, generators: list[tuple[int, ...]]) -> Group:
    identity = tuple(range(degree))
    elements, frontier = [identity], [identity]
    seen = {identity}
    while frontier:
        new = []
        for p in frontier:
            for g in generators:
                q = tuple(p[g[i]] for i in range(degree))
                if q not in seen:
                    seen.add(q)
                    elements.append(q)
                    new.append(q)
        frontier = new
    index = {e: i for i, e in enumerate(elements)}
    mul = np.array([[index[tuple(p[q[i]] for i in range(degree))] for q in elements] for p in elements])
    return _from_table(name, mul)


@lru_cache(maxsize=None)
def dihedral(n: int) -> Group:
    """The symmetries of a regular n-gon (order 2n)."""
    rotation = tuple((i + 1) % n for i in range(n))
    reflection = tuple((-i) % n for i in range(n))
    return _permutation_group(f"D{n}", n, [rotation, reflection])


@lru_cache(maxsize=None)
def quaternion() -> Group:
    """Q8, as permutations of itself: ±1, ±i, ±j, ±k numbered 0..7 as (sign, unit) pairs."""
    units = {("1", "1"): (1, "1"), ("1", "i"): (1, "i"), ("1", "j"): (1, "j"), ("1", "k"): (1, "k"),
             ("i", "1"): (1, "i"), ("i", "i"): (-1, "1"), ("i", "j"): (1, "k"), ("i", "k"): (-1, "j"),
             ("j", "1"): (1, "j"), ("j", "i"): (-1, "k"), ("j", "j"): (-1, "1"), ("j", "k"): (1, "i"),
             ("k", "1"): (1, "k"), ("k", "i"): (1, "j"), ("k", "j"): (-1, "i"), ("k", "k"): (-1, "1")}
    elements = [(s, u) for s in (1, -1) for u in "1ijk"]
    index = {e: i for i, e in enumerate(elements)}

    def times(a, b):
        sign, unit = units[(a[1], b[1])]
        return index[(a[0] * b[0] * sign, unit)]

    return _from_table("Q8", np.array([[times(a, b) for b in elements] for a in elements]))


@lru_cache(maxsize=None)
def alternating4() -> Group:
    return _permutation_group("A4", 4, [(1, 2, 0, 3), (1, 0, 3, 2)])


def small_groups(sizes: tuple[int, ...], cyclic_only: bool = False) -> list[Group]:
    """The groups tried for each size, cyclic first, then (unless ``cyclic_only``) every other
    abelian group of that order and, among the non-abelian ones, the dihedral groups, Q8 and A4
    (not every group: no Dic3, nothing else of order 16)."""
    out: list[Group] = []
    for n in sizes:
        out.append(cyclic(n))
        if cyclic_only:
            continue
        out.extend(abelian(*orders) for orders in _noncyclic_abelian_types(n))
        if n % 2 == 0 and n >= 6:
            out.append(dihedral(n // 2))
        if n == 8:
            out.append(quaternion())
        if n == 12:
            out.append(alternating4())
    return out


def group_named(name: str) -> Group:
    """The group :func:`small_groups` calls ``name`` (Z12, Z2×Z4, D5, Q8, A4)."""
    if name == "Q8":
        return quaternion()
    if name == "A4":
        return alternating4()
    if name.startswith("D"):
        return dihedral(int(name[1:]))
    orders = [int(part[1:]) for part in name.split("×")]
    return cyclic(orders[0]) if len(orders) == 1 else abelian(*orders)


def _noncyclic_abelian_types(n: int) -> list[tuple[int, ...]]:
    """The abelian groups of order n other than Z/n, as tuples of cyclic orders (for each prime,
    a partition of its exponent; the group is cyclic iff every partition has one part)."""
    factors: dict[int, int] = {}
    m, p = n, 2
    while m > 1:
        while m % p == 0:
            factors[p] = factors.get(p, 0) + 1
            m //= p
        p += 1

    def partitions(k: int, largest: int | None = None) -> list[tuple[int, ...]]:
        largest = largest or k
        if k == 0:
            return [()]
        return [(first, *rest) for first in range(min(k, largest), 0, -1) for rest in partitions(k - first, first)]

    per_prime = [[tuple(p ** e for e in parts) for parts in partitions(k)] for p, k in factors.items()]
    return [tuple(sorted((x for part in choice for x in part), reverse=True))
            for choice in itertools.product(*per_prime) if any(len(part) > 1 for part in choice)]
