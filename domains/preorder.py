"""Pure functions on a preorder given by its pairs: closure, equivalence classes, Hasse diagram."""

from __future__ import annotations

import numpy as np


def transitive_closure(adjacency: np.ndarray, reflexive: bool = False) -> np.ndarray:
    """Reachability by one or more steps (zero or more with `reflexive`), by repeated squaring.

    The one closure of the package (the pair-by-pair plan, the report and the bulk engine's
    planning all use it). Products are taken in float32: path counts stay exact below 2**24,
    where uint8 products would wrap around at 256 and lose paths.
    """
    reach = adjacency.astype(bool).copy()
    if reflexive:
        reach |= np.eye(len(reach), dtype=bool)
    while True:
        f = reach.astype(np.float32)
        step = reach | ((f @ f) > 0)
        if (step == reach).all():
            return reach
        reach = step


def adjacency(names: list[str], pairs: set[tuple[str, str]]) -> np.ndarray:
    index = {name: i for i, name in enumerate(names)}
    matrix = np.zeros((len(names), len(names)), dtype=bool)
    for a, b in pairs:
        matrix[index[a], index[b]] = True
    return matrix


def equivalence_classes(names: list[str], pairs: set[tuple[str, str]]) -> list[list[str]]:
    """Classes of names that reach each other, each in the order of `names`, ordered by first member."""
    reach = transitive_closure(adjacency(names, pairs))
    mutual = reach & reach.T
    np.fill_diagonal(mutual, True)
    seen: set[int] = set()
    classes = []
    for i in range(len(names)):
        if i not in seen:
            members = [int(j) for j in np.flatnonzero(mutual[i])]
            seen.update(members)
            classes.append([names[j] for j in members])
    return classes


def hasse_edges(classes: list[list[str]], pairs: set[tuple[str, str]]) -> list[tuple[int, int]]:
    """Edges (i, j) between classes: class i reaches class j with no class strictly between."""
    names = [name for members in classes for name in members]
    reach = transitive_closure(adjacency(names, pairs))
    position = {name: i for i, name in enumerate(names)}
    reps = [position[members[0]] for members in classes]
    above = np.array([[reach[r, s] and a != b for b, s in enumerate(reps)] for a, r in enumerate(reps)],
                     dtype=bool).reshape(len(reps), len(reps))
    edges = []
    for a in range(len(reps)):
        for b in np.flatnonzero(above[a]):
            if not any(above[a, c] and above[c, b] for c in range(len(reps))):
                edges.append((a, int(b)))
    return edges
